//! What clients send to the session routes, read liberally and validated into the
//! engine's and the store's types before anything is written.
//!
//! Liberal where the old API was: numbers may come as strings, a few fields have
//! the old names as aliases, unknown fields (a `user_id`, above all) are ignored.
//! Strict where it matters: `num_questions` 1–20, a known level and type, answers
//! up to 10,000 characters, no NUL characters anywhere (Postgres refuses them in
//! text, so they would otherwise be a 500), an `Idempotency-Key` header of 1–255
//! visible ASCII characters.

use lambda_http::Request;
use rehearse_core::{ResumeId, SessionId, ValidationError};

pub use crate::error::RequestError;
use rehearse_interview::{Category, Difficulty, Dimension, Focus, JobContext, Question, Resume};
use rehearse_resume_store::requests::ClientResume;
use serde::Deserialize;
use serde_json::Value;

/// DESIGN: `num_questions` 1–20, default 10.
pub const MIN_QUESTIONS: u8 = 1;
pub const MAX_QUESTIONS: u8 = 20;
pub const DEFAULT_QUESTIONS: u8 = 10;
/// DESIGN: answers up to 10,000 characters.
pub const MAX_ANSWER_CHARS: usize = 10_000;
/// A question sent to `/api/evaluate/answer` (ours are a sentence or two).
pub const MAX_QUESTION_CHARS: usize = 2_000;
/// Longest answer time accepted: a day. Anything above is a client clock bug.
pub const MAX_ANSWER_SECONDS: f64 = 86_400.0;

/// The job context as the client sends it (`job_context` in every body).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct JobContextRequest {
    #[serde(alias = "role", alias = "job_title")]
    target_role: Option<String>,
    #[serde(alias = "level")]
    experience_level: Option<String>,
    #[serde(alias = "type")]
    interview_type: Option<String>,
    company: Option<String>,
    job_description: Option<String>,
}

impl JobContextRequest {
    pub fn validate(self) -> Result<JobContext, ValidationError> {
        let role = required(self.target_role, "job_context.target_role")?;
        let level = required(self.experience_level, "job_context.experience_level")?;
        // The old client sometimes left the type out: a mixed interview.
        let kind = no_nul(self.interview_type, "job_context.interview_type")?.unwrap_or_default();
        let company = no_nul(self.company, "job_context.company")?;
        let description = no_nul(self.job_description, "job_context.job_description")?;
        JobContext::new(
            &role,
            &level,
            &kind,
            company.as_deref(),
            description.as_deref(),
        )
        .map_err(|e| ValidationError::new(e.field, e.message))
    }
}

fn required(value: Option<String>, field: &'static str) -> Result<String, ValidationError> {
    no_nul(value, field)?
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| ValidationError::new(field, "is required"))
}

fn no_nul(value: Option<String>, field: &'static str) -> Result<Option<String>, ValidationError> {
    match value {
        Some(v) if v.contains('\0') => Err(ValidationError::new(
            field,
            "must not contain NUL characters",
        )),
        other => Ok(other),
    }
}

/// Where a session's questions come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ResumeSource {
    /// A resume the client sent (already validated).
    Data(Box<Resume>),
    /// One of the caller's stored resumes: needs a token, and must be theirs.
    Stored(ResumeId),
    /// No resume at all: role- and level-based questions only.
    Nothing,
}

/// The body of `POST /api/session/create`, `/api/session/create-conversational`
/// and `/api/questions/generate`.
#[derive(Debug, Deserialize)]
pub struct CreateSessionRequest {
    #[serde(default, alias = "parsed_data", alias = "resume")]
    resume_data: Option<ClientResume>,
    #[serde(default)]
    resume_id: Option<String>,
    #[serde(default)]
    job_context: Option<JobContextRequest>,
    #[serde(default)]
    num_questions: Option<Value>,
    /// What to practise: a practice plan's `next_interview.focus`.
    #[serde(default)]
    focus: Option<FocusRequest>,
}

/// `focus` as the client sends it: category and dimension names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FocusRequest {
    categories: Vec<String>,
    dimensions: Vec<String>,
}

