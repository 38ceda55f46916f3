//! Spaced repetition for focused sessions: what a user's past answers say about
//! asking a question again.
//!
//! The rule, on the most recent time the user met the question:
//! - answered well (score ≥ [`STRONG`], 7) less than [`STRONG_REST_DAYS`] (14)
//!   days ago: it *rests*, and is not asked;
//! - answered poorly (score < [`WEAK`], 5) or skipped: it rests for
//!   [`WEAK_RETURN_DAYS`] (1) day, so the retry tests what was learned from the
//!   feedback rather than short-term memory, then it is *due*: a slot of its
//!   kind asks it before any other question;
//! - anything else (a middling score, a strong one that is older): *free*, a
//!   question like any other.
//!
//! A question is recognised by its text, compared normalised (lowercase words,
//! punctuation dropped), and, for a bank question with a fixed topic (the
//! technical, scenario and behavioral questions: their topic names the bank
//! entry), by its category and topic too, which survive a model's rewording of
//! the text. Whichever of the two matches the most recent attempt decides.
//! Follow-ups are left out: they are written for one answer and never planned.
//!
//! Pure: the caller says what time it is (`now`, Unix seconds).

use std::collections::HashMap;

use crate::model::{Category, PastAnswer};
use crate::text;

/// A score at or above this is a question answered well.
pub const STRONG: f32 = 7.0;
/// A score below this (or a skip) is a question answered poorly.
pub const WEAK: f32 = 5.0;
/// How long a question answered well is not asked again.
pub const STRONG_REST_DAYS: i64 = 14;
/// How long a question answered poorly rests before it comes back.
pub const WEAK_RETURN_DAYS: i64 = 1;

const DAY: i64 = 86_400;

/// What spaced repetition says about asking a question now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Never met, or nothing against or for asking it.
    Free,
    /// Not asked now: answered well recently, or answered poorly less than a
    /// day ago.
    Resting,
    /// Answered poorly a while ago: asked before other questions of its kind.
    Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    // Declared weakest first: on a tie in time the weaker outcome wins.
    Weak,
    Middling,
    Strong,
}

#[derive(Debug, Clone, Copy)]
struct Met {
    at: i64,
    outcome: Outcome,
}

/// A user's question history, ready to ask about (see the module's rule).
/// `Recall::default()` knows nothing: every question is free.
#[derive(Debug, Clone, Default)]
pub struct Recall {
    now: i64,
    last: HashMap<String, Met>,
}

fn text_key(text: &str) -> Option<String> {
    let norm = text::normalize(text);
    (!norm.is_empty()).then(|| format!("text:{norm}"))
}

/// Only bank categories have topics that name one question; a question about
/// the candidate's own material has the material as its topic ("Kafka").
fn topic_key(category: Category, topic: &str) -> Option<String> {
    let bank = matches!(
        category,
        Category::Technical | Category::Scenario | Category::Behavioral
    );
    let norm = text::normalize(topic);
    (bank && !norm.is_empty()).then(|| format!("topic:{}:{norm}", category.as_str()))
}

impl Recall {
    /// What `history` says at `now` (Unix seconds). Follow-ups and answers
    /// without a score (unless skipped) are left out.
    pub fn new(history: &[PastAnswer], now: i64) -> Self {
        let mut last: HashMap<String, Met> = HashMap::new();
        for a in history.iter().filter(|a| !a.is_follow_up) {
            let outcome = match (a.skipped, a.score) {
                (true, _) => Outcome::Weak,
                (false, Some(s)) if s < WEAK => Outcome::Weak,
                (false, Some(s)) if s >= STRONG => Outcome::Strong,
                (false, Some(_)) => Outcome::Middling,
                (false, None) => continue,
            };
            let met = Met {
                at: a.answered_at,
                outcome,
            };
            let keys = [
                text_key(&a.question_text),
                a.topic.as_deref().and_then(|t| topic_key(a.category, t)),
            ];
            for key in keys.into_iter().flatten() {
                let e = last.entry(key).or_insert(met);
                if (met.at, std::cmp::Reverse(met.outcome)) > (e.at, std::cmp::Reverse(e.outcome)) {
                    *e = met;
                }
            }
        }
        Self { now, last }
    }

