//! Taking a turn: answering or skipping the current question, exactly once.

use rehearse_core::{AuthUser, SessionId, UserId};
use rehearse_db::Db;
use rehearse_db::sessions::{
    self, Advance, AnswerRow, Lock, NewAnswer, SessionMode, SessionRow, SessionStatus,
};
use rehearse_interview::{Evaluation, Session, Turn};
use rehearse_llm::Llm;
use serde_json::Value;

use crate::engine;
use crate::error::SessionError;
use crate::locate::locate_and;
use crate::requests::{AnswerInput, IdempotencyKey, QuestionRef, SkipInput};
use crate::retry::{Earlier, Move, Retry, TurnOutcome, answered_already, find_earlier, replay};
use crate::scoring::{sanitize, words};
use crate::view::{engine_json, is_follow_up};

/// Answer the current question, exactly once.
///
/// Two transactions: one reads the session and whatever the submission may be
/// a retry of; the other stores the move with the session's new position, its
/// first statement a compare-and-set on the position the move was computed
/// from, so of two concurrent submissions for one question exactly one is
/// stored and the other answers from it (read in that same transaction). A
/// model, when configured, is asked between the two, holding no connection.
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
) -> Result<TurnOutcome, SessionError> {
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
) -> Result<TurnOutcome, SessionError> {
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

/// What the read transaction found (see [`answer`]).
struct Found {
    session: Session,
    target: Option<usize>,
    earlier: Earlier,
}

/// What the write transaction did: stored the move, or lost the compare-and-set
/// (to a concurrent submission, or the session finished or vanished meanwhile)
/// and read what is stored now instead.
enum Written {
    Stored,
    Lost(Box<(Option<SessionRow>, Option<AnswerRow>)>),
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
) -> Result<TurnOutcome, SessionError> {
    let (located, found) = locate_and(db, caller, id, async |tx, row| {
        let session = engine::restore(row)?;
        let target = target
            .as_ref()
            .map(|t| resolve_ref(&session, t))
            .transpose()?;
        let earlier = find_earlier(tx, id, row.user_id, session.position, target, retry).await?;
        Ok(Found {
            session,
            target,
            earlier,
        })
    })
    .await?;
    let Found {
        session,
        target,
        earlier,
    } = found;
    let position = session.position;
    match earlier {
        Earlier::Keyed(row) => {
            let same_question =
                target.is_none_or(|n| usize::try_from(row.question_number).is_ok_and(|m| m == n));
            return if same_question && mv.matches(&row) {
                replay(id, &session, row)
            } else {
                Err(SessionError::KeyReused)
            };
        }
        Earlier::Named(n, Some(row)) => {
            return answered_already(id, &session, n, row, &mv, retry);
        }
        Earlier::Named(n, None) => return Err(SessionError::AlreadyAnswered(n)),
        Earlier::Recent(row) if mv.matches(&row) => return replay(id, &session, row),
        // Not a retry: a move on the current question.
        Earlier::Recent(_) | Earlier::Nothing => {}
    }
    if located.row.status != SessionStatus::InProgress || session.is_complete() {
        return Err(SessionError::Finished);
    }
    if let Some(n) = target
        && n != position + 1
    {
        return Err(SessionError::NotCurrentQuestion {
            named: n,
            current: position + 1,
        });
    }

    let mut next = session.clone();
    let mut turn = match &mv {
        Move::Answer { text, .. } => next.record_answer(text),
        Move::Skip => next.record_skip(),
    }
    .ok_or(SessionError::Finished)?;
    if located.row.mode == SessionMode::Standard {
        keep_the_plan(&session, &mut next, &mut turn);
    }
    if let Move::Answer { text, .. } = &mv {
        ask_the_model(llm, &session, &mut turn, text).await;
    }
    let mut evaluation = turn.evaluation.clone();
    if let Some(e) = evaluation.as_mut() {
        sanitize(e);
    }
    let (questions, state) = engine::to_stored(&next)?;
    let json = |v: Option<Result<Value, serde_json::Error>>| {
        v.transpose().map_err(SessionError::invariant)
    };
    let owner = located.owner_id();
    let record = Record {
        id,
        owner,
        position,
        next: &next,
        turn: &turn,
        mv: &mv,
        evaluation: evaluation.as_ref(),
        key: retry.key.as_ref(),
        questions,
        state,
        evaluation_json: json(evaluation.as_ref().map(engine_json))?,
        dimensions_json: json(evaluation.as_ref().map(|e| engine_json(&e.dimensions)))?,
    };
    let step = record.advance()?;
    // The key needs no check of its own here: it was looked for above, and a
    // submission stored under it since then moved the session from `position`,
    // so this compare-and-set fails and the result is read back below. The
    // unique index on (session, key) is the database's guarantee of the same.
    let number = step.answer.question_number;
    let written = db
        .transaction(located.who(), async |tx| {
            if sessions::advance(tx, &step).await? {
                return Ok::<_, SessionError>(Written::Stored);
            }
            let row = sessions::get(tx, id, owner, Lock::No).await?;
            let stored = sessions::answer(tx, id, owner, number).await?;
            Ok(Written::Lost(Box::new((row, stored))))
        })
        .await?;
    match written {
        Written::Stored => Ok(TurnOutcome {
            session_id: id,
            question_number: u32::try_from(position + 1).map_err(SessionError::invariant)?,
            answered: turn.answered,
            evaluation,
            interviewer_response: turn.interviewer_response,
            next_question: turn.next_question,
            is_complete: turn.is_complete,
            progress: next.progress(),
            replayed: false,
        }),
        // Lost the race for this question: answer from what is stored now, as
        // for a submission naming it.
        Written::Lost(lost) => {
            let (row, stored) = *lost;
            let row = row.ok_or(SessionError::NotFound)?;
            match stored {
                Some(stored) => answered_already(
                    id,
                    &engine::restore(&row)?,
                    position + 1,
                    stored,
                    &mv,
                    retry,
                ),
                None => Err(SessionError::Finished),
            }
        }
    }
}

/// With a model, its judgement of the answer and its interviewer reply replace
/// the engine's (which stay as the fallback when it fails). Both calls at once,
/// each bounded by the model's timeout, and outside any transaction, so no
/// connection is held while the model thinks. The reply works from the
/// engine's notes, which are there without waiting.
async fn ask_the_model(llm: &Llm, session: &Session, turn: &mut Turn, text: &str) {
    let Some(engine_eval) = turn.evaluation.as_ref().filter(|_| llm.is_enabled()) else {
        return;
    };
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

/// Everything a move stores, with its JSON documents owned so that the
/// [`Advance`] can borrow them.
struct Record<'a> {
    id: SessionId,
    owner: Option<UserId>,
    /// The position the move was computed from: the compare-and-set's target.
    position: usize,
    next: &'a Session,
    turn: &'a Turn,
    mv: &'a Move,
    /// Sanitized (see [`sanitize`]).
    evaluation: Option<&'a Evaluation>,
    key: Option<&'a IdempotencyKey>,
    questions: Value,
    state: Value,
    evaluation_json: Option<Value>,
    dimensions_json: Option<Value>,
}

impl Record<'_> {
    fn advance(&self) -> Result<Advance<'_>, SessionError> {
        let index = |n: usize| i32::try_from(n).map_err(SessionError::invariant);
        let (text, word_count, duration_seconds) = match self.mv {
            Move::Answer {
                text,
                duration_seconds,
            } => (Some(text.as_str()), words(text), *duration_seconds),
            Move::Skip => (None, 0, None),
        };
        let asked = &self.turn.answered;
        Ok(Advance {
            session_id: self.id,
            owner: self.owner,
            expected_index: index(self.position)?,
            new_index: index(self.next.position)?,
            questions: &self.questions,
            engine_state: &self.state,
            answer: NewAnswer {
                question_number: index(self.position + 1)?,
                question_id: &asked.id,
                question_text: &asked.text,
                category: asked.category.as_str(),
                difficulty: asked.difficulty.as_str(),
                is_follow_up: is_follow_up(asked),
                answer_text: text,
                word_count,
                duration_seconds,
                score: self.evaluation.map(|e| f64::from(e.score)),
                dimension_scores: self.dimensions_json.as_ref(),
                evaluation_summary: self.evaluation.map(|e| e.feedback.as_str()),
                evaluation: self.evaluation_json.as_ref(),
                interviewer_response: &self.turn.interviewer_response,
                idempotency_key: self.key.map(IdempotencyKey::as_str),
            },
        })
    }
}

/// A standard session's client was given every question up front and answers
/// them by id, so its plan never changes: a follow-up the engine inserted (which
/// would shift every later question) is taken back, and the next question and the
/// reply are the plan's. Follow-ups are a conversational-mode feature.
fn keep_the_plan(before: &Session, after: &mut Session, turn: &mut Turn) {
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
fn resolve_ref(session: &Session, r: &QuestionRef) -> Result<usize, SessionError> {
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
    found.ok_or(SessionError::UnknownQuestion)
}
