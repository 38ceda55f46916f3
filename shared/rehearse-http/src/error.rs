use lambda_http::http::StatusCode;
use rehearse_core::ids::InvalidId;
use rehearse_db::DbError;
use rehearse_pdf::PdfError;
use rehearse_storage::StorageError;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Every way a request can fail, each with its status code. The client sees
/// `{"success": false, "detail", "error": {"code", "message"}}`; internal causes
/// are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (unreadable JSON, a bad path or query value).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 401: no usable credentials. `invalid_token` says whether a token was sent but
    /// rejected, which `WWW-Authenticate` reports so the client knows to refresh.
    #[error("{message}")]
    Unauthorized {
        code: &'static str,
        message: String,
        invalid_token: bool,
    },
    /// 404: the resource does not exist, or is not the caller's (no existence oracle).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// 405: the function does not serve this method.
    #[error("method {method} is not allowed here")]
    MethodNotAllowed { method: String },
    /// 409: the request conflicts with the resource's state (e.g. a finished session).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 413: the body or upload is over the limit.
    #[error("{message}")]
    PayloadTooLarge { code: &'static str, message: String },
    /// 415: the body is not of a type this route accepts.
    #[error("{message}")]
    UnsupportedMediaType { code: &'static str, message: String },
    /// 422: well-formed, but the values are not acceptable.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// 429: the caller's quota for this kind of request is spent until the
    /// window ends (see [`crate::Quotas`]).
    #[error(
        "too many requests: the limit is {limit} per {window_minutes} minutes; retry in {retry_after_secs} s"
    )]
    RateLimited {
        limit: u32,
        window_minutes: u64,
        retry_after_secs: u64,
    },
    /// 502: an upstream provider (speech-to-text) failed; its answer is logged,
    /// never relayed (it may echo what we sent it).
    #[error("{message}")]
    BadGateway {
        code: &'static str,
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// 503: a dependency (database, bucket) is unreachable; worth retrying.
    #[error("{message}")]
    Unavailable {
        code: &'static str,
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// 500: our fault. The client learns nothing more than "internal error".
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unprocessable {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn internal(e: impl Into<BoxError>) -> Self {
        Self::Internal(e.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::BadGateway { .. } => StatusCode::BAD_GATEWAY,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, snake_case code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Conflict { code, .. }
            | Self::PayloadTooLarge { code, .. }
            | Self::UnsupportedMediaType { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::BadGateway { code, .. }
            | Self::Unavailable { code, .. } => code,
            Self::NotFound { .. } => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::RateLimited { .. } => "rate_limited",
            Self::Internal(_) => "internal_error",
        }
    }

    /// The JSON body of the error response.
    pub fn body(&self) -> serde_json::Value {
        let message = self.to_string();
        serde_json::json!({
            "success": false,
            "detail": message,
            "error": { "code": self.code(), "message": message },
        })
    }
}

impl From<InvalidId> for ApiError {
    fn from(e: InvalidId) -> Self {
        Self::bad_request("invalid_id", e.to_string())
    }
}

impl From<rehearse_core::ValidationError> for ApiError {
    fn from(e: rehearse_core::ValidationError) -> Self {
        Self::unprocessable("validation_error", e.to_string())
    }
}

/// A transaction whose work fails with an `ApiError` is retried like one failing
/// with the `DbError` inside it (see [`rehearse_db::Db::transaction`]).
impl rehearse_db::TransactionError for ApiError {
    fn connection_broke(&self) -> bool {
        match self {
            Self::Unavailable {
                source: Some(source),
                ..
            } => source
                .downcast_ref::<DbError>()
                .is_some_and(DbError::connection_broke),
            _ => false,
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        if e.is_unavailable() {
            Self::Unavailable {
                code: "database_unavailable",
                message: "the database is unavailable, please retry shortly".into(),
                source: Some(Box::new(e)),
            }
        } else {
            Self::Internal(Box::new(e))
        }
    }
}

/// A file that yields no resume text is the client's: 413 when it is too large,
/// 422 for everything about its content (including not being a PDF at all: the
/// request itself, a multipart upload, was of the right type).
impl From<PdfError> for ApiError {
    fn from(e: PdfError) -> Self {
        let code = e.code();
        match e {
            PdfError::TooLarge { .. } => Self::PayloadTooLarge {
                code,
                message: e.to_string(),
            },
            PdfError::NotAPdf
            | PdfError::Encrypted
            | PdfError::NoTextLayer
            | PdfError::Unreadable(_) => Self::unprocessable(code, e.to_string()),
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound { .. } => Self::NotFound { what: "file" },
            StorageError::Timeout(_) | StorageError::Unavailable { .. } => Self::Unavailable {
                code: "storage_unavailable",
                message: "file storage is unavailable, please retry shortly".into(),
                source: Some(Box::new(e)),
            },
            other => Self::Internal(Box::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_body_has_success_detail_and_code() {
        let cases = [
            ApiError::bad_request("invalid_json", "body is not JSON"),
            ApiError::NotFound { what: "session" },
            ApiError::MethodNotAllowed {
                method: "DELETE".into(),
            },
            ApiError::internal(std::io::Error::other("disk on fire")),
        ];
        for e in cases {
            let body = e.body();
            assert_eq!(body["success"], false);
            assert_eq!(body["detail"], body["error"]["message"]);
            assert_eq!(body["error"]["code"], e.code());
            assert!(!body["detail"].as_str().unwrap().is_empty());
        }
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let e = ApiError::internal(std::io::Error::other("password=hunter2"));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.body().to_string().contains("hunter2"));
    }

    #[test]
    fn invalid_ids_are_bad_requests() {
        let e: ApiError = "nope"
            .parse::<rehearse_core::SessionId>()
            .unwrap_err()
            .into();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.code(), "invalid_id");
        assert_eq!(e.body()["detail"], "session_id must be a UUID");
    }

    #[test]
    fn pdf_errors_keep_their_codes() {
        for (e, status) in [
            (PdfError::NotAPdf, StatusCode::UNPROCESSABLE_ENTITY),
            (
                PdfError::TooLarge { limit: 10 },
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
            (PdfError::Encrypted, StatusCode::UNPROCESSABLE_ENTITY),
            (PdfError::NoTextLayer, StatusCode::UNPROCESSABLE_ENTITY),
            (
                PdfError::Unreadable("bad xref".into()),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            let code = e.code();
            let api = ApiError::from(e);
            assert_eq!((api.status(), api.code()), (status, code));
        }
    }

    #[test]
    fn unreachable_dependencies_are_503() {
        let e: ApiError = DbError::Timeout(std::time::Duration::from_secs(1)).into();
        assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(e.code(), "database_unavailable");
        let e: ApiError = StorageError::Timeout(std::time::Duration::from_secs(1)).into();
        assert_eq!(e.code(), "storage_unavailable");
    }
}
