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
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(false);
    // `try_init`: tests and tools may have installed a subscriber already.
    let _ = if std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("text")) {
        builder.try_init()
    } else {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    };
}

/// Serve `handler` on the Lambda runtime with `state`, built once per cold start.
///
/// Every outcome becomes a response: `Err(ApiError)` through [`respond`], and a
/// panic as a JSON 500, so API Gateway never returns its own bodiless error.
pub async fn serve<S, H, Fut>(state: S, handler: H) -> Result<(), lambda_http::Error>
where
    S: Send + Sync + 'static,
    H: Fn(&'static S, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Body>, ApiError>> + Send,
{
    // The state lives as long as the instance: leaking it lets handlers borrow it
    // without an Arc clone per request.
    let state: &'static S = Box::leak(Box::new(state));
    let handler = &*Box::leak(Box::new(handler));
    lambda_http::run(service_fn(move |req: Request| {
        let span = tracing::info_span!(
            "request",
            request_id = %req.lambda_context_ref().map(|c| c.request_id.as_str()).unwrap_or("-"),
            method = %req.method(),
            path = %req.raw_http_path(),
            user_id = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
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
            Ok::<_, Infallible>(resp)
        }
        .instrument(span)
    }))
    .await
}
