use std::path::PathBuf;

use lambda_http::Request;

/// The workspace root (where `Cargo.toml`, `events/` and `migrations/` are).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn events_dir() -> PathBuf {
    workspace_root().join("events")
}

/// The API Gateway event `events/<function>/<case>.json` as the `Request` the
/// function's handler receives on Lambda. Panics (failing the test) when the file
/// is missing or is not a valid event.
pub fn event(function: &str, case: &str) -> Request {
    let path = events_dir().join(function).join(format!("{case}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read event {}: {e}", path.display()));
    lambda_http::request::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not an API Gateway event: {e}", path.display()))
}

/// A response's status and JSON body (panics, failing the test, if it is not JSON).
pub fn status_and_json(
    resp: &lambda_http::Response<lambda_http::Body>,
) -> (lambda_http::http::StatusCode, serde_json::Value) {
    let body = serde_json::from_slice(resp.body().as_ref())
        .unwrap_or_else(|e| panic!("response body is not JSON ({e}): {:?}", resp.body()));
    (resp.status(), body)
}

/// `req` as if sent from `ip` (`requestContext.http.sourceIp`), the address the
/// per-address quotas count by.
pub fn from_address(req: Request, ip: &str) -> Request {
    use lambda_http::RequestExt;
    use lambda_http::request::RequestContext;
    let mut context = req.request_context();
    match &mut context {
        RequestContext::ApiGatewayV2(ctx) => ctx.http.source_ip = Some(ip.to_owned()),
        #[allow(unreachable_patterns)]
        _ => panic!("not an API Gateway HTTP API event"),
    }
    req.with_request_context(context)
}
