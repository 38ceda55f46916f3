//! The engine's output, improved by a chat model when one is configured.
//!
//! Every method takes the engine's result and returns either the model's
//! validated improvement of it or the engine's result unchanged: the model may
//! reword and explain, never restructure. Question ids, order, categories and
//! difficulties, rubric dimensions and the STAR breakdown always stay the
//! engine's. Scores: the model's own 0–10 judgement may move the engine's score
//! by at most one point (it can see whether an answer is *correct*, which the
//! heuristic engine cannot), so a score keeps meaning what the rubric's bands say.

use std::sync::Arc;

use rehearse_core::config::Source;
use rehearse_interview::{Evaluation, JobContext, Question};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::LlmConfig;
use crate::chat::{Chat, LlmError};

/// The most the model may move the engine's score, in points of 10.
pub const MAX_SCORE_SHIFT: f32 = 1.0;

const MAX_QUESTION_CHARS: usize = 400;
const MIN_QUESTION_CHARS: usize = 10;
const MAX_REPLY_CHARS: usize = 300;
const MAX_FEEDBACK_CHARS: usize = 700;
const MAX_POINT_CHARS: usize = 240;
const MAX_POINTS: usize = 5;
/// What of an answer the model sees: enough for any real answer's substance,
/// bounded so a 10,000-character answer does not blow the prompt budget.
const MAX_ANSWER_CHARS_SENT: usize = 4_000;

/// The optional chat model. Cheap to clone; `Llm::disabled()` is the built-in
/// engine alone.
#[derive(Debug, Clone, Default)]
pub struct Llm {
    chat: Option<Arc<Chat>>,
}

impl Llm {
    pub fn disabled() -> Self {
        Self::default()
    }

    pub fn new(config: LlmConfig) -> Result<Self, reqwest::Error> {
        tracing::info!(base_url = %config.base_url, model = %config.model, timeout_ms = config.timeout.as_millis() as u64, "LLM enabled");
        Ok(Self {
            chat: Some(Arc::new(Chat::new(config)?)),
        })
    }

    /// From `LLM_*` / `GROQ_API_KEY` (see [`LlmConfig::from_env`]).
    pub fn from_env(env: &impl Source) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        match LlmConfig::from_env(env)? {
            Some(config) => Ok(Self::new(config)?),
            None => Ok(Self::disabled()),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.chat.is_some()
    }

    /// Run one task; `None` (after a warning) when the model is off or its reply
    /// is not usable.
    async fn ask<T: DeserializeOwned>(
        &self,
        task: &'static str,
        system: &str,
        user: &str,
        max_tokens: u32,
        check: impl FnOnce(T) -> Result<T, String>,
    ) -> Option<T> {
        let chat = self.chat.as_ref()?;
        let outcome = match chat.complete(system, user, max_tokens).await {
            Ok(text) => serde_json::from_str::<T>(&text)
                .map_err(|e| LlmError::BadReply(format!("does not match the schema: {e}")))
                .and_then(|v| check(v).map_err(LlmError::BadReply)),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(task, error = %e, "model output not used; keeping the built-in engine's");
                None
            }
        }
    }

    /// The engine's planned `questions`, reworded for the candidate and role: the
    /// same questions (ids, order, categories, difficulty, topics), more natural
    /// text. The engine's wording when the reply is not exactly that.
    pub async fn reword_questions(
        &self,
        context: &JobContext,
        skills: &[String],
        questions: Vec<Question>,
    ) -> Vec<Question> {
        if !self.is_enabled() || questions.is_empty() {
            return questions;
        }
        let planned: Vec<_> = questions
            .iter()
            .map(|q| {
                json!({
                    "id": q.id,
                    "category": q.category.as_str(),
                    "difficulty": q.difficulty.as_str(),
                    "topic": q.topic,
                    "question": q.text,
                })
            })
            .collect();
        let user = json!({
            "job": job_json(context),
            "candidate_skills": skills.iter().take(15).collect::<Vec<_>>(),
            "questions": planned,
        })
        .to_string();
        let ids: Vec<&str> = questions.iter().map(|q| q.id.as_str()).collect();
        let reply: Option<Reworded> = self
            .ask(
                "reword_questions",
                REWORD_PROMPT,
                &user,
                2_000,
                |r: Reworded| check_reworded(&r, &ids).map(|()| r),
            )
            .await;
        let Some(reply) = reply else {
            return questions;
        };
        questions
            .into_iter()
            .zip(reply.questions)
            .map(|(mut q, r)| {
                q.text = r.question.trim().to_owned();
                q
            })
            .collect()
    }

    /// The interviewer's reply to an answer: the model's one or two sentences, or
    /// `engine_reply`. `next_is_follow_up` says the next question digs into this
    /// answer (the reply then leads into it rather than moving on).
    pub async fn interviewer_reply(
        &self,
        question: &Question,
        answer: &str,
        evaluation: &Evaluation,
        next_is_follow_up: bool,
        engine_reply: String,
    ) -> String {
        if !self.is_enabled() {
            return engine_reply;
        }
        let user = json!({
            "question": question.text,
            "answer": bounded(answer),
            "what_went_well": evaluation.strengths,
            "what_was_missing": evaluation.improvements,
            "next_question_is_a_follow_up_on_this_answer": next_is_follow_up,
        })
        .to_string();
        self.ask("interviewer_reply", REPLY_PROMPT, &user, 200, |r: Reply| {
            check_reply(&r.reply).map(|()| r)
        })
        .await
        .map_or(engine_reply, |r| r.reply.trim().to_owned())
    }

    /// `evaluation` with the model's feedback, strengths and improvements, and its
    /// score blended in (at most [`MAX_SCORE_SHIFT`] from the engine's). The
    /// engine's evaluation unchanged when the reply is not usable.
    pub async fn enrich_evaluation(
        &self,
        question: &Question,
        answer: &str,
        context: &JobContext,
        evaluation: Evaluation,
    ) -> Evaluation {
        if !self.is_enabled() {
            return evaluation;
        }
        let user = json!({
            "job": job_json(context),
            "question": {
                "text": question.text,
                "category": question.category.as_str(),
                "difficulty": question.difficulty.as_str(),
                "expects_star": question.expects_star,
            },
            "answer": bounded(answer),
            "rubric_assessment": {
                "score": evaluation.score,
                "dimensions": evaluation.dimensions,
                "strengths": evaluation.strengths,
                "improvements": evaluation.improvements,
            },
        })
        .to_string();
        let Some(reply) = self
            .ask(
                "enrich_evaluation",
                FEEDBACK_PROMPT,
                &user,
                700,
                |r: Feedback| check_feedback(&r).map(|()| r),
            )
            .await
        else {
            return evaluation;
        };
        blend(evaluation, reply)
    }
}

