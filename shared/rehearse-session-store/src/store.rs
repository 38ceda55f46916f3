//! Sessions across the engine and the database, in the orders that keep every
//! move exactly once.

use std::time::Duration;

use rehearse_auth::AuthError;
use rehearse_core::{AuthUser, ResumeId, SessionId, UserId};
use rehearse_db::sessions::{
    self, Advance, AnswerRow, Completion, Lock, NewAnswer, NewSession, SessionMode, SessionRow,
    SessionStatus,
};
use rehearse_db::{Db, Role, Transaction, resumes, statistics};
use rehearse_http::ApiError;
use rehearse_interview::{
    AnsweredQuestion, Evaluation, JobContext, Question, Resume, Session, summarize, tier,
};
use rehearse_llm::Llm;
use rehearse_resume_store::client::ClientResume;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::client::{
    AnswerInput, IdempotencyKey, QuestionRef, ResumeSource, SessionPlan, SkipInput,
};
use crate::engine;
use crate::view::{engine_json, is_follow_up};

/// Run `work` in one transaction as `who`: committed when it succeeds, rolled
/// back (by dropping the transaction) when it fails, run again once on a fresh
/// connection when the connection broke before the commit (see
/// [`Db::transaction`]).
async fn in_tx<T>(
    db: &Db,
    who: Role<'_>,
    work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, ApiError> + Clone,
) -> Result<T, ApiError> {
    // Anonymous sessions run as `Role::Service`: every query is filtered
    // `user_id IS NULL` (or claims one, see [`sessions::claim`]).
    db.transaction(who, work).await
}

fn not_found() -> ApiError {
    ApiError::NotFound { what: "session" }
}

fn session_completed() -> ApiError {
    ApiError::conflict(
        "session_completed",
        "this interview is finished: no more answers or skips are accepted; \
         fetch its summary instead",
    )
}

fn key_reused() -> ApiError {
    ApiError::unprocessable(
        "idempotency_key_reused",
        "this Idempotency-Key was already sent with a different answer or skip in this \
         session; send a new key with a new submission",
    )
}

fn already_answered(number: usize) -> ApiError {
    ApiError::conflict(
        "question_already_answered",
        format!(
            "question {number} was already answered or skipped differently; \
             fetch the session to see where it stands"
        ),
    )
}

/// The serde name of an engine enum (`senior`, `technical`), as stored in columns.
fn name_of<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    match serde_json::to_value(value).map_err(ApiError::internal)? {
        Value::String(s) => Ok(s),
        other => Err(ApiError::internal(format!("{other} is not a name"))),
    }
}

/// A session just created.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: SessionId,
    pub mode: SessionMode,
    pub session: Session,
    /// The owner, for a signed-in caller; `None` for an anonymous session.
    pub owner: Option<UserId>,
}

/// Plan the session's questions and store it, with its questions, engine state
/// and position, before anything is returned: the first answer may reach any
/// instance. A signed-in caller owns it; an anonymous one gets a session reachable
/// by its (random, unguessable) id alone. With a model, the questions are stored
/// in its wording (the plan itself stays the engine's).
pub async fn create(
    db: &Db,
    llm: &Llm,
    caller: Option<&AuthUser>,
    plan: SessionPlan,
    mode: SessionMode,
) -> Result<Created, ApiError> {
    let (resume, resume_id) = resolve_resume(db, caller, plan.resume).await?;
    let mut session = Session::new(
        &resume,
        plan.context,
        plan.num_questions,
        engine::new_seed(),
    );
    if session.current().is_none() {
        return Err(ApiError::internal("the engine planned no questions"));
    }
    let planned = std::mem::take(&mut session.questions);
    session.questions = llm
        .reword_questions(&session.context, &resume.skills, planned)
        .await;
    let (questions, state) = engine::to_stored(&session)?;
    let snapshot = engine_json(&resume).map_err(ApiError::internal)?;
    let level = name_of(&session.context.experience_level)?;
    let kind = name_of(&session.context.interview_type)?;
    let id = SessionId::new_random();
    let owner = caller.map(|u| u.id);
    let new = NewSession {
        id,
        owner,
        resume_id,
        target_role: &session.context.target_role,
        experience_level: &level,
        interview_type: &kind,
        company: session.context.company.as_deref(),
        job_description: session.context.job_description.as_deref(),
        mode,
        resume_snapshot: &snapshot,
        questions: &questions,
        engine_state: &state,
    };
    let who = caller.map_or(Role::Service, Role::Writer);
    in_tx(db, who, async |tx| match sessions::insert(tx, &new).await {
        Ok(_) => Ok(()),
        // The resume was deleted between reading it and now.
        Err(e) if e.constraint() == Some("interview_sessions_resume_id_fkey") => {
            Err(ApiError::NotFound { what: "resume" })
        }
        Err(e) => Err(e.into()),
    })
    .await?;
    // An anonymous session's id is the only key to it: it is never logged.
    match owner {
        Some(_) => {
            tracing::info!(session_id = %id, mode = mode.as_str(), questions = session.questions.len(), "session created")
        }
        None => {
            tracing::info!(
                mode = mode.as_str(),
                questions = session.questions.len(),
                "anonymous session created"
            )
        }
    }
    Ok(Created {
        id,
        mode,
        session,
        owner,
    })
}

