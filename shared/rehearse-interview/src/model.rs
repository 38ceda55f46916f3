//! The engine's values. Field names follow the old API's JSON (the React client
//! reads `question`, `id`, `category`, `difficulty`, `evaluation`, `summary`...).
//!
//! Plain data and its validation only: this module uses nothing else of the crate,
//! so every other module can depend on it. Behaviour that needs the engine lives
//! above it (`Session`'s methods in `session`, `tier` in `summary`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A job context field the client sent that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ContextError {
    pub field: &'static str,
    pub message: String,
}

/// Seniority the interview is pitched at. The client sends `fresher`, `1-3`,
/// `3-5`, `5+` (or words such as `junior`, `senior`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Fresher,
    Junior,
    Mid,
    Senior,
}

impl Level {
    pub fn parse(raw: &str) -> Result<Self, ContextError> {
        let s = raw.trim().to_lowercase();
        let s = s.replace(' ', "");
        let level = match s.as_str() {
            "fresher" | "entry" | "entrylevel" | "intern" | "student" | "graduate" | "0"
            | "0-1" | "new" => Level::Fresher,
            "junior" | "1-3" | "1-2" | "1-3years" | "associate" => Level::Junior,
            "mid" | "midlevel" | "intermediate" | "3-5" | "3-5years" | "2-5" => Level::Mid,
            "senior" | "5+" | "5+years" | "lead" | "staff" | "principal" | "expert" | "5-10"
            | "10+" => Level::Senior,
            _ => {
                return Err(ContextError {
                    field: "experience_level",
                    message: format!("unknown level {raw:?} (use fresher, 1-3, 3-5 or 5+)"),
                });
            }
        };
        Ok(level)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewType {
    Technical,
    Behavioral,
    Mixed,
}

impl InterviewType {
    pub fn parse(raw: &str) -> Result<Self, ContextError> {
        let s = raw.trim().to_lowercase();
        match s.as_str() {
            "technical" | "tech" | "coding" => Ok(Self::Technical),
            "behavioral" | "behavioural" | "hr" | "hr/behavioral" | "hr_behavioral"
            | "hr-behavioral" | "culture" => Ok(Self::Behavioral),
            "mixed" | "" | "general" | "both" => Ok(Self::Mixed),
            _ => Err(ContextError {
                field: "interview_type",
                message: format!(
                    "unknown interview type {raw:?} (use technical, behavioral or mixed)"
                ),
            }),
        }
    }
}

/// What the interview is for, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobContext {
    pub target_role: String,
    pub experience_level: Level,
    pub interview_type: InterviewType,
    pub company: Option<String>,
    pub job_description: Option<String>,
}

impl JobContext {
    /// Validate the client's strings: a role of 1–200 characters, a known level and type,
    /// an optional company (≤ 200) and job description (≤ 20,000).
    pub fn new(
        target_role: &str,
        experience_level: &str,
        interview_type: &str,
        company: Option<&str>,
        job_description: Option<&str>,
    ) -> Result<Self, ContextError> {
        let role = target_role.trim();
        if role.is_empty() || role.chars().count() > 200 {
            return Err(ContextError {
                field: "target_role",
                message: "must be 1 to 200 characters".into(),
            });
        }
        let bounded = |v: Option<&str>,
                       field: &'static str,
                       max: usize|
         -> Result<Option<String>, ContextError> {
            match v.map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) if s.chars().count() <= max => Ok(Some(s.to_owned())),
                Some(_) => Err(ContextError {
                    field,
                    message: format!("must be at most {max} characters"),
                }),
            }
        };
        Ok(Self {
            target_role: role.to_owned(),
            experience_level: Level::parse(experience_level)?,
            interview_type: InterviewType::parse(interview_type)?,
            company: bounded(company, "company", 200)?,
            job_description: bounded(job_description, "job_description", 20_000)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Introduction,
    Resume,
    Experience,
    Project,
    Technical,
    Scenario,
    Behavioral,
    FollowUp,
    Closing,
}

impl Category {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Introduction => "introduction",
            Self::Resume => "resume",
            Self::Experience => "experience",
            Self::Project => "project",
            Self::Technical => "technical",
            Self::Scenario => "scenario",
            Self::Behavioral => "behavioral",
            Self::FollowUp => "follow_up",
            Self::Closing => "closing",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Easy => "easy",
            Self::Medium => "medium",
            Self::Hard => "hard",
        }
    }
}

