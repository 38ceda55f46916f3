//! Judgements on top of the rubric's dimensions, from what an answer means:
//! an answer to a question about the candidate that never speaks of them, a
//! closing "any questions?" answered with none (or only about perks), stock
//! phrases instead of evidence, and, for the knowledge base's topics, whether
//! the key points are made.

use crate::features::Features;
use crate::model::{Category, Question};
use crate::semantic::{self, Semantic};
use crate::style::Style;
use crate::text;

/// Below this closeness to the topic's key points (cosine of the answer with
/// their centroid), a long answer that makes none of them talks around it.
const OFF_KEYS_BELOW: f32 = 0.72;
/// Further still: the answer is about another subject.
const OFF_TOPIC_KEYS_BELOW: f32 = 0.55;

/// Caps and floors the rubric applies after its own dimensions.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub(crate) relevance_cap: Option<f32>,
    /// The score's ceiling.
    pub(crate) cap: f32,
    pub(crate) depth_floor: f32,
    pub(crate) specificity_floor: f32,
    /// The answer makes its topic's key points: few words are enough.
    pub(crate) short_is_enough: bool,
    /// The least the answer scores (the key points of its topic made, no wrong
    /// claim): what it says outweighs how long it is.
    pub(crate) floor: f32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            relevance_cap: None,
            cap: 10.0,
            depth_floor: 0.0,
            specificity_floor: 0.0,
            short_is_enough: false,
            floor: 0.0,
        }
    }
}

fn normalized_has(question: &Question, phrases: &[&str]) -> bool {
    let q = format!(" {} ", text::normalize(&question.text));
    phrases.iter().any(|p| q.contains(&format!(" {p} ")))
}

/// "Do you have any questions for us?": the answer is the questions asked.
pub(crate) fn asks_for_questions(question: &Question) -> bool {
    normalized_has(
        question,
        &[
            "questions for us",
            "questions for me",
            "any questions",
            "questions do you have",
            "like to ask",
            "want to ask",
            "anything you'd like to know",
            "what would you like to know",
        ],
    )
}

/// "Why should we hire you?", "what makes you a fit": about the candidate.
fn asks_about_the_candidate(question: &Question) -> bool {
    normalized_has(
        question,
        &[
            "hire you",
            "about yourself",
            "your background",
            "your strengths",
            "your greatest",
            "see yourself",
            "your goals",
            "good fit",
            "right fit",
            "a fit",
            "stand out",
            "you bring",
        ],
    )
}

