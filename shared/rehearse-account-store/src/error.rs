//! What can go wrong with the account as a whole, and the one place where that
//! becomes an HTTP status and error code ([`ApiError`]).

use rehearse_db::DbError;
use rehearse_http::ApiError;
use rehearse_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The rows are gone, some objects are not yet: they stay queued, and
    /// deleting the account again finishes the job.
    #[error("some files could not be deleted yet; retry to finish deleting the account")]
    FilesLeft(#[source] StorageError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::FilesLeft(_) => Self::Unavailable {
                code: "account_deletion_incomplete",
                message: e.to_string(),
                source: Some(Box::new(e)),
            },
            AccountError::Storage(e) => e.into(),
            AccountError::Database(e) => e.into(),
        }
    }
}