    /// Whether it knows nothing (then planning is exactly as without it).
    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }

    /// The standing of a question of `category` asked as `text`; `fixed_topic`
    /// is the bank entry's topic when it has no placeholders.
    pub fn standing(&self, category: Category, fixed_topic: Option<&str>, text: &str) -> Standing {
        let keys = [
            text_key(text),
            fixed_topic.and_then(|t| topic_key(category, t)),
        ];
        let Some(met) = keys
            .iter()
            .flatten()
            .filter_map(|k| self.last.get(k))
            .max_by_key(|m| (m.at, std::cmp::Reverse(m.outcome)))
        else {
            return Standing::Free;
        };
        let age = self.now.saturating_sub(met.at).max(0);
        match met.outcome {
            Outcome::Strong if age < STRONG_REST_DAYS * DAY => Standing::Resting,
            Outcome::Weak if age < WEAK_RETURN_DAYS * DAY => Standing::Resting,
            Outcome::Weak => Standing::Due,
            Outcome::Strong | Outcome::Middling => Standing::Free,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn past(text: &str, topic: Option<&str>, score: Option<f32>, days_ago: f64) -> PastAnswer {
        PastAnswer {
            session_id: "s".into(),
            question_number: 2,
            question_text: text.into(),
            topic: topic.map(str::to_owned),
            category: Category::Behavioral,
            is_follow_up: false,
            skipped: score.is_none(),
            score,
            dimensions: None,
            answered_at: NOW - (days_ago * DAY as f64) as i64,
            target_role: "Backend Engineer".into(),
            experience_level: "mid".into(),
            interview_type: "mixed".into(),
        }
    }

    fn standing(history: &[PastAnswer], text: &str, topic: Option<&str>) -> Standing {
        Recall::new(history, NOW).standing(Category::Behavioral, topic, text)
    }

    const Q: &str = "Tell me about a mistake you made on a project.";

    #[test]
    fn a_question_answered_well_rests_for_fourteen_days() {
        for (days, want) in [
            (0.0, Standing::Resting),
            (13.9, Standing::Resting),
            (14.0, Standing::Free),
            (40.0, Standing::Free),
        ] {
            let h = [past(Q, None, Some(8.5), days)];
            assert_eq!(standing(&h, Q, None), want, "{days} days ago");
        }
        // Exactly 7 is "well".
        assert_eq!(
            standing(&[past(Q, None, Some(7.0), 3.0)], Q, None),
            Standing::Resting
        );
    }

    #[test]
    fn a_question_answered_poorly_or_skipped_comes_back_after_a_day() {
        for score in [Some(4.9), Some(0.0), None] {
            for (days, want) in [
                (0.2, Standing::Resting),
                (1.0, Standing::Due),
                (30.0, Standing::Due),
            ] {
                let h = [past(Q, None, score, days)];
                assert_eq!(standing(&h, Q, None), want, "{score:?}, {days} days ago");
            }
        }
    }

    #[test]
    fn a_middling_score_or_an_unknown_question_is_free() {
        assert_eq!(
            standing(&[past(Q, None, Some(5.0), 2.0)], Q, None),
            Standing::Free
        );
        assert_eq!(
            standing(&[past(Q, None, Some(6.9), 0.0)], Q, None),
            Standing::Free
        );
        assert_eq!(
            standing(&[past(Q, None, Some(9.0), 0.0)], "Another question?", None),
            Standing::Free
        );
        assert!(Recall::default().is_empty());
        assert_eq!(
            Recall::default().standing(Category::Technical, Some("caching"), Q),
            Standing::Free
        );
    }

    #[test]
    fn text_is_compared_normalised() {
        let h = [past(Q, None, Some(9.0), 1.0)];
        assert_eq!(
            standing(
                &h,
                "  tell me ABOUT a mistake you made, on a project ",
                None
            ),
            Standing::Resting
        );
    }

    #[test]
    fn the_topic_recognises_a_reworded_bank_question() {
        let h = [past(
            "Walk me through an error of yours and what you changed.",
            Some("mistake"),
            Some(9.0),
            1.0,
        )];
        assert_eq!(standing(&h, Q, Some("mistake")), Standing::Resting);
        // Without the bank topic (a question about own material), only the text counts.
        assert_eq!(standing(&h, Q, None), Standing::Free);
        // A topic of another category is another question.
        let r = Recall::new(&h, NOW);
        assert_eq!(
            r.standing(Category::Technical, Some("mistake"), Q),
            Standing::Free
        );
    }

    #[test]
    fn the_most_recent_attempt_decides() {
        // Poor three weeks ago, well yesterday: resting.
        let h = [
            past(Q, Some("mistake"), Some(3.0), 21.0),
            past(Q, Some("mistake"), Some(8.0), 1.0),
        ];
        assert_eq!(standing(&h, Q, Some("mistake")), Standing::Resting);
        // Well three weeks ago, poorly two days ago under another wording: due.
        let h = [
            past(Q, Some("mistake"), Some(8.0), 21.0),
            past("Describe a mistake.", Some("mistake"), Some(3.0), 2.0),
        ];
        assert_eq!(standing(&h, Q, Some("mistake")), Standing::Due);
    }

    #[test]
    fn follow_ups_are_not_remembered() {
        let mut a = past(Q, None, Some(9.0), 1.0);
        a.is_follow_up = true;
        assert!(Recall::new(&[a], NOW).is_empty());
    }
}
