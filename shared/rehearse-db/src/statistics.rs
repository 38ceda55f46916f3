//! `interview_statistics`: one row per user, changed in the same transaction that
//! completes one of their sessions.
//!
//! The row keeps sums and tallies, not only the figures shown: the sum of overall
//! scores beside the average, per-role counts beside the most common role,
//! per-category score sums and counts beside the strongest and weakest category.
//! Adding (or, later, removing) one session is then exact arithmetic on what the
//! session itself stored, never an estimate and never a rescan of the history.
//! Every figure is derived from the session's own row and its `interview_answers`
//! rows, so a recomputation from the raw rows gives the same numbers.

use rehearse_core::{SessionId, UserId};
use time::OffsetDateTime;
use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use crate::DbError;

/// A user's statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub user_id: UserId,
    pub total_interviews: i32,
    pub total_questions_answered: i32,
    pub total_questions_skipped: i32,
    pub sum_overall_score: f64,
    pub average_overall_score: Option<f64>,
    pub best_score: Option<f64>,
    pub total_time_spent_seconds: i64,
    /// `{role: sessions}`.
    pub role_counts: serde_json::Value,
    /// `{category: {"sum": scores, "count": answers}}`.
    pub category_totals: serde_json::Value,
    pub most_common_role: Option<String>,
    pub strongest_category: Option<String>,
    pub weakest_category: Option<String>,
    pub last_interview_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "user_id, total_interviews, total_questions_answered, \
     total_questions_skipped, sum_overall_score::float8 AS sum_overall_score, \
     average_overall_score::float8 AS average_overall_score, best_score::float8 AS best_score, \
     total_time_spent_seconds, role_counts, category_totals, most_common_role, \
     strongest_category, weakest_category, last_interview_at, updated_at";

