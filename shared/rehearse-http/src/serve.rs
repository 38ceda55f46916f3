use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Instant;

use futures_util::FutureExt;
use lambda_http::{Body, Request, RequestExt, Response, service_fn};
use tracing::Instrument;

use crate::{ApiError, respond};

/// Log as JSON (one object per line, which CloudWatch indexes), at the level
/// `RUST_LOG` asks for (default `info`). Set `LOG_FORMAT=text` for a terminal.
pub fn init_tracing() {
    use tracing_subscriber::layer::{Layer as _, SubscriberExt};
    use tracing_subscriber::util::SubscriberInitExt;
    // Errors ignored: tests and tools may have installed a subscriber already.
    if std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("text")) {
        let layer = tracing_subscriber::fmt::layer()
            .with_target(false)
            .with_ansi(false);
        let _ = tracing_subscriber::registry()
            .with(layer.with_filter(filter()))
            .try_init();
    } else {
        let _ = json_logs(std::io::stdout).try_init();
    }
}

/// What to log: `RUST_LOG`'s `target=level` directives (`info`,
/// `rehearse_db=debug,warn`), else the level of Lambda's advanced logging
/// controls. A `Targets` filter, not an `EnvFilter`: that one's span and field
/// directives compile regular expressions, and linked regex-automata and
/// regex-syntax into every function (~0.4 MB of each zip) for a syntax no one
/// sets on a Lambda function. A `RUST_LOG` it cannot read is ignored, as
/// `EnvFilter`'s was, and so is one with span or field directives (`[`, `{`),
/// which `Targets` would take for a target name.
fn filter() -> tracing_subscriber::filter::Targets {
    filter_from(
        std::env::var("RUST_LOG").ok().as_deref(),
        std::env::var("AWS_LAMBDA_LOG_LEVEL").ok(),
    )
}

fn filter_from(
    rust_log: Option<&str>,
    lambda_level: Option<String>,
) -> tracing_subscriber::filter::Targets {
    use tracing_subscriber::filter::Targets;
    // `Targets` reads an empty directive (`""`, `info,`) as every target at TRACE;
    // EnvFilter skipped them.
    let directives: Vec<&str> = rust_log
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    let readable = !directives.is_empty()
        && directives
            .iter()
            .all(|d| !d.contains(['[', '{', ' ', '\t']));
    readable
        .then(|| directives.join(",").parse::<Targets>().ok())
        .flatten()
        .unwrap_or_else(|| Targets::new().with_default(lambda_log_level(lambda_level)))
}

/// The filter for Lambda's advanced logging level (`AWS_LAMBDA_LOG_LEVEL`:
/// TRACE, DEBUG, INFO, WARN, ERROR, FATAL), used when `RUST_LOG` is not set;
/// `info` without either.
fn lambda_log_level(level: Option<String>) -> tracing_subscriber::filter::LevelFilter {
    use tracing_subscriber::filter::LevelFilter;
    match level.as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("TRACE") => LevelFilter::TRACE,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some("WARN") => LevelFilter::WARN,
        Some("ERROR" | "FATAL") => LevelFilter::ERROR,
        _ => LevelFilter::INFO,
    }
}

/// The production log format, written to `writer`: what [`init_tracing`]
/// installs, and what tests capture to check what a request leaves in the logs.
pub fn json_logs<W>(writer: W) -> impl tracing::Subscriber + Send + Sync + 'static
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::layer::{Layer as _, SubscriberExt};
    let layer = tracing_subscriber::fmt::layer()
        .with_target(false)
        .with_ansi(false)
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(writer);
    tracing_subscriber::registry().with(layer.with_filter(filter()))
}