/// Questions for `plan` without creating a session.
pub async fn plan_questions(
    db: &Db,
    llm: &Llm,
    caller: Option<&AuthUser>,
    plan: SessionPlan,
) -> Result<Vec<Question>, ApiError> {
    let (resume, _) = resolve_resume(db, caller, plan.resume).await?;
    let planned = rehearse_interview::generate(
        &resume,
        &plan.context,
        plan.num_questions,
        engine::new_seed(),
    );
    Ok(llm
        .reword_questions(&plan.context, &resume.skills, planned)
        .await)
}

/// The resume a session draws its questions from. A stored one needs a token
/// (401 without) and must be the caller's (404 otherwise, like a missing one).
async fn resolve_resume(
    db: &Db,
    caller: Option<&AuthUser>,
    source: ResumeSource,
) -> Result<(Resume, Option<ResumeId>), ApiError> {
    match source {
        ResumeSource::Data(resume) => Ok((*resume, None)),
        ResumeSource::Nothing => Ok((Resume::default(), None)),
        ResumeSource::Stored(id) => {
            let user = caller.ok_or_else(|| ApiError::from(AuthError::Missing))?;
            let stored = in_tx(db, Role::User(user), async |tx| {
                Ok(resumes::get(tx, user.id, id).await?)
            })
            .await?
            .ok_or(ApiError::NotFound { what: "resume" })?;
            Ok((resume_from_stored(stored.parsed_json, id), Some(id)))
        }
    }
}

/// A stored resume's `parsed_json` as a resume: the parser's own shape, else read
/// as liberally as a client's; a resume that reads as neither is interviewed
/// without (its questions are then role-based) rather than refused.
fn resume_from_stored(json: Value, id: ResumeId) -> Resume {
    if let Ok(resume) = serde_json::from_value::<Resume>(json.clone()) {
        return resume;
    }
    let liberal = serde_json::from_value::<ClientResume>(json)
        .map_err(|e| e.to_string())
        .and_then(|c| c.validate().map_err(|e| e.to_string()));
    liberal.unwrap_or_else(|e| {
        tracing::warn!(resume_id = %id, error = %e, "stored resume does not read as a resume; interviewing without it");
        Resume::default()
    })
}

/// A session found for a caller, and how it must be reached from now on.
#[derive(Debug, Clone)]
pub struct Located {
    /// `Some` when the session is the caller's own; `None` for an anonymous session.
    pub owner: Option<AuthUser>,
    pub row: SessionRow,
}

impl Located {
    fn who(&self) -> Role<'_> {
        self.owner.as_ref().map_or(Role::Service, Role::User)
    }

    fn owner_id(&self) -> Option<UserId> {
        self.owner.as_ref().map(|u| u.id)
    }
}

/// The session `id` as `caller` may reach it: their own (as them, under
/// row-level security), or an anonymous one (with or without a token). Someone
/// else's is 404 like a missing one; a signed-in user's session without a token
/// is 401, so the client knows to sign in rather than that it vanished.
pub async fn locate(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<Located, ApiError> {
    if let Some(user) = caller {
        let own = in_tx(db, Role::User(user), async |tx| {
            Ok(sessions::get(tx, id, Some(user.id), Lock::No).await?)
        })
        .await?;
        if let Some(row) = own {
            return Ok(Located {
                owner: Some(user.clone()),
                row,
            });
        }
    }
    let (row, owned) = in_tx(db, Role::Service, async |tx| {
        let row = sessions::get(tx, id, None, Lock::No).await?;
        let owned = row.is_none() && caller.is_none() && sessions::is_owned(tx, id).await?;
        Ok((row, owned))
    })
    .await?;
    match row {
        Some(row) => Ok(Located { owner: None, row }),
        None if owned => Err(AuthError::Missing.into()),
        None => Err(not_found()),
    }
}

/// What the caller does with the current question.
#[derive(Debug, Clone, PartialEq)]
pub enum Move {
    Answer {
        text: String,
        duration_seconds: Option<i32>,
    },
    Skip,
}

impl Move {
    /// Whether the stored row records this same move (a retry of it).
    fn matches(&self, stored: &AnswerRow) -> bool {
        match self {
            Self::Answer { text, .. } => {
                !stored.is_skipped && stored.answer_text.as_deref() == Some(text.as_str())
            }
            Self::Skip => stored.is_skipped,
        }
    }
}

/// How soon an identical answer or skip that names no question and carries no
/// `Idempotency-Key` is still taken for a retry of the move just stored (a double
/// click, or a client or proxy resending a request whose response it lost)
/// rather than a move on the next question. Long enough for a double click and a
/// network retry; short enough that a candidate who gives the next question the
/// same answer ("I don't know.") is not mistaken for one, since they first read
/// the next question. Measured on the database's clock (`now()` against the
/// stored row's `created_at`), so every instance sees the same age.
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(5);

/// What tells a retried submission from a new one besides a question named in the
/// body (see [`answer`]): the request's `Idempotency-Key` and the replay window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub key: Option<IdempotencyKey>,
    /// See [`DEFAULT_REPLAY_WINDOW`].
    pub window: Duration,
}

