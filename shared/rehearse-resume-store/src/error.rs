//! What can go wrong with a user's resumes, in their terms, and the one place
//! where that becomes an HTTP status and error code ([`ApiError`]).

use rehearse_db::DbError;
use rehearse_http::ApiError;
use rehearse_isolate::{IsolateError, PdfError};
use rehearse_storage::StorageError;

/// Why a resume operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ResumeStoreError {
    /// No such resume, or not the caller's (no existence oracle).
    #[error("resume not found")]
    NotFound,
    /// A direct upload's parse found no object: nothing was put at the URL
    /// (yet), or the id is not one of the caller's uploads.
    #[error("no uploaded file for this resume: put the file at the upload URL first")]
    UploadNotFound,
    /// The upload was put too late to be parsed: its object is being removed.
    #[error("this upload has expired; ask for a new upload URL")]
    UploadExpired,
    /// The file yields no resume: not a PDF, too large, unreadable... (the
    /// client's; each kind has its code).
    #[error(transparent)]
    File(#[from] PdfError),
    /// The isolated parser could not be run at all (ours).
    #[error("could not run the isolated parser")]
    Parser(#[source] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Database(#[from] DbError),
    /// Something computed broke a rule it cannot break (our fault).
    #[error("{0}")]
    Invariant(String),
}

impl ResumeStoreError {
    pub(crate) fn invariant(e: impl std::fmt::Display) -> Self {
        Self::Invariant(e.to_string())
    }
}

impl From<IsolateError> for ResumeStoreError {
    fn from(e: IsolateError) -> Self {
        match e {
            IsolateError::Pdf(pdf) => Self::File(pdf),
            IsolateError::Worker(io) => Self::Parser(io),
        }
    }
}

impl From<ResumeStoreError> for ApiError {
    fn from(e: ResumeStoreError) -> Self {
        match e {
            ResumeStoreError::NotFound => Self::NotFound { what: "resume" },
            ResumeStoreError::UploadNotFound => Self::conflict("upload_not_found", e.to_string()),
            ResumeStoreError::UploadExpired => Self::conflict("upload_expired", e.to_string()),
            ResumeStoreError::File(e) => e.into(),
            ResumeStoreError::Storage(e) => e.into(),
            ResumeStoreError::Database(e) => e.into(),
            ResumeStoreError::Parser(_) | ResumeStoreError::Invariant(_) => Self::internal(e),
        }
    }
}
