//! `interview_sessions` and `interview_answers`: live interviews, from the moment
//! they are created, and every answer or skip the moment it is made.
//!
//! A session has an owner (`user_id`) or none (anonymous). Every function takes the
//! owner it expects, `None` meaning "anonymous only", and filters on it with
//! `user_id IS NOT DISTINCT FROM $n`: a signed-in caller's queries run as that user
//! ([`crate::Db::as_user`], row-level security on top of the filter), an anonymous
//! session's through the service connection, where this filter is the only thing
//! that keeps a caller without a token away from a user's session.
//!
//! The engine's values (questions, engine state, evaluations, the summary) cross
//! this module as JSON: the database layer stores them and knows nothing of the
//! interview engine.

use std::time::Duration;

use rehearse_core::{AuthUser, ResumeId, SessionId, UserId};
use time::OffsetDateTime;
use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use crate::{DbError, profiles};

/// Standard sessions show every question up front; conversational ones reply to
/// each answer as an interviewer would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMode {
    Standard,
    Conversational,
}

impl SessionMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Conversational => "conversational",
        }
    }

    fn parse(raw: &str) -> Result<Self, DbError> {
        match raw {
            "standard" => Ok(Self::Standard),
            "conversational" => Ok(Self::Conversational),
            _ => Err(DbError::Invariant(
                "unknown session mode in interview_sessions",
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    InProgress,
    Completed,
    Abandoned,
}

impl SessionStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Abandoned => "abandoned",
        }
    }

    fn parse(raw: &str) -> Result<Self, DbError> {
        match raw {
            "in_progress" => Ok(Self::InProgress),
            "completed" => Ok(Self::Completed),
            "abandoned" => Ok(Self::Abandoned),
            _ => Err(DbError::Invariant(
                "unknown session status in interview_sessions",
            )),
        }
    }
}

/// A session to create. The caller has validated every value.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub id: SessionId,
    pub owner: Option<UserId>,
    pub resume_id: Option<ResumeId>,
    pub target_role: &'a str,
    pub experience_level: &'a str,
    pub interview_type: &'a str,
    pub company: Option<&'a str>,
    pub job_description: Option<&'a str>,
    pub mode: SessionMode,
    /// The resume the questions were drawn from (a JSON object).
    pub resume_snapshot: &'a serde_json::Value,
    /// The planned questions (a JSON array).
    pub questions: &'a serde_json::Value,
    /// The engine's own state (seed, follow-ups, context; a JSON object).
    pub engine_state: &'a serde_json::Value,
}

/// A stored session (without its resume snapshot, which only generation needs).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub id: SessionId,
    pub user_id: Option<UserId>,
    pub resume_id: Option<ResumeId>,
    pub target_role: String,
    pub experience_level: String,
    pub interview_type: String,
    pub company: Option<String>,
    pub job_description: Option<String>,
    pub mode: SessionMode,
    pub status: SessionStatus,
    pub questions: serde_json::Value,
    /// 0-based index of the question being asked: the compare-and-set target.
    pub current_question_index: i32,
    pub total_questions: i32,
    pub engine_state: serde_json::Value,
    pub questions_answered: i32,
    pub questions_skipped: i32,
    pub started_at: OffsetDateTime,
    pub last_activity_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    pub total_time_seconds: Option<i32>,
    pub average_score: Option<f64>,
    pub overall_score: Option<f64>,
    pub performance_tier: Option<String>,
    pub summary: Option<serde_json::Value>,
    pub created_at: OffsetDateTime,
}

// numeric columns cross the wire as float8 (no decimal crate in the tree).
const COLUMNS: &str = "id, user_id, resume_id, target_role, experience_level, interview_type, \
     company, job_description, mode, status, questions, current_question_index, total_questions, \
     engine_state, questions_answered, questions_skipped, started_at, last_activity_at, \
     completed_at, total_time_seconds, average_score::float8 AS average_score, \
     overall_score::float8 AS overall_score, performance_tier, summary, created_at";

