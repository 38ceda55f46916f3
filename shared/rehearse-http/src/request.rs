use std::str::FromStr;

use lambda_http::http::header::CONTENT_TYPE;
use lambda_http::{Body, Request, RequestExt};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// JSON bodies above this are refused before parsing (DESIGN: 256 KiB).
pub const MAX_JSON_BODY_BYTES: usize = 256 * 1024;

/// The request body parsed as JSON into `T`.
///
/// A missing or oversized body, a non-JSON content type, unparseable JSON and a
/// JSON value of the wrong shape each get their own 4xx and code. (`lambda_http`
/// has already base64-decoded a binary body.)
pub fn json_body<T: DeserializeOwned>(req: &Request) -> Result<T, ApiError> {
    if let Some(ct) = req.headers().get(CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or_default().to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or_default().trim();
        if !(essence == "application/json" || essence.ends_with("+json") || essence.is_empty()) {
            return Err(ApiError::UnsupportedMediaType {
                code: "unsupported_media_type",
                message: format!(
                    "expected a JSON body (Content-Type: application/json), got {essence}"
                ),
            });
        }
    }
    let bytes: &[u8] = match req.body() {
        Body::Empty => &[],
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "missing_body",
            "a JSON request body is required",
        ));
    }
    if bytes.len() > MAX_JSON_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge {
            code: "body_too_large",
            message: format!(
                "the JSON body is over the {} KiB limit",
                MAX_JSON_BODY_BYTES / 1024
            ),
        });
    }
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            ApiError::unprocessable("validation_error", e.to_string())
        }
        _ => ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}")),
    })
}

/// A path parameter (`/api/session/{session_id}`) parsed into `T`.
pub fn path_param<T>(req: &Request, name: &str) -> Result<T, ApiError>
where
    T: FromStr,
    T::Err: Into<ApiError>,
{
    let params = req.path_parameters();
    let raw = params.first(name).ok_or_else(|| {
        ApiError::bad_request(
            "missing_path_parameter",
            format!("missing path parameter {name}"),
        )
    })?;
    raw.parse::<T>().map_err(Into::into)
}

/// An optional query-string parameter parsed into `T`; a present but unparseable
/// value is a 400 naming the parameter, never silently ignored. So is a value
/// holding a NUL character (`%00`): no parameter means one, and Postgres refuses
/// NUL in text, so it would otherwise surface as a 500 from the first query using it.
pub fn query_param<T>(req: &Request, name: &str) -> Result<Option<T>, ApiError>
where
    T: FromStr,
{
    let params = req.query_string_parameters();
    match params.first(name).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) if raw.contains('\0') => Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("query parameter {name} must not contain NUL characters"),
        )),
        Some(raw) => raw.parse::<T>().map(Some).map_err(|_| {
            ApiError::bad_request(
                "invalid_query_parameter",
                format!("query parameter {name} has an invalid value"),
            )
        }),
    }
}