impl FocusRequest {
    pub fn validate(self) -> Result<Focus, ValidationError> {
        let categories = self
            .categories
            .iter()
            .map(|c| {
                parse_category(c).ok_or_else(|| {
                    ValidationError::new("focus.categories", format!("{c:?} is not a category"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let dimensions = self
            .dimensions
            .iter()
            .map(|d| {
                Dimension::parse(d).ok_or_else(|| {
                    ValidationError::new(
                        "focus.dimensions",
                        format!(
                            "{d:?} is not one of relevance, depth, structure, specificity, \
                             communication"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Focus::new(categories, dimensions).map_err(|e| ValidationError::new(e.field, e.message))
    }
}

/// A validated request for a session (or for questions).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionPlan {
    pub resume: ResumeSource,
    pub context: JobContext,
    pub num_questions: u8,
    /// Empty unless the client asked for one.
    pub focus: Focus,
}

impl CreateSessionRequest {
    /// `resume_id` wins over `resume_data` when both are sent: it names what the
    /// user picked, the data may be a stale copy.
    pub fn validate(self) -> Result<SessionPlan, RequestError> {
        let context = self
            .job_context
            .ok_or_else(|| ValidationError::new("job_context", "is required"))?
            .validate()?;
        let num_questions = num_questions(self.num_questions)?;
        let resume_id = self
            .resume_id
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let resume = match (resume_id, self.resume_data) {
            (Some(id), _) => ResumeSource::Stored(id.parse()?),
            (None, Some(data)) => match data.validate() {
                Ok(resume) => ResumeSource::Data(Box::new(resume)),
                // An empty resume (`{}`) is no resume: the interview is still worth having.
                Err(e) if e.field == "resume_data" => ResumeSource::Nothing,
                Err(e) => return Err(e.into()),
            },
            (None, None) => ResumeSource::Nothing,
        };
        let focus = self.focus.map(FocusRequest::validate).transpose()?;
        Ok(SessionPlan {
            resume,
            context,
            num_questions,
            focus: focus.unwrap_or_default(),
        })
    }
}

fn num_questions(raw: Option<Value>) -> Result<u8, ValidationError> {
    let invalid = || {
        ValidationError::new(
            "num_questions",
            format!("must be a whole number from {MIN_QUESTIONS} to {MAX_QUESTIONS}"),
        )
    };
    let n: i64 = match raw {
        None | Some(Value::Null) => return Ok(DEFAULT_QUESTIONS),
        Some(Value::Number(n)) => whole_number(&n).ok_or_else(invalid)?,
        Some(Value::String(s)) => s.trim().parse().map_err(|_| invalid())?,
        Some(_) => return Err(invalid()),
    };
    u8::try_from(n)
        .ok()
        .filter(|n| (MIN_QUESTIONS..=MAX_QUESTIONS).contains(n))
        .ok_or_else(invalid)
}

/// A JSON number that is a whole number, `2.0` included (JSON Schema's
/// `integer`, which client generators may send with a fraction of zero).
fn whole_number(n: &serde_json::Number) -> Option<i64> {
    match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => Some(i),
        (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e9 => Some(f as i64),
        _ => None,
    }
}

/// Which question a submission is for, when the client says (`question_id` as
/// we gave it, or its 1-based `question_number`). It makes a retry exact; without
/// it the current question is meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionRef {
    Id(String),
    Number(u32),
}

/// A string or a number where the client may send either.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Loose {
    Text(String),
    Number(serde_json::Number),
}

fn question_ref(
    id: Option<Loose>,
    number: Option<Loose>,
) -> Result<Option<QuestionRef>, ValidationError> {
    let as_number = |l: Loose, field: &'static str| -> Result<u32, ValidationError> {
        let parsed = match l {
            Loose::Number(n) => whole_number(&n).and_then(|n| u32::try_from(n).ok()),
            Loose::Text(s) => s.trim().parse().ok(),
        };
        parsed
            .filter(|n| *n >= 1)
            .ok_or_else(|| ValidationError::new(field, "must be a question number from 1"))
    };
    if let Some(n) = number {
        return as_number(n, "question_number").map(|n| Some(QuestionRef::Number(n)));
    }
    match id {
        None => Ok(None),
        Some(Loose::Number(n)) => {
            as_number(Loose::Number(n), "question_id").map(|n| Some(QuestionRef::Number(n)))
        }
        Some(Loose::Text(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else if s.chars().count() > 100 || s.contains('\0') {
                Err(ValidationError::new("question_id", "is not a question id"))
            } else {
                Ok(Some(QuestionRef::Id(s.to_owned())))
            }
        }
    }
}

fn session_id(raw: Option<String>) -> Result<SessionId, RequestError> {
    let raw = raw
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ValidationError::new("session_id", "is required"))?;
    Ok(raw.parse()?)
}

/// The body of `POST /api/session/conversational-answer` and `/api/session/answer`.
#[derive(Debug, Deserialize)]
pub struct AnswerRequest {
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default, alias = "answer", alias = "text")]
    answer_text: Option<String>,
    #[serde(
        default,
        alias = "time_taken",
        alias = "duration_seconds",
        alias = "time_spent"
    )]
    time_taken_seconds: Option<Value>,
    #[serde(default)]
    question_id: Option<Loose>,
    #[serde(default)]
    question_number: Option<Loose>,
}

/// A validated answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerInput {
    pub session_id: SessionId,
    /// Trimmed; 1 to 10,000 characters.
    pub text: String,
    pub duration_seconds: Option<i32>,
    pub question: Option<QuestionRef>,
}

impl AnswerRequest {
    pub fn validate(self) -> Result<AnswerInput, RequestError> {
        let session_id = session_id(self.session_id)?;
        let text = self
            .answer_text
            .ok_or_else(|| ValidationError::new("answer_text", "is required"))?;
        let text = answer_text(&text, "answer_text")?;
        Ok(AnswerInput {
            session_id,
            text,
            duration_seconds: seconds(self.time_taken_seconds)?,
            question: question_ref(self.question_id, self.question_number)?,
        })
    }
}

/// An answer's text, trimmed: empty is refused with a pointer to skipping, over
/// the limit is refused with the limit.
fn answer_text(raw: &str, field: &'static str) -> Result<String, RequestError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(RequestError::EmptyAnswer { field });
    }
    let chars = text.chars().count();
    if chars > MAX_ANSWER_CHARS {
        return Err(RequestError::AnswerTooLong {
            field,
            chars,
            max: MAX_ANSWER_CHARS,
        });
    }
    if text.contains('\0') {
        return Err(ValidationError::new(field, "must not contain NUL characters").into());
    }
    Ok(text.to_owned())
}

fn seconds(raw: Option<Value>) -> Result<Option<i32>, ValidationError> {
    let invalid = || {
        ValidationError::new(
            "time_taken_seconds",
            format!("must be a number of seconds from 0 to {MAX_ANSWER_SECONDS}"),
        )
    };
    let value = match raw {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64().ok_or_else(invalid)?,
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().parse::<f64>().map_err(|_| invalid())?,
        Some(_) => return Err(invalid()),
    };
    if !value.is_finite() || !(0.0..=MAX_ANSWER_SECONDS).contains(&value) {
        return Err(invalid());
    }
    Ok(Some(value.round() as i32))
}

/// The request header that makes a retried answer or skip exact (docs/answers.md).
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// Longest `Idempotency-Key` accepted: room for any UUID, ULID or hash a client
/// would use, and well within an index entry.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

/// A client's name for one submission (the `Idempotency-Key` header): resent
/// with the same request, it gets the stored result instead of a second answer.
/// 1–255 visible ASCII characters (`!` to `~`: no spaces, no control or
/// non-ASCII characters); surrounding spaces are not part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, RequestError> {
        let key = raw.trim_matches([' ', '\t']);
        let visible = |c: char| c.is_ascii_graphic();
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS || !key.chars().all(visible) {
            return Err(RequestError::BadIdempotencyKey);
        }
        Ok(Self(key.to_owned()))
    }

