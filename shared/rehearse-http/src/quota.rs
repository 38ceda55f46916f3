//! Per-caller quotas on the costly routes: per source address for anonymous
//! callers, per user for signed-in ones, counted in Postgres
//! ([`rehearse_db::quotas`]).
//!
//! A handler meters itself first and runs its work inside the meter, which
//! answers 429 `rate_limited` (with `Retry-After`) without running the work when
//! the budget is spent, and puts `X-RateLimit-Limit`/`X-RateLimit-Remaining` on
//! every response, errors included:
//!
//! ```ignore
//! let (auth, db) = (&state.backend.auth, &state.backend.db);
//! let work = |caller| start(state, &req, caller);
//! state.quotas.metered(auth, db, Bucket::Interview, &req, work).await
//! ```
//!
//! ([`Quotas::metered`] is [`maybe_user`], [`Quotas::meter`] and [`Meter::run`]
//! in that order; a route whose caller must be signed in meters by hand.)
//!
//! Loopback sources are never limited, signed in or not: the local emulator
//! reports every caller as 127.0.0.1, and local use and tests stay unthrottled.

use std::future::Future;
use std::net::IpAddr;
use std::time::Duration;

use lambda_http::http::HeaderValue;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use rehearse_auth::Verifier;
use rehearse_core::AuthUser;
use rehearse_core::config::{ConfigError, Source, parsed_or};
use rehearse_db::Db;

use crate::{ApiError, maybe_user, respond};

/// A group of routes sharing one budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Session create, both modes.
    Interview,
    /// Resume parse and upload.
    Resume,
    /// `POST /api/evaluate/answer`.
    Evaluate,
    /// `POST /api/questions/generate`.
    Generate,
    /// Speech-to-text.
    Speech,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::Interview,
        Bucket::Resume,
        Bucket::Evaluate,
        Bucket::Generate,
        Bucket::Speech,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Interview => "interview",
            Bucket::Resume => "resume",
            Bucket::Evaluate => "evaluate",
            Bucket::Generate => "generate",
            Bucket::Speech => "speech",
        }
    }

    /// Default requests per window: (anonymous address, signed-in user). A
    /// practice product: a few interviews and parses an hour for an address,
    /// several times more for an account.
    fn defaults(self) -> (u32, u32) {
        match self {
            Bucket::Interview => (5, 30),
            Bucket::Resume => (5, 30),
            Bucket::Evaluate => (60, 300),
            Bucket::Generate => (10, 60),
            Bucket::Speech => (60, 300),
        }
    }

    /// The variables that set its budgets: (anonymous, signed-in).
    fn variables(self) -> (&'static str, &'static str) {
        match self {
            Bucket::Interview => (
                "RATE_LIMIT_INTERVIEW_ANONYMOUS",
                "RATE_LIMIT_INTERVIEW_USER",
            ),
            Bucket::Resume => ("RATE_LIMIT_RESUME_ANONYMOUS", "RATE_LIMIT_RESUME_USER"),
            Bucket::Evaluate => ("RATE_LIMIT_EVALUATE_ANONYMOUS", "RATE_LIMIT_EVALUATE_USER"),
            Bucket::Generate => ("RATE_LIMIT_GENERATE_ANONYMOUS", "RATE_LIMIT_GENERATE_USER"),
            Bucket::Speech => ("RATE_LIMIT_SPEECH_ANONYMOUS", "RATE_LIMIT_SPEECH_USER"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The budgets, from the environment (validated at cold start):
/// `RATE_LIMIT_WINDOW_SECONDS` (default 3600) and, per bucket,
/// `RATE_LIMIT_<BUCKET>_ANONYMOUS` and `RATE_LIMIT_<BUCKET>_USER` (requests per
/// window, 1 to 1,000,000), e.g. `RATE_LIMIT_INTERVIEW_ANONYMOUS=5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotas {
    window: Duration,
    limits: [(u32, u32); 5],
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(3600),
            limits: Bucket::ALL.map(Bucket::defaults),
        }
    }
}