/// No key, the default window.
impl Default for Retry {
    fn default() -> Self {
        Self {
            key: None,
            window: DEFAULT_REPLAY_WINDOW,
        }
    }
}

/// What answering or skipping produced, fresh or replayed.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnOutcome {
    pub session_id: SessionId,
    /// 1-based position of the question answered or skipped.
    pub question_number: u32,
    pub answered: Question,
    /// `None` for a skip.
    pub evaluation: Option<Evaluation>,
    pub interviewer_response: String,
    pub next_question: Option<Question>,
    pub is_complete: bool,
    /// `(current, total)` after the move.
    pub progress: (u32, u32),
    /// True when this was a retry of a move already stored, answered from the
    /// stored result (nothing was written).
    pub replayed: bool,
}

/// Answer the current question, exactly once.
///
/// The move is stored with the session's new position in one transaction whose
/// first statement is a compare-and-set on the position it was computed from, so
/// of two concurrent submissions for one question exactly one is stored and the
/// other answers from it.
///
/// A submission is a retry, answered with the stored result (`replayed`) and
/// writing nothing, in exactly these cases (docs/answers.md):
/// 1. it names a question already answered or skipped (`question_id` /
///    `question_number`) and makes the same move (the same text, or a skip
///    again); a different move there is 409 `question_already_answered`;
/// 2. its `Idempotency-Key` was sent before in this session with the same move
///    (and the same question, when it names one), however long ago; a different
///    move under that key is 422 `idempotency_key_reused`;
/// 3. it has neither, and it repeats the move just stored (same text, or a skip
///    again) within `retry.window` of it.
///
/// Anything else moves on the current question (or is 409 `session_completed`
/// once there is none), so giving two questions in a row the same answer moves
/// the interview on like any other answer.
///
/// With a model, the feedback and the interviewer's reply are its own when
/// usable, and stored as returned.
pub async fn answer(
    db: &Db,
    llm: &Llm,
    caller: Option<&AuthUser>,
    input: AnswerInput,
    retry: &Retry,
) -> Result<TurnOutcome, ApiError> {
    let mv = Move::Answer {
        text: input.text,
        duration_seconds: input.duration_seconds,
    };
    submit(db, llm, caller, input.session_id, input.question, mv, retry).await
}

/// Skip the current question, exactly once and under the same retry rules as
/// [`answer`] (a skip matches a skip).
pub async fn skip(
    db: &Db,
    caller: Option<&AuthUser>,
    input: SkipInput,
    retry: &Retry,
) -> Result<TurnOutcome, ApiError> {
    // A skip's reply is the engine's supportive line: nothing for a model to add.
    let llm = Llm::disabled();
    submit(
        db,
        &llm,
        caller,
        input.session_id,
        input.question,
        Move::Skip,
        retry,
    )
    .await
}

/// What is already stored that a submission may be a retry of.
#[derive(Debug)]
enum Earlier {
    /// The move stored under the submission's `Idempotency-Key`.
    Keyed(AnswerRow),
    /// The question the submission names (1-based) was already answered or
    /// skipped; its stored move, when there is one.
    Named(usize, Option<AnswerRow>),
    /// The move just stored, stored within the replay window.
    Recent(AnswerRow),
    Nothing,
}

/// One read for whichever retry rule applies (see [`answer`]), in that order: a
/// key seen before wins over everything; the window applies only to a submission
/// with neither a key nor a question.
async fn find_earlier(
    tx: &Transaction<'_>,
    id: SessionId,
    owner: Option<UserId>,
    position: usize,
    target: Option<usize>,
    retry: &Retry,
) -> Result<Earlier, ApiError> {
    let number = |n: usize| i32::try_from(n).map_err(ApiError::internal);
    if let Some(key) = &retry.key
        && let Some(row) = sessions::answer_by_key(tx, id, owner, key.as_str()).await?
    {
        return Ok(Earlier::Keyed(row));
    }
    Ok(match target {
        Some(n) if n <= position => {
            Earlier::Named(n, sessions::answer(tx, id, owner, number(n)?).await?)
        }
        Some(_) => Earlier::Nothing,
        None if retry.key.is_none() && position > 0 => {
            sessions::answer_within(tx, id, owner, number(position)?, retry.window)
                .await?
                .map_or(Earlier::Nothing, Earlier::Recent)
        }
        None => Earlier::Nothing,
    })
}