fn from_row(row: &Row) -> Result<Statistics, DbError> {
    Ok(Statistics {
        user_id: row.try_get("user_id")?,
        total_interviews: row.try_get("total_interviews")?,
        total_questions_answered: row.try_get("total_questions_answered")?,
        total_questions_skipped: row.try_get("total_questions_skipped")?,
        sum_overall_score: row.try_get("sum_overall_score")?,
        average_overall_score: row.try_get("average_overall_score")?,
        best_score: row.try_get("best_score")?,
        total_time_spent_seconds: row.try_get("total_time_spent_seconds")?,
        role_counts: row.try_get("role_counts")?,
        category_totals: row.try_get("category_totals")?,
        most_common_role: row.try_get("most_common_role")?,
        strongest_category: row.try_get("strongest_category")?,
        weakest_category: row.try_get("weakest_category")?,
        last_interview_at: row.try_get("last_interview_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The user's statistics; `None` before their first completed session.
pub async fn get(tx: &Transaction<'_>, user: UserId) -> Result<Option<Statistics>, DbError> {
    let row = tx
        .query_typed_opt(
            &format!("SELECT {COLUMNS} FROM interview_statistics WHERE user_id = $1"),
            &[(&user, Type::UUID)],
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Count the completed session `session` (owned by `user`) into the user's
/// statistics, creating their row on the first one. Call it exactly once per
/// session, in the transaction that completes it (or that claims it completed):
/// the caller's lock on the session row is what makes it once.
///
/// The upsert takes the statistics row's lock, so two of the user's sessions
/// finishing at the same moment add up rather than overwrite each other.
pub async fn record_completed_session(
    tx: &Transaction<'_>,
    user: UserId,
    session: SessionId,
) -> Result<Statistics, DbError> {
    // The session's contribution, from its own row and its answers: one row in
    // `excluded`, merged key by key into the tallies already there.
    let added = tx
        .execute_typed(
            "WITH s AS (
                 SELECT user_id, target_role, overall_score, total_time_seconds,
                        questions_answered, questions_skipped, completed_at
                   FROM interview_sessions
                  WHERE id = $1 AND user_id = $2 AND status = 'completed'
             ), c AS (
                 SELECT category, sum(score) AS total, count(*) AS n
                   FROM interview_answers
                  WHERE session_id = $1 AND user_id = $2
                    AND NOT is_skipped AND score IS NOT NULL
                  GROUP BY category
             )
             INSERT INTO interview_statistics AS st
                 (user_id, total_interviews, total_questions_answered, total_questions_skipped,
                  sum_overall_score, best_score, total_time_spent_seconds, role_counts,
                  category_totals, last_interview_at)
             SELECT s.user_id, 1, s.questions_answered, s.questions_skipped,
                    coalesce(s.overall_score, 0), s.overall_score,
                    coalesce(s.total_time_seconds, 0),
                    jsonb_build_object(s.target_role, 1),
                    coalesce((SELECT jsonb_object_agg(c.category,
                                         jsonb_build_object('sum', c.total, 'count', c.n))
                                FROM c), '{}'::jsonb),
                    s.completed_at
               FROM s
             ON CONFLICT (user_id) DO UPDATE SET
                 total_interviews = st.total_interviews + 1,
                 total_questions_answered =
                     st.total_questions_answered + excluded.total_questions_answered,
                 total_questions_skipped =
                     st.total_questions_skipped + excluded.total_questions_skipped,
                 sum_overall_score = st.sum_overall_score + excluded.sum_overall_score,
                 best_score = greatest(st.best_score, excluded.best_score),
                 total_time_spent_seconds =
                     st.total_time_spent_seconds + excluded.total_time_spent_seconds,
                 role_counts = st.role_counts || (
                     SELECT jsonb_object_agg(e.key,
                                coalesce((st.role_counts ->> e.key)::bigint, 0) + e.value::bigint)
                       FROM jsonb_each_text(excluded.role_counts) AS e),
                 category_totals = st.category_totals || coalesce((
                     SELECT jsonb_object_agg(e.key, jsonb_build_object(
                                'sum', coalesce((st.category_totals -> e.key ->> 'sum')::numeric, 0)
                                       + (e.value ->> 'sum')::numeric,
                                'count', coalesce((st.category_totals -> e.key ->> 'count')::bigint, 0)
                                       + (e.value ->> 'count')::bigint))
                       FROM jsonb_each(excluded.category_totals) AS e), '{}'::jsonb),
                 last_interview_at = greatest(st.last_interview_at, excluded.last_interview_at)",
            &[(&session, Type::UUID), (&user, Type::UUID)],
        )
        .await?;
    if added == 0 {
        return Err(DbError::Invariant(
            "statistics asked to count a session that is not the user's or not completed",
        ));
    }
    refresh_derived(tx, user).await
}

/// Recompute the figures derived from the sums and tallies. Ties are broken by
/// name so the result never depends on jsonb's key order.
async fn refresh_derived(tx: &Transaction<'_>, user: UserId) -> Result<Statistics, DbError> {
    let row = tx
        .query_typed_one(
            &format!(
                "UPDATE interview_statistics SET
                    average_overall_score = CASE WHEN total_interviews > 0
                        THEN round(sum_overall_score / total_interviews, 2) END,
                    most_common_role = (
                        SELECT e.key FROM jsonb_each_text(role_counts) AS e
                         WHERE e.value::bigint > 0
                         ORDER BY e.value::bigint DESC, e.key LIMIT 1),
                    strongest_category = (
                        SELECT e.key FROM jsonb_each(category_totals) AS e
                         WHERE (e.value ->> 'count')::bigint > 0
                         ORDER BY (e.value ->> 'sum')::numeric / (e.value ->> 'count')::numeric DESC,
                                  e.key
                         LIMIT 1),
                    weakest_category = (
                        SELECT e.key FROM jsonb_each(category_totals) AS e
                         WHERE (e.value ->> 'count')::bigint > 0
                         ORDER BY (e.value ->> 'sum')::numeric / (e.value ->> 'count')::numeric ASC,
                                  e.key
                         LIMIT 1)
                  WHERE user_id = $1
              RETURNING {COLUMNS}"
            ),
            &[(&user, Type::UUID)],
        )
        .await?;
    from_row(&row)
}

/// Rebuild the user's statistics row from their completed sessions and those
/// sessions' answers, exactly as [`record_completed_session`] would have summed
/// them one by one (creating the row when missing). Used where a session leaves
/// the history (deletion): a rescan of one user's rows through their indexes,
/// exact by construction, instead of subtracting tallies.
///
/// Concurrency: the caller has already locked (deleted) the session it changes.
/// This first makes sure the row exists and locks it, and only then reads the raw
/// rows in a later statement (a fresh snapshot under READ COMMITTED), so a
/// completion that committed while we waited is counted, and one that commits
/// after us adds onto what we wrote. Both paths take the session lock before the
/// statistics lock, so they cannot deadlock.
pub async fn recompute(tx: &Transaction<'_>, user: UserId) -> Result<Statistics, DbError> {
    tx.execute_typed(
        "INSERT INTO interview_statistics (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING",
        &[(&user, Type::UUID)],
    )
    .await?;
    tx.execute_typed(
        "SELECT 1 FROM interview_statistics WHERE user_id = $1 FOR UPDATE",
        &[(&user, Type::UUID)],
    )
    .await?;
    tx.execute_typed(
        "WITH s AS (
             SELECT id, target_role, overall_score, total_time_seconds,
                    questions_answered, questions_skipped, completed_at
               FROM interview_sessions
              WHERE user_id = $1 AND status = 'completed'
         ), c AS (
             SELECT a.category, sum(a.score) AS total, count(*) AS n
               FROM interview_answers a JOIN s ON s.id = a.session_id
              WHERE a.user_id = $1 AND NOT a.is_skipped AND a.score IS NOT NULL
              GROUP BY a.category
         ), r AS (
             SELECT target_role, count(*) AS n FROM s GROUP BY target_role
         )
         UPDATE interview_statistics SET
             total_interviews = (SELECT count(*) FROM s),
             total_questions_answered = (SELECT coalesce(sum(questions_answered), 0) FROM s),
             total_questions_skipped = (SELECT coalesce(sum(questions_skipped), 0) FROM s),
             sum_overall_score = (SELECT coalesce(sum(coalesce(overall_score, 0)), 0) FROM s),
             best_score = (SELECT max(overall_score) FROM s),
             total_time_spent_seconds =
                 (SELECT coalesce(sum(coalesce(total_time_seconds, 0)), 0) FROM s),
             role_counts = coalesce((SELECT jsonb_object_agg(target_role, n) FROM r), '{}'::jsonb),
             category_totals = coalesce((SELECT jsonb_object_agg(category,
                                   jsonb_build_object('sum', total, 'count', n)) FROM c), '{}'::jsonb),
             last_interview_at = (SELECT max(completed_at) FROM s)
          WHERE user_id = $1",
        &[(&user, Type::UUID)],
    )
    .await?;
    refresh_derived(tx, user).await
}

/// The statistics as the API shows them: zeros and nulls for a user with no row
/// yet, and the `score_trend` of their last 10 completed sessions, oldest first
/// (SQL function `rehearse_statistics_json`, shared with the dashboard).
pub async fn view(tx: &Transaction<'_>, user: UserId) -> Result<serde_json::Value, DbError> {
    let row = tx
        .query_typed_one(
            "SELECT public.rehearse_statistics_json($1)",
            &[(&user, Type::UUID)],
        )
        .await?;
    Ok(row.try_get(0)?)
}
