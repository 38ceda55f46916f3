//! The user's answer history as the engine reads it: for the practice plan
//! (their weakest areas, and an interview aimed at them) and for spaced
//! repetition when a focused session is planned.

use rehearse_core::AuthUser;
use rehearse_db::{Db, practice};
use rehearse_interview::{Category, Dimensions, PastAnswer, PracticePlan, Recall};
use time::OffsetDateTime;

use crate::error::SessionError;
use crate::requests::parse_category;

/// The user's most recent answers and skips (at most
/// [`practice::MAX_HISTORY`]), newest first.
pub async fn history(db: &Db, user: &AuthUser) -> Result<Vec<PastAnswer>, SessionError> {
    let rows = db
        .as_user(user, async |tx| {
            practice::answer_history(tx, user.id, practice::MAX_HISTORY).await
        })
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| PastAnswer {
            session_id: r.session_id.to_string(),
            question_number: u32::try_from(r.question_number).unwrap_or_default(),
            question_text: r.question_text,
            topic: r.topic,
            // A category this engine no longer knows counts as technical, as
            // stored answers are read elsewhere.
            category: parse_category(&r.category).unwrap_or(Category::Technical),
            is_follow_up: r.is_follow_up,
            skipped: r.is_skipped,
            score: r.score.map(|s| s as f32),
            dimensions: r
                .dimension_scores
                .and_then(|d| serde_json::from_value::<Dimensions>(d).ok()),
            answered_at: r.answered_at.unix_timestamp(),
            target_role: r.target_role,
            experience_level: r.experience_level,
            interview_type: r.interview_type,
        })
        .collect())
}

/// The user's practice plan now.
pub async fn plan(db: &Db, user: &AuthUser) -> Result<PracticePlan, SessionError> {
    let history = history(db, user).await?;
    Ok(rehearse_interview::practice_plan(
        &history,
        OffsetDateTime::now_utc().unix_timestamp(),
    ))
}

/// What spaced repetition knows of the user (nothing for an anonymous caller).
pub async fn recall(db: &Db, caller: Option<&AuthUser>) -> Result<Recall, SessionError> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    match caller {
        Some(user) => Ok(Recall::new(&history(db, user).await?, now)),
        None => Ok(Recall::new(&[], now)),
    }
}
