//! A signed-in user's history as the API shows it: the session list, one
//! session with its answers, session deletion, the dashboard, and deleting the
//! whole account.
//!
//! Reads build their JSON in SQL (`json_build_object`/`json_agg`), so a session
//! looks the same in the list, the detail and the dashboard, and the dashboard is
//! one statement. Every function runs in a transaction begun as the user
//! ([`crate::Db::as_user`]); each query also filters on `user_id`, so a policy
//! mistake alone could not expose anyone else's rows.

use rehearse_core::{SessionId, UserId};
use tokio_postgres::Transaction;
use tokio_postgres::types::Type;

use crate::DbError;
use crate::statistics;
use crate::statistics::Statistics;

/// One session as listed (alias `s`): everything but the live-interview state
/// and the full summary.
/// A session as the history routes show it: one SQL function (migration V2;
/// V4 added the seed document's names `job_role` and `duration_minutes`)
/// shared with the dashboard document, so both always agree.
const SESSION_JSON: &str = "public.rehearse_session_json(s)";

/// Filters on the session list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// `in_progress`, `completed` or `abandoned` (validated by the caller).
    pub status: Option<String>,
    pub target_role: Option<String>,
}

/// A page of sessions (JSON objects) and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionPage {
    pub sessions: serde_json::Value,
    pub total: i64,
}

/// The user's sessions, newest first, `limit` after `offset`, with the real
/// total of those matching the filter (one statement).
pub async fn list_sessions(
    tx: &Transaction<'_>,
    user: UserId,
    filter: &SessionFilter,
    limit: i64,
    offset: i64,
) -> Result<SessionPage, DbError> {
    let row = tx
        .query_typed_one(
            &format!(
                "WITH matching AS (
                     SELECT * FROM interview_sessions s
                      WHERE s.user_id = $1
                        AND ($2::text IS NULL OR s.status = $2)
                        AND ($3::text IS NULL OR s.target_role = $3))
                 SELECT coalesce((SELECT jsonb_agg(p.j ORDER BY p.created_at DESC, p.id DESC)
                                    FROM (SELECT {SESSION_JSON} AS j, s.created_at, s.id
                                            FROM matching s
                                           ORDER BY s.created_at DESC, s.id DESC
                                           LIMIT $4 OFFSET $5) AS p), '[]'::jsonb),
                        (SELECT count(*) FROM matching)"
            ),
            &[
                (&user, Type::UUID),
                (&filter.status, Type::TEXT),
                (&filter.target_role, Type::TEXT),
                (&limit, Type::INT8),
                (&offset, Type::INT8),
            ],
        )
        .await?;
    Ok(SessionPage {
        sessions: row.try_get(0)?,
        total: row.try_get(1)?,
    })
}

/// One of the user's sessions with its answers in question order (each with its
/// score, dimension scores and feedback); `None` when it is not theirs. Each
/// answer also carries the seed document's names for two of its fields:
/// `question_order` (= `question_number`) and `question_type` (= `category`).
pub async fn session_detail(
    tx: &Transaction<'_>,
    user: UserId,
    id: SessionId,
) -> Result<Option<serde_json::Value>, DbError> {
    let row = tx
        .query_typed_opt(
            &format!(
                "SELECT ({SESSION_JSON} || jsonb_build_object(
                     'job_description', s.job_description,
                     'overall_feedback', s.overall_feedback,
                     'category_scores', s.category_scores,
                     'summary', s.summary,
                     'answers', coalesce((
                         SELECT jsonb_agg(jsonb_build_object(
                                    'question_number', a.question_number,
                                    'question_order', a.question_number,
                                    'question_id', a.question_id,
                                    'question_text', a.question_text,
                                    'category', a.category, 'question_type', a.category,
                                    'difficulty', a.difficulty,
                                    'is_follow_up', a.is_follow_up,
                                    'answer_text', a.answer_text, 'is_skipped', a.is_skipped,
                                    'word_count', a.word_count,
                                    'duration_seconds', a.duration_seconds,
                                    'score', a.score, 'dimension_scores', a.dimension_scores,
                                    'feedback', a.evaluation_summary,
                                    'evaluation_summary', a.evaluation_summary,
                                    'evaluation', a.evaluation,
                                    'interviewer_response', a.interviewer_response,
                                    'created_at', a.created_at)
                                ORDER BY a.question_number)
                           FROM interview_answers a
                          WHERE a.session_id = s.id AND a.user_id = $1), '[]'::jsonb)))
                   FROM interview_sessions s
                  WHERE s.id = $2 AND s.user_id = $1"
            ),
            &[(&user, Type::UUID), (&id, Type::UUID)],
        )
        .await?;
    row.map(|r| r.try_get(0)).transpose().map_err(Into::into)
}

/// Delete one of the user's sessions (its answers cascade) and rebuild their
/// statistics in the same transaction. `None` when it is not theirs.
pub async fn delete_session(
    tx: &Transaction<'_>,
    user: UserId,
    id: SessionId,
) -> Result<Option<Statistics>, DbError> {
    // The row lock first, as finalize takes it: see `statistics::recompute`.
    let deleted = tx
        .execute_typed(
            "DELETE FROM interview_sessions WHERE id = $1 AND user_id = $2",
            &[(&id, Type::UUID), (&user, Type::UUID)],
        )
        .await?;
    if deleted == 0 {
        return Ok(None);
    }
    statistics::recompute(tx, user).await.map(Some)
}

