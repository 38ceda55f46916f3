//! The report's input: what a finished session stores as its summary JSON
//! (`rehearse-session-store`'s `build_report`: the engine's `Summary` plus the
//! session's columns and `answers[]`), read leniently. A field that is missing or
//! `null` takes its default, so a summary written by an older version still renders.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::ReportError;

/// A finished session as the report shows it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Report {
    /// Not in the stored summary: the caller sets it (the profile's `full_name`).
    #[serde(deserialize_with = "nullable")]
    pub candidate_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub session_id: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub target_role: String,
    #[serde(deserialize_with = "nullable")]
    pub experience_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub interview_type: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub company: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub mode: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(deserialize_with = "lenient_time")]
    pub completed_at: Option<OffsetDateTime>,
    /// 0–100.
    #[serde(deserialize_with = "nullable")]
    pub overall_score: f32,
    /// 0–10: the mean over answered questions.
    #[serde(deserialize_with = "nullable")]
    pub average_score: f32,
    /// `Excellent`, `Good`, `Fair` or `Needs Improvement`; derived from
    /// `average_score` when the summary has none.
    #[serde(deserialize_with = "nullable")]
    pub performance_tier: String,
    #[serde(deserialize_with = "nullable")]
    pub overall_feedback: String,
    /// Mean score (0–10) per question category (`technical`, `behavioral`...).
    #[serde(deserialize_with = "nullable")]
    pub category_scores: BTreeMap<String, f32>,
    /// Means over answered questions; computed from the answers when missing.
    #[serde(deserialize_with = "nullable")]
    pub dimension_averages: Option<Dimensions>,
    #[serde(deserialize_with = "nullable")]
    pub strengths: Vec<String>,
    /// The engine's session-level improvements.
    #[serde(deserialize_with = "nullable")]
    pub improvements: Vec<Improvement>,
    #[serde(deserialize_with = "nullable")]
    pub questions_answered: u32,
    #[serde(deserialize_with = "nullable")]
    pub questions_skipped: u32,
    /// Questions the session had but never asked (it ended early).
    #[serde(deserialize_with = "nullable")]
    pub questions_unanswered: u32,
    #[serde(deserialize_with = "nullable")]
    pub total_questions: u32,
    #[serde(deserialize_with = "nullable")]
    pub duration_seconds: Option<u32>,
    #[serde(deserialize_with = "nullable")]
    pub answers: Vec<Answer>,
    /// Earlier sessions of the same user, for the trend chart (not in the summary:
    /// the caller adds them).
    #[serde(deserialize_with = "nullable")]
    pub trend: Vec<TrendPoint>,
}

/// One asked question and what happened to it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Answer {
    #[serde(deserialize_with = "nullable")]
    pub question_number: u32,
    #[serde(deserialize_with = "nullable")]
    pub question: String,
    #[serde(deserialize_with = "nullable")]
    pub category: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub difficulty: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub is_follow_up: bool,
    #[serde(deserialize_with = "nullable")]
    pub answer_text: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub is_skipped: bool,
    /// 0–10; the evaluation's score when the row has none.
    #[serde(deserialize_with = "nullable")]
    pub score: Option<f32>,
    #[serde(deserialize_with = "nullable")]
    pub feedback: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub evaluation: Option<Evaluation>,
    #[serde(deserialize_with = "nullable")]
    pub interviewer_response: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub duration_seconds: Option<u32>,
}

/// The engine's assessment of one answer (`rehearse_interview::Evaluation`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Evaluation {
    #[serde(deserialize_with = "nullable")]
    pub score: Option<f32>,
    #[serde(deserialize_with = "nullable")]
    pub dimensions: Option<Dimensions>,
    #[serde(deserialize_with = "nullable")]
    pub strengths: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub improvements: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub feedback: String,
    #[serde(deserialize_with = "nullable")]
    pub star: Option<Star>,
    #[serde(deserialize_with = "nullable")]
    pub word_count: Option<u32>,
    /// `engine` or `llm`.
    #[serde(deserialize_with = "nullable")]
    pub scored_by: Option<String>,
    /// Phrases of the answer the judge based its scores on.
    #[serde(deserialize_with = "nullable")]
    pub evidence: Vec<String>,
}

/// The five rubric dimensions, each 0–10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Dimensions {
    #[serde(deserialize_with = "nullable")]
    pub relevance: f32,
    #[serde(deserialize_with = "nullable")]
    pub depth: f32,
    #[serde(deserialize_with = "nullable")]
    pub structure: f32,
    #[serde(deserialize_with = "nullable")]
    pub specificity: f32,
    #[serde(deserialize_with = "nullable")]
    pub communication: f32,
}