fn from_row(row: &Row) -> Result<SessionRow, DbError> {
    Ok(SessionRow {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        resume_id: row.try_get("resume_id")?,
        target_role: row.try_get("target_role")?,
        experience_level: row.try_get("experience_level")?,
        interview_type: row.try_get("interview_type")?,
        company: row.try_get("company")?,
        job_description: row.try_get("job_description")?,
        mode: SessionMode::parse(row.try_get("mode")?)?,
        status: SessionStatus::parse(row.try_get("status")?)?,
        questions: row.try_get("questions")?,
        current_question_index: row.try_get("current_question_index")?,
        total_questions: row.try_get("total_questions")?,
        engine_state: row.try_get("engine_state")?,
        questions_answered: row.try_get("questions_answered")?,
        questions_skipped: row.try_get("questions_skipped")?,
        started_at: row.try_get("started_at")?,
        last_activity_at: row.try_get("last_activity_at")?,
        completed_at: row.try_get("completed_at")?,
        total_time_seconds: row.try_get("total_time_seconds")?,
        average_score: row.try_get("average_score")?,
        overall_score: row.try_get("overall_score")?,
        performance_tier: row.try_get("performance_tier")?,
        summary: row.try_get("summary")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Store a new session (for an owner, whose profile row must exist: `Db::write_as`).
pub async fn insert(tx: &Transaction<'_>, new: &NewSession<'_>) -> Result<SessionRow, DbError> {
    let total = new
        .questions
        .as_array()
        .map(Vec::len)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or(DbError::Invariant("session questions must be a JSON array"))?;
    let row = tx
        .query_typed_one(
            &format!(
                "INSERT INTO interview_sessions
                    (id, user_id, resume_id, target_role, experience_level, interview_type,
                     company, job_description, mode, resume_snapshot, questions,
                     total_questions, engine_state)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 RETURNING {COLUMNS}"
            ),
            &[
                (&new.id, Type::UUID),
                (&new.owner, Type::UUID),
                (&new.resume_id, Type::UUID),
                (&new.target_role, Type::TEXT),
                (&new.experience_level, Type::TEXT),
                (&new.interview_type, Type::TEXT),
                (&new.company, Type::TEXT),
                (&new.job_description, Type::TEXT),
                (&new.mode.as_str(), Type::TEXT),
                (new.resume_snapshot, Type::JSONB),
                (new.questions, Type::JSONB),
                (&total, Type::INT4),
                (new.engine_state, Type::JSONB),
            ],
        )
        .await?;
    from_row(&row)
}

/// Whether to lock the row for the rest of the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    No,
    /// `FOR UPDATE`: concurrent finalizers queue here and each sees the outcome
    /// of the one before it.
    ForUpdate,
}

/// The session `id` if its owner is `owner` (`None`: anonymous sessions only).
pub async fn get(
    tx: &Transaction<'_>,
    id: SessionId,
    owner: Option<UserId>,
    lock: Lock,
) -> Result<Option<SessionRow>, DbError> {
    let suffix = match lock {
        Lock::No => "",
        Lock::ForUpdate => " FOR UPDATE",
    };
    let row = tx
        .query_typed_opt(
            &format!(
                "SELECT {COLUMNS} FROM interview_sessions
                  WHERE id = $1 AND user_id IS NOT DISTINCT FROM $2{suffix}"
            ),
            &[(&id, Type::UUID), (&owner, Type::UUID)],
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether a session `id` exists with an owner. Service connection only: it lets
/// a caller without a token learn "sign in" (401) instead of "not found" for a
/// signed-in user's session, and reveals nothing else.
pub async fn is_owned(tx: &Transaction<'_>, id: SessionId) -> Result<bool, DbError> {
    let row = tx
        .query_typed_one(
            "SELECT EXISTS (SELECT 1 FROM interview_sessions WHERE id = $1 AND user_id IS NOT NULL)",
            &[(&id, Type::UUID)],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// An answer or a skip, to store as the session moves on.
#[derive(Debug, Clone, Copy)]
pub struct NewAnswer<'a> {
    /// 1-based: the position it was asked at.
    pub question_number: i32,
    pub question_id: &'a str,
    pub question_text: &'a str,
    pub category: &'a str,
    pub difficulty: &'a str,
    pub is_follow_up: bool,
    /// `None` for a skip.
    pub answer_text: Option<&'a str>,
    pub word_count: i32,
    pub duration_seconds: Option<i32>,
    /// 0–10, stored to two decimals; `None` for a skip.
    pub score: Option<f64>,
    pub dimension_scores: Option<&'a serde_json::Value>,
    pub evaluation_summary: Option<&'a str>,
    pub evaluation: Option<&'a serde_json::Value>,
    pub interviewer_response: &'a str,
    /// The request's `Idempotency-Key` (validated: 1–255 visible ASCII
    /// characters), unique within the session.
    pub idempotency_key: Option<&'a str>,
}

/// The unique index on (`session_id`, `idempotency_key`): [`advance`] fails on it
/// when another submission under the same key was stored first.
pub const IDEMPOTENCY_KEY_INDEX: &str = "interview_answers_session_idempotency_key";

impl NewAnswer<'_> {
    pub fn is_skipped(&self) -> bool {
        self.answer_text.is_none()
    }
}

/// One move of a live session: the question at `expected_index` was answered or
/// skipped, and the session's engine state is now `questions`/`engine_state` at
/// `new_index`.
#[derive(Debug, Clone, Copy)]
pub struct Advance<'a> {
    pub session_id: SessionId,
    pub owner: Option<UserId>,
    pub expected_index: i32,
    pub new_index: i32,
    pub questions: &'a serde_json::Value,
    pub engine_state: &'a serde_json::Value,
    pub answer: NewAnswer<'a>,
}

/// Move the session on and store the answer, or do nothing and return `false`
/// when the session is no longer at `expected_index` (or is finished, or gone).
///
/// The compare-and-set on `current_question_index` runs first and takes the row
/// lock, so two concurrent submissions for the same question serialise here: the
/// second sees the moved position, matches no row, and stores nothing. Run it in
/// the same transaction as nothing else that could fail after it, so the session
/// never moves without its answer (or the reverse). An idempotency key already
/// stored for the session fails the insert on [`IDEMPOTENCY_KEY_INDEX`], which
/// rolls the move back with it.
pub async fn advance(tx: &Transaction<'_>, step: &Advance<'_>) -> Result<bool, DbError> {
    let answer = &step.answer;
    let (answered, skipped) = if answer.is_skipped() { (0, 1) } else { (1, 0) };
    let moved = tx
        .execute_typed(
            "UPDATE interview_sessions
                SET questions = $3, engine_state = $4, current_question_index = $5,
                    questions_answered = questions_answered + $6,
                    questions_skipped = questions_skipped + $7,
                    last_activity_at = now()
              WHERE id = $1 AND user_id IS NOT DISTINCT FROM $2
                AND current_question_index = $8 AND status = 'in_progress'",
            &[
                (&step.session_id, Type::UUID),
                (&step.owner, Type::UUID),
                (step.questions, Type::JSONB),
                (step.engine_state, Type::JSONB),
                (&step.new_index, Type::INT4),
                (&answered, Type::INT4),
                (&skipped, Type::INT4),
                (&step.expected_index, Type::INT4),
            ],
        )
        .await?;
    if moved == 0 {
        return Ok(false);
    }
    let is_skipped = answer.is_skipped();
    tx.execute_typed(
        "INSERT INTO interview_answers
            (session_id, user_id, question_number, question_id, question_text, category,
             difficulty, is_follow_up, answer_text, is_skipped, word_count, duration_seconds,
             score, dimension_scores, evaluation_summary, evaluation, interviewer_response,
             idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 round($13::numeric, 2), $14, $15, $16, $17, $18)",
        &[
            (&step.session_id, Type::UUID),
            (&step.owner, Type::UUID),
            (&answer.question_number, Type::INT4),
            (&answer.question_id, Type::TEXT),
            (&answer.question_text, Type::TEXT),
            (&answer.category, Type::TEXT),
            (&answer.difficulty, Type::TEXT),
            (&answer.is_follow_up, Type::BOOL),
            (&answer.answer_text, Type::TEXT),
            (&is_skipped, Type::BOOL),
            (&answer.word_count, Type::INT4),
            (&answer.duration_seconds, Type::INT4),
            (&answer.score, Type::FLOAT8),
            (&answer.dimension_scores, Type::JSONB),
            (&answer.evaluation_summary, Type::TEXT),
            (&answer.evaluation, Type::JSONB),
            (&answer.interviewer_response, Type::TEXT),
            (&answer.idempotency_key, Type::TEXT),
        ],
    )
    .await?;
    Ok(true)
}

/// A stored answer or skip.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    pub question_number: i32,
    pub question_id: Option<String>,
    pub question_text: String,
    pub category: String,
    pub difficulty: String,
    pub is_follow_up: bool,
    pub answer_text: Option<String>,
    pub is_skipped: bool,
    pub word_count: i32,
    pub duration_seconds: Option<i32>,
    pub score: Option<f64>,
    pub evaluation: Option<serde_json::Value>,
    pub interviewer_response: Option<String>,
    /// The `Idempotency-Key` it was submitted with, if any.
    pub idempotency_key: Option<String>,
    pub created_at: OffsetDateTime,
}

const ANSWER_COLUMNS: &str = "question_number, question_id, question_text, category, difficulty, \
     is_follow_up, answer_text, is_skipped, word_count, duration_seconds, \
     score::float8 AS score, evaluation, interviewer_response, idempotency_key, created_at";

fn answer_from_row(row: &Row) -> Result<AnswerRow, DbError> {
    Ok(AnswerRow {
        question_number: row.try_get("question_number")?,
        question_id: row.try_get("question_id")?,
        question_text: row.try_get("question_text")?,
        category: row.try_get("category")?,
        difficulty: row.try_get("difficulty")?,
        is_follow_up: row.try_get("is_follow_up")?,
        answer_text: row.try_get("answer_text")?,
        is_skipped: row.try_get("is_skipped")?,
        word_count: row.try_get("word_count")?,
        duration_seconds: row.try_get("duration_seconds")?,
        score: row.try_get("score")?,
        evaluation: row.try_get("evaluation")?,
        interviewer_response: row.try_get("interviewer_response")?,
        idempotency_key: row.try_get("idempotency_key")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The answer (or skip) stored for question `number` of the session.
pub async fn answer(
    tx: &Transaction<'_>,
    session: SessionId,
    owner: Option<UserId>,
    number: i32,
) -> Result<Option<AnswerRow>, DbError> {
    let row = tx
        .query_typed_opt(
            &format!(
                "SELECT {ANSWER_COLUMNS} FROM interview_answers
                  WHERE session_id = $1 AND user_id IS NOT DISTINCT FROM $2
                    AND question_number = $3"
            ),
            &[
                (&session, Type::UUID),
                (&owner, Type::UUID),
                (&number, Type::INT4),
            ],
        )
        .await?;
    row.as_ref().map(answer_from_row).transpose()
}

/// The answer (or skip) stored for question `number` of the session if it was
/// stored less than `window` ago by the database's clock (one clock for every
/// instance, so the age does not depend on which instance asks).
pub async fn answer_within(
    tx: &Transaction<'_>,
    session: SessionId,
    owner: Option<UserId>,
    number: i32,
    window: Duration,
) -> Result<Option<AnswerRow>, DbError> {
    let seconds = window.as_secs_f64();
    let row = tx
        .query_typed_opt(
            &format!(
                "SELECT {ANSWER_COLUMNS} FROM interview_answers
                  WHERE session_id = $1 AND user_id IS NOT DISTINCT FROM $2
                    AND question_number = $3
                    AND created_at > now() - make_interval(secs => $4)"
            ),
            &[
                (&session, Type::UUID),
                (&owner, Type::UUID),
                (&number, Type::INT4),
                (&seconds, Type::FLOAT8),
            ],
        )
        .await?;
    row.as_ref().map(answer_from_row).transpose()
}

/// The answer (or skip) of the session that was submitted with idempotency key `key`.
pub async fn answer_by_key(
    tx: &Transaction<'_>,
    session: SessionId,
    owner: Option<UserId>,
    key: &str,
) -> Result<Option<AnswerRow>, DbError> {
    let row = tx
        .query_typed_opt(
            &format!(
                "SELECT {ANSWER_COLUMNS} FROM interview_answers
                  WHERE session_id = $1 AND user_id IS NOT DISTINCT FROM $2
                    AND idempotency_key = $3"
            ),
            &[
                (&session, Type::UUID),
                (&owner, Type::UUID),
                (&key, Type::TEXT),
            ],
        )
        .await?;
    row.as_ref().map(answer_from_row).transpose()
}

/// Every answer and skip of the session, in question order.
pub async fn answers(
    tx: &Transaction<'_>,
    session: SessionId,
    owner: Option<UserId>,
) -> Result<Vec<AnswerRow>, DbError> {
    let rows = tx
        .query_typed(
            &format!(
                "SELECT {ANSWER_COLUMNS} FROM interview_answers
                  WHERE session_id = $1 AND user_id IS NOT DISTINCT FROM $2
                  ORDER BY question_number"
            ),
            &[(&session, Type::UUID), (&owner, Type::UUID)],
        )
        .await?;
    rows.iter().map(answer_from_row).collect()
}

/// The results the finalize step writes, once.
#[derive(Debug, Clone, Copy)]
pub struct Completion<'a> {
    pub session_id: SessionId,
    pub owner: Option<UserId>,
    pub completed_at: OffsetDateTime,
    pub total_time_seconds: i32,
    /// 0–10 and 0–100, stored to two decimals.
    pub average_score: f64,
    pub overall_score: f64,
    pub performance_tier: &'a str,
    pub overall_feedback: &'a str,
    pub category_scores: &'a serde_json::Value,
    pub summary: &'a serde_json::Value,
    pub topics_covered: &'a [String],
    pub questions_answered: i32,
    pub questions_skipped: i32,
}

/// Mark the session completed with its results. `false` when it was already
/// completed (or is not the owner's): a finished session's results never change.
pub async fn complete(tx: &Transaction<'_>, done: &Completion<'_>) -> Result<bool, DbError> {
    let n = tx
        .execute_typed(
            "UPDATE interview_sessions
                SET status = 'completed', completed_at = $3, total_time_seconds = $4,
                    average_score = round($5::numeric, 2), overall_score = round($6::numeric, 2),
                    performance_tier = $7, overall_feedback = $8, category_scores = $9,
                    summary = $10, topics_covered = $11,
                    questions_answered = $12, questions_skipped = $13
              WHERE id = $1 AND user_id IS NOT DISTINCT FROM $2 AND status <> 'completed'",
            &[
                (&done.session_id, Type::UUID),
                (&done.owner, Type::UUID),
                (&done.completed_at, Type::TIMESTAMPTZ),
                (&done.total_time_seconds, Type::INT4),
                (&done.average_score, Type::FLOAT8),
                (&done.overall_score, Type::FLOAT8),
                (&done.performance_tier, Type::TEXT),
                (&done.overall_feedback, Type::TEXT),
                (done.category_scores, Type::JSONB),
                (done.summary, Type::JSONB),
                (&done.topics_covered, Type::TEXT_ARRAY),
                (&done.questions_answered, Type::INT4),
                (&done.questions_skipped, Type::INT4),
            ],
        )
        .await?;
    Ok(n > 0)
}

/// Give the anonymous session `id` (and its answers) to `user`, then continue the
/// transaction as that user. `false`, with nothing changed, when there is no
/// anonymous session `id` (someone claimed it first, or it never existed).
///
/// Must run in a transaction begun on the service connection
/// ([`crate::Db::as_service`]): the user's role cannot see an anonymous row under
/// row-level security, which is the point. The row is locked first, so two
/// claimants serialise and the second finds it owned. After the claim the
/// transaction switches to the user's role and claims (transaction-locally, like
/// [`crate::begin_as_user`]), so everything that follows runs under the same
/// policies as any signed-in request.
pub async fn claim(tx: &Transaction<'_>, id: SessionId, user: &AuthUser) -> Result<bool, DbError> {
    let found = tx
        .query_typed_opt(
            "SELECT id FROM interview_sessions WHERE id = $1 AND user_id IS NULL FOR UPDATE",
            &[(&id, Type::UUID)],
        )
        .await?;
    if found.is_none() {
        return Ok(false);
    }
    // The owner must exist before anything can reference it.
    profiles::ensure(tx, user).await?;
    tx.execute_typed(
        "UPDATE interview_sessions SET user_id = $2 WHERE id = $1 AND user_id IS NULL",
        &[(&id, Type::UUID), (&user.id, Type::UUID)],
    )
    .await?;
    tx.execute_typed(
        "UPDATE interview_answers SET user_id = $2 WHERE session_id = $1 AND user_id IS NULL",
        &[(&id, Type::UUID), (&user.id, Type::UUID)],
    )
    .await?;
    tx.query_typed(crate::BECOME_USER_SQL, &[(&&*user.claims, Type::TEXT)])
        .await?;
    Ok(true)
}

/// Delete up to `limit` anonymous sessions created more than `max_age` ago (their
/// answers go with them). Rows another transaction holds (a claim in progress) are
/// skipped, not waited for. Returns how many were deleted. Service connection only.
pub async fn delete_expired_anonymous(
    tx: &Transaction<'_>,
    max_age: Duration,
    limit: i64,
) -> Result<u64, DbError> {
    let seconds = max_age.as_secs_f64();
    let n = tx
        .execute_typed(
            "DELETE FROM interview_sessions
              WHERE id IN (SELECT id FROM interview_sessions
                            WHERE user_id IS NULL
                              AND created_at < now() - make_interval(secs => $1)
                            ORDER BY created_at
                            LIMIT $2
                            FOR UPDATE SKIP LOCKED)
                AND user_id IS NULL",
            &[(&seconds, Type::FLOAT8), (&limit, Type::INT8)],
        )
        .await?;
    Ok(n)
}
