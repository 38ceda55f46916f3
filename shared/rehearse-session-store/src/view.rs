//! What the client sees of the engine's values.

use rehearse_interview::{Category, Question};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{Created, TurnOutcome};

/// A question as the client sees it: `{id, question, category, difficulty, ...}`.
/// The engine's `keywords` (the terms a strong answer is expected to use) stay on
/// the server: shown beside the question they would be the answer key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionView<'a> {
    pub id: &'a str,
    pub number: u32,
    pub question: &'a str,
    pub category: &'static str,
    pub difficulty: &'static str,
    pub topic: &'a str,
    pub is_follow_up: bool,
    pub follow_up_of: Option<u32>,
    pub expects_star: bool,
}

impl<'a> QuestionView<'a> {
    pub fn new(q: &'a Question) -> Self {
        Self {
            id: &q.id,
            number: q.number,
            question: &q.text,
            category: q.category.as_str(),
            difficulty: q.difficulty.as_str(),
            topic: &q.topic,
            is_follow_up: is_follow_up(q),
            follow_up_of: q.follow_up_of,
            expects_star: q.expects_star,
        }
    }
}

pub fn is_follow_up(q: &Question) -> bool {
    q.follow_up_of.is_some() || q.category == Category::FollowUp
}

/// A question as JSON (`null` for none).
pub fn question_json(q: Option<&Question>) -> Value {
    q.map(|q| json!(QuestionView::new(q)))
        .unwrap_or(Value::Null)
}

/// Every question, in order.
pub fn questions_json(qs: &[Question]) -> Value {
    Value::Array(qs.iter().map(|q| json!(QuestionView::new(q))).collect())
}

/// `{current, total}`: `current` is the 1-based number of the question being
/// asked, `total` once the session is complete.
pub fn progress_json((current, total): (u32, u32)) -> Value {
    json!({ "current": current, "total": total })
}

/// A new session as both create routes answer it: the opening question (also
/// as `current_question`), the count and progress, and whether it was saved to
/// the caller's history. The standard route adds every question, `questions`.
pub fn created_json(created: &Created) -> Value {
    let session = &created.session;
    let opening = question_json(session.current());
    json!({
        "success": true,
        "session_id": created.id,
        "mode": created.mode.as_str(),
        "opening_question": opening,
        "current_question": opening,
        "total_questions": session.questions.len(),
        "progress": progress_json(session.progress()),
        "saved_to_database": created.owner.is_some(),
    })
}

/// A stored (or replayed) answer as both answer routes reply: its evaluation,
/// the interviewer's reply and what comes next. The standard route adds the
/// answered `question_id`.
pub fn answered_json(turn: &TurnOutcome) -> Value {
    json!({
        "success": true,
        "session_id": turn.session_id,
        "question_number": turn.question_number,
        "evaluation": evaluation_json(turn.evaluation.as_ref()),
        "interviewer_response": turn.interviewer_response,
        "is_complete": turn.is_complete,
        "next_question": question_json(turn.next_question.as_ref()),
        "progress": progress_json(turn.progress),
        "replayed": turn.replayed,
    })
}

/// `value` as JSON, with the engine's `f32` numbers written as the decimals they
/// are (`2.4`, not `2.4000000953674316`: `serde_json::to_value` widens an `f32` to
/// the nearest `f64`, which is what a client would otherwise see and store).
pub fn engine_json<T: Serialize>(value: &T) -> Result<Value, serde_json::Error> {
    let mut json = serde_json::to_value(value)?;
    tidy_floats(&mut json);
    Ok(json)
}

/// An evaluation as JSON (`null` for none, i.e. a skip).
pub fn evaluation_json<T: Serialize>(evaluation: Option<&T>) -> Value {
    evaluation
        .and_then(|e| engine_json(e).ok())
        .unwrap_or(Value::Null)
}

fn tidy_floats(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                let narrow = f as f32;
                // Only numbers that were f32 to begin with; others are left exact.
                if f64::from(narrow) == f
                    && let Ok(short) = narrow.to_string().parse::<f64>()
                    && let Some(tidy) = serde_json::Number::from_f64(short)
                {
                    *n = tidy;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_floats),
        Value::Object(map) => map.values_mut().for_each(tidy_floats),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Scores {
        score: f32,
        exact: f64,
        nested: Vec<f32>,
        count: u32,
    }

    #[test]
    fn engine_floats_become_their_decimals() {
        let json = engine_json(&Scores {
            score: 2.4,
            exact: 0.1 + 0.2,
            nested: vec![6.7, 10.0],
            count: 3,
        })
        .unwrap();
        assert_eq!(
            json.to_string(),
            r#"{"count":3,"exact":0.30000000000000004,"nested":[6.7,10.0],"score":2.4}"#
        );
    }

    #[test]
    fn an_evaluation_says_who_scored_it_and_on_what_evidence() {
        let engine = rehearse_interview::Evaluation {
            score: 4.2,
            ..Default::default()
        };
        let json = evaluation_json(Some(&engine));
        assert_eq!(json["scored_by"], "engine");
        assert_eq!(json["score"], 4.2);
        let judged = rehearse_interview::Evaluation {
            scored_by: rehearse_interview::ScoredBy::Llm,
            evidence: vec!["p99 fell to 35 ms".into()],
            ..engine
        };
        let json = evaluation_json(Some(&judged));
        assert_eq!(json["scored_by"], "llm");
        assert_eq!(json["evidence"], json!(["p99 fell to 35 ms"]));
    }
}