/// Which parts of Situation–Task–Action–Result an answer covered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Star {
    #[serde(deserialize_with = "nullable")]
    pub situation: bool,
    #[serde(deserialize_with = "nullable")]
    pub task: bool,
    #[serde(deserialize_with = "nullable")]
    pub action: bool,
    #[serde(deserialize_with = "nullable")]
    pub result: bool,
}

/// A session-level improvement from the engine's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Improvement {
    #[serde(deserialize_with = "nullable")]
    pub area: String,
    #[serde(deserialize_with = "nullable")]
    pub advice: String,
}

/// One earlier session of the same user: when it finished and its overall score.
///
/// The trend may include the reported session itself (`rehearse_db::reports`
/// returns the trend ending with it): a point with the report's `session_id`, or
/// failing that its `completed_at`, is dropped, and the report's own score is
/// drawn as the last point.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TrendPoint {
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub completed_at: OffsetDateTime,
    /// 0–100 (the session's `overall_score`; ten times its `average_score`).
    pub overall_score: f32,
}

impl TrendPoint {
    pub fn new(completed_at: OffsetDateTime, overall_score: f32) -> Self {
        Self {
            session_id: None,
            completed_at,
            overall_score,
        }
    }

    /// The point of session `session_id` (a UUID as text).
    pub fn of_session(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }
}

/// A rubric dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Relevance",
            Self::Depth => "Depth",
            Self::Structure => "Structure",
            Self::Specificity => "Specificity",
            Self::Communication => "Communication",
        }
    }
}

impl Dimensions {
    pub fn get(&self, d: Dimension) -> f32 {
        match d {
            Dimension::Relevance => self.relevance,
            Dimension::Depth => self.depth,
            Dimension::Structure => self.structure,
            Dimension::Specificity => self.specificity,
            Dimension::Communication => self.communication,
        }
    }

    fn set(&mut self, d: Dimension, v: f32) {
        match d {
            Dimension::Relevance => self.relevance = v,
            Dimension::Depth => self.depth = v,
            Dimension::Structure => self.structure = v,
            Dimension::Specificity => self.specificity = v,
            Dimension::Communication => self.communication = v,
        }
    }

    fn clamped(mut self) -> Self {
        for d in Dimension::ALL {
            self.set(d, clamp(self.get(d), 10.0));
        }
        self
    }
}

impl Answer {
    /// The answer's score (0–10), `None` when skipped or unscored.
    pub fn score(&self) -> Option<f32> {
        if self.is_skipped {
            return None;
        }
        self.score
            .or_else(|| self.evaluation.as_ref().and_then(|e| e.score))
            .filter(|s| s.is_finite())
            .map(|s| clamp(s, 10.0))
    }

    /// The per-answer feedback: the row's, else the evaluation's.
    pub fn feedback(&self) -> Option<&str> {
        self.feedback
            .as_deref()
            .or_else(|| self.evaluation.as_ref().map(|e| e.feedback.as_str()))
            .map(str::trim)
            .filter(|f| !f.is_empty())
    }

    pub fn dimensions(&self) -> Option<Dimensions> {
        if self.is_skipped {
            return None;
        }
        self.evaluation
            .as_ref()
            .and_then(|e| e.dimensions)
            .map(Dimensions::clamped)
    }
}

impl Report {
    /// The report of a stored summary (`interview_sessions.summary`, as
    /// `build_report` wrote it), with the user's earlier sessions for the trend.
    /// Fails only when `summary` is not a JSON object of the expected shape; a
    /// missing or `null` field takes its default.
    pub fn from_summary(
        summary: &serde_json::Value,
        trend: Vec<TrendPoint>,
    ) -> Result<Self, ReportError> {
        if !summary.is_object() {
            return Err(ReportError::NotAnObject);
        }
        let mut report = Report::deserialize(summary).map_err(ReportError::Summary)?;
        report.trend = trend;
        report.normalize();
        Ok(report)
    }