fn job_json(c: &JobContext) -> serde_json::Value {
    json!({
        "target_role": c.target_role,
        "experience_level": c.experience_level,
        "interview_type": c.interview_type,
        "company": c.company,
    })
}

fn bounded(answer: &str) -> String {
    answer.chars().take(MAX_ANSWER_CHARS_SENT).collect()
}

const REWORD_PROMPT: &str = "You are an experienced interviewer preparing a mock interview. \
You receive the job, the candidate's skills and the planned questions as JSON. Reword each \
question so it sounds natural when spoken and fits this candidate and role. Keep every \
question's id, meaning, topic and difficulty; do not add, drop, merge or reorder questions; \
keep names of employers, projects and technologies. One question each, at most 300 characters. \
Answer with JSON only: {\"questions\": [{\"id\": \"<same id>\", \"question\": \"<reworded>\"}]}";

const REPLY_PROMPT: &str = "You are a friendly, professional interviewer in a mock interview. \
Given the question, the candidate's answer and notes on it as JSON, acknowledge the answer in \
one or two short natural sentences: specific to what they said, encouraging but honest. Never \
mention a score or grade, do not ask a question (the next question follows separately), and if \
the next question is a follow-up on this answer, lead into digging deeper. At most 250 characters. \
Answer with JSON only: {\"reply\": \"<your sentences>\"}";

const FEEDBACK_PROMPT: &str = "You are an interview coach. You receive a question, the \
candidate's answer and a rubric assessment as JSON. Scores are 0-10 on fixed bands: 9-10 \
exceptional (specific, well structured, measurable outcomes, technically sound); 7-8 strong; \
5-6 adequate but generic or partly correct; 3-4 weak, vague or thin; 0-2 empty, off-topic or \
wrong. Give your own score on these bands, feedback of two to four sentences that quotes a short \
phrase of the answer, up to four strengths and up to four concrete improvements (for behavioral \
questions, refer to Situation, Task, Action, Result). Answer with JSON only: {\"score\": <0-10>, \
\"feedback\": \"...\", \"strengths\": [\"...\"], \"improvements\": [\"...\"]}";

#[derive(Debug, Deserialize)]
struct Reworded {
    questions: Vec<RewordedQuestion>,
}

#[derive(Debug, Deserialize)]
struct RewordedQuestion {
    id: String,
    question: String,
}

#[derive(Debug, Deserialize)]
struct Reply {
    reply: String,
}

#[derive(Debug, Deserialize)]
struct Feedback {
    score: f64,
    feedback: String,
    #[serde(default)]
    strengths: Vec<String>,
    #[serde(default)]
    improvements: Vec<String>,
}

