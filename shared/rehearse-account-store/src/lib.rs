//! A user's account as a whole, across the bucket and the database: the
//! dashboard (one read of everything, its resumes presigned) and deleting the
//! account (every row, then every object).

use rehearse_core::AuthUser;
use rehearse_db::{Db, DbError, history, storage_deletions};
use rehearse_storage::Storage;
use serde::Serialize;

mod document;
mod error;

pub use error::AccountError;

/// The dashboard response body (JSON text): `success`, statistics, the 5 most
/// recent sessions and the 5 most recent resumes, read in one statement and
/// one database round trip; each resume then gets a fresh presigned
/// `file_url` in place of its key ([`with_file_urls`]).
pub async fn dashboard(
    db: &Db,
    storage: &Storage,
    user: &AuthUser,
) -> Result<String, AccountError> {
    with_file_urls(&history::dashboard_served(db, user).await?, storage).await
}

/// A stored dashboard as served (`user_dashboards.served`, migration V7) made
/// into the response body: each resume's storage key replaced by a presigned
/// `file_url` (signed locally, no request to the bucket).
pub async fn with_file_urls(served: &str, storage: &Storage) -> Result<String, AccountError> {
    let served = document::Served::split(served).map_err(|_| {
        DbError::Invariant("the database sent a dashboard that is not what migration V7 writes")
    })?;
    let keys: Vec<&str> = served.keys().collect();
    let urls = storage.presign_gets(&keys).await?;
    Ok(served.with_urls(&urls))
}

/// What an account deletion removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountDeletion {
    pub sessions_deleted: i64,
    pub resumes_deleted: i64,
    pub files_deleted: usize,
}

/// Delete everything the user owns: the profile row (cascading to resumes,
/// sessions, answers and statistics, the resumes' objects queued by trigger in
/// that transaction), then every object queued under the user's key prefix.
/// Succeeds only when nothing is left; a failed object delete stays queued and
/// the call fails with [`AccountError::FilesLeft`], and calling again finishes the job (the rows are
/// already gone, the queue still names the objects).
pub async fn delete_account(
    db: &Db,
    storage: &Storage,
    user: &AuthUser,
) -> Result<AccountDeletion, AccountError> {
    let removed = db
        .as_user(user, async |tx| history::delete_account(tx, user.id).await)
        .await?;
    let queued = db
        .as_service(async |tx| storage_deletions::queued_for_user(tx, user.id).await)
        .await?;
    let mut files_deleted = 0;
    let mut failed = None;
    for path in queued {
        match storage.delete(&path).await {
            Ok(()) => {
                db.as_service(async |tx| storage_deletions::forget(tx, &path).await)
                    .await?;
                files_deleted += 1;
            }
            Err(e) => {
                tracing::warn!(key = %path, error = %e, "account deletion: object delete failed; left queued");
                let error = e.to_string();
                let recorded = db
                    .as_service(async |tx| {
                        storage_deletions::record_failure(tx, &path, &error).await
                    })
                    .await;
                if let Err(re) = recorded {
                    tracing::warn!(key = %path, error = %re, "could not record the failed object delete");
                }
                failed.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failed {
        return Err(AccountError::FilesLeft(e));
    }
    Ok(AccountDeletion {
        sessions_deleted: removed.sessions,
        resumes_deleted: removed.resumes,
        files_deleted,
    })
}