    /// Set the name shown as the candidate's.
    pub fn with_candidate_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.candidate_name = (!name.trim().is_empty()).then(|| name.trim().to_owned());
        self
    }

    /// Bring what was read into range and fill what can be derived: answers in
    /// question order, scores clamped, the tier, the counts and the dimension
    /// averages from the answers when the summary lacks them.
    pub fn normalize(&mut self) {
        self.answers.sort_by_key(|a| a.question_number);
        self.overall_score = clamp(self.overall_score, 100.0);
        self.average_score = clamp(self.average_score, 10.0);
        for v in self.category_scores.values_mut() {
            *v = clamp(*v, 10.0);
        }
        let scored: Vec<f32> = self.answers.iter().filter_map(Answer::score).collect();
        if self.average_score == 0.0 && self.overall_score == 0.0 && !scored.is_empty() {
            self.average_score = round1(scored.iter().sum::<f32>() / scored.len() as f32);
            self.overall_score = round1(self.average_score * 10.0);
        }
        if self.performance_tier.trim().is_empty() {
            self.performance_tier = tier(self.average_score).to_owned();
        }
        let answered = self.answers.iter().filter(|a| !a.is_skipped).count();
        let skipped = self.answers.len() - answered;
        if self.questions_answered == 0 && self.questions_skipped == 0 {
            self.questions_answered = u32::try_from(answered).unwrap_or(u32::MAX);
            self.questions_skipped = u32::try_from(skipped).unwrap_or(u32::MAX);
        }
        let asked = u32::try_from(self.answers.len()).unwrap_or(u32::MAX);
        self.total_questions = self
            .total_questions
            .max(asked.saturating_add(self.questions_unanswered));
        self.dimension_averages = match self.dimension_averages {
            Some(d) => Some(d.clamped()),
            None => self.mean_dimensions(),
        };
        let own_id = self.session_id.as_deref().map(str::trim);
        let own_time = self.completed_at;
        self.trend
            .retain(|p| match (p.session_id.as_deref(), own_id) {
                (Some(id), Some(own)) => !id.trim().eq_ignore_ascii_case(own),
                _ => Some(p.completed_at) != own_time,
            });
        for p in &mut self.trend {
            p.overall_score = clamp(p.overall_score, 100.0);
        }
        self.trend.sort_by_key(|p| p.completed_at);
    }

    fn mean_dimensions(&self) -> Option<Dimensions> {
        let all: Vec<Dimensions> = self.answers.iter().filter_map(Answer::dimensions).collect();
        if all.is_empty() {
            return None;
        }
        let mut out = Dimensions::default();
        for d in Dimension::ALL {
            let sum: f32 = all.iter().map(|x| x.get(d)).sum();
            out.set(d, round1(sum / all.len() as f32));
        }
        Some(out)
    }

    /// The question numbers the session had but never asked, in order.
    pub fn unreached_questions(&self) -> Vec<u32> {
        let asked: std::collections::BTreeSet<u32> =
            self.answers.iter().map(|a| a.question_number).collect();
        let mut out = Vec::new();
        let mut n = 1u32;
        while out.len() < self.questions_unanswered as usize && n <= self.total_questions {
            if !asked.contains(&n) {
                out.push(n);
            }
            n += 1;
        }
        out
    }
}

/// `Excellent` (≥ 8), `Good` (≥ 6), `Fair` (≥ 4), else `Needs Improvement`: the
/// engine's cut-offs (`rehearse_interview::tier`; a test holds the two together),
/// for a summary stored without its tier.
pub fn tier(average_score: f32) -> &'static str {
    if average_score >= 8.0 {
        "Excellent"
    } else if average_score >= 6.0 {
        "Good"
    } else if average_score >= 4.0 {
        "Fair"
    } else {
        "Needs Improvement"
    }
}

pub(crate) fn clamp(v: f32, max: f32) -> f32 {
    if v.is_finite() {
        v.clamp(0.0, max)
    } else {
        0.0
    }
}

pub(crate) fn round1(x: f32) -> f32 {
    (x * 10.0).round() / 10.0
}

