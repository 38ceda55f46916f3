//! A user's resumes, kept consistent across the bucket and the database.
//!
//! - Uploads: the PDF from a multipart body ([`PdfUpload`]), parsed in an isolated
//!   worker ([`parse`]), then stored object first and row second, the object
//!   removed again if the row fails ([`save`]): no row ever points at a missing
//!   file and no failed upload leaves a file behind.
//! - Deletion: row first (a trigger queues the object in `storage_deletions` in
//!   the same transaction), then the object; a failed object delete stays queued
//!   for the sweeper and is not the client's problem ([`delete`]).
//! - Listing with a fresh presigned URL per file ([`list`]); resumes entered as
//!   JSON, with no file ([`client::CreateResumeRequest`], [`create`]).
//!
//! Its operations fail with a [`ResumeStoreError`], in the resumes' terms; the
//! handlers turn it into an HTTP answer with `?` (the one mapping is in
//! [`error`]). It knows nothing of Lambda or HTTP requests.

mod direct;
pub mod error;
mod names;
pub mod requests;
mod state;
mod store;
pub mod testing;
mod upload;

pub use direct::{CLAIM_WINDOW, DirectUploads, UploadTicket, issue_upload, parse_uploaded};
pub use error::ResumeStoreError;
pub use names::{FALLBACK_FILE_NAME, display_file_name, key_file_name, object_key};
pub use state::{DirectUploadState, UploadState};
pub use store::{PDF_CONTENT_TYPE, ResumeView, create, delete, list, save, view};
pub use upload::{PdfUpload, looks_like_pdf, parse};
