//! A signed-in user's answer history, as the practice plan and spaced
//! repetition read it: their most recent answers and skips across sessions,
//! each with its session's job context.
//!
//! Every answer the user has stored counts, whatever became of its session (an
//! abandoned session's answers are still evidence); anonymous sessions count
//! once a user has claimed them. The engine's values cross as JSON and text,
//! as in [`crate::sessions`]: this crate knows nothing of the interview engine,
//! whose `PastAnswer` the caller builds from a [`PastAnswerRow`].
//!
//! Runs in a transaction begun as the user ([`crate::Db::as_user`]), so row-level
//! security confines it to their rows; the query filters on `user_id` as well.

use rehearse_core::{SessionId, UserId};
use time::OffsetDateTime;
use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use crate::DbError;

/// The most answers one read returns: enough for a plan over many sessions
/// (twenty ten-question interviews), small enough to read and rank on every
/// request.
pub const MAX_HISTORY: i64 = 200;

/// One stored answer or skip with its session's job context.
#[derive(Debug, Clone, PartialEq)]
pub struct PastAnswerRow {
    pub session_id: SessionId,
    /// 1-based position in its session.
    pub question_number: i32,
    /// As it was asked (in a model's wording, when one reworded the plan).
    pub question_text: String,
    /// The question's topic from the session's stored plan (`questions`), when
    /// the plan still holds that question at that number.
    pub topic: Option<String>,
    /// The engine's category name (`behavioral`, `technical`...).
    pub category: String,
    pub is_follow_up: bool,
    pub is_skipped: bool,
    /// 0–10; `None` for a skip.
    pub score: Option<f64>,
    /// The five dimension scores (`{"relevance": .., "depth": .., ...}`); `None`
    /// for a skip.
    pub dimension_scores: Option<serde_json::Value>,
    /// When the answer or skip was stored.
    pub answered_at: OffsetDateTime,
    pub target_role: String,
    /// As stored on the session (the engine's names: `mid`, `technical`).
    pub experience_level: String,
    pub interview_type: String,
}

fn from_row(row: &Row) -> Result<PastAnswerRow, DbError> {
    Ok(PastAnswerRow {
        session_id: row.try_get("session_id")?,
        question_number: row.try_get("question_number")?,
        question_text: row.try_get("question_text")?,
        topic: row.try_get("topic")?,
        category: row.try_get("category")?,
        is_follow_up: row.try_get("is_follow_up")?,
        is_skipped: row.try_get("is_skipped")?,
        score: row.try_get("score")?,
        dimension_scores: row.try_get("dimension_scores")?,
        answered_at: row.try_get("answered_at")?,
        target_role: row.try_get("target_role")?,
        experience_level: row.try_get("experience_level")?,
        interview_type: row.try_get("interview_type")?,
    })
}

/// The user's `limit` most recent answers and skips (clamped to
/// 1..=[`MAX_HISTORY`]), newest first: the input of the practice plan and of a
/// focused session's spaced repetition.
///
/// The topic is read from the session's plan at the answer's position (an
/// array lookup, not a scan) and kept only when that question still carries
/// the answer's number.
pub async fn answer_history(
    tx: &Transaction<'_>,
    user: UserId,
    limit: i64,
) -> Result<Vec<PastAnswerRow>, DbError> {
    let limit = limit.clamp(1, MAX_HISTORY);
    let rows = tx
        .query_typed(
            "SELECT a.session_id, a.question_number, a.question_text,
                    CASE WHEN s.questions -> (a.question_number - 1) ->> 'number'
                              = a.question_number::text
                         THEN s.questions -> (a.question_number - 1) ->> 'topic'
                    END AS topic,
                    a.category, a.is_follow_up, a.is_skipped, a.score::float8 AS score,
                    a.dimension_scores, a.created_at AS answered_at,
                    s.target_role, s.experience_level, s.interview_type
               FROM interview_answers a
               JOIN interview_sessions s ON s.id = a.session_id AND s.user_id = $1
              WHERE a.user_id = $1
              ORDER BY a.created_at DESC, a.session_id, a.question_number DESC
              LIMIT $2",
            &[(&user, Type::UUID), (&limit, Type::INT8)],
        )
        .await?;
    rows.iter().map(from_row).collect()
}