impl Quotas {
    pub fn from_env(env: &impl Source) -> Result<Self, ConfigError> {
        let mut quotas = Self::default();
        let secs = read_number(env, "RATE_LIMIT_WINDOW_SECONDS", 3600, 60..=86_400)?;
        quotas.window = Duration::from_secs(u64::from(secs));
        for bucket in Bucket::ALL {
            let (anonymous_var, user_var) = bucket.variables();
            let slot = &mut quotas.limits[bucket.index()];
            *slot = (
                read_number(env, anonymous_var, slot.0, 1..=1_000_000)?,
                read_number(env, user_var, slot.1, 1..=1_000_000)?,
            );
        }
        Ok(quotas)
    }

    /// The same budgets with `bucket`'s set to `anonymous`/`user` (tests).
    pub fn with_limit(mut self, bucket: Bucket, anonymous: u32, user: u32) -> Self {
        self.limits[bucket.index()] = (anonymous, user);
        self
    }

    pub fn window(&self) -> Duration {
        self.window
    }

    /// The budget of `bucket` for a signed-in user or an anonymous address.
    pub fn limit(&self, bucket: Bucket, signed_in: bool) -> u32 {
        let (anonymous, user) = self.limits[bucket.index()];
        if signed_in { user } else { anonymous }
    }

    /// Count this request against its caller's budget: a signed-in `user` as
    /// themself; anyone else (anonymous, or whose token was refused) by source
    /// address.
    ///
    /// When the count cannot be made (the database is down), the request is let
    /// through unmetered and a warning logged: the routes that need the database
    /// fail on their own, and the template's throttles still bound the rest.
    pub async fn meter(
        &self,
        db: &Db,
        bucket: Bucket,
        user: Option<&AuthUser>,
        req: &Request,
    ) -> Meter {
        let ip = source_ip(req);
        // Local use and tests (the emulator reports every caller as loopback)
        // are never limited, signed in or not.
        if ip.is_some_and(is_loopback) {
            return Meter::Unmetered;
        }
        let subject = match (user, ip) {
            (Some(user), _) => format!("user:{}", user.id),
            (None, Some(ip)) => format!("ip:{ip}"),
            // API Gateway always names the source; anything else shares one budget.
            (None, None) => "ip:unknown".to_owned(),
        };
        let limit = self.limit(bucket, user.is_some());
        match rehearse_db::quotas::hit(db, &subject, bucket.as_str(), self.window).await {
            Ok(hit) => Meter::Counted {
                limit,
                hits: hit.hits,
                resets_in: hit.resets_in,
                window: self.window,
            },
            Err(e) => {
                tracing::warn!(bucket = bucket.as_str(), error = %e, "quota not counted; request let through");
                Meter::Unmetered
            }
        }
    }

    /// An optional-auth route's request, metered: who is calling, counted
    /// against `bucket` as that user or by address, then `work` for that caller
    /// inside the meter. A present but invalid token is answered 401 inside the
    /// meter too (counted, with the quota headers), never run as anonymous.
    pub async fn metered<Fut>(
        &self,
        auth: &Verifier,
        db: &Db,
        bucket: Bucket,
        req: &Request,
        work: impl FnOnce(Option<AuthUser>) -> Fut,
    ) -> Result<Response<Body>, ApiError>
    where
        Fut: Future<Output = Result<Response<Body>, ApiError>>,
    {
        let caller = maybe_user(auth, req).await;
        let meter = self.meter(db, bucket, signed_in(&caller), req).await;
        meter.run(async move { work(caller?).await }).await
    }
}

fn read_number(
    env: &impl Source,
    name: &'static str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    let n = parsed_or(env, name, default)?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(ConfigError::Invalid {
            name,
            reason: format!("{n} is not from {} to {}", range.start(), range.end()),
        })
    }
}

/// The user an optional-auth route's authentication found, if it succeeded.
pub fn signed_in(caller: &Result<Option<AuthUser>, ApiError>) -> Option<&AuthUser> {
    caller.as_ref().ok().and_then(Option::as_ref)
}