/// One question of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the session (`q1`, `q2`, `f3`...).
    pub id: String,
    /// 1-based position in the session.
    pub number: u32,
    /// The question as asked (the client reads `question`).
    #[serde(rename = "question")]
    pub text: String,
    pub category: Category,
    pub difficulty: Difficulty,
    /// What it is about (a skill, an employer, a project...), for follow-ups and coverage.
    pub topic: String,
    /// For a follow-up: the number of the question it follows.
    pub follow_up_of: Option<u32>,
    /// Behavioral questions are scored for STAR structure.
    pub expects_star: bool,
    /// Terms a strong answer is likely to use (for relevance/depth scoring).
    pub keywords: Vec<String>,
}

/// Scores of the five rubric dimensions, each 0–10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Dimensions {
    pub relevance: f32,
    pub depth: f32,
    pub structure: f32,
    pub specificity: f32,
    pub communication: f32,
}

impl Dimensions {
    /// The score of one dimension.
    pub fn get(&self, dimension: Dimension) -> f32 {
        match dimension {
            Dimension::Relevance => self.relevance,
            Dimension::Depth => self.depth,
            Dimension::Structure => self.structure,
            Dimension::Specificity => self.specificity,
            Dimension::Communication => self.communication,
        }
    }
}

/// One of the five rubric dimensions, by name (the fields of [`Dimensions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Relevance,
    Depth,
    Structure,
    Specificity,
    Communication,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Self::Relevance,
        Self::Depth,
        Self::Structure,
        Self::Specificity,
        Self::Communication,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Depth => "depth",
            Self::Structure => "structure",
            Self::Specificity => "specificity",
            Self::Communication => "communication",
        }
    }

    /// A dimension by its name (any case); `None` when unknown.
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// What a practice session concentrates on: categories to draw at least half of
/// its questions from, and rubric dimensions that steer which questions are
/// chosen (`structure` prefers STAR stories, `specificity` questions about the
/// candidate's own numbers...; see `generate`). Built by [`Focus::new`] from a
/// client's request, or taken from a [`crate::PracticePlan`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Focus {
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
}

impl Focus {
    /// At most this many categories and this many dimensions: a focus on more
    /// is no focus.
    pub const MAX: usize = 3;