/// A submission for question `n`, for which `stored` is already stored: the same
/// move is a retry of it; a different one is too late, or, under the key that
/// stored it, a reused key.
fn answered_already(
    id: SessionId,
    session: &Session,
    n: usize,
    stored: AnswerRow,
    mv: &Move,
    retry: &Retry,
) -> Result<TurnOutcome, ApiError> {
    let same_key = retry
        .key
        .as_ref()
        .is_some_and(|k| stored.idempotency_key.as_deref() == Some(k.as_str()));
    if mv.matches(&stored) {
        replay(id, session, stored)
    } else if same_key {
        Err(key_reused())
    } else {
        Err(already_answered(n))
    }
}

/// Answer or skip a question, exactly once (see [`answer`]).
async fn submit(
    db: &Db,
    llm: &Llm,
    caller: Option<&AuthUser>,
    id: SessionId,
    target: Option<QuestionRef>,
    mv: Move,
    retry: &Retry,
) -> Result<TurnOutcome, ApiError> {
    let located = locate(db, caller, id).await?;
    let owner = located.owner_id();
    let session = engine::restore(&located.row)?;
    let position = session.position;
    let target = target.map(|t| resolve_ref(&session, &t)).transpose()?;

    let earlier = in_tx(db, located.who(), async |tx| {
        find_earlier(tx, id, owner, position, target, retry).await
    })
    .await?;
    match earlier {
        Earlier::Keyed(row) => {
            let same_question =
                target.is_none_or(|n| usize::try_from(row.question_number).is_ok_and(|m| m == n));
            return if same_question && mv.matches(&row) {
                replay(id, &session, row)
            } else {
                Err(key_reused())
            };
        }
        Earlier::Named(n, Some(row)) => {
            return answered_already(id, &session, n, row, &mv, retry);
        }
        Earlier::Named(n, None) => return Err(already_answered(n)),
        Earlier::Recent(row) if mv.matches(&row) => return replay(id, &session, row),
        // Not a retry: a move on the current question.
        Earlier::Recent(_) | Earlier::Nothing => {}
    }
    if located.row.status != SessionStatus::InProgress || session.is_complete() {
        return Err(session_completed());
    }
    if let Some(n) = target
        && n != position + 1
    {
        return Err(ApiError::conflict(
            "not_current_question",
            format!(
                "question {n} has not been asked yet; the current question is {}",
                position + 1
            ),
        ));
    }

    let mut next = session.clone();
    let mut turn = match &mv {
        Move::Answer { text, .. } => next.record_answer(text),
        Move::Skip => next.record_skip(),
    }
    .ok_or_else(session_completed)?;
    if located.row.mode == SessionMode::Standard {
        keep_the_plan(&session, &mut next, &mut turn);
    }
    if let (Move::Answer { text, .. }, Some(engine_eval)) = (&mv, &turn.evaluation)
        && llm.is_enabled()
    {
        // Both calls at once, each bounded by the model's timeout; before the
        // transaction, so no connection is held while the model thinks. The
        // model judges the answer (the engine's evaluation is its fallback); the
        // reply works from the engine's notes, which are there without waiting.
        let next_is_follow_up = turn.next_question.as_ref().is_some_and(is_follow_up);
        let (evaluation, reply) = tokio::join!(
            llm.judge_answer(&turn.answered, text, &session.context, engine_eval.clone()),
            llm.interviewer_reply(
                &turn.answered,
                text,
                engine_eval,
                next_is_follow_up,
                turn.interviewer_response.clone(),
            ),
        );
        turn.evaluation = Some(evaluation);
        turn.interviewer_response = reply;
    }
    let mut evaluation = turn.evaluation.clone();
    if let Some(e) = evaluation.as_mut() {
        sanitize(e);
    }
    let (questions, state) = engine::to_stored(&next)?;
    let evaluation_json = evaluation
        .as_ref()
        .map(engine_json)
        .transpose()
        .map_err(ApiError::internal)?;
    let dimensions_json = evaluation
        .as_ref()
        .map(|e| engine_json(&e.dimensions))
        .transpose()
        .map_err(ApiError::internal)?;
    let (text, word_count, duration_seconds) = match &mv {
        Move::Answer {
            text,
            duration_seconds,
        } => (Some(text.as_str()), words(text), *duration_seconds),
        Move::Skip => (None, 0, None),
    };
    let asked = &turn.answered;
    let step = Advance {
        session_id: id,
        owner,
        expected_index: i32::try_from(position).map_err(ApiError::internal)?,
        new_index: i32::try_from(next.position).map_err(ApiError::internal)?,
        questions: &questions,
        engine_state: &state,
        answer: NewAnswer {
            question_number: i32::try_from(position + 1).map_err(ApiError::internal)?,
            question_id: &asked.id,
            question_text: &asked.text,
            category: asked.category.as_str(),
            difficulty: asked.difficulty.as_str(),
            is_follow_up: is_follow_up(asked),
            answer_text: text,
            word_count,
            duration_seconds,
            score: evaluation.as_ref().map(|e| f64::from(e.score)),
            dimension_scores: dimensions_json.as_ref(),
            evaluation_summary: evaluation.as_ref().map(|e| e.feedback.as_str()),
            evaluation: evaluation_json.as_ref(),
            interviewer_response: &turn.interviewer_response,
            idempotency_key: retry.key.as_ref().map(IdempotencyKey::as_str),
        },
    };
    // The key needs no check of its own here: it was looked for above, and a
    // submission stored under it since then moved the session from `position`,
    // so this compare-and-set fails and the result is read back below. The
    // unique index on (session, key) is the database's guarantee of the same.
    let stored = in_tx(db, located.who(), async |tx| {
        Ok(sessions::advance(tx, &step).await?)
    })
    .await?;
    if stored {
        return Ok(TurnOutcome {
            session_id: id,
            question_number: u32::try_from(position + 1).map_err(ApiError::internal)?,
            answered: turn.answered,
            evaluation,
            interviewer_response: turn.interviewer_response,
            next_question: turn.next_question,
            is_complete: turn.is_complete,
            progress: next.progress(),
            replayed: false,
        });
    }

    // Lost the race for this question (or the session finished or vanished
    // meanwhile): answer from what is stored now, as for a submission naming it.
    let number = i32::try_from(position + 1).map_err(ApiError::internal)?;
    let (row, stored) = in_tx(db, located.who(), async |tx| {
        let row = sessions::get(tx, id, owner, Lock::No).await?;
        let stored = sessions::answer(tx, id, owner, number).await?;
        Ok((row, stored))
    })
    .await?;
    let row = row.ok_or_else(not_found)?;
    match stored {
        Some(stored) => answered_already(
            id,
            &engine::restore(&row)?,
            position + 1,
            stored,
            &mv,
            retry,
        ),
        None => Err(session_completed()),
    }
}