/// The caller's address as API Gateway saw it (`requestContext.http.sourceIp`).
pub fn source_ip(req: &Request) -> Option<IpAddr> {
    match req.request_context_ref()? {
        RequestContext::ApiGatewayV2(ctx) => ctx.http.source_ip.as_deref()?.trim().parse().ok(),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// What [`Quotas::meter`] decided for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Meter {
    /// Not limited (a loopback source, or the count could not be made).
    Unmetered,
    Counted {
        limit: u32,
        /// This window's requests, this one included.
        hits: i64,
        resets_in: Duration,
        window: Duration,
    },
}

impl Meter {
    pub fn is_over(&self) -> bool {
        matches!(self, Meter::Counted { limit, hits, .. } if *hits > i64::from(*limit))
    }

    /// Requests left in this window after this one.
    pub fn remaining(&self) -> Option<u32> {
        match self {
            Meter::Unmetered => None,
            Meter::Counted { limit, hits, .. } => {
                Some(u32::try_from((i64::from(*limit) - hits).max(0)).unwrap_or(0))
            }
        }
    }

    /// Run `work` unless the budget is spent (then 429 without running it), and
    /// put the quota headers on whatever the response is.
    pub async fn run(
        self,
        work: impl Future<Output = Result<Response<Body>, ApiError>>,
    ) -> Result<Response<Body>, ApiError> {
        let result = match self {
            Meter::Counted {
                limit,
                resets_in,
                window,
                ..
            } if self.is_over() => Err(ApiError::RateLimited {
                limit,
                window_minutes: window.as_secs().div_ceil(60),
                retry_after_secs: resets_in.as_secs_f64().ceil().max(1.0) as u64,
            }),
            _ => work.await,
        };
        let mut resp = respond(result);
        if let (Meter::Counted { limit, .. }, Some(remaining)) = (self, self.remaining()) {
            let headers = resp.headers_mut();
            headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Source + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    #[test]
    fn budgets_come_from_the_environment_and_bad_values_fail_the_start() {
        let q = Quotas::from_env(&env(&[
            ("RATE_LIMIT_WINDOW_SECONDS", "600"),
            ("RATE_LIMIT_INTERVIEW_ANONYMOUS", "2"),
            ("RATE_LIMIT_SPEECH_USER", "7"),
        ]))
        .unwrap();
        assert_eq!(q.window(), Duration::from_secs(600));
        assert_eq!(q.limit(Bucket::Interview, false), 2);
        assert_eq!(q.limit(Bucket::Interview, true), 30);
        assert_eq!(q.limit(Bucket::Speech, true), 7);
        assert_eq!(q.limit(Bucket::Resume, false), 5);
        for (name, value) in [
            ("RATE_LIMIT_RESUME_USER", "0"),
            ("RATE_LIMIT_RESUME_USER", "lots"),
            ("RATE_LIMIT_WINDOW_SECONDS", "5"),
        ] {
            let err = Quotas::from_env(&env(&[(name, value)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn loopback_sources_are_recognised_in_every_spelling() {
        for ip in ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "203.0.113.10",
            "10.0.0.1",
            "::ffff:203.0.113.10",
            "2001:db8::1",
        ] {
            assert!(!is_loopback(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn over_the_budget_the_work_does_not_run_and_the_answer_says_when_to_retry() {
        let over = Meter::Counted {
            limit: 3,
            hits: 4,
            resets_in: Duration::from_millis(90_500),
            window: Duration::from_secs(3600),
        };
        let ran = std::cell::Cell::new(false);
        let resp = over
            .run(async {
                ran.set(true);
                Err(ApiError::internal(std::io::Error::other("should not run")))
            })
            .await
            .unwrap();
        assert!(!ran.get());
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "91");
        assert_eq!(resp.headers()["x-ratelimit-limit"], "3");
        assert_eq!(resp.headers()["x-ratelimit-remaining"], "0");
        let body: serde_json::Value = serde_json::from_slice(resp.body().as_ref()).unwrap();
        assert_eq!(body["error"]["code"], "rate_limited");
        assert_eq!(body["success"], false);

        // Within it, errors carry the headers too.
        let within = Meter::Counted {
            limit: 3,
            hits: 1,
            resets_in: Duration::from_secs(10),
            window: Duration::from_secs(3600),
        };
        let resp = within
            .run(async { Err(ApiError::bad_request("invalid_json", "no")) })
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.headers()["x-ratelimit-remaining"], "2");
        assert!(resp.headers().get("retry-after").is_none());
    }
}
