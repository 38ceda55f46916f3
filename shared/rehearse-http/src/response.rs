use lambda_http::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use lambda_http::http::{HeaderValue, StatusCode};
use lambda_http::{Body, Response};
use serde::Serialize;

use crate::ApiError;

/// A JSON response with the given status.
pub fn json_response<T: Serialize>(
    status: StatusCode,
    value: &T,
) -> Result<Response<Body>, ApiError> {
    let bytes = serde_json::to_vec(value).map_err(ApiError::internal)?;
    Ok(json_text_response(
        status,
        String::from_utf8(bytes).map_err(ApiError::internal)?,
    ))
}

/// A response whose body is already JSON text (the caller answers for it:
/// e.g. the dashboard, which the database keeps written).
pub fn json_text_response(status: StatusCode, json: String) -> Response<Body> {
    let mut resp = Response::new(Body::Text(json));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    // Responses carry private data; no shared cache may keep them.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `Retry-After` on a 503 for a dependency that was unreachable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 3;

/// The one place a handler's result becomes what the client receives: errors
/// become their JSON body and status, and server-side failures are logged with
/// their whole cause chain.
pub fn respond(result: Result<Response<Body>, ApiError>) -> Response<Body> {
    let err = match result {
        Ok(resp) => return resp,
        Err(err) => err,
    };
    let status = err.status();
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), code = err.code(), error = %chain(&err), "request failed");
    } else {
        tracing::info!(
            status = status.as_u16(),
            code = err.code(),
            "request rejected"
        );
    }
    let mut resp = json_response(status, &err.body()).unwrap_or_else(|_| {
        // Serializing a serde_json::Value cannot fail; keep a JSON answer regardless.
        let mut r = Response::new(Body::Text(
            r#"{"success":false,"detail":"internal error","error":{"code":"internal_error","message":"internal error"}}"#.into(),
        ));
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    });
    if let ApiError::Unauthorized { invalid_token, .. } = &err {
        let challenge = if *invalid_token {
            r#"Bearer error="invalid_token""#
        } else {
            "Bearer"
        };
        resp.headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    }
    let retry_after = match &err {
        ApiError::RateLimited {
            retry_after_secs, ..
        } => Some(*retry_after_secs),
        // A dependency that is down now is usually back within seconds (a
        // restart, a failover); a client that waits this long rarely sees a
        // second 503. Configuration (`stt_unavailable`) does not heal by waiting.
        ApiError::Unavailable { code, .. } if *code != "stt_unavailable" => {
            Some(UNAVAILABLE_RETRY_AFTER_SECS)
        }
        _ => None,
    };
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

/// `error: cause: cause` on one line, for logs.
fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_json(resp: &Response<Body>) -> serde_json::Value {
        serde_json::from_slice(resp.body().as_ref()).unwrap()
    }

    #[test]
    fn errors_become_json_with_their_status() {
        let resp = respond(Err(ApiError::NotFound { what: "session" }));
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
        let body = body_json(&resp);
        assert_eq!(body["success"], false);
        assert_eq!(body["detail"], "session not found");
        assert_eq!(body["error"]["code"], "not_found");
    }

    #[test]
    fn rejected_tokens_carry_the_bearer_challenge() {
        let resp = respond(Err(ApiError::Unauthorized {
            code: "token_expired",
            message: "token expired".into(),
            invalid_token: true,
        }));
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            resp.headers()[WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token""#
        );
        assert_eq!(body_json(&resp)["error"]["code"], "token_expired");
    }

    #[test]
    fn outages_say_when_to_retry_and_configuration_does_not() {
        let db: ApiError = rehearse_db::DbError::Timeout(std::time::Duration::from_secs(5)).into();
        let resp = respond(Err(db));
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()[RETRY_AFTER], "3");
        assert_eq!(body_json(&resp)["error"]["code"], "database_unavailable");
        let storage: ApiError =
            rehearse_storage::StorageError::Timeout(std::time::Duration::from_secs(5)).into();
        let resp = respond(Err(storage));
        assert_eq!(resp.headers()[RETRY_AFTER], "3");
        assert_eq!(body_json(&resp)["error"]["code"], "storage_unavailable");
        let unconfigured = respond(Err(ApiError::Unavailable {
            code: "stt_unavailable",
            message: "not configured".into(),
            source: None,
        }));
        assert!(unconfigured.headers().get(RETRY_AFTER).is_none());
    }

    #[test]
    fn successes_pass_through() {
        let ok = json_response(StatusCode::CREATED, &serde_json::json!({"success": true})).unwrap();
        let resp = respond(Ok(ok));
        assert_eq!(resp.status(), StatusCode::CREATED);
        assert_eq!(resp.headers()[CACHE_CONTROL], "no-store");
        assert_eq!(body_json(&resp)["success"], true);
    }

    #[test]
    fn chain_joins_causes() {
        let inner = std::io::Error::other("connection refused");
        let e = ApiError::Unavailable {
            code: "database_unavailable",
            message: "db down".into(),
            source: Some(Box::new(inner)),
        };
        assert_eq!(chain(&e), "db down: connection refused");
    }
}