/// A standard session's client was given every question up front and answers
/// them by id, so its plan never changes: a follow-up the engine inserted (which
/// would shift every later question) is taken back, and the next question and the
/// reply are the plan's. Follow-ups are a conversational-mode feature.
fn keep_the_plan(before: &Session, after: &mut Session, turn: &mut rehearse_interview::Turn) {
    if after.questions == before.questions {
        return;
    }
    after.questions = before.questions.clone();
    after.followed_up = before.followed_up.clone();
    turn.next_question = after.current().cloned();
    turn.is_complete = after.is_complete();
    let seed = before.seed ^ u64::from(turn.answered.number);
    turn.interviewer_response =
        rehearse_interview::interviewer_reply(&turn.answered, turn.evaluation.as_ref(), seed);
}

/// The 1-based position of the question `r` names in `session`.
fn resolve_ref(session: &Session, r: &QuestionRef) -> Result<usize, ApiError> {
    let found = match r {
        QuestionRef::Number(n) => usize::try_from(*n)
            .ok()
            .filter(|n| (1..=session.questions.len()).contains(n)),
        QuestionRef::Id(id) => session
            .questions
            .iter()
            .position(|q| q.id == *id)
            .map(|i| i + 1),
    };
    found.ok_or_else(|| {
        ApiError::unprocessable(
            "unknown_question",
            "question_id / question_number does not name a question of this session",
        )
    })
}

/// The result of a move already stored, as it was first returned.
fn replay(id: SessionId, session: &Session, stored: AnswerRow) -> Result<TurnOutcome, ApiError> {
    let n = usize::try_from(stored.question_number)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::internal("stored question number below 1"))?;
    let total = session.questions.len();
    let answered = asked_question(session, &stored);
    let evaluation = stored
        .evaluation
        .map(serde_json::from_value::<Evaluation>)
        .transpose()
        .map_err(ApiError::internal)?;
    let progress = (
        u32::try_from((n + 1).min(total)).map_err(ApiError::internal)?,
        u32::try_from(total).map_err(ApiError::internal)?,
    );
    Ok(TurnOutcome {
        session_id: id,
        question_number: u32::try_from(n).map_err(ApiError::internal)?,
        answered,
        evaluation,
        interviewer_response: stored.interviewer_response.unwrap_or_default(),
        // Later moves only ever rewrite questions after their own, so the one
        // after `n` is still the one first returned.
        next_question: session.questions.get(n).cloned(),
        is_complete: n >= total,
        progress,
        replayed: true,
    })
}