    /// Validate a focus: categories a question can be planned for (not
    /// `introduction`, `closing` or `follow_up`, which every plan places itself),
    /// at most [`Focus::MAX`] of each after duplicates are dropped, order kept
    /// (the first is served first).
    pub fn new(
        categories: Vec<Category>,
        dimensions: Vec<Dimension>,
    ) -> Result<Self, ContextError> {
        let mut cats: Vec<Category> = Vec::with_capacity(categories.len());
        for c in categories {
            if matches!(
                c,
                Category::Introduction | Category::Closing | Category::FollowUp
            ) {
                return Err(ContextError {
                    field: "focus.categories",
                    message: format!(
                        "{} cannot be a focus (use resume, experience, project, technical, \
                         scenario or behavioral)",
                        c.as_str()
                    ),
                });
            }
            if !cats.contains(&c) {
                cats.push(c);
            }
        }
        let mut dims: Vec<Dimension> = Vec::with_capacity(dimensions.len());
        for d in dimensions {
            if !dims.contains(&d) {
                dims.push(d);
            }
        }
        for (field, n) in [
            ("focus.categories", cats.len()),
            ("focus.dimensions", dims.len()),
        ] {
            if n > Self::MAX {
                return Err(ContextError {
                    field,
                    message: format!("at most {} entries", Self::MAX),
                });
            }
        }
        Ok(Self {
            categories: cats,
            dimensions: dims,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.dimensions.is_empty()
    }
}

/// One question a signed-in user was asked in an earlier session, with what
/// became of it: the input of the practice plan and of spaced repetition.
/// Built from the stored `interview_answers` row and its session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastAnswer {
    pub session_id: String,
    /// 1-based position in its session.
    pub question_number: u32,
    /// The question as it was asked (perhaps in a model's wording).
    pub question_text: String,
    /// The question's topic as planned, when the session still has it: a bank
    /// question's topic survives a model's rewording, so it identifies the
    /// question where the text cannot.
    #[serde(default)]
    pub topic: Option<String>,
    pub category: Category,
    #[serde(default)]
    pub is_follow_up: bool,
    pub skipped: bool,
    /// 0–10; `None` for a skip.
    pub score: Option<f32>,
    /// The five dimension scores; `None` for a skip.
    pub dimensions: Option<Dimensions>,
    /// When it was answered or skipped, in Unix seconds.
    pub answered_at: i64,
    /// The session's job context as stored (`target_role`, `experience_level`,
    /// `interview_type` columns), for the next interview's context.
    pub target_role: String,
    pub experience_level: String,
    pub interview_type: String,
}

/// Which parts of Situation–Task–Action–Result an answer covered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarBreakdown {
    pub situation: bool,
    pub task: bool,
    pub action: bool,
    pub result: bool,
}

/// The assessment of one answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// 0–10, one decimal.
    pub score: f32,
    pub dimensions: Dimensions,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    /// Short feedback that quotes the answer.
    pub feedback: String,
    pub star: Option<StarBreakdown>,
    pub word_count: u32,
    /// Who set the score: the built-in engine, or the configured model acting as
    /// the judge (the engine's score is kept when the model fails).
    #[serde(default)]
    pub scored_by: ScoredBy,
    /// Short phrases of the answer the judge based its scores on (the model's
    /// quotes, each verified to occur in the answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// Which judge scored an answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoredBy {
    #[default]
    Engine,
    Llm,
}

impl ScoredBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Engine => "engine",
            Self::Llm => "llm",
        }
    }
}

/// A question with what happened to it, as the summary needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnsweredQuestion {
    pub question: Question,
    /// `None` when skipped.
    pub evaluation: Option<Evaluation>,
    pub duration_seconds: Option<u32>,
}

/// An improvement with concrete advice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Improvement {
    pub area: String,
    pub advice: String,
}

/// The end-of-session summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// 0–100.
    pub overall_score: f32,
    /// 0–10.
    pub average_score: f32,
    /// `Excellent` (≥ 8), `Good` (≥ 6), `Fair` (≥ 4), else `Needs Improvement`.
    pub performance_tier: String,
    pub overall_feedback: String,
    pub category_scores: BTreeMap<String, f32>,
    pub dimension_averages: Dimensions,
    pub strengths: Vec<String>,
    pub improvements: Vec<Improvement>,
    /// 0–10: how even the scores were (10 = every answer scored alike).
    pub consistency: f32,
    pub questions_answered: u32,
    pub questions_skipped: u32,
    pub total_questions: u32,
    pub duration_seconds: Option<u32>,
    pub topics_covered: Vec<String>,
}

/// A live session's state: everything needed to continue it after a cold start.
/// Its methods (start, answer, skip, progress) are in `session`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub context: JobContext,
    pub questions: Vec<Question>,
    /// 0-based index of the question being asked; `questions.len()` when complete.
    pub position: usize,
    pub seed: u64,
    /// Topics already followed up (at most one follow-up per topic).
    pub followed_up: Vec<String>,
}

/// What answering or skipping the current question produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub answered: Question,
    /// `None` for a skip.
    pub evaluation: Option<Evaluation>,
    pub interviewer_response: String,
    pub next_question: Option<Question>,
    pub is_complete: bool,
}