    /// The request's `Idempotency-Key`: `None` without the header, 400
    /// `invalid_idempotency_key` for an empty, oversized, spaced or non-ASCII one, or for
    /// the header sent twice.
    pub fn from_request(req: &Request) -> Result<Option<Self>, RequestError> {
        let mut values = req.headers().get_all(IDEMPOTENCY_KEY_HEADER).iter();
        let Some(value) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            return Err(RequestError::BadIdempotencyKey);
        }
        let raw = value
            .to_str()
            .map_err(|_| RequestError::BadIdempotencyKey)?;
        Self::parse(raw).map(Some)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The body of `POST /api/session/skip`.
#[derive(Debug, Deserialize)]
pub struct SkipRequest {
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default)]
    question_id: Option<Loose>,
    #[serde(default)]
    question_number: Option<Loose>,
}

/// A validated skip.
#[derive(Debug, Clone, PartialEq)]
pub struct SkipInput {
    pub session_id: SessionId,
    pub question: Option<QuestionRef>,
}

impl SkipRequest {
    pub fn validate(self) -> Result<SkipInput, RequestError> {
        Ok(SkipInput {
            session_id: session_id(self.session_id)?,
            question: question_ref(self.question_id, self.question_number)?,
        })
    }
}

/// The body of `POST /api/db/sessions/complete`. Whatever else the old client
/// sends there (its own copy of the answers, scores) is ignored: the server's
/// record is the only one.
#[derive(Debug, Deserialize)]
pub struct CompleteRequest {
    #[serde(default)]
    session_id: Option<String>,
}