impl Rules {
    pub(crate) fn new(
        question: &Question,
        senior: bool,
        style: Style,
        f: &Features,
        sem: &Semantic,
        answer: &str,
        sentences: &[(usize, usize)],
    ) -> Self {
        let mut r = Self::default();
        let category = if question.expects_star {
            Category::Behavioral
        } else {
            question.category
        };
        let about_self = matches!(
            category,
            Category::Project
                | Category::Experience
                | Category::Resume
                | Category::Introduction
                | Category::Behavioral
        ) || (category == Category::Closing && asks_about_the_candidate(question));
        // A question about the candidate's own work answered without a word about
        // them (no "I", no "my", no "we" for a team project): another subject.
        // For work and stories that means something done, by them or their team;
        // for an introduction or a closing, any word about themselves.
        let speaks_of_self = match category {
            Category::Project | Category::Experience | Category::Resume | Category::Behavioral => {
                f.actions > 0 || f.team_refs > 1 || f.self_refs > 1
            }
            _ => f.self_refs + f.actions > 0,
        };
        if about_self && f.words >= 25 && !speaks_of_self {
            r.relevance_cap = Some(3.0);
            r.cap = r.cap.min(3.5);
        }

        // An introduction about hobbies and family: pleasant, not an answer.
        if category == Category::Introduction && f.words >= 25 {
            let sents: Vec<&str> = sentences
                .iter()
                .filter_map(|&(a, b)| answer.get(a..b))
                .collect();
            let personal = semantic::personal_share(&sents);
            if personal >= 0.6 {
                r.cap = r.cap.min(3.0);
            } else if personal >= 0.4 {
                r.cap = r.cap.min(5.0);
            }
        }
        // The top of the scale asks for measured outcomes when the question is
        // about the candidate's own work; a senior's story needs them to be strong.
        if about_self && category != Category::Closing && f.measures == 0 {
            r.cap = r.cap.min(if senior { 6.0 } else { 6.9 });
        }

        if category == Category::Closing && asks_for_questions(question) {
            let asked: Vec<&str> = sentences
                .iter()
                .filter_map(|&(a, b)| answer.get(a..b))
                .filter(|s| s.trim_end().ends_with('?'))
                .collect();
            let (about_work, about_perks) = semantic::question_kinds(&asked);
            if asked.is_empty() {
                // Declining to ask anything signals little interest in the job.
                r.cap = r.cap.min(3.0);
            } else if about_work == 0 {
                r.cap = r.cap.min(4.0);
            } else {
                let n = about_work.min(4) as f32;
                let substance = (f.content as f32 / 12.0).min(2.0);
                r.specificity_floor = (2.5 + 1.2 * n + substance).min(8.5);
                r.depth_floor = (2.5 + 1.2 * n + substance).min(8.5);
                if about_perks > about_work {
                    r.cap = r.cap.min(5.0);
                }
            }
        }

        // Evasion ("I'd just google it", "not my call", "I'd rather not say"):
        // a short answer that dodges is a non-answer, a longer one stays weak.
        if f.evasive >= 1 && f.words < 40 {
            r.cap = r.cap.min(2.5);
        } else if f.evasive >= 2 {
            r.cap = r.cap.min(4.0);
        }

        // "Tell me about a time..." answered with generalities: no situation and
        // nothing the candidate did is no story, however long.
        if question.expects_star && f.actions == 0 && !f.star.situation && f.words >= 8 {
            r.cap = r.cap.min(4.0);
        }

        // Running others down (the team, a lead, a client): what an interviewer
        // remembers of the answer, whatever else it says.
        if f.disparaging >= 2 {
            r.cap = r.cap.min(3.5);
        } else if f.disparaging == 1 {
            r.cap = r.cap.min(5.0);
        }
        // "Why this role" answered with pay and title.
        if category == Category::Introduction && f.mercenary >= 2 {
            r.cap = r.cap.min(3.5);
        }

        // Stock phrases without a single number or outcome: the generic band.
        if f.cliches >= 5 {
            r.cap = r.cap.min(4.0);
        } else if f.cliches >= 3 && f.actions <= 1 {
            r.cap = r.cap.min(4.5);
        }

        if let Some(check) = &sem.check {
            let c = check.coverage();
            if !check.wrong.is_empty() {
                // The misconception cap applies (the claims join the list).
            } else if check.made.is_empty()
                && f.words >= 30
                && style == Style::Technical
                && sem.confident_topic
                && check.closeness < OFF_KEYS_BELOW
            {
                // Long, and none of what a correct answer says: talking around it,
                // or, far from all of it, about something else.
                if check.closeness < OFF_TOPIC_KEYS_BELOW {
                    r.relevance_cap = Some(2.0);
                    r.cap = r.cap.min(2.5);
                } else {
                    r.relevance_cap = Some(r.relevance_cap.unwrap_or(10.0).min(4.0));
                    r.cap = r.cap.min(4.5);
                }
            } else if check.made.is_empty()
                && f.words >= 30
                && question.category == Category::Scenario
                && sem.confident_topic
                && check.closeness < OFF_KEYS_BELOW
            {
                // A plan that does none of what the situation calls for.
                r.cap = r.cap.min(5.0);
            } else if !check.made.contains(&0)
                && c < 0.5
                && f.words >= 30
                && sem.confident_topic
                && matches!(question.category, Category::Scenario | Category::Technical)
            {
                // The first key point is the one that matters most (rotate the
                // leaked key, roll back the bad release): missing it, and most of
                // the rest, is a generic answer at best.
                r.cap = r.cap.min(5.0);
            } else if c >= 0.5 && style == Style::Technical {
                r.short_is_enough = true;
                r.floor = (4.0 + 6.0 * c).min(8.0);
                r.depth_floor = r.depth_floor.max(4.0 + 6.0 * c);
                r.specificity_floor = r.specificity_floor.max(3.0 + 5.0 * c);
            } else if c > 0.0 {
                r.depth_floor = r.depth_floor.max(3.0 + 5.0 * c);
            }
        }
        r
    }
}
