//! Per-request metrics as CloudWatch embedded-metric-format documents: one JSON
//! line per label set after each request, which CloudWatch turns into metrics
//! (namespace `Rehearse`, dimension `stage` from `REHEARSE_STAGE`, default
//! `local`) without an API call. The documents carry the function and the
//! request id as properties.
//!
//! - `latency` (ms) by `route`, and by `family` (the alarms' unit: interview,
//!   resumes, history, scoring, speech, account, health);
//! - `requests` (count) by `route` and `status_class` (2xx, 4xx, 5xx);
//! - `cold_start` (count) by `function`, on an instance's first request;
//! - whatever the shared crates record through the `metrics` facade during the
//!   request (database transactions, retries and pool waits, PDF parses and
//!   refusals, model and speech-to-text calls): see docs/runbook.md.
//!
//! The recorder keeps at most 100 values per histogram between flushes and
//! blocks the caller beyond that, so histograms are only recorded a few times
//! per request (latencies of the request, a parse, a model or speech call);
//! anything a request may do many times is a counter.

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
        let stage = std::env::var("REHEARSE_STAGE").unwrap_or_else(|_| "local".to_owned());
        match Builder::new()
            .cloudwatch_namespace(NAMESPACE)
            .with_dimension("stage", stage)
            .init()
        {
            Ok(collector) => {
                collector.set_property("function", function_name());
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

fn function_name() -> String {
    std::env::var("AWS_LAMBDA_FUNCTION_NAME")
        .ok()
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            Some(exe.file_stem()?.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "rehearse".to_owned())
}

/// The group of routes a route belongs to, for alarms and the dashboard.
pub fn family(route: &str) -> &'static str {
    let path = route.split_once(' ').map_or(route, |(_, p)| p);
    let rest = path.trim_start_matches('/');
    let rest = rest.strip_prefix("api/").unwrap_or(rest);
    let rest = rest.strip_prefix("db/").unwrap_or(rest);
    if rest.starts_with("sessions/complete") {
        return "interview";
    }
    match rest.split('/').next().unwrap_or("") {
        "session" => "interview",
        "resume" | "resumes" => "resumes",
        "dashboard" | "sessions" | "statistics" | "profile" | "practice-plan" => "history",
        "evaluate" | "questions" => "scoring",
        "audio" => "speech",
        "account" => "account",
        _ => "health",
    }
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
    let ms = elapsed.as_secs_f64() * 1000.0;
    metrics::histogram!("latency", "route" => route.to_owned()).record(ms);
    metrics::histogram!("latency", "family" => family(route)).record(ms);
    metrics::counter!("requests", "route" => route.to_owned(), "status_class" => class)
        .increment(1);
    if COLD.swap(false, Ordering::Relaxed) {
        metrics::counter!("cold_start", "function" => function_name()).increment(1);
    }
    // One write of whole lines: never interleaved with a log line.
    let mut buf = Vec::with_capacity(1024);
    collector.set_property("request_id", request_id.to_owned());
    if collector.flush(&mut buf).is_ok() {
        let _ = out.write_all(&buf);
        let _ = out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The family each function has in infra/routes.toml, which names the
    /// latency alarms and lists their routes, is the one its routes get here.
    #[test]
    fn every_route_has_its_manifest_family() {
        let root = rehearse_contract::workspace_root();
        let manifest = rehearse_contract::Manifest::load(&root).unwrap();
        let routes = manifest.routes();
        assert!(!routes.is_empty());
        for (route, function) in routes {
            let expected = manifest.function[function].family.as_deref();
            assert_eq!(
                Some(family(&route.to_string())),
                expected,
                "{route} ({function})"
            );
        }
    }
}
