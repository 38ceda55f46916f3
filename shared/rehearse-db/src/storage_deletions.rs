//! `storage_deletions`: bucket objects still to delete.
//!
//! Deleting a `resumes` row queues its object here in the same transaction (a
//! trigger), so an object is never forgotten; whoever deletes the object removes
//! the entry, and the sweeper retries what is left. No user role may touch this
//! table: these functions run in a transaction from [`crate::Db::as_service`].

use tokio_postgres::Transaction;
use tokio_postgres::types::Type;

use crate::DbError;

/// Queue `storage_path` for deletion (a no-op when it is already queued).
pub async fn enqueue(tx: &Transaction<'_>, storage_path: &str) -> Result<(), DbError> {
    tx.execute_typed(
        "INSERT INTO storage_deletions (storage_path) VALUES ($1)
         ON CONFLICT (storage_path) DO NOTHING",
        &[(&storage_path, Type::TEXT)],
    )
    .await?;
    Ok(())
}

/// The object is gone: drop its entry. Returns whether there was one.
/// Queue `storage_path` for deletion no sooner than `after` from now: an object
/// a client was given a URL to upload, deleted unless [`claim`] takes it back
/// first (an upload abandoned, or never parsed).
pub async fn enqueue_after(
    tx: &Transaction<'_>,
    storage_path: &str,
    after: std::time::Duration,
) -> Result<(), DbError> {
    let seconds = after.as_secs_f64();
    tx.execute_typed(
        "INSERT INTO storage_deletions (storage_path, next_attempt_at)
         VALUES ($1, now() + make_interval(secs => $2))
         ON CONFLICT (storage_path) DO NOTHING",
        &[(&storage_path, Type::TEXT), (&seconds, Type::FLOAT8)],
    )
    .await?;
    Ok(())
}

/// Take back an entry of [`enqueue_after`] while it is at least `margin` from
/// due: the sweeper cannot be deleting the object then, so whoever claims it
/// may keep the object. `false` when there is no such entry (never queued,
/// already swept, or too close to its time).
pub async fn claim(
    tx: &Transaction<'_>,
    storage_path: &str,
    margin: std::time::Duration,
) -> Result<bool, DbError> {
    let seconds = margin.as_secs_f64();
    let n = tx
        .execute_typed(
            "DELETE FROM storage_deletions
              WHERE storage_path = $1 AND attempts = 0
                AND next_attempt_at > now() + make_interval(secs => $2)",
            &[(&storage_path, Type::TEXT), (&seconds, Type::FLOAT8)],
        )
        .await?;
    Ok(n > 0)
}

pub async fn forget(tx: &Transaction<'_>, storage_path: &str) -> Result<bool, DbError> {
    let n = tx
        .execute_typed(
            "DELETE FROM storage_deletions WHERE storage_path = $1",
            &[(&storage_path, Type::TEXT)],
        )
        .await?;
    Ok(n > 0)
}

/// A deletion attempt failed: count it and keep the error for whoever looks.
pub async fn record_failure(
    tx: &Transaction<'_>,
    storage_path: &str,
    error: &str,
) -> Result<(), DbError> {
    // Bounded: an SDK error chain can be long, and this is a log, not an archive.
    let error: String = error.chars().take(1000).collect();
    tx.execute_typed(
        "UPDATE storage_deletions
            SET attempts = attempts + 1, last_error = $2
          WHERE storage_path = $1",
        &[(&storage_path, Type::TEXT), (&error, Type::TEXT)],
    )
    .await?;
    Ok(())
}

/// Whether `storage_path` is queued (for tests and the sweeper's checks).
pub async fn is_queued(tx: &Transaction<'_>, storage_path: &str) -> Result<bool, DbError> {
    let row = tx
        .query_typed_one(
            "SELECT EXISTS (SELECT 1 FROM storage_deletions WHERE storage_path = $1)",
            &[(&storage_path, Type::TEXT)],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// A queued object deletion handed to the sweeper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub storage_path: String,
    /// Failed attempts so far.
    pub attempts: i32,
}

/// Take up to `limit` entries that are due, oldest first, and push each one's next
/// attempt out by `backoff` × 2^attempts (at most 2^8 times): a lease, so a
/// concurrent or crashed sweeper run does not retry the same object at once, and
/// an object that keeps failing is retried less and less often. Entries other
/// transactions hold are skipped, not waited for.
pub async fn lease_due(
    tx: &Transaction<'_>,
    limit: i64,
    backoff: std::time::Duration,
) -> Result<Vec<Due>, DbError> {
    let seconds = backoff.as_secs_f64();
    let rows = tx
        .query_typed(
            "UPDATE storage_deletions
                SET next_attempt_at = now() + make_interval(secs => $2 * power(2, least(attempts, 8)))
              WHERE storage_path IN (SELECT storage_path FROM storage_deletions
                                      WHERE next_attempt_at <= now()
                                      ORDER BY next_attempt_at
                                      LIMIT $1
                                      FOR UPDATE SKIP LOCKED)
          RETURNING storage_path, attempts",
            &[(&limit, Type::INT8), (&seconds, Type::FLOAT8)],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Due {
                storage_path: r.try_get("storage_path")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect()
}

/// Every queued object under the user's key prefix (`{user_id}/`): what an
/// account deletion still has to remove from the bucket, including what an
/// earlier, interrupted attempt left behind.
pub async fn queued_for_user(
    tx: &Transaction<'_>,
    user: rehearse_core::UserId,
) -> Result<Vec<String>, DbError> {
    let prefix = format!("{user}/");
    let rows = tx
        .query_typed(
            "SELECT storage_path FROM storage_deletions
              WHERE left(storage_path, char_length($1)) = $1
              ORDER BY storage_path",
            &[(&prefix, Type::TEXT)],
        )
        .await?;
    rows.iter()
        .map(|r| r.try_get(0).map_err(DbError::from))
        .collect()
}