impl CompleteRequest {
    pub fn validate(self) -> Result<SessionId, RequestError> {
        session_id(self.session_id)
    }
}

/// The body of `POST /api/evaluate/answer`.
#[derive(Debug, Deserialize)]
pub struct EvaluateRequest {
    #[serde(default, alias = "question_text")]
    question: Option<String>,
    #[serde(default, alias = "answer_text")]
    answer: Option<String>,
    #[serde(default)]
    job_context: Option<JobContextRequest>,
    #[serde(default)]
    question_metadata: Option<QuestionMetadata>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QuestionMetadata {
    category: Option<String>,
    difficulty: Option<String>,
}

/// Used when `/api/evaluate/answer` is sent no job context: a role-neutral one.
pub const NEUTRAL_ROLE: &str = "General";

impl EvaluateRequest {
    /// The question (as the engine's type), the trimmed answer and the context.
    pub fn validate(self) -> Result<(Question, String, JobContext), RequestError> {
        let text = self
            .question
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty())
            .ok_or_else(|| ValidationError::new("question", "is required"))?;
        if text.chars().count() > MAX_QUESTION_CHARS || text.contains('\0') {
            return Err(ValidationError::new(
                "question",
                format!("must be at most {MAX_QUESTION_CHARS} characters, without NUL"),
            )
            .into());
        }
        let answer = self
            .answer
            .ok_or_else(|| ValidationError::new("answer", "is required"))?;
        // Outside a session there is no skip: an empty answer is scored (0, with
        // feedback on what to say), the limits still apply to the rest.
        let answer = if answer.trim().is_empty() {
            String::new()
        } else {
            answer_text(&answer, "answer")?
        };
        let context = match self.job_context {
            Some(c) => c.validate()?,
            None => JobContext::new(NEUTRAL_ROLE, "3-5", "mixed", None, None)
                .map_err(|e| ValidationError::new(e.field, e.message))?,
        };
        let meta = self.question_metadata.unwrap_or_default();
        let category = meta
            .category
            .as_deref()
            .and_then(parse_category)
            .unwrap_or_else(|| rehearse_interview::infer_category(&text));
        let difficulty = meta
            .difficulty
            .as_deref()
            .and_then(parse_difficulty)
            .unwrap_or(Difficulty::Medium);
        let question = Question {
            id: "q1".into(),
            number: 1,
            text,
            category,
            difficulty,
            topic: String::new(),
            follow_up_of: None,
            expects_star: category == Category::Behavioral,
            keywords: Vec::new(),
        };
        Ok((question, answer, context))
    }
}

/// A category by our name for it or the old API's; `None` when unknown.
pub fn parse_category(raw: &str) -> Option<Category> {
    let s = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match s.as_str() {
        "introduction" | "intro" | "opening" => Category::Introduction,
        "resume" | "resume_based" | "background" => Category::Resume,
        "experience" | "work_experience" => Category::Experience,
        "project" | "projects" => Category::Project,
        "technical" | "tech" | "coding" | "system_design" | "role_specific" => Category::Technical,
        "scenario" | "situational" | "problem_solving" => Category::Scenario,
        "behavioral" | "behavioural" | "hr" | "culture" => Category::Behavioral,
        "follow_up" | "followup" => Category::FollowUp,
        "closing" | "close" => Category::Closing,
        _ => return None,
    })
}

/// A difficulty by our name or a common synonym; `None` when unknown.
pub fn parse_difficulty(raw: &str) -> Option<Difficulty> {
    Some(match raw.trim().to_ascii_lowercase().as_str() {
        "easy" | "beginner" | "basic" | "low" => Difficulty::Easy,
        "medium" | "intermediate" | "moderate" | "mid" => Difficulty::Medium,
        "hard" | "advanced" | "difficult" | "expert" | "high" => Difficulty::Hard,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