/// The dashboard statement (user bound as `$user`, see
/// `Db::read_text_switching_to`), sent as the connection's login: one call of
/// `rehearse_private.dashboard_served_as` (migration V8), which sets the
/// caller's id, switches to `rehearse_user` (both transaction-local) and then
/// runs [`DASHBOARD_READ_SQL`]'s read as the user, returning NULL unless the
/// switch took.
pub const DASHBOARD_SQL: &str = "SELECT rehearse_private.dashboard_served_as($user)";

/// What [`DASHBOARD_SQL`] runs as the user, public for the benchmark's
/// `EXPLAIN`: a call of `rehearse_dashboard_served_read` (migration V7, as
/// V6's read), a PL/pgSQL function whose one statement, a primary-key read of
/// the user's `user_dashboards` row under its row-level security policy, keeps
/// its plan for the life of the connection instead of being parsed and
/// planned on every request. Triggers keep that row current in every
/// transaction that changes its sources (migration V2). It returns the row's
/// `served` text: the response body with each resume's storage key between
/// U+0001 marks where its presigned `file_url` goes (V7). A user who never
/// wrote anything has no row; the text is then computed on the spot (cheaply:
/// there is nothing to read). It has no role guard of its own: run it only as
/// the user (as the benchmark does, in [`crate::Db::as_user`]).
pub const DASHBOARD_READ_SQL: &str = "SELECT public.rehearse_dashboard_served_read($user)";

/// The statement inside `rehearse_dashboard_served_read` (user bound as `$user`), for
/// the benchmark's `EXPLAIN`: a plain `EXPLAIN` of [`DASHBOARD_READ_SQL`]
/// shows the function call, not the plan it runs.
pub const DASHBOARD_LOOKUP_SQL: &str =
    "SELECT d.served FROM public.user_dashboards AS d WHERE d.user_id = $user";

/// The stored dashboard document (statistics, the 5 most recent sessions, the
/// 5 most recent resumes with their `storage_path`) as the triggers wrote it,
/// or computed now for a user without one: for checks against
/// [`dashboard_recomputed`]. The route serves [`dashboard_served`].
pub async fn dashboard(
    db: &crate::Db,
    user: &rehearse_core::AuthUser,
) -> Result<serde_json::Value, DbError> {
    let text = db
        .read_text_as_user(
            user,
            "SELECT coalesce(
                    (SELECT d.document FROM public.user_dashboards AS d WHERE d.user_id = $user),
                    public.rehearse_dashboard_document($user)::json)
              WHERE current_setting('role') = 'rehearse_user'",
        )
        .await?
        .ok_or(DbError::Invariant(
            "the dashboard statement returned no row (role not set?)",
        ))?;
    serde_json::from_str(&text)
        .map_err(|_| DbError::Invariant("the database sent JSON that does not parse"))
}

/// The dashboard response body as the database keeps it (`served`, see
/// [`DASHBOARD_READ_SQL`]): one statement, one message and one network round
/// trip, row-level security included ([`DASHBOARD_SQL`]). The statement
/// refuses (returns NULL) unless the transaction really runs as role
/// `rehearse_user`.
pub async fn dashboard_served(
    db: &crate::Db,
    user: &rehearse_core::AuthUser,
) -> Result<String, DbError> {
    db.read_text_switching_to(user, DASHBOARD_SQL)
        .await?
        .ok_or(DbError::Invariant(
            "the dashboard statement returned NULL (role not switched?)",
        ))
}

/// The user's dashboard document computed from the tables now, as the triggers
/// would write it: for checking the stored one.
pub async fn dashboard_recomputed(
    tx: &Transaction<'_>,
    user: UserId,
) -> Result<serde_json::Value, DbError> {
    let row = tx
        .query_typed_one(
            "SELECT public.rehearse_dashboard_document($1)::json",
            &[(&user, Type::UUID)],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// What deleting an account removed from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountDeleted {
    pub sessions: i64,
    pub resumes: i64,
}

/// Delete the user's profile row, which cascades to everything they own; the
/// resumes' objects are queued in `storage_deletions` by the resumes trigger in
/// this same transaction. A user with no profile (never wrote, or already
/// deleted) deletes nothing, which is not an error.
pub async fn delete_account(tx: &Transaction<'_>, user: UserId) -> Result<AccountDeleted, DbError> {
    let counts = tx
        .query_typed_one(
            "SELECT (SELECT count(*) FROM interview_sessions WHERE user_id = $1),
                    (SELECT count(*) FROM resumes WHERE user_id = $1)",
            &[(&user, Type::UUID)],
        )
        .await?;
    tx.execute_typed(
        "DELETE FROM user_profiles WHERE id = $1",
        &[(&user, Type::UUID)],
    )
    .await?;
    Ok(AccountDeleted {
        sessions: counts.try_get(0)?,
        resumes: counts.try_get(1)?,
    })
}
