//! Telling a retried answer or skip from a new move, and answering a retry from
//! what is stored (the rules: [`crate::answer`], docs/answers.md).

use std::time::Duration;

use rehearse_core::{SessionId, UserId};
use rehearse_db::Transaction;
use rehearse_db::sessions::{self, AnswerRow};
use rehearse_interview::{Evaluation, Question, Session};

use crate::engine::asked_question;
use crate::error::SessionError;
use crate::requests::IdempotencyKey;

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
    pub(crate) fn matches(&self, stored: &AnswerRow) -> bool {
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
/// body (see [`crate::answer`]): the request's `Idempotency-Key` and the replay window.
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

/// What is already stored that a submission may be a retry of.
#[derive(Debug)]
pub(crate) enum Earlier {
    /// The move stored under the submission's `Idempotency-Key`.
    Keyed(AnswerRow),
    /// The question the submission names (1-based) was already answered or
    /// skipped; its stored move, when there is one.
    Named(usize, Option<AnswerRow>),
    /// The move just stored, stored within the replay window.
    Recent(AnswerRow),
    Nothing,
}

/// One read for whichever retry rule applies (see [`crate::answer`]), in that order: a
/// key seen before wins over everything; the window applies only to a submission
/// with neither a key nor a question.
pub(crate) async fn find_earlier(
    tx: &Transaction<'_>,
    id: SessionId,
    owner: Option<UserId>,
    position: usize,
    target: Option<usize>,
    retry: &Retry,
) -> Result<Earlier, SessionError> {
    let number = |n: usize| i32::try_from(n).map_err(SessionError::invariant);
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
pub(crate) fn answered_already(
    id: SessionId,
    session: &Session,
    n: usize,
    stored: AnswerRow,
    mv: &Move,
    retry: &Retry,
) -> Result<TurnOutcome, SessionError> {
    let same_key = retry
        .key
        .as_ref()
        .is_some_and(|k| stored.idempotency_key.as_deref() == Some(k.as_str()));
    if mv.matches(&stored) {
        replay(id, session, stored)
    } else if same_key {
        Err(SessionError::KeyReused)
    } else {
        Err(SessionError::AlreadyAnswered(n))
    }
}

/// The result of a move already stored, as it was first returned.
pub(crate) fn replay(
    id: SessionId,
    session: &Session,
    stored: AnswerRow,
) -> Result<TurnOutcome, SessionError> {
    let n = usize::try_from(stored.question_number)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| SessionError::invariant("stored question number below 1"))?;
    let total = session.questions.len();
    let answered = asked_question(session, &stored);
    let evaluation = stored
        .evaluation
        .map(serde_json::from_value::<Evaluation>)
        .transpose()
        .map_err(SessionError::invariant)?;
    let progress = (
        u32::try_from((n + 1).min(total)).map_err(SessionError::invariant)?,
        u32::try_from(total).map_err(SessionError::invariant)?,
    );
    Ok(TurnOutcome {
        session_id: id,
        question_number: u32::try_from(n).map_err(SessionError::invariant)?,
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

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;

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
