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
    let mut resp = Response::new(Body::Text(
        String::from_utf8(bytes).map_err(ApiError::internal)?,
    ));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    // Responses carry private data; no shared cache may keep them.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

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
    if let ApiError::RateLimited {
        retry_after_secs, ..
    } = &err
    {
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
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
