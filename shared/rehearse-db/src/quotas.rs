//! Request quotas: how many requests a subject (a source address or a user) has
//! made to a bucket (a group of costly routes) in the current fixed window.
//!
//! One upsert per request on the connection's own role (the table lives in
//! `rehearse_private`, which no API role can reach; migration V5). Fixed windows
//! aligned to the epoch: simple, and the worst burst is two budgets across a
//! window boundary, which the per-route throttles of the template also bound.

use std::time::Duration;

use tokio_postgres::types::Type;

use crate::{Db, DbError};

/// The request just counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Requests in this window, this one included.
    pub hits: i64,
    /// Until the window ends.
    pub resets_in: Duration,
}

const HIT_SQL: &str = "
INSERT INTO rehearse_private.request_quotas AS q (subject, bucket, window_start, window_end)
SELECT $1, $2, w, w + make_interval(secs => $3)
  FROM date_bin(make_interval(secs => $3), now(), timestamptz '2000-01-01 00:00:00+00') AS w
ON CONFLICT (subject, bucket, window_start) DO UPDATE SET hits = q.hits + 1
RETURNING hits::int8, greatest(extract(epoch FROM q.window_end - now()), 0)::float8";

/// Count one request of `subject` to `bucket` in the current `window`.
pub async fn hit(db: &Db, subject: &str, bucket: &str, window: Duration) -> Result<Hit, DbError> {
    let seconds = window.as_secs_f64().max(1.0);
    let row = db
        .bounded(async {
            let client = db.client().await?;
            Ok(client
                .query_typed_one(
                    HIT_SQL,
                    &[
                        (&subject, Type::TEXT),
                        (&bucket, Type::TEXT),
                        (&seconds, Type::FLOAT8),
                    ],
                )
                .await?)
        })
        .await?;
    let resets_in: f64 = row.try_get(1)?;
    Ok(Hit {
        hits: row.try_get(0)?,
        resets_in: Duration::try_from_secs_f64(resets_in).unwrap_or(window),
    })
}

/// Delete the windows that ended more than `grace` ago (the sweeper's job):
/// returns how many rows went.
pub async fn forget_ended(db: &Db, grace: Duration) -> Result<u64, DbError> {
    let client = db.client().await?;
    let seconds = grace.as_secs_f64();
    Ok(client
        .execute_typed(
            "DELETE FROM rehearse_private.request_quotas
              WHERE window_end < now() - make_interval(secs => $1)",
            &[(&seconds, Type::FLOAT8)],
        )
        .await?)
}