/// Serve `handler` on the Lambda runtime with `state`, built once per cold start.
///
/// Every outcome becomes a response: `Err(ApiError)` through [`respond`], and a
/// panic as a JSON 500, so API Gateway never returns its own bodiless error.
///
/// Every function runs this on tokio's current-thread runtime
/// (`#[tokio::main(flavor = "current_thread")]`): an instance serves one
/// request at a time, so worker threads would add nothing but hand-offs. On the
/// multi-threaded runtime the pooled connection's task and the handler sat on
/// different workers, and each reply crossed between them: `bench/dashboard.sh`
/// measured the dashboard at 371 µs there against 286 µs here (`SELECT 1`: 223
/// against 198 µs), and no worker thread is started at cold start.
pub async fn serve<S, H, Fut>(state: S, handler: H) -> Result<(), lambda_http::Error>
where
    S: Send + Sync + 'static,
    H: Fn(&'static S, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Body>, ApiError>> + Send,
{
    // The state lives as long as the instance: leaking it lets handlers borrow it
    // without an Arc clone per request.
    let state: &'static S = Box::leak(Box::new(state));
    let handler: &'static H = Box::leak(Box::new(handler));
    lambda_http::run(service_fn(move |req: Request| async move {
        Ok::<_, Infallible>(handle(state, handler, req).await)
    }))
    .await
}

/// One request, as [`serve`] runs it: in a span that names the route template
/// and the request id (never the raw path, which holds ids: an anonymous
/// session's id is the only key to it), every outcome a response, a panic a
/// JSON 500, and one "request served" line.
pub async fn handle<S, H, Fut>(state: &'static S, handler: &H, req: Request) -> Response<Body>
where
    H: Fn(&'static S, Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, ApiError>>,
{
    handle_into(state, handler, req, &mut std::io::stdout()).await
}

/// [`handle`], writing the request's EMF metric documents ([`crate::metrics`])
/// to `metrics_out` instead of stdout (tests capture them).
pub async fn handle_into<S, H, Fut>(
    state: &'static S,
    handler: &H,
    req: Request,
    metrics_out: &mut (dyn std::io::Write + Send),
) -> Response<Body>
where
    H: Fn(&'static S, Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, ApiError>>,
{
    let context = req.lambda_context_ref();
    let request_id = context
        .map(|c| c.request_id.clone())
        .unwrap_or_else(|| "-".to_owned());
    // With active tracing (the template's `Tracing` parameter), Lambda's X-Ray
    // trace of this invocation: logged, so logs and traces join up.
    let trace_id = context.and_then(|c| c.xray_trace_id.clone());
    let route = route(&req);
    let started = Instant::now();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        route = %route,
        trace_id = trace_id.as_deref(),
        user_id = tracing::field::Empty,
    );
    let resp = serve_one(state, handler, req, started)
        .instrument(span)
        .await;
    crate::metrics::record_request(
        &route,
        resp.status().as_u16(),
        started.elapsed(),
        &request_id,
        metrics_out,
    );
    resp
}

async fn serve_one<S, H, Fut>(
    state: &'static S,
    handler: &H,
    req: Request,
    started: Instant,
) -> Response<Body>
where
    H: Fn(&'static S, Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, ApiError>>,
{
    {
        let outcome = AssertUnwindSafe(handler(state, req)).catch_unwind().await;
        let result = outcome.unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(ApiError::internal(format!("handler panicked: {what}")))
        });
        let resp = respond(result);
        tracing::info!(
            status = resp.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request served"
        );
        resp
    }
}

/// The route as API Gateway matched it (`POST /api/session/{session_id}/answer`),
/// or, where there is no route key (a direct invoke, the local emulator), the
/// path with every segment that may be an id (anything with a digit, or long)
/// replaced by `{id}`.
pub fn route(req: &Request) -> String {
    use lambda_http::request::RequestContext;
    let key = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.route_key.as_deref(),
        #[allow(unreachable_patterns)]
        _ => None,
    };
    if let Some(key) = key.filter(|k| !k.is_empty() && *k != "$default") {
        return key.to_owned();
    }
    let raw = req.raw_http_path();
    let path = if raw.is_empty() {
        req.uri().path()
    } else {
        raw
    };
    let redacted: Vec<&str> = path
        .split('/')
        .map(|segment| {
            if segment.len() > 40 || segment.bytes().any(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                segment
            }
        })
        .collect();
    format!("{} {}", req.method(), redacted.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambdas_log_level_sets_the_filter_when_rust_log_does_not() {
        use tracing_subscriber::filter::LevelFilter;
        assert_eq!(lambda_log_level(None), LevelFilter::INFO);
        assert_eq!(lambda_log_level(Some("DEBUG".into())), LevelFilter::DEBUG);
        assert_eq!(lambda_log_level(Some("warn".into())), LevelFilter::WARN);
        assert_eq!(lambda_log_level(Some("FATAL".into())), LevelFilter::ERROR);
        assert_eq!(lambda_log_level(Some("nonsense".into())), LevelFilter::INFO);
        // RUST_LOG's directives win; one it cannot read leaves Lambda's level.
        use tracing::Level;
        let f = filter_from(Some("rehearse_db=debug,warn"), Some("ERROR".into()));
        assert!(f.would_enable("rehearse_db::pool", &Level::DEBUG));
        assert!(!f.would_enable("rehearse_http", &Level::INFO));
        assert!(f.would_enable("rehearse_http", &Level::WARN));
        let f = filter_from(Some("a[span{x=1}]=debug"), Some("DEBUG".into()));
        assert!(f.would_enable("anything", &Level::DEBUG));
        assert!(!f.would_enable("anything", &Level::TRACE));
        // Empty directives are nothing, not every target at TRACE.
        for empty in ["", " ", ",", "info,", ",,warn"] {
            let f = filter_from(Some(empty), None);
            assert!(!f.would_enable("hyper::proto", &Level::TRACE), "{empty:?}");
            assert!(!f.would_enable("hyper::proto", &Level::DEBUG), "{empty:?}");
        }
        assert!(filter_from(Some(",,warn"), None).would_enable("x", &Level::WARN));
        assert!(!filter_from(Some(",,warn"), None).would_enable("x", &Level::INFO));
        let f = filter_from(None, None);
        assert!(f.would_enable("anything", &Level::INFO));
        assert!(!f.would_enable("anything", &Level::DEBUG));
    }

    #[test]
    fn a_route_without_a_route_key_hides_its_ids() {
        let req = lambda_http::http::Request::builder()
            .method("GET")
            .uri("https://x.example/api/session/5f0c2a8e-1b2c-4d5e-8f90-123456789abc/summary")
            .body(Body::Empty)
            .unwrap_or_default();
        assert_eq!(route(&req), "GET /api/session/{id}/summary");
    }
}