/// Printable text of `min..=max` characters (after trimming).
fn check_text(what: &str, s: &str, min: usize, max: usize) -> Result<(), String> {
    let t = s.trim();
    let n = t.chars().count();
    if n < min || n > max {
        return Err(format!("{what} has {n} characters (allowed {min}..={max})"));
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!("{what} contains control characters"));
    }
    Ok(())
}

fn check_reworded(r: &Reworded, ids: &[&str]) -> Result<(), String> {
    if r.questions.len() != ids.len() {
        return Err(format!(
            "{} questions for {} planned",
            r.questions.len(),
            ids.len()
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (q, id) in r.questions.iter().zip(ids) {
        if q.id != *id {
            return Err(format!("question {id:?} came back as {:?}", q.id));
        }
        check_text(
            "a question",
            &q.question,
            MIN_QUESTION_CHARS,
            MAX_QUESTION_CHARS,
        )?;
        if !seen.insert(q.question.trim().to_lowercase()) {
            return Err("two questions are the same".into());
        }
    }
    Ok(())
}

fn check_reply(reply: &str) -> Result<(), String> {
    check_text("the reply", reply, 2, MAX_REPLY_CHARS)?;
    let lower = reply.to_lowercase();
    // The engine's replies never grade; the model's must not either.
    if lower.contains("/10") || lower.contains("score") || lower.contains("out of 10") {
        return Err("the reply mentions a score".into());
    }
    Ok(())
}

fn check_feedback(f: &Feedback) -> Result<(), String> {
    if !f.score.is_finite() || !(0.0..=10.0).contains(&f.score) {
        // Outside the scale means the model used another one: nothing in this
        // reply can be trusted to be on our bands.
        return Err(format!("score {} is outside 0-10", f.score));
    }
    check_text("the feedback", &f.feedback, 10, MAX_FEEDBACK_CHARS)?;
    for (what, points) in [
        ("strengths", &f.strengths),
        ("improvements", &f.improvements),
    ] {
        if points.len() > MAX_POINTS {
            return Err(format!("{} {what}", points.len()));
        }
        for p in points {
            check_text(what, p, 2, MAX_POINT_CHARS)?;
        }
    }
    Ok(())
}

fn blend(mut e: Evaluation, f: Feedback) -> Evaluation {
    let engine = e.score;
    let shift = (f.score as f32 - engine).clamp(-MAX_SCORE_SHIFT, MAX_SCORE_SHIFT);
    e.score = ((engine + shift).clamp(0.0, 10.0) * 10.0).round() / 10.0;
    e.feedback = f.feedback.trim().to_owned();
    e.strengths = f.strengths.iter().map(|s| s.trim().to_owned()).collect();
    // An empty list from the model keeps the engine's: an answer always has
    // something to improve, and the summary's advice is built from these.
    let improvements: Vec<String> = f.improvements.iter().map(|s| s.trim().to_owned()).collect();
    if !improvements.is_empty() {
        e.improvements = improvements;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feedback(score: f64) -> Feedback {
        Feedback {
            score,
            feedback: "You said \"p99 fell\": good, quantify the load too.".into(),
            strengths: vec!["Concrete numbers".into()],
            improvements: vec![],
        }
    }

    #[test]
    fn the_model_moves_a_score_by_at_most_one_point() {
        let e = Evaluation {
            score: 5.0,
            improvements: vec!["Name the tools".into()],
            ..Evaluation::default()
        };
        assert_eq!(blend(e.clone(), feedback(9.5)).score, 6.0);
        assert_eq!(blend(e.clone(), feedback(0.0)).score, 4.0);
        assert_eq!(blend(e.clone(), feedback(5.4)).score, 5.4);
        let kept = blend(e, feedback(5.0));
        assert_eq!(kept.improvements, vec!["Name the tools".to_owned()]);
        assert_eq!(kept.strengths, vec!["Concrete numbers".to_owned()]);
    }

    #[test]
    fn out_of_range_or_overlong_feedback_is_rejected() {
        assert!(check_feedback(&feedback(10.0)).is_ok());
        assert!(check_feedback(&feedback(10.5)).is_err());
        assert!(check_feedback(&feedback(-1.0)).is_err());
        assert!(check_feedback(&feedback(f64::NAN)).is_err());
        let mut long = feedback(5.0);
        long.feedback = "x".repeat(MAX_FEEDBACK_CHARS + 1);
        assert!(check_feedback(&long).is_err());
        let mut many = feedback(5.0);
        many.strengths = vec!["ok ok".into(); MAX_POINTS + 1];
        assert!(check_feedback(&many).is_err());
    }

    #[test]
    fn replies_that_grade_are_rejected() {
        assert!(check_reply("Thanks, that was a clear example.").is_ok());
        assert!(check_reply("I'd give that a 7/10.").is_err());
        assert!(check_reply("Your score is high.").is_err());
        assert!(check_reply(&"a".repeat(MAX_REPLY_CHARS + 1)).is_err());
    }
}
