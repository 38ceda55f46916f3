//! The summary of a finished session, built from its stored answers.

use rehearse_db::sessions::{AnswerRow, SessionRow, SessionStatus};
use rehearse_interview::{AnsweredQuestion, Evaluation, Session, summarize, tier};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::engine::asked_question;
use crate::error::SessionError;
use crate::scoring::clamp;
use crate::view::engine_json;

/// Everything the finalize step writes.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) json: Value,
    pub(crate) completed_at: OffsetDateTime,
    pub(crate) duration_seconds: i32,
    pub(crate) average_score: f32,
    pub(crate) overall_score: f32,
    pub(crate) tier: &'static str,
    pub(crate) overall_feedback: String,
    pub(crate) category_scores: Value,
    pub(crate) topics: Vec<String>,
    pub(crate) answered: i32,
    pub(crate) skipped: i32,
}

/// The summary of `session` from its stored answers. The engine scores it; the
/// bookkeeping the database owns (counts, duration, tier cut-offs, ranges) is set
/// from the rows and the fixed rules, so the summary, the session's columns and
/// the statistics can never disagree.
pub(crate) fn build_report(
    row: &SessionRow,
    session: &Session,
    answers: &[AnswerRow],
    completed_at: OffsetDateTime,
) -> Result<Report, SessionError> {
    let total = session.questions.len();
    let mut asked = Vec::with_capacity(answers.len());
    for a in answers {
        let evaluation = match (&a.evaluation, a.is_skipped) {
            (Some(e), false) => Some(
                serde_json::from_value::<Evaluation>(e.clone()).map_err(SessionError::invariant)?,
            ),
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
    let duration = i32::try_from(duration).map_err(SessionError::invariant)?;
    let duration_u32 = u32::try_from(duration).map_err(SessionError::invariant)?;
    let total_u32 = u32::try_from(total).map_err(SessionError::invariant)?;

    let mut summary = summarize(&asked, total_u32, Some(duration_u32));
    summary.average_score = clamp(summary.average_score, 10.0);
    summary.overall_score = clamp(summary.overall_score, 100.0);
    let tier = tier(summary.average_score);
    summary.performance_tier = tier.to_owned();
    summary.questions_answered = u32::try_from(answered).map_err(SessionError::invariant)?;
    summary.questions_skipped = u32::try_from(skipped).map_err(SessionError::invariant)?;
    summary.total_questions = total_u32;
    summary.duration_seconds = Some(duration_u32);

    let mut json = engine_json(&summary).map_err(SessionError::invariant)?;
    let Value::Object(map) = &mut json else {
        return Err(SessionError::invariant("the summary is not a JSON object"));
    };
    let stamp = |t: OffsetDateTime| t.format(&Rfc3339).map_err(SessionError::invariant);
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
        category_scores: engine_json(&summary.category_scores).map_err(SessionError::invariant)?,
        json,
        completed_at,
        duration_seconds: duration,
        average_score: summary.average_score,
        overall_score: summary.overall_score,
        tier,
        overall_feedback: summary.overall_feedback,
        topics: summary.topics_covered,
        answered: i32::try_from(answered).map_err(SessionError::invariant)?,
        skipped: i32::try_from(skipped).map_err(SessionError::invariant)?,
    })
}
