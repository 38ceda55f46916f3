//! What a session's feedback report is made from: its stored summary (the
//! document the finalize step wrote, with every answer and its evaluation) and,
//! for a signed-in user, their score trend up to that session.

use rehearse_core::{SessionId, UserId};
use time::OffsetDateTime;
use tokio_postgres::Transaction;
use tokio_postgres::types::Type;

use crate::DbError;

/// How many sessions a trend shows at most (the report's chart stays legible).
pub const TREND_SESSIONS: i64 = 12;

/// One finished session on the trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub session_id: SessionId,
    pub completed_at: OffsetDateTime,
    /// 0–100.
    pub overall_score: f64,
}

/// A session as its report needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportSource {
    /// Finished: its summary, and the trend (oldest first, ending with it; empty
    /// for an anonymous session).
    Finished {
        summary: serde_json::Value,
        trend: Vec<TrendPoint>,
    },
    /// Not finished yet: there is no summary to report on.
    InProgress,
}

/// The user's own session `id` (run as the user). `None` when it is not theirs.
pub async fn own(
    tx: &Transaction<'_>,
    user: UserId,
    id: SessionId,
) -> Result<Option<ReportSource>, DbError> {
    let Some(row) = tx
        .query_typed_opt(
            "SELECT summary, completed_at FROM interview_sessions
              WHERE id = $1 AND user_id = $2",
            &[(&id, Type::UUID), (&user, Type::UUID)],
        )
        .await?
    else {
        return Ok(None);
    };
    let summary: Option<serde_json::Value> = row.try_get("summary")?;
    let completed_at: Option<OffsetDateTime> = row.try_get("completed_at")?;
    let (Some(summary), Some(completed_at)) = (summary, completed_at) else {
        return Ok(Some(ReportSource::InProgress));
    };
    let rows = tx
        .query_typed(
            "SELECT id, completed_at, overall_score::float8 AS overall_score
               FROM interview_sessions
              WHERE user_id = $1 AND status = 'completed' AND completed_at <= $2
                AND overall_score IS NOT NULL
              ORDER BY completed_at DESC, id DESC
              LIMIT $3",
            &[
                (&user, Type::UUID),
                (&completed_at, Type::TIMESTAMPTZ),
                (&TREND_SESSIONS, Type::INT8),
            ],
        )
        .await?;
    let mut trend = rows
        .iter()
        .map(|r| {
            Ok(TrendPoint {
                session_id: r.try_get("id")?,
                completed_at: r.try_get("completed_at")?,
                overall_score: r.try_get("overall_score")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    trend.reverse();
    Ok(Some(ReportSource::Finished { summary, trend }))
}

/// The anonymous session `id` (run as the service role: anonymous rows only).
/// `None` when there is no anonymous session of that id.
pub async fn anonymous(
    tx: &Transaction<'_>,
    id: SessionId,
) -> Result<Option<ReportSource>, DbError> {
    let row = tx
        .query_typed_opt(
            "SELECT summary FROM interview_sessions
              WHERE id = $1 AND user_id IS NULL",
            &[(&id, Type::UUID)],
        )
        .await?;
    Ok(match row {
        None => None,
        Some(row) => Some(
            match row.try_get::<_, Option<serde_json::Value>>("summary")? {
                Some(summary) => ReportSource::Finished {
                    summary,
                    trend: Vec::new(),
                },
                None => ReportSource::InProgress,
            },
        ),
    })
}