/// The question a stored answer was given to: the session's own (questions
/// before the position never change), else rebuilt from the row.
fn asked_question(session: &Session, stored: &AnswerRow) -> Question {
    let n = usize::try_from(stored.question_number).unwrap_or_default();
    let own = n
        .checked_sub(1)
        .and_then(|i| session.questions.get(i))
        .filter(|q| stored.question_id.as_deref().is_none_or(|id| id == q.id));
    if let Some(q) = own {
        return q.clone();
    }
    let category = crate::client::parse_category(&stored.category)
        .unwrap_or(rehearse_interview::Category::Technical);
    Question {
        id: stored
            .question_id
            .clone()
            .unwrap_or_else(|| format!("q{n}")),
        number: u32::try_from(n).unwrap_or_default(),
        text: stored.question_text.clone(),
        category,
        difficulty: crate::client::parse_difficulty(&stored.difficulty)
            .unwrap_or(rehearse_interview::Difficulty::Medium),
        topic: String::new(),
        follow_up_of: None,
        expects_star: category == rehearse_interview::Category::Behavioral,
        keywords: Vec::new(),
    }
}

fn words(text: &str) -> i32 {
    i32::try_from(text.split_whitespace().count()).unwrap_or(i32::MAX)
}

/// Score one answer outside any session, with the same engine, the same model
/// as the judge and the same clamping as a session's answers.
pub async fn evaluate_one(
    llm: &Llm,
    question: &Question,
    answer: &str,
    context: &JobContext,
) -> Evaluation {
    let engine = rehearse_interview::evaluate(question, answer, context);
    let mut evaluation = llm.judge_answer(question, answer, context, engine).await;
    sanitize(&mut evaluation);
    evaluation
}

/// Scores inside their ranges whatever the engine (or a model behind it) said:
/// the columns' checks would otherwise turn a bad score into a failed answer.
fn sanitize(e: &mut Evaluation) {
    e.score = clamp(e.score, 10.0);
    let d = &mut e.dimensions;
    for v in [
        &mut d.relevance,
        &mut d.depth,
        &mut d.structure,
        &mut d.specificity,
        &mut d.communication,
    ] {
        *v = clamp(*v, 10.0);
    }
}

/// `v` within 0..=`max`, 0 when not a number, to two decimals (as stored).
fn clamp(v: f32, max: f32) -> f32 {
    if v.is_finite() {
        (v.clamp(0.0, max) * 100.0).round() / 100.0
    } else {
        0.0
    }
}

/// A finalized session's summary, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Finalized {
    pub session_id: SessionId,
    pub summary: Value,
    /// The owner (the caller) when the session is saved to their history.
    pub owner: Option<UserId>,
}

