//! A Lambda-shaped load run (a benchmark, not a timed test): the real function
//! binaries, each instance a process of its own that builds its state and pool
//! at cold start and serves one invocation at a time through a Runtime API this
//! binary implements (`load_lambda.rs`), scaled out as Lambda scales them. They
//! run against the test harness's Postgres through PgBouncer in transaction
//! mode and its S3 server. Interview clients (anonymous and signed-in) drive
//! full conversational interviews: create, answer until complete, summary, and
//! for signed-in users the history reads (session list, dashboard, detail).
//!
//! Prints per-route count and p50/p95/p99, throughput, the most Postgres server
//! connections in use, then checks every interview's rows and every user's
//! statistics in Postgres: lost and doubled writes.
//!
//! `--restart-postgres-at S` runs against a Postgres cluster of its own (the
//! harness's `PrivatePostgres`) behind a PgBouncer of its own, and restarts
//! Postgres S seconds into the run (down for `--downtime` seconds); clients
//! retry (answers under an `Idempotency-Key`).
//!
//! Usage: load [--interviews 200] [--concurrency 200] [--questions 5]
//!   [--signed-in-share 0.5] [--interviews-per-user 4] [--max-instances 120]
//!   [--pool-size N] [--restart-postgres-at S] [--downtime 3]
//!   [--timeout 30] [--bin-dir target/debug]

#![allow(clippy::print_stdout)]

#[path = "load_lambda.rs"]
mod lambda;
#[path = "load_pg.rs"]
mod pg;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use rehearse_testkit::tokens::{TEST_JWT_SECRET, claims, sign_hs256};
use rehearse_testkit::{PrivatePostgres, TestStack, Via};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, watch};
use uuid::Uuid;

use crate::lambda::{Fleet, Function, Outcome};
use crate::pg::{Bouncer, Sampler, Seen};

const CREATE: &str = "session-create-conversational";
const ANSWER: &str = "session-conversational-answer";
const SUMMARY: &str = "session-summary-get";
const LIST: &str = "session-history-list";
const DASHBOARD: &str = "dashboard-get";
const DETAIL: &str = "session-history-get";
const FUNCTIONS: [&str; 6] = [CREATE, ANSWER, SUMMARY, LIST, DASHBOARD, DETAIL];

/// Attempts per request (the first and the retries).
const MAX_ATTEMPTS: u32 = 10;

#[derive(Debug, Clone)]
struct Args {
    interviews: usize,
    concurrency: usize,
    questions: u32,
    signed_in_share: f64,
    per_user: usize,
    max_instances: usize,
    pool_size: Option<u32>,
    /// Seconds into the run at which Postgres is restarted (one or more).
    restart_at: Vec<f64>,
    downtime: f64,
    timeout: u64,
    bin_dir: PathBuf,
}

fn args() -> Result<Args> {
    let mut a = Args {
        interviews: 200,
        concurrency: 200,
        questions: 5,
        signed_in_share: 0.5,
        per_user: 4,
        max_instances: 120,
        pool_size: None,
        restart_at: Vec::new(),
        downtime: 3.0,
        timeout: 30,
        bin_dir: rehearse_testkit::workspace_root().join("target/debug"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--interviews" => a.interviews = value()?.parse()?,
            "--concurrency" => a.concurrency = value()?.parse()?,
            "--questions" => a.questions = value()?.parse()?,
            "--signed-in-share" => a.signed_in_share = value()?.parse()?,
            "--interviews-per-user" => a.per_user = value()?.parse()?,
            "--max-instances" => a.max_instances = value()?.parse()?,
            "--pool-size" => a.pool_size = Some(value()?.parse()?),
            "--restart-postgres-at" => {
                a.restart_at = value()?
                    .split(',')
                    .map(|s| s.trim().parse::<f64>())
                    .collect::<Result<_, _>>()?;
                a.restart_at.sort_by(f64::total_cmp);
            }
            "--downtime" => a.downtime = value()?.parse()?,
            "--timeout" => a.timeout = value()?.parse()?,
            "--bin-dir" => a.bin_dir = PathBuf::from(value()?),
            other => bail!("unknown argument {other}"),
        }
    }
    if a.interviews == 0 || a.concurrency == 0 || a.per_user == 0 || a.max_instances == 0 {
        bail!(
            "--interviews, --concurrency, --interviews-per-user and --max-instances must be at least 1"
        );
    }
    if !(0.0..=1.0).contains(&a.signed_in_share) {
        bail!("--signed-in-share is a fraction from 0 to 1");
    }
    Ok(a)
}