/// A field that may be missing (`#[serde(default)]`) or `null`: both mean the default.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An RFC 3339 timestamp; anything else (missing, `null`, another format) is `None`.
fn lenient_time<'de, D>(d: D) -> Result<Option<OffsetDateTime>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = Option::<serde_json::Value>::deserialize(d)?;
    Ok(raw
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine's own values, serialized as the session store stores them, read
    /// back with every field: the two models cannot drift apart unnoticed.
    #[test]
    fn the_engines_evaluation_and_summary_read_back_whole() {
        let engine = rehearse_interview::Evaluation {
            score: 6.5,
            dimensions: rehearse_interview::Dimensions {
                relevance: 7.0,
                depth: 5.5,
                structure: 6.0,
                specificity: 4.5,
                communication: 8.0,
            },
            strengths: vec!["Stayed on the question.".into()],
            improvements: vec!["Add evidence.".into()],
            feedback: "You said \"we shipped it\".".into(),
            star: Some(rehearse_interview::StarBreakdown {
                situation: true,
                task: false,
                action: true,
                result: false,
            }),
            word_count: 142,
            scored_by: rehearse_interview::ScoredBy::Llm,
            evidence: vec!["we shipped it".into()],
        };
        let ours: Evaluation =
            serde_json::from_value(serde_json::to_value(&engine).expect("json")).expect("reads");
        assert_eq!(
            ours,
            Evaluation {
                score: Some(6.5),
                dimensions: Some(Dimensions {
                    relevance: 7.0,
                    depth: 5.5,
                    structure: 6.0,
                    specificity: 4.5,
                    communication: 8.0,
                }),
                strengths: vec!["Stayed on the question.".into()],
                improvements: vec!["Add evidence.".into()],
                feedback: "You said \"we shipped it\".".into(),
                star: Some(Star {
                    situation: true,
                    task: false,
                    action: true,
                    result: false,
                }),
                word_count: Some(142),
                scored_by: Some("llm".into()),
                evidence: vec!["we shipped it".into()],
            }
        );

        let summary = rehearse_interview::Summary {
            overall_score: 65.0,
            average_score: 6.5,
            performance_tier: "Good".into(),
            overall_feedback: "Solid.".into(),
            category_scores: [("technical".to_owned(), 6.5)].into_iter().collect(),
            dimension_averages: engine.dimensions,
            strengths: vec!["Clear".into()],
            improvements: vec![rehearse_interview::Improvement {
                area: "Evidence".into(),
                advice: "Use numbers.".into(),
            }],
            consistency: 9.0,
            questions_answered: 1,
            questions_skipped: 0,
            total_questions: 1,
            duration_seconds: Some(300),
            topics_covered: vec!["Kafka".into()],
        };
        let report =
            Report::from_summary(&serde_json::to_value(&summary).expect("json"), Vec::new())
                .expect("reads");
        assert_eq!(report.overall_score, 65.0);
        assert_eq!(report.performance_tier, "Good");
        assert_eq!(report.overall_feedback, "Solid.");
        assert_eq!(report.category_scores.get("technical"), Some(&6.5));
        assert_eq!(report.dimension_averages, ours.dimensions);
        assert_eq!(report.improvements[0].area, "Evidence");
        assert_eq!(report.duration_seconds, Some(300));
        assert_eq!(report.total_questions, 1);
    }

    #[test]
    fn the_session_itself_is_dropped_from_its_trend() {
        let done = time::macros::datetime!(2026-11-28 09:41:37 UTC);
        let raw = serde_json::json!({
            "session_id": "3F1B2A4C-5D6E-4F70-8A9B-0C1D2E3F4A5B",
            "completed_at": "2026-11-28T09:41:37Z",
            "overall_score": 63.2
        });
        let earlier = time::macros::datetime!(2026-11-01 10:00 UTC);
        let trend = vec![
            TrendPoint::new(done, 63.2).of_session("3f1b2a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"),
            TrendPoint::new(earlier, 120.0).of_session("00000000-0000-4000-8000-000000000001"),
        ];
        let r = Report::from_summary(&raw, trend).expect("reads");
        assert_eq!(
            r.trend,
            vec![
                TrendPoint::new(earlier, 100.0).of_session("00000000-0000-4000-8000-000000000001")
            ]
        );
        // Without ids, the same completion time is the same session.
        let r = Report::from_summary(&raw, vec![TrendPoint::new(done, 63.2)]).expect("reads");
        assert!(r.trend.is_empty());
    }

    #[test]
    fn the_fallback_tier_matches_the_engines() {
        for tenths in 0..=100 {
            let s = tenths as f32 / 10.0;
            assert_eq!(tier(s), rehearse_interview::tier(s), "at {s}");
        }
    }

    #[test]
    fn nulls_and_gaps_take_their_defaults_and_scores_are_clamped() {
        let raw = serde_json::json!({
            "overall_score": 250.0,
            "average_score": null,
            "performance_tier": null,
            "completed_at": "yesterday",
            "category_scores": {"technical": -3.0},
            "answers": [
                {"question_number": 2, "question": "B", "score": 12.0,
                 "evaluation": {"dimensions": {"relevance": 11.0, "depth": null}}},
                {"question_number": 1, "question": "A", "is_skipped": true, "score": 5.0}
            ]
        });
        let r = Report::from_summary(&raw, Vec::new()).expect("lenient");
        assert_eq!(r.overall_score, 100.0);
        assert_eq!(r.completed_at, None);
        assert_eq!(r.category_scores.get("technical"), Some(&0.0));
        assert_eq!(r.answers[0].question, "A");
        assert_eq!(r.answers[0].score(), None, "a skip has no score");
        assert_eq!(r.answers[1].score(), Some(10.0));
        let dims = r.dimension_averages.expect("from the answers");
        assert_eq!((dims.relevance, dims.depth), (10.0, 0.0));
        assert_eq!((r.questions_answered, r.questions_skipped), (1, 1));
        assert_eq!(r.total_questions, 2);
    }
}