/// A page of a listing: `limit` (1..=`max_limit`, default `default_limit`) and
/// `offset` (default 0) from the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Page {
    /// A limit outside 1..=`max_limit` is a 400 naming the bound, never silently clamped.
    pub fn from_query(req: &Request, default_limit: u32, max_limit: u32) -> Result<Self, ApiError> {
        let limit = query_param::<u32>(req, "limit")?.unwrap_or(default_limit);
        if !(1..=max_limit).contains(&limit) {
            return Err(ApiError::bad_request(
                "invalid_query_parameter",
                format!("query parameter limit must be between 1 and {max_limit}"),
            ));
        }
        let offset = query_param::<u32>(req, "offset")?.unwrap_or(0);
        Ok(Self { limit, offset })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use lambda_http::aws_lambda_events::query_map::QueryMap;
    use lambda_http::http::StatusCode;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Answer {
        #[allow(dead_code)]
        answer_text: String,
    }

    fn post(content_type: Option<&str>, body: Body) -> Request {
        let mut builder = lambda_http::http::Request::builder()
            .method("POST")
            .uri("/x");
        if let Some(ct) = content_type {
            builder = builder.header(CONTENT_TYPE, ct);
        }
        builder.body(body).unwrap()
    }

    fn code(r: Result<Answer, ApiError>) -> (StatusCode, &'static str) {
        let e = r.unwrap_err();
        (e.status(), e.code())
    }

    #[test]
    fn parses_json_with_or_without_content_type() {
        let body = r#"{"answer_text":"hi"}"#;
        assert!(
            json_body::<Answer>(&post(Some("application/json; charset=utf-8"), body.into()))
                .is_ok()
        );
        assert!(json_body::<Answer>(&post(None, body.into())).is_ok());
        assert!(json_body::<Answer>(&post(None, Body::Binary(body.as_bytes().to_vec()))).is_ok());
    }

    #[test]
    fn each_bad_body_has_its_own_code() {
        assert_eq!(
            code(json_body(&post(None, Body::Empty))),
            (StatusCode::BAD_REQUEST, "missing_body")
        );
        assert_eq!(
            code(json_body(&post(None, "{oops".into()))),
            (StatusCode::BAD_REQUEST, "invalid_json")
        );
        assert_eq!(
            code(json_body(&post(None, r#"{"answer_text": 5}"#.into()))),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
        );
        assert_eq!(
            code(json_body(&post(
                Some("text/plain"),
                r#"{"answer_text":"x"}"#.into()
            ))),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
        );
        let huge = format!(r#"{{"answer_text":"{}"}}"#, "a".repeat(MAX_JSON_BODY_BYTES));
        assert_eq!(
            code(json_body(&post(None, huge.into()))),
            (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
        );
    }

    #[test]
    fn path_and_query_parameters_are_typed() {
        let id = rehearse_core::SessionId::new_random();
        let req = post(None, Body::Empty)
            .with_path_parameters(QueryMap::from(HashMap::from([(
                "session_id".to_owned(),
                id.to_string(),
            )])))
            .with_query_string_parameters(QueryMap::from(HashMap::from([
                ("limit".to_owned(), "20".to_owned()),
                ("offset".to_owned(), "ten".to_owned()),
            ])));
        assert_eq!(
            path_param::<rehearse_core::SessionId>(&req, "session_id").unwrap(),
            id
        );
        assert_eq!(
            path_param::<rehearse_core::SessionId>(&req, "resume_id")
                .unwrap_err()
                .code(),
            "missing_path_parameter"
        );
        assert_eq!(query_param::<u32>(&req, "limit").unwrap(), Some(20));
        assert_eq!(query_param::<u32>(&req, "status").unwrap(), None);
        assert_eq!(
            query_param::<u32>(&req, "offset").unwrap_err().code(),
            "invalid_query_parameter"
        );
    }

    #[test]
    fn a_query_value_with_a_nul_character_is_a_bad_request() {
        let req =
            post(None, Body::Empty).with_query_string_parameters(QueryMap::from(HashMap::from([
                ("target_role".to_owned(), "Backend\0Engineer".to_owned()),
            ])));
        let e = query_param::<String>(&req, "target_role").unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (StatusCode::BAD_REQUEST, "invalid_query_parameter")
        );
    }

    #[test]
    fn pages_default_and_bound_their_limit() {
        let query = |pairs: &[(&str, &str)]| {
            post(None, Body::Empty).with_query_string_parameters(QueryMap::from(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect::<HashMap<_, _>>(),
            ))
        };
        assert_eq!(
            Page::from_query(&query(&[]), 20, 100).unwrap(),
            Page {
                limit: 20,
                offset: 0
            }
        );
        assert_eq!(
            Page::from_query(&query(&[("limit", "100"), ("offset", "40")]), 20, 100).unwrap(),
            Page {
                limit: 100,
                offset: 40
            }
        );
        for bad in ["0", "101", "-1", "x"] {
            let e = Page::from_query(&query(&[("limit", bad)]), 20, 100).unwrap_err();
            assert_eq!(e.code(), "invalid_query_parameter", "{bad}");
        }
        let e = Page::from_query(&query(&[("offset", "-5")]), 20, 100).unwrap_err();
        assert_eq!(e.code(), "invalid_query_parameter");
    }
}