/// Per-route figures: every attempt's latency and status.
#[derive(Debug, Default)]
struct RouteStats {
    requests: usize,
    latencies: Vec<Duration>,
    /// Attempts that did not start an instance.
    warm: Vec<Duration>,
    attempts: usize,
    /// Attempts that were not 2xx (retried or not).
    failed_attempts: usize,
    /// Requests that ended in a non-2xx after their retries.
    errors: usize,
    /// Requests that failed at least once and then succeeded.
    recovered: usize,
    statuses: BTreeMap<String, usize>,
}

#[derive(Debug, Default)]
struct Recorder {
    routes: Mutex<BTreeMap<&'static str, RouteStats>>,
    error_samples: Mutex<Vec<String>>,
    requests: AtomicUsize,
    interviews_done: AtomicUsize,
    /// Answers the API returned as a replay of a stored one (`"replayed": true`).
    replayed: AtomicUsize,
}

impl Recorder {
    fn attempt(&self, route: &'static str, took: Duration, cold: bool, status: &str, ok: bool) {
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let r = routes.entry(route).or_default();
        r.latencies.push(took);
        if !cold {
            r.warm.push(took);
        }
        r.attempts += 1;
        if !ok {
            r.failed_attempts += 1;
        }
        *r.statuses.entry(status.to_owned()).or_default() += 1;
    }

    fn finished(&self, route: &'static str, ok: bool, retried: bool, sample: Option<String>) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let r = routes.entry(route).or_default();
        r.requests += 1;
        if !ok {
            r.errors += 1;
        } else if retried {
            r.recovered += 1;
        }
        drop(routes);
        if let Some(s) = sample {
            let mut samples = self
                .error_samples
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if samples.len() < 30 {
                samples.push(s);
            }
        }
    }
}

/// The API Gateway events of `events/`, used as templates.
#[derive(Debug)]
struct Templates(HashMap<(&'static str, bool), Value>);

impl Templates {
    fn load() -> Result<Self> {
        let dir = rehearse_testkit::events_dir();
        let mut map = HashMap::new();
        for f in FUNCTIONS {
            for signed_in in [false, true] {
                let case = if signed_in { "signed-in" } else { "anonymous" };
                let path = dir.join(f).join(format!("{case}.json"));
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("read {}", path.display()))?;
                map.insert((f, signed_in), serde_json::from_str(&text)?);
            }
        }
        Ok(Self(map))
    }

    /// An event for `function`: a fresh request id, loopback source (the quotas
    /// never limit it, as for local use), the caller's token or none, the path
    /// (the sample's `routeKey` with the path parameters filled in), path
    /// parameters, query and body.
    fn event(&self, function: &'static str, req: &Req) -> Result<Bytes> {
        let mut e = self
            .0
            .get(&(function, req.token.is_some()))
            .cloned()
            .with_context(|| format!("no event for {function}"))?;
        let headers = e["headers"]
            .as_object_mut()
            .context("event without headers")?;
        headers.remove("authorization");
        headers.remove("idempotency-key");
        if let Some(t) = &req.token {
            headers.insert("authorization".into(), json!(format!("Bearer {t}")));
        }
        if let Some(k) = &req.key {
            headers.insert("idempotency-key".into(), json!(k));
        }
        headers.insert("x-forwarded-for".into(), json!("127.0.0.1"));
        let body = req.body.as_ref().map(Value::to_string);
        headers.insert(
            "content-length".into(),
            json!(body.as_ref().map_or(0, String::len).to_string()),
        );
        let path = raw_path(&e, req.path_params.as_ref())?;
        e["rawPath"] = json!(path);
        e["rawQueryString"] = json!(req.query);
        if req.query.is_empty() {
            if let Some(o) = e.as_object_mut() {
                o.remove("queryStringParameters");
            }
        } else {
            let params: serde_json::Map<String, Value> = req
                .query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), json!(v)))
                .collect();
            e["queryStringParameters"] = Value::Object(params);
        }
        match &req.path_params {
            Some(p) => e["pathParameters"] = p.clone(),
            None => {
                if let Some(o) = e.as_object_mut() {
                    o.remove("pathParameters");
                }
            }
        }
        match body {
            Some(b) => e["body"] = json!(b),
            None => {
                if let Some(o) = e.as_object_mut() {
                    o.remove("body");
                }
            }
        }
        let ctx = &mut e["requestContext"];
        ctx["requestId"] = json!(Uuid::new_v4().to_string());
        ctx["http"]["sourceIp"] = json!("127.0.0.1");
        ctx["http"]["path"] = json!(path);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        ctx["timeEpoch"] = json!(u64::try_from(now.as_millis()).unwrap_or(0));
        Ok(Bytes::from(serde_json::to_vec(&e)?))
    }
}

