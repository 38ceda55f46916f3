//! The built-in interview engine: questions tailored to a resume and a role,
//! follow-ups on vague answers, a rubric that scores every answer on five named
//! dimensions, the interviewer's replies, and the end-of-session summary.
//!
//! Pure and deterministic: no I/O, no clock, no randomness beyond the `seed` a
//! session is created with, so a session replays identically from its stored state.
//! It knows nothing of Lambda, Postgres or HTTP; the functions persist its values
//! (all `Serialize`/`Deserialize`) in `interview_sessions` and `interview_answers`.
//!
//! API contract (kept stable for the functions that call it):
//! - [`JobContext::new`] validates the client's job context;
//! - [`generate`] plans exactly `num_questions` questions;
//! - [`evaluate`] scores one answer;
//! - [`Session::record_answer`] / [`Session::record_skip`] advance a live session,
//!   inserting a follow-up within the question budget when an answer was vague;
//! - [`interviewer_reply`] acknowledges an answer or a skip;
//! - [`summarize`] turns the answered questions into the session summary.

mod model;

pub use model::*;
pub use rehearse_resume::Resume;

/// Plan exactly `num_questions` (1..=20) questions for `resume` and `ctx`, without
/// duplicates, deterministic for a given `seed`.
pub fn generate(resume: &Resume, ctx: &JobContext, num_questions: u8, seed: u64) -> Vec<Question> {
    let _ = (resume, ctx, seed);
    (1..=num_questions)
        .map(|n| Question {
            id: format!("q{n}"),
            number: u32::from(n),
            text: format!("Question {n}"),
            category: Category::Technical,
            difficulty: Difficulty::Medium,
            topic: String::new(),
            follow_up_of: None,
            expects_star: false,
            keywords: Vec::new(),
        })
        .collect()
}

/// Score one answer to `question` (0–10, five dimensions, feedback). An empty,
/// gibberish or copied-question answer scores low; never called for a skip.
pub fn evaluate(question: &Question, answer: &str, ctx: &JobContext) -> Evaluation {
    let _ = (question, answer, ctx);
    Evaluation::default()
}

/// One or two natural sentences acknowledging the answer (or, with `None`, a skip);
/// varied by `seed`, never a score.
pub fn interviewer_reply(
    question: &Question,
    evaluation: Option<&Evaluation>,
    seed: u64,
) -> String {
    let _ = (question, evaluation, seed);
    String::from("Thank you.")
}

/// The summary of a finished session.
pub fn summarize(
    answers: &[AnsweredQuestion],
    total_questions: u32,
    duration_seconds: Option<u32>,
) -> Summary {
    let _ = (answers, total_questions, duration_seconds);
    Summary::default()
}
