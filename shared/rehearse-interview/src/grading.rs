//! Checking the rubric against human judgement: a set of answers to real bank
//! questions, each graded good / fair / poor by hand, and the Spearman rank
//! correlation between those grades and the engine's scores. The set lives in
//! `data/graded_answers.json`; `tests/grading.rs` holds the engine to it and
//! `examples/grading.rs` prints it.

use serde::{Deserialize, Serialize};

use crate::bank::{self, Entry};
use crate::generate::{expects_star, render};
use crate::model::{ContextError, JobContext, Question};
use crate::score;
use crate::slots::category;

/// A human grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Poor,
    Fair,
    Good,
}

impl Grade {
    pub fn rank(self) -> f32 {
        match self {
            Self::Poor => 0.0,
            Self::Fair => 1.0,
            Self::Good => 2.0,
        }
    }
}

/// One hand-graded answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GradedAnswer {
    pub id: String,
    /// The question exactly as the engine asks it (placeholders filled).
    pub question: String,
    #[serde(default = "default_role")]
    pub role: String,
    #[serde(default = "default_level")]
    pub level: String,
    pub answer: String,
    pub grade: Grade,
    /// Why the grader gave that grade.
    #[serde(default)]
    pub why: String,
}

fn default_role() -> String {
    "Software Engineer".into()
}

fn default_level() -> String {
    "3-5".into()
}

/// A graded answer with the engine's score.
#[derive(Debug, Clone)]
pub struct Scored {
    pub item: GradedAnswer,
    pub score: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum GradingError {
    #[error("graded set is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{id}: question is not in the bank: {question:?}")]
    UnknownQuestion { id: String, question: String },
    #[error("{id}: {source}")]
    Context {
        id: String,
        #[source]
        source: ContextError,
    },
}

pub fn parse(json: &str) -> Result<Vec<GradedAnswer>, GradingError> {
    Ok(serde_json::from_str(json)?)
}

/// The question as the engine would have built it from the bank, found by its
/// text; `None` when no bank template produces that text.
pub fn question_for(text: &str, ctx: &JobContext) -> Option<Question> {
    let (entry, binding): (&Entry, Vec<(String, String)>) = bank::lookup(text)?;
    let mut keywords: Vec<String> = entry.keywords.iter().map(|k| (*k).to_owned()).collect();
    for (k, v) in &binding {
        if k.starts_with("skill") || matches!(k.as_str(), "project_tech" | "company" | "project") {
            keywords.push(v.clone());
        }
    }
    // The topic may name a placeholder the text fills under another name
    // ({skill} in the topic, {skill:database} in the text).
    let mut topic_binding = binding.clone();
    if let Some((_, v)) = binding.iter().find(|(k, _)| k.starts_with("skill:")) {
        topic_binding.push(("skill".into(), v.clone()));
    }
    let topic = render(entry.topic, &topic_binding).unwrap_or_else(|| entry.topic.to_owned());
    Some(Question {
        id: "q1".into(),
        number: 1,
        text: text.to_owned(),
        category: category(entry.kind),
        difficulty: entry.pitch.at(ctx.experience_level),
        topic,
        follow_up_of: None,
        expects_star: expects_star(entry.kind, text),
        keywords,
    })
}

/// Score every graded answer with the engine.
pub fn score_all(items: &[GradedAnswer]) -> Result<Vec<Scored>, GradingError> {
    items
        .iter()
        .map(|item| {
            let ctx = JobContext::new(&item.role, &item.level, "mixed", None, None).map_err(
                |source| GradingError::Context {
                    id: item.id.clone(),
                    source,
                },
            )?;
            let question = question_for(&item.question, &ctx).ok_or_else(|| {
                GradingError::UnknownQuestion {
                    id: item.id.clone(),
                    question: item.question.clone(),
                }
            })?;
            let score = score::assess(&question, &item.answer, &ctx).0.score;
            Ok(Scored {
                item: item.clone(),
                score,
            })
        })
        .collect()
}

/// Ranks from 1, ties sharing the average of the ranks they span.
pub fn ranks(xs: &[f32]) -> Vec<f32> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (
            xs.get(a).copied().unwrap_or(0.0),
            xs.get(b).copied().unwrap_or(0.0),
        );
        x.total_cmp(&y)
    });
    let mut out = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let value = order
            .get(i)
            .and_then(|&k| xs.get(k))
            .copied()
            .unwrap_or(0.0);
        let mut j = i;
        while j + 1 < order.len()
            && order.get(j + 1).and_then(|&k| xs.get(k)).copied() == Some(value)
        {
            j += 1;
        }
        let rank = (i + j) as f32 / 2.0 + 1.0;
        for k in i..=j {
            if let Some(slot) = order.get(k).and_then(|&idx| out.get_mut(idx)) {
                *slot = rank;
            }
        }
        i = j + 1;
    }
    out
}

/// Spearman's rank correlation (the Pearson correlation of the ranks, which
/// handles ties correctly); `None` with fewer than two points or no variance.
pub fn spearman(xs: &[f32], ys: &[f32]) -> Option<f32> {
    if xs.len() != ys.len() || xs.len() < 2 {
        return None;
    }
    let (rx, ry) = (ranks(xs), ranks(ys));
    let n = rx.len() as f32;
    let mx = rx.iter().sum::<f32>() / n;
    let my = ry.iter().sum::<f32>() / n;
    let mut cov = 0.0;
    let mut vx = 0.0;
    let mut vy = 0.0;
    for (x, y) in rx.iter().zip(&ry) {
        cov += (x - mx) * (y - my);
        vx += (x - mx).powi(2);
        vy += (y - my).powi(2);
    }
    (vx > 0.0 && vy > 0.0).then(|| cov / (vx.sqrt() * vy.sqrt()))
}

/// The coefficient between the grades and the engine's scores.
pub fn agreement(scored: &[Scored]) -> Option<f32> {
    let grades: Vec<f32> = scored.iter().map(|s| s.item.grade.rank()).collect();
    let scores: Vec<f32> = scored.iter().map(|s| s.score).collect();
    spearman(&grades, &scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[10.0, 20.0, 20.0, 5.0]), vec![2.0, 3.5, 3.5, 1.0]);
    }

    #[test]
    fn spearman_of_monotone_data_is_one() {
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 40.0, 90.0, 160.0]).unwrap();
        assert!((r - 1.0).abs() < 1e-6);
        let r = spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap();
        assert!((r + 1.0).abs() < 1e-6);
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn spearman_with_ties_matches_a_hand_computation() {
        // Grades with ties against scores.
        let x = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0];
        let y = [1.0, 3.0, 2.0, 5.0, 6.0, 7.0];
        let r = spearman(&x, &y).unwrap();
        // x ranks 1.5 1.5 3.5 3.5 5.5 5.5; y ranks 1 3 2 4 5 6.
        assert!((r - 0.836_66).abs() < 1e-4, "{r}");
    }

    #[test]
    fn templates_match_filled_text() {
        use crate::bank::matches_template;
        let v = matches_template(
            "Your resume mentions {skill}. Tell me more.",
            "Your resume mentions Redis. Tell me more.",
        )
        .unwrap();
        assert_eq!(v, vec![("skill".to_owned(), "Redis".to_owned())]);
        assert!(matches_template("Hello {name}.", "Goodbye Ada.").is_none());
        assert!(matches_template("No placeholders.", "No placeholders.").is_some());
        assert!(matches_template("No placeholders.", "No placeholders!").is_none());
    }
}
