//! Per-request metrics as CloudWatch embedded-metric-format documents: one JSON
//! line per label set after each request, which CloudWatch turns into metrics
//! (namespace `Rehearse`, dimension `function`) without an API call.
//!
//! - `latency` (ms) by `route`;
//! - `requests` (count) by `route` and `status_class` (2xx, 4xx, 5xx);
//! - `cold_start` (count) on an instance's first request.
//!
//! The documents carry the request id as a property. Anything else recorded
//! through the `metrics` facade during the request is flushed with them.

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use metrics_cloudwatch_embedded::{Builder, Collector};

pub const NAMESPACE: &str = "Rehearse";

static COLLECTOR: OnceLock<Option<&'static Collector>> = OnceLock::new();
static COLD: AtomicBool = AtomicBool::new(true);

/// The process's collector, installed as the `metrics` recorder on first use.
fn collector() -> Option<&'static Collector> {
    *COLLECTOR.get_or_init(|| {
        let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME")
            .ok()
            .or_else(|| {
                let exe = std::env::current_exe().ok()?;
                Some(exe.file_stem()?.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "rehearse".to_owned());
        match Builder::new()
            .cloudwatch_namespace(NAMESPACE)
            .with_dimension("function", function)
            .init()
        {
            Ok(collector) => {
                metrics::describe_histogram!(
                    "latency",
                    metrics::Unit::Milliseconds,
                    "request latency"
                );
                metrics::describe_counter!("requests", metrics::Unit::Count, "requests served");
                metrics::describe_counter!(
                    "cold_start",
                    metrics::Unit::Count,
                    "first requests of an instance"
                );
                Some(collector)
            }
            Err(e) => {
                tracing::warn!(error = %e, "metrics recorder not installed; no EMF metrics");
                None
            }
        }
    })
}

/// Record one served request and write the documents to `out` as whole lines.
pub(crate) fn record_request(
    route: &str,
    status: u16,
    elapsed: Duration,
    request_id: &str,
    out: &mut (dyn Write + Send),
) {
    let Some(collector) = collector() else {
        return;
    };
    let class = match status {
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::histogram!("latency", "route" => route.to_owned())
        .record(elapsed.as_secs_f64() * 1000.0);
    metrics::counter!("requests", "route" => route.to_owned(), "status_class" => class)
        .increment(1);
    if COLD.swap(false, Ordering::Relaxed) {
        metrics::counter!("cold_start").increment(1);
    }
    // One write of whole lines: never interleaved with a log line.
    let mut buf = Vec::with_capacity(1024);
    collector.set_property("request_id", request_id.to_owned());
    if collector.flush(&mut buf).is_ok() {
        let _ = out.write_all(&buf);
        let _ = out.flush();
    }
}