/// The path a request for this sample takes: its `routeKey`'s path (the
/// route as infra/routes.toml and the gateway write it) with each `{name}`
/// replaced by that path parameter.
fn raw_path(event: &Value, params: Option<&Value>) -> Result<String> {
    let key = event["routeKey"]
        .as_str()
        .context("event without routeKey")?;
    let (_, mut path) = key
        .split_once(' ')
        .map(|(m, p)| (m, p.to_owned()))
        .context("routeKey is not \"METHOD /path\"")?;
    for (name, value) in params.and_then(Value::as_object).into_iter().flatten() {
        let value = value
            .as_str()
            .context("a path parameter that is not a string")?;
        path = path.replace(&format!("{{{name}}}"), value);
    }
    if path.contains('{') {
        bail!("{key}: a path parameter was not given");
    }
    Ok(path)
}

#[derive(Debug, Default)]
struct Req {
    token: Option<String>,
    key: Option<String>,
    query: String,
    path_params: Option<Value>,
    body: Option<Value>,
}

struct Ctx {
    functions: HashMap<&'static str, Arc<Function>>,
    templates: Templates,
    recorder: Recorder,
    create_body: Value,
    questions: u32,
}

/// One request through "API Gateway": invoke, and on a 503, a 502/504 or an
/// invocation that failed (function error, timeout) retry the same request
/// after `Retry-After` (1 s when absent). Returns the 2xx body, or the final
/// status and body.
async fn call(ctx: &Ctx, function: &'static str, req: &Req) -> Result<Value, String> {
    let f = ctx
        .functions
        .get(function)
        .ok_or_else(|| format!("no function {function}"))?;
    let mut retried = false;
    let mut last = String::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let event = ctx
            .templates
            .event(function, req)
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        let (outcome, cold) = f.invoke(event).await;
        let took = t.elapsed();
        let (status, retry_after, body) = match outcome {
            Outcome::Response {
                status,
                retry_after,
                body,
            } => (status.to_string(), retry_after, body),
            Outcome::FunctionError(e) => ("function-error".into(), None, Bytes::from(e)),
            Outcome::Timeout => ("timeout".into(), None, Bytes::new()),
        };
        let ok = status.starts_with('2');
        let tally = if ok {
            status.clone()
        } else {
            // The error's code, when the body is the API's JSON error.
            let code = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
            code.map_or_else(|| status.clone(), |c| format!("{status} {c}"))
        };
        ctx.recorder.attempt(function, took, cold, &tally, ok);
        if ok {
            let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
            ctx.recorder.finished(function, true, retried, None);
            return Ok(v);
        }
        last = format!(
            "{function} -> {status}: {}",
            String::from_utf8_lossy(&body)
                .chars()
                .take(300)
                .collect::<String>()
        );
        let retryable = matches!(
            status.as_str(),
            "502" | "503" | "504" | "function-error" | "timeout"
        );
        if !retryable || attempt == MAX_ATTEMPTS {
            break;
        }
        retried = true;
        let wait = retry_after.unwrap_or(1).clamp(1, 5);
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
    ctx.recorder
        .finished(function, false, retried, Some(last.clone()));
    Err(last)
}

const ANSWERS: [&str; 4] = [
    "At Analytical Engines I led the move of our payments ledger to Rust. The situation was a Python service that fell over at peak load; my task was to keep p99 latency under 50 ms. I profiled it, rewrote the hot path with tokio and batched PostgreSQL writes, and as a result p99 dropped from 400 ms to 35 ms.",
    "I would start by measuring: add tracing around each dependency, find the slowest span, and fix that first. Then I would add an index or a cache where the data shows it helps, and keep the change small enough to roll back.",
    "We had two teams disagreeing on an API design. I wrote down both proposals with their costs, we ran a one-week spike on the riskier part, and picked the design the data supported; both teams shipped on time.",
    "I'm not sure; I think I would ask a colleague and read the documentation first.",
];

