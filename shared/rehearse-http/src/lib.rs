//! HTTP glue shared by every Rehearse function: reading requests, the single
//! `ApiError` → JSON error mapping, serving a handler on Lambda, and logging.
//!
//! Handlers are plain `async fn(&State, Request) -> Result<Response<Body>, ApiError>`;
//! [`serve`] turns every `Err` (and every panic) into a JSON response, because an
//! error returned to `lambda_http` becomes a bare 5xx at API Gateway with no body the
//! client could read. The domain crates never depend on this one.

mod auth;
mod error;
pub mod metrics;
mod multipart;
mod quota;
mod request;
mod response;
mod serve;
mod state;

pub use auth::{maybe_user, require_user};
pub use error::ApiError;
pub use multipart::{UploadedFile, multipart_file};
pub use quota::{Bucket, Meter, Quotas, signed_in, source_ip};
pub use request::{MAX_JSON_BODY_BYTES, Page, json_body, path_param, query_param};
pub use response::{json_response, json_text_response, respond};
pub use serve::{handle, handle_into, init_tracing, json_logs, route, serve};
pub use state::{Backend, StoreState};

pub use lambda_http::{Body, Request, Response};