/// Finish the session once: status, results, summary and (for a signed-in
/// caller) their statistics change in one transaction, the first time. The
/// session row is locked first, so concurrent calls queue and every later one
/// returns the stored summary unchanged.
///
/// A signed-in caller finalizing an anonymous session claims it (it and its
/// answers become theirs) in that same transaction; a session already finished
/// anonymously is claimed and counted in their statistics then. An unfinished
/// session can be finalized: the questions not reached count as unanswered (not
/// as skipped, and not as zeros), and no more answers are accepted after.
pub async fn finalize(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<Finalized, ApiError> {
    let Some(user) = caller else {
        let done = in_tx(db, Role::Service, async |tx| {
            match sessions::get(tx, id, None, Lock::ForUpdate).await? {
                Some(row) => finalize_locked(tx, row, None, false).await.map(Some),
                None => Ok(None),
            }
        })
        .await?;
        if let Some(summary) = done {
            return Ok(Finalized {
                session_id: id,
                summary,
                owner: None,
            });
        }
        let owned = in_tx(db, Role::Service, async |tx| {
            Ok(sessions::is_owned(tx, id).await?)
        })
        .await?;
        return Err(if owned {
            AuthError::Missing.into()
        } else {
            not_found()
        });
    };
    let finalized = |summary| Finalized {
        session_id: id,
        summary,
        owner: Some(user.id),
    };
    if let Some(summary) = finalize_own(db, user, id).await? {
        return Ok(finalized(summary));
    }
    let claimed = in_tx(db, Role::Service, async |tx| {
        if !sessions::claim(tx, id, user).await? {
            return Ok(None);
        }
        tracing::info!(session_id = %id, "anonymous session claimed");
        let row = sessions::get(tx, id, Some(user.id), Lock::ForUpdate)
            .await?
            .ok_or_else(|| ApiError::internal("a claimed session vanished in its transaction"))?;
        finalize_locked(tx, row, Some(user.id), true)
            .await
            .map(Some)
    })
    .await?;
    if let Some(summary) = claimed {
        return Ok(finalized(summary));
    }
    // Not anonymous any more: someone claimed it between our two looks (perhaps
    // this user's own concurrent request), or it never was.
    finalize_own(db, user, id)
        .await?
        .map(finalized)
        .ok_or_else(not_found)
}

async fn finalize_own(db: &Db, user: &AuthUser, id: SessionId) -> Result<Option<Value>, ApiError> {
    in_tx(db, Role::User(user), async |tx| {
        match sessions::get(tx, id, Some(user.id), Lock::ForUpdate).await? {
            Some(row) => finalize_locked(tx, row, Some(user.id), false)
                .await
                .map(Some),
            None => Ok(None),
        }
    })
    .await
}

/// Finalize the session `row`, which the transaction has locked. `claimed`: the
/// transaction has just given it to `owner`.
async fn finalize_locked(
    tx: &Transaction<'_>,
    row: SessionRow,
    owner: Option<UserId>,
    claimed: bool,
) -> Result<Value, ApiError> {
    if row.status == SessionStatus::Completed {
        let summary = row
            .summary
            .ok_or_else(|| ApiError::internal("a completed session has no summary"))?;
        // Finished anonymously, owned only now: this is when it counts.
        if claimed && let Some(user) = owner {
            statistics::record_completed_session(tx, user, row.id).await?;
        }
        return Ok(summary);
    }
    let session = engine::restore(&row)?;
    let answers = sessions::answers(tx, row.id, owner).await?;
    let report = build_report(&row, &session, &answers, OffsetDateTime::now_utc())?;
    let completed = sessions::complete(
        tx,
        &Completion {
            session_id: row.id,
            owner,
            completed_at: report.completed_at,
            total_time_seconds: report.duration_seconds,
            average_score: f64::from(report.average_score),
            overall_score: f64::from(report.overall_score),
            performance_tier: report.tier,
            overall_feedback: &report.overall_feedback,
            category_scores: &report.category_scores,
            summary: &report.json,
            topics_covered: &report.topics,
            questions_answered: report.answered,
            questions_skipped: report.skipped,
        },
    )
    .await?;
    if !completed {
        return Err(ApiError::internal(
            "a locked, unfinished session could not be completed",
        ));
    }
    if let Some(user) = owner {
        statistics::record_completed_session(tx, user, row.id).await?;
    }
    match owner {
        Some(_) => {
            tracing::info!(session_id = %row.id, answered = report.answered, skipped = report.skipped, "session completed")
        }
        None => {
            tracing::info!(
                answered = report.answered,
                skipped = report.skipped,
                "anonymous session completed"
            )
        }
    }
    Ok(report.json)
}

/// Everything the finalize step writes.
#[derive(Debug)]
struct Report {
    json: Value,
    completed_at: OffsetDateTime,
    duration_seconds: i32,
    average_score: f32,
    overall_score: f32,
    tier: &'static str,
    overall_feedback: String,
    category_scores: Value,
    topics: Vec<String>,
    answered: i32,
    skipped: i32,
}

/// The summary of `session` from its stored answers. The engine scores it; the
/// bookkeeping the database owns (counts, duration, tier cut-offs, ranges) is set
/// from the rows and the fixed rules, so the summary, the session's columns and
/// the statistics can never disagree.
fn build_report(
    row: &SessionRow,
    session: &Session,
    answers: &[AnswerRow],
    completed_at: OffsetDateTime,
) -> Result<Report, ApiError> {
    let total = session.questions.len();
    let mut asked = Vec::with_capacity(answers.len());
    for a in answers {
        let evaluation = match (&a.evaluation, a.is_skipped) {
            (Some(e), false) => {
                Some(serde_json::from_value::<Evaluation>(e.clone()).map_err(ApiError::internal)?)
            }
            _ => None,
        };
        asked.push(AnsweredQuestion {
            question: asked_question(session, a),
            evaluation,
            duration_seconds: a.duration_seconds.and_then(|d| u32::try_from(d).ok()),
        });
    }
    let answered = answers.iter().filter(|a| !a.is_skipped).count();
    let skipped = answers.len() - answered;
    // The interview's own length: from its start to its last answer or skip, not
    // to whenever the summary happens to be fetched.
    let duration = if answers.is_empty() {
        0
    } else {
        (row.last_activity_at - row.started_at)
            .whole_seconds()
            .clamp(0, i64::from(i32::MAX))
    };
    let duration = i32::try_from(duration).map_err(ApiError::internal)?;
    let duration_u32 = u32::try_from(duration).map_err(ApiError::internal)?;
    let total_u32 = u32::try_from(total).map_err(ApiError::internal)?;

    let mut summary = summarize(&asked, total_u32, Some(duration_u32));
    summary.average_score = clamp(summary.average_score, 10.0);
    summary.overall_score = clamp(summary.overall_score, 100.0);
    let tier = tier(summary.average_score);
    summary.performance_tier = tier.to_owned();
    summary.questions_answered = u32::try_from(answered).map_err(ApiError::internal)?;
    summary.questions_skipped = u32::try_from(skipped).map_err(ApiError::internal)?;
    summary.total_questions = total_u32;
    summary.duration_seconds = Some(duration_u32);

    let mut json = engine_json(&summary).map_err(ApiError::internal)?;
    let Value::Object(map) = &mut json else {
        return Err(ApiError::internal("the summary is not a JSON object"));
    };
    let stamp = |t: OffsetDateTime| t.format(&Rfc3339).map_err(ApiError::internal);
    let details: Vec<Value> = answers
        .iter()
        .map(|a| {
            json!({
                "question_number": a.question_number,
                "question_id": a.question_id,
                "question": a.question_text,
                "category": a.category,
                "difficulty": a.difficulty,
                "is_follow_up": a.is_follow_up,
                "answer_text": a.answer_text,
                "is_skipped": a.is_skipped,
                "score": a.score,
                "feedback": a.evaluation.as_ref().and_then(|e| e.get("feedback")),
                "evaluation": a.evaluation,
                "interviewer_response": a.interviewer_response,
                "duration_seconds": a.duration_seconds,
            })
        })
        .collect();
    for (key, value) in [
        ("session_id", json!(row.id)),
        ("status", json!(SessionStatus::Completed.as_str())),
        ("mode", json!(row.mode.as_str())),
        ("target_role", json!(row.target_role)),
        ("experience_level", json!(row.experience_level)),
        ("interview_type", json!(row.interview_type)),
        ("company", json!(row.company)),
        ("started_at", json!(stamp(row.started_at)?)),
        ("completed_at", json!(stamp(completed_at)?)),
        ("questions_unanswered", json!(total - answers.len())),
        ("answers", Value::Array(details)),
    ] {
        map.insert(key.to_owned(), value);
    }
    Ok(Report {
        category_scores: engine_json(&summary.category_scores).map_err(ApiError::internal)?,
        json,
        completed_at,
        duration_seconds: duration,
        average_score: summary.average_score,
        overall_score: summary.overall_score,
        tier,
        overall_feedback: summary.overall_feedback,
        topics: summary.topics_covered,
        answered: i32::try_from(answered).map_err(ApiError::internal)?,
        skipped: i32::try_from(skipped).map_err(ApiError::internal)?,
    })
}

/// A session as the client sees it on a refresh: where it stands, what was
/// asked and answered so far, and its summary once finished.
#[derive(Debug, Clone)]
pub struct SessionState {
    pub located: Located,
    pub session: Session,
    pub answers: Vec<AnswerRow>,
}

pub async fn state(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<SessionState, ApiError> {
    let located = locate(db, caller, id).await?;
    let owner = located.owner_id();
    let answers = in_tx(db, located.who(), async |tx| {
        Ok(sessions::answers(tx, id, owner).await?)
    })
    .await?;
    let session = engine::restore(&located.row)?;
    Ok(SessionState {
        located,
        session,
        answers,
    })
}

impl SessionState {
    /// Whether the session takes no more answers: finalized, or every question done.
    pub fn is_complete(&self) -> bool {
        self.located.row.status != SessionStatus::InProgress || self.session.is_complete()
    }

    /// The question being asked, while the session takes answers.
    pub fn current_question(&self) -> Option<&Question> {
        if self.located.row.status == SessionStatus::InProgress {
            self.session.current()
        } else {
            None
        }
    }

    /// Each answer or skip so far, with the question it was for.
    pub fn history(&self) -> Vec<(Question, &AnswerRow)> {
        self.answers
            .iter()
            .map(|a| (asked_question(&self.session, a), a))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_clamped_and_rounded_as_stored() {
        assert_eq!(clamp(6.666_666, 10.0), 6.67);
        assert_eq!(clamp(11.0, 10.0), 10.0);
        assert_eq!(clamp(-3.0, 10.0), 0.0);
        assert_eq!(clamp(f32::NAN, 10.0), 0.0);
        assert_eq!(clamp(f32::INFINITY, 100.0), 0.0);
    }

    #[test]
    fn a_retry_matches_only_the_same_move() {
        let row = AnswerRow {
            question_number: 1,
            question_id: Some("q1".into()),
            question_text: "Q".into(),
            category: "technical".into(),
            difficulty: "medium".into(),
            is_follow_up: false,
            answer_text: Some("I used Rust.".into()),
            is_skipped: false,
            word_count: 3,
            duration_seconds: None,
            score: Some(5.0),
            evaluation: None,
            interviewer_response: None,
            idempotency_key: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        let answer = |t: &str| Move::Answer {
            text: t.into(),
            duration_seconds: None,
        };
        assert!(answer("I used Rust.").matches(&row));
        assert!(!answer("I used Go.").matches(&row));
        assert!(!Move::Skip.matches(&row));
        let skipped = AnswerRow {
            answer_text: None,
            is_skipped: true,
            score: None,
            ..row
        };
        assert!(Move::Skip.matches(&skipped));
        assert!(!answer("I used Rust.").matches(&skipped));
    }
}