/// One full interview; what the client was told, for the verification.
async fn interview(ctx: &Ctx, n: usize, token: Option<String>, user: Option<Uuid>) -> Seen {
    let mut seen = Seen {
        user,
        ..Seen::default()
    };
    let mut body = ctx.create_body.clone();
    body["num_questions"] = json!(ctx.questions);
    body["job_context"]["target_role"] =
        json!(["Backend Engineer", "Data Engineer", "Product Manager"][n % 3]);
    let created = call(
        ctx,
        CREATE,
        &Req {
            token: token.clone(),
            body: Some(body),
            ..Req::default()
        },
    )
    .await;
    let Some(session) = created.ok().and_then(|v| {
        v["session_id"]
            .as_str()
            .and_then(|s| s.parse::<Uuid>().ok())
    }) else {
        return seen;
    };
    seen.session = Some(session);
    // Answer until the interview says it is complete (follow-ups may add turns).
    let max_turns = ctx.questions as usize * 3;
    let mut complete = false;
    for turn in 0..max_turns {
        let text = format!(
            "{} (Turn {} of interview {n}.)",
            ANSWERS[(n + turn) % ANSWERS.len()],
            turn + 1
        );
        let answered = call(
            ctx,
            ANSWER,
            &Req {
                token: token.clone(),
                key: Some(Uuid::new_v4().to_string()),
                body: Some(json!({
                    "session_id": session,
                    "answer_text": text,
                    "time_taken_seconds": 20 + turn,
                })),
                ..Req::default()
            },
        )
        .await;
        let Ok(v) = answered else { return seen };
        if v["replayed"].as_bool() == Some(true) {
            ctx.recorder.replayed.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(q) = v["question_number"]
            .as_i64()
            .and_then(|q| i32::try_from(q).ok())
        {
            seen.answered.insert(q);
        }
        if v["is_complete"].as_bool() == Some(true) {
            complete = true;
            break;
        }
    }
    if !complete {
        return seen;
    }
    let path_params = Some(json!({ "session_id": session.to_string() }));
    let summary = call(
        ctx,
        SUMMARY,
        &Req {
            token: token.clone(),
            path_params: path_params.clone(),
            ..Req::default()
        },
    )
    .await;
    seen.summarized = summary.is_ok();
    if let Some(token) = token {
        let reads = [
            (LIST, "limit=20", None),
            (DASHBOARD, "", None),
            (DETAIL, "", path_params.clone()),
        ];
        for (f, query, params) in reads {
            let _ = call(
                ctx,
                f,
                &Req {
                    token: Some(token.clone()),
                    query: query.to_owned(),
                    path_params: params,
                    ..Req::default()
                },
            )
            .await;
        }
    }
    ctx.recorder.interviews_done.fetch_add(1, Ordering::Relaxed);
    seen
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Where the database is, and what restarts it.
struct Database {
    name: String,
    direct: String,
    admin: String,
    pooled: String,
    pool_size: u32,
    pooler: String,
    private: Option<PrivatePostgres>,
    bouncer: Option<Bouncer>,
}

async fn server_port(url: &str) -> Result<u16> {
    let c = pg::connect(url).await?;
    let port: i32 = c
        .query_typed_one("SELECT inet_server_port()", &[])
        .await?
        .get(0);
    Ok(u16::try_from(port)?)
}

fn harness_pool_size() -> Option<u32> {
    let ini = TestStack::get().dir().join("pgbouncer/pgbouncer.ini");
    std::fs::read_to_string(ini).ok()?.lines().find_map(|l| {
        l.strip_prefix("default_pool_size")
            .and_then(|v| v.trim().trim_start_matches('=').trim().parse().ok())
    })
}

async fn database(a: &Args, run_dir: &std::path::Path) -> Result<Database> {
    let url =
        |port: u16, db: &str| format!("postgres://postgres@127.0.0.1:{port}/{db}?sslmode=disable");
    if !a.restart_at.is_empty() {
        let private = PrivatePostgres::start().await;
        let port = {
            let c = private.db().client().await?;
            let p: i32 = c
                .query_typed_one("SELECT inet_server_port()", &[])
                .await?
                .get(0);
            u16::try_from(p)?
        };
        let pool = a.pool_size.unwrap_or(2);
        let bouncer = Bouncer::start(&run_dir.join("pgbouncer"), port, pool).await?;
        return Ok(Database {
            name: "rehearse".into(),
            direct: url(port, "rehearse"),
            admin: url(port, "postgres"),
            pooled: url(bouncer.port, "rehearse"),
            pool_size: pool,
            pooler: format!(
                "the bench's own PgBouncer (transaction mode, default_pool_size {pool}) \
                 in front of a private Postgres cluster (PrivatePostgres)"
            ),
            private: Some(private),
            bouncer: Some(bouncer),
        });
    }
    let db = TestStack::get().database().await;
    let direct = db.url(Via::Direct).expose_secret().to_owned();
    let port = server_port(&direct).await?;
    let admin = url(port, "postgres");
    match a.pool_size {
        None => Ok(Database {
            pooled: db.url(Via::Pooler).expose_secret().to_owned(),
            pool_size: harness_pool_size().context("read the harness's default_pool_size")?,
            pooler: "the test harness's PgBouncer (transaction mode)".into(),
            name: db.name,
            direct,
            admin,
            private: None,
            bouncer: None,
        }),
        Some(pool) => {
            let bouncer = Bouncer::start(&run_dir.join("pgbouncer"), port, pool).await?;
            Ok(Database {
                pooled: url(bouncer.port, &db.name),
                pool_size: pool,
                pooler: format!(
                    "the bench's own PgBouncer (transaction mode, default_pool_size {pool}) \
                     in front of the test harness's Postgres"
                ),
                name: db.name,
                direct,
                admin,
                private: None,
                bouncer: Some(bouncer),
            })
        }
    }
}

async fn s3_env() -> Result<Vec<(String, String)>> {
    use aws_credential_types::provider::ProvideCredentials;
    let stack = TestStack::get();
    let storage = stack.storage().await;
    let creds = TestStack::sdk_config()
        .credentials_provider()
        .context("no S3 credentials")?
        .provide_credentials()
        .await?;
    Ok(vec![
        ("RESUME_BUCKET".into(), storage.bucket().to_owned()),
        ("S3_ENDPOINT".into(), stack.s3_endpoint().to_owned()),
        ("S3_FORCE_PATH_STYLE".into(), "true".into()),
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID".into(), creds.access_key_id().to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY".into(),
            creds.secret_access_key().to_owned(),
        ),
    ])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let a = args()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let run = run(a, stop_rx.clone());
    tokio::select! {
        r = run => r,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("interrupted: stopping every instance");
            // The instances' watchers kill them; anything left dies with this
            // process (parent-death signal, see load_lambda.rs).
            let _ = stop_tx.send(true);
            tokio::time::sleep(Duration::from_millis(500)).await;
            std::process::exit(130);
        }
    }
}

