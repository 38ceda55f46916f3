//! The engine's live session, to and from its stored row.
//!
//! The row holds it in three places: `questions` (the plan, which a follow-up
//! rewrites), `current_question_index` (the position, the compare-and-set target)
//! and `engine_state` (seed, follow-ups, validated context). Restoring from these
//! alone is what lets any instance, cold or warm, continue any session.

use crate::error::SessionError;
use rehearse_db::sessions::{AnswerRow, SessionRow};
use rehearse_interview::{JobContext, Question, Session};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format of `engine_state`; bump it (and keep reading the old one) if it changes.
const STATE_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct EngineState {
    version: u32,
    /// A decimal string: JSON readers that hold numbers as doubles (JavaScript,
    /// many SQL tools) would silently round a 64-bit seed.
    seed: String,
    followed_up: Vec<String>,
    context: JobContext,
}

/// A fresh seed: 64 random bits from a v4 UUID (its two halves XORed, which
/// covers the fixed version and variant bits of each with random ones).
pub fn new_seed() -> u64 {
    let (hi, lo) = uuid::Uuid::new_v4().as_u64_pair();
    hi ^ lo
}

/// `questions` and `engine_state` for `session`.
pub fn to_stored(session: &Session) -> Result<(Value, Value), SessionError> {
    let questions = serde_json::to_value(&session.questions).map_err(SessionError::invariant)?;
    let state = serde_json::to_value(EngineState {
        version: STATE_VERSION,
        seed: session.seed.to_string(),
        followed_up: session.followed_up.clone(),
        context: session.context.clone(),
    })
    .map_err(SessionError::invariant)?;
    Ok((questions, state))
}

/// The live session a row holds. A row that does not read back is our bug (or a
/// hand edit), never the client's: a 500 that names the session in the log when
/// it has an owner (an anonymous session's id is the key to it, never logged).
pub fn restore(row: &SessionRow) -> Result<Session, SessionError> {
    let corrupt = |what: &str, e: &dyn std::fmt::Display| {
        let session = match row.user_id {
            Some(_) => row.id.to_string(),
            None => "(anonymous)".to_owned(),
        };
        tracing::error!(session = %session, error = %e, "stored session has unreadable {what}");
        SessionError::Invariant(format!("session {session} has unreadable {what}"))
    };
    let questions: Vec<Question> =
        serde_json::from_value(row.questions.clone()).map_err(|e| corrupt("questions", &e))?;
    let state: EngineState = serde_json::from_value(row.engine_state.clone())
        .map_err(|e| corrupt("engine state", &e))?;
    if state.version != STATE_VERSION {
        return Err(corrupt(
            "engine state",
            &format!("version {}", state.version),
        ));
    }
    let seed: u64 = state.seed.parse().map_err(|e| corrupt("seed", &e))?;
    let position = usize::try_from(row.current_question_index)
        .map_err(|e| corrupt("position", &e))?
        .min(questions.len());
    Ok(Session {
        context: state.context,
        questions,
        position,
        seed,
        followed_up: state.followed_up,
    })
}

/// The question a stored answer was given to: the session's own (questions
/// before the position never change), else rebuilt from the row.
pub fn asked_question(session: &Session, stored: &AnswerRow) -> Question {
    let n = usize::try_from(stored.question_number).unwrap_or_default();
    let own = n
        .checked_sub(1)
        .and_then(|i| session.questions.get(i))
        .filter(|q| stored.question_id.as_deref().is_none_or(|id| id == q.id));
    if let Some(q) = own {
        return q.clone();
    }
    let category = crate::requests::parse_category(&stored.category)
        .unwrap_or(rehearse_interview::Category::Technical);
    Question {
        id: stored
            .question_id
            .clone()
            .unwrap_or_else(|| format!("q{n}")),
        number: u32::try_from(n).unwrap_or_default(),
        text: stored.question_text.clone(),
        category,
        difficulty: crate::requests::parse_difficulty(&stored.difficulty)
            .unwrap_or(rehearse_interview::Difficulty::Medium),
        topic: String::new(),
        follow_up_of: None,
        expects_star: category == rehearse_interview::Category::Behavioral,
        keywords: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use rehearse_interview::Resume;

    use super::*;

    #[test]
    fn seeds_differ_and_use_all_64_bits() {
        let seeds: Vec<u64> = (0..64).map(|_| new_seed()).collect();
        let mut unique = seeds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seeds.len());
        let ones = seeds.iter().fold(0u64, |acc, s| acc | s);
        assert_eq!(ones, u64::MAX, "some bit is never set");
    }

    #[test]
    fn the_stored_state_keeps_a_full_64_bit_seed() {
        let ctx = JobContext::new("Backend Engineer", "5+", "technical", None, None).unwrap();
        let mut session = Session::new(&Resume::default(), ctx, 3, u64::MAX - 1);
        session.followed_up.push("rust".into());
        let (questions, state) = to_stored(&session).unwrap();
        assert_eq!(state["seed"], "18446744073709551614");
        let back: EngineState = serde_json::from_value(state).unwrap();
        assert_eq!(back.followed_up, vec!["rust".to_owned()]);
        let qs: Vec<Question> = serde_json::from_value(questions).unwrap();
        assert_eq!(qs, session.questions);
    }
}