async fn run(a: Args, stop: watch::Receiver<bool>) -> Result<()> {
    let run_dir = std::env::temp_dir().join(format!("rehearse-load-{}", std::process::id()));
    std::fs::create_dir_all(&run_dir)?;
    let mut db = database(&a, &run_dir).await?;
    let mut env = vec![
        ("DATABASE_URL".to_owned(), db.pooled.clone()),
        ("DATABASE_POOL_SIZE".to_owned(), "2".to_owned()),
        ("SUPABASE_JWT_SECRET".to_owned(), TEST_JWT_SECRET.to_owned()),
        ("JWT_AUDIENCE".to_owned(), "authenticated".to_owned()),
        ("RUST_LOG".to_owned(), "warn".to_owned()),
        ("LOG_FORMAT".to_owned(), "text".to_owned()),
        ("REHEARSE_STAGE".to_owned(), "load".to_owned()),
    ];
    env.extend(s3_env().await?);

    let (fleet_stop_tx, fleet_stop) = watch::channel(false);
    let fleet_stop_tx = Arc::new(fleet_stop_tx);
    {
        // An interrupt stops the instances too.
        let tx = fleet_stop_tx.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            if stop.wait_for(|s| *s).await.is_ok() {
                let _ = tx.send(true);
            }
        });
    }
    let fleet = Fleet {
        bin_dir: a.bin_dir.clone(),
        log_dir: run_dir.clone(),
        env,
        cap: a.max_instances,
        timeout: Duration::from_secs(a.timeout),
        shutdown: fleet_stop,
    };
    let mut functions = HashMap::new();
    for f in FUNCTIONS {
        functions.insert(f, Function::start(f, &fleet).await?);
    }
    let templates = Templates::load()?;
    let create_body: Value = templates
        .0
        .get(&(CREATE, false))
        .and_then(|e| e["body"].as_str())
        .map(serde_json::from_str)
        .transpose()?
        .context("the create event has no body")?;
    let ctx = Arc::new(Ctx {
        functions,
        templates,
        recorder: Recorder::default(),
        create_body,
        questions: a.questions,
    });

    // Callers: signed_in_share of the interviews signed in, per_user each.
    let signed_every = if a.signed_in_share > 0.0 {
        (1.0 / a.signed_in_share).round().max(1.0) as usize
    } else {
        usize::MAX
    };
    let mut plan: Vec<Option<(Uuid, String)>> = Vec::with_capacity(a.interviews);
    let mut users: Vec<(Uuid, String)> = Vec::new();
    let mut signed = 0usize;
    for i in 0..a.interviews {
        if signed_every != usize::MAX && i % signed_every == signed_every - 1 {
            if signed.is_multiple_of(a.per_user) {
                let id = Uuid::new_v4();
                let user = rehearse_core::UserId::from_uuid(id);
                let token = sign_hs256(
                    TEST_JWT_SECRET,
                    &claims(user, &format!("load-{id}@example.com")),
                );
                users.push((id, token));
            }
            signed += 1;
            plan.push(users.last().cloned());
        } else {
            plan.push(None);
        }
    }

    println!("# Lambda-shaped load run");
    println!();
    println!(
        "{} interviews ({} signed in, {} users, {} anonymous), {} at a time, {} questions each",
        a.interviews,
        signed,
        users.len(),
        a.interviews - signed,
        a.concurrency,
        a.questions
    );
    println!(
        "functions: {} ({}), at most {} instances each, DATABASE_POOL_SIZE=2 per instance",
        FUNCTIONS.join(", "),
        a.bin_dir.display(),
        a.max_instances
    );
    println!("database: {} via {}", db.name, db.pooler);
    println!("logs: {}", run_dir.display());
    if !a.restart_at.is_empty() {
        let at: Vec<String> = a.restart_at.iter().map(|s| format!("{s} s")).collect();
        println!(
            "restart: Postgres stopped (fast shutdown) at {}, down {} s each time; \
             PgBouncer stays up",
            at.join(", "),
            a.downtime
        );
    }
    println!();

    let (sampler_stop_tx, sampler_stop) = watch::channel(false);
    let (sampler, sampler_task) = Sampler::spawn(db.admin.clone(), db.name.clone(), sampler_stop);

    let started = Instant::now();
    // Restart schedule.
    // Restart schedule (skipped once the load is over).
    let (load_done_tx, mut load_done) = watch::channel(false);
    let restart = match db.private.take() {
        Some(mut private) => {
            let downtime = Duration::from_secs_f64(a.downtime);
            let schedule = a.restart_at.clone();
            Some(tokio::spawn(async move {
                let mut done = Vec::new();
                for at in schedule {
                    let due = started + Duration::from_secs_f64(at);
                    tokio::select! {
                        () = tokio::time::sleep_until(due.into()) => {}
                        () = async { let _ = load_done.wait_for(|d| *d).await; } => break,
                    }
                    let t = Instant::now();
                    private.stop();
                    let stopped = started.elapsed();
                    tokio::time::sleep(downtime).await;
                    private.resume().await;
                    done.push((stopped, started.elapsed(), t.elapsed()));
                }
                (private, done)
            }))
        }
        None => None,
    };

    // Progress every 5 s.
    let progress = {
        let ctx = ctx.clone();
        let sampler = sampler.clone();
        let mut stop = stop.clone();
        let total = a.interviews;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.wait_for(|s| *s) => return,
                }
                let instances: usize = ctx.functions.values().map(|f| f.live()).sum();
                eprintln!(
                    "[{:>5.1} s] interviews {}/{total}, requests {}, instances {instances}, max server connections {}",
                    started.elapsed().as_secs_f64(),
                    ctx.recorder.interviews_done.load(Ordering::Relaxed),
                    ctx.recorder.requests.load(Ordering::Relaxed),
                    sampler.max.load(Ordering::Relaxed),
                );
            }
        })
    };

    let gate = Arc::new(Semaphore::new(a.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (n, caller) in plan.into_iter().enumerate() {
        let ctx = ctx.clone();
        let gate = gate.clone();
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let (user, token) = match caller {
                Some((u, t)) => (Some(u), Some(t)),
                None => (None, None),
            };
            interview(&ctx, n, token, user).await
        });
    }
    let mut seen = Vec::with_capacity(a.interviews);
    let mut peak_mem = (0usize, 0u64, 0u64);
    let mut rss_tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tokio::select! {
            next = tasks.join_next() => match next {
                Some(r) => seen.push(r?),
                None => break,
            },
            _ = rss_tick.tick() => {
                let m = ctx
                    .functions
                    .values()
                    .map(|f| f.memory_kib())
                    .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
                if m.2 > peak_mem.2 {
                    peak_mem = m;
                }
            }
        }
    }
    let elapsed = started.elapsed();
    progress.abort();
    let _ = load_done_tx.send(true);
    let restart = match restart {
        Some(t) => Some(t.await?),
        None => None,
    };
    let _ = sampler_stop_tx.send(true);
    let _ = sampler_task.await;

    // Instances down before verifying (nothing writes any more).
    let _ = fleet_stop_tx.send(true);
    let mut instance_stats = Vec::new();
    for f in FUNCTIONS {
        if let Some(func) = ctx.functions.get(f) {
            func.stop_instances().await;
            instance_stats.push((f, func.stats()));
        }
    }

    // ---- Report ------------------------------------------------------------
    println!("## Per route (every attempt; retries are separate attempts)");
    println!();
    println!(
        "All attempts, then (warm) the attempts that did not start an instance: the \
         first request of a new instance waits for its cold start, the others may \
         still queue behind one."
    );
    println!();
    println!(
        "| route | requests | attempts | p50 ms | p95 ms | p99 ms | max ms | warm p50 | warm p95 | warm p99 | failed attempts | recovered by retry | errors | statuses |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut routes = std::mem::take(
        &mut *ctx
            .recorder
            .routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let mut total_errors = 0;
    let mut total_attempts = 0;
    let mut total_failed_attempts = 0;
    let mut total_recovered = 0;
    for f in FUNCTIONS {
        let Some(r) = routes.get_mut(f) else { continue };
        r.latencies.sort_unstable();
        r.warm.sort_unstable();
        let statuses: Vec<String> = r.statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        println!(
            "| {f} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} |",
            r.requests,
            r.attempts,
            percentile(&r.latencies, 50.0),
            percentile(&r.latencies, 95.0),
            percentile(&r.latencies, 99.0),
            percentile(&r.latencies, 100.0),
            percentile(&r.warm, 50.0),
            percentile(&r.warm, 95.0),
            percentile(&r.warm, 99.0),
            r.failed_attempts,
            r.recovered,
            r.errors,
            statuses.join(" ")
        );
        total_errors += r.errors;
        total_attempts += r.attempts;
        total_failed_attempts += r.failed_attempts;
        total_recovered += r.recovered;
    }
    println!();
    let requests = ctx.recorder.requests.load(Ordering::Relaxed);
    let done = ctx.recorder.interviews_done.load(Ordering::Relaxed);
    let secs = elapsed.as_secs_f64();
    println!("## Totals");
    println!();
    println!("- wall time: {secs:.1} s");
    println!(
        "- throughput: {:.1} requests/s ({requests} requests, {total_attempts} attempts), {:.2} interviews/s ({done} of {} completed end to end)",
        requests as f64 / secs,
        done as f64 / secs,
        a.interviews
    );
    println!(
        "- errors (non-2xx after retries): {total_errors}; failed attempts: {total_failed_attempts}, of which {total_recovered} requests recovered by a retry"
    );
    println!(
        "- answers returned as replays of a stored answer (a retry whose first attempt had committed): {}",
        ctx.recorder.replayed.load(Ordering::Relaxed)
    );
    println!(
        "- Postgres server connections in use (max of {} samples, every 200 ms; {} samples failed): {} (pooler pool: {})",
        sampler.samples.load(Ordering::Relaxed),
        sampler.failed.load(Ordering::Relaxed),
        sampler.max.load(Ordering::Relaxed),
        db.pool_size
    );
    let started_total: usize = instance_stats.iter().map(|(_, s)| s.started).sum();
    let inst: Vec<String> = instance_stats
        .iter()
        .map(|(f, s)| {
            let mut t = format!("{f} {} (peak {})", s.started, s.peak);
            if s.crashed > 0 || s.init_errors > 0 {
                t.push_str(&format!(
                    ", {} exited, {} init errors",
                    s.crashed, s.init_errors
                ));
            }
            t
        })
        .collect();
    println!(
        "- instances started (cold starts): {started_total}: {}",
        inst.join("; ")
    );
    println!(
        "- memory of the instances at the sample with the most (every 2 s): {} MiB proportional (PSS), {} MiB resident (RSS, shared pages counted in each), {} processes",
        peak_mem.2 / 1024,
        peak_mem.1 / 1024,
        peak_mem.0
    );
    if let Some((_, done)) = &restart {
        for (stopped, back, took) in done {
            println!(
                "- Postgres stopped at {:.1} s, accepting connections again at {:.1} s ({:.1} s down)",
                stopped.as_secs_f64(),
                back.as_secs_f64(),
                took.as_secs_f64()
            );
        }
        if done.len() < a.restart_at.len() {
            println!(
                "- {} scheduled restart(s) not made: the load was over",
                a.restart_at.len() - done.len()
            );
        }
    }
    let samples = ctx
        .recorder
        .error_samples
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if !samples.is_empty() {
        println!();
        println!("### Errors (first {})", samples.len());
        for s in &samples {
            println!("- {s}");
        }
    }

    // ---- Verification ----------------------------------------------------------
    let client = pg::connect(&db.direct).await?;
    let verdict = pg::verify(&client, &seen).await?;
    println!();
    println!("## Verification (directly in Postgres)");
    println!();
    println!(
        "- sessions checked: {}; users' statistics checked: {}",
        verdict.sessions_checked, verdict.users_checked
    );
    println!(
        "- lost writes: {}; doubled writes: {}; sessions stored but never returned to a client: {}; users with wrong statistics: {}",
        verdict.lost, verdict.doubled, verdict.orphan_sessions, verdict.statistics_wrong
    );
    for p in &verdict.problems {
        println!("  - {p}");
    }
    let log_lines = log_summary(&run_dir);
    if !log_lines.is_empty() {
        println!();
        println!("### Instance logs (WARN/ERROR lines, first per function)");
        for l in &log_lines {
            println!("- {l}");
        }
    }

    let max_conns = sampler.max.load(Ordering::Relaxed);
    let pool = usize::try_from(db.pool_size).unwrap_or(usize::MAX);
    println!();
    println!("## Targets");
    println!();
    let mark = |ok: bool| if ok { "MET" } else { "NOT MET" };
    println!(
        "- {} concurrent interviews completed: {} ({done}/{})",
        a.concurrency.min(a.interviews),
        mark(done == a.interviews),
        a.interviews
    );
    println!("- 0 errors: {} ({total_errors})", mark(total_errors == 0));
    println!(
        "- 0 lost or doubled writes: {} (lost {}, doubled {})",
        mark(verdict.lost == 0 && verdict.doubled == 0 && verdict.statistics_wrong == 0),
        verdict.lost,
        verdict.doubled
    );
    println!(
        "- server connections ≤ the pooler's pool: {} ({max_conns} ≤ {pool})",
        mark(max_conns <= pool)
    );

    if let Some(b) = db.bouncer.take() {
        b.stop().await;
    }
    drop(restart);
    Ok(())
}

/// The first few WARN/ERROR lines of each function's instance log.
fn log_summary(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for f in FUNCTIONS {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{f}.log"))) else {
            continue;
        };
        let bad: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("WARN") || l.contains("ERROR") || l.contains("panicked"))
            .collect();
        if let Some(first) = bad.first() {
            out.push(format!(
                "{f}: {} lines; first: {}",
                bad.len(),
                first.chars().take(400).collect::<String>()
            ));
        }
    }
    out
}
