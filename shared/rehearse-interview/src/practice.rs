//! The practice plan: a signed-in user's weakest question categories and rubric
//! dimensions across their sessions, each with the answers that show it, and the
//! next interview to practise them (a job context, a question mix and a
//! [`Focus`] to pass to a focused session).
//!
//! The ranking rule:
//! - Every answer counts with a recency weight that halves every
//!   [`HALF_LIFE_DAYS`] (30) days, so last week's answers outweigh last
//!   quarter's and improvement shows.
//! - A category's score is the weighted mean of its answers' scores; a skip
//!   counts as a 0 at half weight ([`SKIP_WEIGHT`]): evidence of a weak spot,
//!   but weaker evidence than a poor answer. Only the categories a session can
//!   focus on are ranked (resume, experience, project, technical, scenario,
//!   behavioral; introductions, closings and follow-ups are not).
//! - A dimension's score is the weighted mean of that dimension over every
//!   answered question (skips have no dimensions).
//! - An area is ranked only with at least [`MIN_SAMPLE`] (3) answers, and is
//!   weak when its weighted mean is below [`WEAK_BELOW`] (7, the score spaced
//!   repetition calls "answered well"). The weak ones are listed weakest first
//!   (ties: more answers first), at most [`MAX_AREAS`] (3) of each kind.
//!
//! - The next interview practises one category at a time, the weakest: at
//!   least half of its questions are from it (deliberate practice on one thing,
//!   with its evidence in front of the candidate). It is steered by the weakest
//!   dimension and those within [`FOCUS_MARGIN`] (1 point) of it. The other
//!   weak areas stay listed, with their evidence, for the interviews after.
//!
//! Outcomes ([`PlanStatus`]): no answers at all (no plan, no next interview);
//! too few answers for any area to be ranked (the next interview is a plain
//! one, to gather evidence); every ranked area strong (a plain next interview,
//! with a nudge to raise the bar); or weak areas found (the next interview
//! focuses on them).
//!
//! Pure: the caller passes the history (at most a few hundred recent answers;
//! see `rehearse_db::practice`) and the time (`now`, Unix seconds).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{Category, Dimension, Focus, JobContext, PastAnswer};
use crate::repetition::STRONG;
use crate::slots;

/// Recency: an answer's weight halves every this many days.
pub const HALF_LIFE_DAYS: f64 = 30.0;
/// A skip's weight relative to an answer's (it counts as a score of 0).
pub const SKIP_WEIGHT: f64 = 0.5;
/// Answers (skips included) an area needs before it is ranked.
pub const MIN_SAMPLE: u32 = 3;
/// An area whose weighted mean is below this is weak.
pub const WEAK_BELOW: f32 = STRONG;
/// At most this many weak categories and this many weak dimensions.
pub const MAX_AREAS: usize = 3;
/// How far above the weakest dimension (weighted mean, 0–10) another weak
/// dimension may be and still steer the next interview.
pub const FOCUS_MARGIN: f32 = 1.0;

/// At most this many answers are shown as an area's evidence (the lowest first).
pub const MAX_EVIDENCE: usize = 5;
/// The length of the suggested next interview (the create route's default).
pub const NEXT_QUESTIONS: u8 = 10;

const DAY: f64 = 86_400.0;

/// What the plan could say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// No answers yet: nothing to plan from.
    NoHistory,
    /// Some answers, but no area has [`MIN_SAMPLE`] of them.
    TooFewAnswers,
    /// Every ranked area averages at least [`WEAK_BELOW`].
    AllStrong,
    /// Weak areas found; the next interview focuses on them.
    Ready,
}

/// One answer (or skip) shown as evidence for an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub session_id: String,
    pub question_number: u32,
    pub question: String,
    pub category: Category,
    pub skipped: bool,
    /// The answer's score, 0–10; `None` for a skip.
    pub score: Option<f32>,
    /// For a dimension's evidence: the answer's score on that dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension_score: Option<f32>,
    /// Unix seconds.
    pub answered_at: i64,
}

/// How an area scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaScore {
    /// The ranking key: the recency-weighted mean (skips as 0 at half weight),
    /// 0–10, one decimal.
    pub weighted_average: f32,
    /// The plain mean of the same answers (skips as 0), one decimal.
    pub average: f32,
    /// Answers counted (skips included).
    pub answers: u32,
    pub skipped: u32,
    /// The lowest-scoring answers, most recent first among equals.
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeakCategory {
    pub category: Category,
    #[serde(flatten)]
    pub score: AreaScore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeakDimension {
    pub dimension: Dimension,
    #[serde(flatten)]
    pub score: AreaScore,
}

/// The next interview to take: pass `job_context`, `num_questions` and
/// `focus` to session creation; `question_mix` is the mix that plan lays out
/// (introduction and closing included; a slot for material the resume lacks
/// falls back to another kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextInterview {
    pub job_context: JobContext,
    pub num_questions: u8,
    pub question_mix: BTreeMap<Category, u8>,
    pub focus: Focus,
}

/// A user's practice plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PracticePlan {
    pub status: PlanStatus,
    /// One or two sentences for the user.
    pub message: String,
    pub weakest_categories: Vec<WeakCategory>,
    pub weakest_dimensions: Vec<WeakDimension>,
    /// `None` only without any (valid) history.
    pub next_interview: Option<NextInterview>,
    /// Answers and skips the plan read, and the sessions they came from.
    pub answers_considered: u32,
    pub sessions_considered: u32,
}

/// One data point of an area.
struct Point<'a> {
    answer: &'a PastAnswer,
    value: f32,
    weight: f64,
    dimension_score: Option<f32>,
}

fn one_decimal(x: f64) -> f32 {
    ((x * 10.0).round() / 10.0) as f32
}

fn recency(answer: &PastAnswer, now: i64) -> f64 {
    let age_days = now.saturating_sub(answer.answered_at).max(0) as f64 / DAY;
    0.5f64.powf(age_days / HALF_LIFE_DAYS)
}

/// The area's score, when it has enough points.
fn score(points: &[Point<'_>]) -> Option<AreaScore> {
    let n = u32::try_from(points.len()).unwrap_or(u32::MAX);
    if n < MIN_SAMPLE {
        return None;
    }
    let total_weight: f64 = points.iter().map(|p| p.weight).sum();
    if total_weight <= 0.0 {
        return None;
    }
    let weighted = points
        .iter()
        .map(|p| f64::from(p.value) * p.weight)
        .sum::<f64>()
        / total_weight;
    let plain = points.iter().map(|p| f64::from(p.value)).sum::<f64>() / f64::from(n);
    let mut lowest: Vec<&Point<'_>> = points.iter().collect();
    lowest.sort_by(|a, b| {
        a.value
            .total_cmp(&b.value)
            .then(b.answer.answered_at.cmp(&a.answer.answered_at))
    });
    Some(AreaScore {
        weighted_average: one_decimal(weighted),
        average: one_decimal(plain),
        answers: n,
        skipped: u32::try_from(points.iter().filter(|p| p.answer.skipped).count())
            .unwrap_or(u32::MAX),
        evidence: lowest
            .into_iter()
            .take(MAX_EVIDENCE)
            .map(|p| Evidence {
                session_id: p.answer.session_id.clone(),
                question_number: p.answer.question_number,
                question: p.answer.question_text.clone(),
                category: p.answer.category,
                skipped: p.answer.skipped,
                score: p.answer.score.filter(|_| !p.answer.skipped),
                dimension_score: p.dimension_score,
                answered_at: p.answer.answered_at,
            })
            .collect(),
    })
}

/// Weak areas, weakest first, at most [`MAX_AREAS`]; and whether any area had
/// enough answers to be ranked at all.
fn rank<K: Copy + Ord>(scored: Vec<(K, Option<AreaScore>)>) -> (Vec<(K, AreaScore)>, bool) {
    let mut ranked: Vec<(K, AreaScore)> = scored
        .into_iter()
        .filter_map(|(k, s)| s.map(|s| (k, s)))
        .collect();
    let any = !ranked.is_empty();
    ranked.retain(|(_, s)| s.weighted_average < WEAK_BELOW);
    ranked.sort_by(|(ka, a), (kb, b)| {
        a.weighted_average
            .total_cmp(&b.weighted_average)
            .then(b.answers.cmp(&a.answers))
            .then(ka.cmp(kb))
    });
    ranked.truncate(MAX_AREAS);
    (ranked, any)
}

/// The categories a session can focus on, in the engine's order.
const RANKED_CATEGORIES: [Category; 6] = [
    Category::Resume,
    Category::Experience,
    Category::Project,
    Category::Technical,
    Category::Scenario,
    Category::Behavioral,
];

/// The practice plan for a user's `history` (any order) at `now` (Unix
/// seconds): see the module's ranking rule.
pub(crate) fn plan(history: &[PastAnswer], now: i64) -> PracticePlan {
    // An answer without a score (a row the engine did not score) says nothing.
    let usable: Vec<&PastAnswer> = history
        .iter()
        .filter(|a| a.skipped || a.score.is_some())
        .collect();
    let answers_considered = u32::try_from(usable.len()).unwrap_or(u32::MAX);
    let sessions_considered = u32::try_from(
        usable
            .iter()
            .map(|a| a.session_id.as_str())
            .collect::<HashSet<_>>()
            .len(),
    )
    .unwrap_or(u32::MAX);

    let category_scores: Vec<(Category, Option<AreaScore>)> = RANKED_CATEGORIES
        .iter()
        .map(|&c| {
            let points: Vec<Point<'_>> = usable
                .iter()
                .filter(|a| a.category == c && !a.is_follow_up)
                .map(|a| Point {
                    answer: a,
                    value: if a.skipped {
                        0.0
                    } else {
                        a.score.unwrap_or(0.0)
                    },
                    weight: recency(a, now) * if a.skipped { SKIP_WEIGHT } else { 1.0 },
                    dimension_score: None,
                })
                .collect();
            (c, score(&points))
        })
        .collect();
    let dimension_scores: Vec<(Dimension, Option<AreaScore>)> = Dimension::ALL
        .iter()
        .map(|&d| {
            let points: Vec<Point<'_>> = usable
                .iter()
                .filter(|a| !a.skipped)
                .filter_map(|a| {
                    let v = a.dimensions?.get(d);
                    Some(Point {
                        answer: a,
                        value: v,
                        weight: recency(a, now),
                        dimension_score: Some(v),
                    })
                })
                .collect();
            (d, score(&points))
        })
        .collect();
    let (weak_categories, any_category) = rank(category_scores);
    let (weak_dimensions, any_dimension) = rank(dimension_scores);

    let status = if usable.is_empty() {
        PlanStatus::NoHistory
    } else if !any_category && !any_dimension {
        PlanStatus::TooFewAnswers
    } else if weak_categories.is_empty() && weak_dimensions.is_empty() {
        PlanStatus::AllStrong
    } else {
        PlanStatus::Ready
    };
    let weakest_categories: Vec<WeakCategory> = weak_categories
        .into_iter()
        .map(|(category, score)| WeakCategory { category, score })
        .collect();
    let weakest_dimensions: Vec<WeakDimension> = weak_dimensions
        .into_iter()
        .map(|(dimension, score)| WeakDimension { dimension, score })
        .collect();
    let focus = Focus {
        categories: weakest_categories
            .first()
            .map(|w| w.category)
            .into_iter()
            .collect(),
        dimensions: closest_to_weakest(&weakest_dimensions, |w| w.dimension, |w| &w.score),
    };
    let next_interview = latest_context(&usable).map(|job_context| NextInterview {
        question_mix: slots::mix(NEXT_QUESTIONS, job_context.interview_type, &focus),
        job_context,
        num_questions: NEXT_QUESTIONS,
        focus: focus.clone(),
    });
    let message = message(
        status,
        answers_considered,
        &weakest_categories,
        &weakest_dimensions,
    );
    PracticePlan {
        status,
        message,
        weakest_categories,
        weakest_dimensions,
        next_interview,
        answers_considered,
        sessions_considered,
    }
}

/// The job context of the most recent session whose stored context still
/// validates (a role, level and interview type `JobContext::new` accepts).
fn latest_context(answers: &[&PastAnswer]) -> Option<JobContext> {
    let mut newest: Vec<&&PastAnswer> = answers.iter().collect();
    newest.sort_by_key(|a| std::cmp::Reverse(a.answered_at));
    newest.into_iter().find_map(|a| {
        JobContext::new(
            &a.target_role,
            &a.experience_level,
            &a.interview_type,
            None,
            None,
        )
        .ok()
    })
}

fn message(
    status: PlanStatus,
    answers: u32,
    categories: &[WeakCategory],
    dimensions: &[WeakDimension],
) -> String {
    match status {
        PlanStatus::NoHistory => "No answers yet: finish an interview while signed in and your \
                                  practice plan will show the areas to work on."
            .to_owned(),
        PlanStatus::TooFewAnswers => format!(
            "{answers} answer{} so far: a practice plan needs at least {MIN_SAMPLE} answers in a \
             category or on a rubric dimension. Take another interview to see where to focus.",
            if answers == 1 { "" } else { "s" }
        ),
        PlanStatus::AllStrong => format!(
            "Every area with enough answers averages {WEAK_BELOW:.0} or more. Keep it up: try a \
             longer interview, another interview type or the next level up."
        ),
        PlanStatus::Ready => {
            let areas: Vec<String> = categories
                .iter()
                .map(|c| (c.category.as_str(), c.score.weighted_average))
                .chain(
                    dimensions
                        .iter()
                        .map(|d| (d.dimension.as_str(), d.score.weighted_average)),
                )
                .map(|(name, avg)| format!("{name} ({avg:.1}/10)"))
                .collect();
            let next = match categories.first() {
                None => "chooses its questions to practise them".to_owned(),
                Some(weakest) => format!(
                    "asks at least half of its questions on {}, the weakest",
                    weakest.category.as_str()
                ),
            };
            format!(
                "Your weakest areas: {}. The next interview {next}.",
                areas.join(", ")
            )
        }
    }
}

/// The areas of `weak` (weakest first) within [`FOCUS_MARGIN`] of the first.
fn closest_to_weakest<W, A: Copy>(
    weak: &[W],
    area: impl Fn(&W) -> A,
    score: impl Fn(&W) -> &AreaScore,
) -> Vec<A> {
    let Some(floor) = weak.first().map(|w| score(w).weighted_average) else {
        return Vec::new();
    };
    weak.iter()
        .filter(|w| score(w).weighted_average <= floor + FOCUS_MARGIN)
        .map(area)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dimensions;

    #[test]
    fn the_focus_is_the_weakest_area_and_those_about_as_weak() {
        let area = |category, weighted_average| WeakCategory {
            category,
            score: AreaScore {
                weighted_average,
                average: weighted_average,
                answers: 3,
                skipped: 0,
                evidence: Vec::new(),
            },
        };
        let focus = |weak: &[WeakCategory]| closest_to_weakest(weak, |w| w.category, |w| &w.score);
        let clear = [
            area(Category::Behavioral, 3.9),
            area(Category::Technical, 6.2),
        ];
        assert_eq!(focus(&clear), [Category::Behavioral]);
        let close = [
            area(Category::Behavioral, 3.9),
            area(Category::Scenario, 4.9),
            area(Category::Technical, 6.2),
        ];
        assert_eq!(focus(&close), [Category::Behavioral, Category::Scenario]);
        assert!(focus(&[]).is_empty());
    }

    const NOW: i64 = 1_780_000_000;
    const DAY_S: i64 = 86_400;

    struct Sess {
        id: &'static str,
        days_ago: i64,
        role: &'static str,
        level: &'static str,
        kind: &'static str,
    }

    /// An answer: category, score, structure (the other dimensions follow the score).
    fn answer(
        s: &Sess,
        n: u32,
        category: Category,
        score: Option<f32>,
        structure: f32,
    ) -> PastAnswer {
        PastAnswer {
            session_id: s.id.into(),
            question_number: n,
            question_text: format!("{} question {n} of {}", category.as_str(), s.id),
            topic: None,
            category,
            is_follow_up: false,
            skipped: score.is_none(),
            score,
            dimensions: score.map(|v| Dimensions {
                relevance: (v + 1.0).min(10.0),
                depth: v,
                structure,
                specificity: v,
                communication: (v + 1.5).min(10.0),
            }),
            answered_at: NOW - s.days_ago * DAY_S + i64::from(n) * 60,
            target_role: s.role.into(),
            experience_level: s.level.into(),
            interview_type: s.kind.into(),
        }
    }

    /// Three sessions: solid technical and scenario answers, weak behavioral
    /// stories without structure.
    fn three_sessions() -> Vec<PastAnswer> {
        let sessions = [
            Sess {
                id: "s1",
                days_ago: 20,
                role: "Backend Engineer",
                level: "1-3",
                kind: "mixed",
            },
            Sess {
                id: "s2",
                days_ago: 9,
                role: "Backend Engineer",
                level: "1-3",
                kind: "mixed",
            },
            Sess {
                id: "s3",
                days_ago: 2,
                role: "Platform Engineer",
                level: "3-5",
                kind: "technical",
            },
        ];
        let mut out = Vec::new();
        for s in &sessions {
            out.push(answer(s, 1, Category::Introduction, Some(7.5), 7.0));
            out.push(answer(s, 2, Category::Technical, Some(7.8), 7.5));
            out.push(answer(s, 3, Category::Behavioral, Some(4.2), 2.5));
            out.push(answer(s, 4, Category::Scenario, Some(7.4), 7.0));
            out.push(answer(s, 5, Category::Behavioral, Some(3.6), 2.0));
            out.push(answer(s, 6, Category::Technical, Some(8.1), 8.0));
            out.push(answer(s, 7, Category::Closing, Some(7.0), 7.0));
        }
        out
    }

    #[test]
    fn weak_behavioral_answers_make_behavioral_and_structure_the_weakest() {
        let history = three_sessions();
        let plan = plan(&history, NOW);
        assert_eq!(plan.status, PlanStatus::Ready, "{plan:#?}");
        assert_eq!(plan.answers_considered, 21);
        assert_eq!(plan.sessions_considered, 3);
        let cats: Vec<Category> = plan.weakest_categories.iter().map(|c| c.category).collect();
        assert_eq!(cats, [Category::Behavioral], "{plan:#?}");
        let dims: Vec<Dimension> = plan
            .weakest_dimensions
            .iter()
            .map(|d| d.dimension)
            .collect();
        assert_eq!(dims.first(), Some(&Dimension::Structure), "{plan:#?}");
        assert!(dims.len() <= MAX_AREAS);

        let behavioral = &plan.weakest_categories[0].score;
        assert_eq!(behavioral.answers, 6);
        assert_eq!(behavioral.average, 3.9);
        assert!(behavioral.weighted_average < 4.2 && behavioral.weighted_average > 3.5);
        assert_eq!(behavioral.evidence.len(), MAX_EVIDENCE);
        // The lowest first, and every one is a behavioral answer with its session.
        let first = &behavioral.evidence[0];
        assert_eq!(first.score, Some(3.6));
        assert_eq!(first.question_number, 5);
        assert_eq!(first.session_id, "s3", "most recent first among equals");
        assert!(
            behavioral
                .evidence
                .iter()
                .all(|e| e.category == Category::Behavioral)
        );
        let structure = &plan.weakest_dimensions[0].score;
        assert_eq!(structure.evidence[0].dimension_score, Some(2.0));

        // The next interview: the latest session's role and level, focused on both.
        let next = plan.next_interview.as_ref().unwrap();
        assert_eq!(next.job_context.target_role, "Platform Engineer");
        assert_eq!(next.job_context.experience_level, crate::model::Level::Mid);
        assert_eq!(next.focus.categories, [Category::Behavioral]);
        assert!(next.focus.dimensions.contains(&Dimension::Structure));
        assert_eq!(next.num_questions, NEXT_QUESTIONS);
        let total: u32 = next.question_mix.values().map(|&n| u32::from(n)).sum();
        assert_eq!(total, u32::from(NEXT_QUESTIONS));
        assert!(next.question_mix[&Category::Behavioral] >= NEXT_QUESTIONS / 2);
        assert_eq!(next.question_mix[&Category::Introduction], 1);
        assert_eq!(next.question_mix[&Category::Closing], 1);
        // The focus validates as a client's would.
        assert_eq!(
            Focus::new(next.focus.categories.clone(), next.focus.dimensions.clone()).as_ref(),
            Ok(&next.focus)
        );
        assert!(plan.message.contains("behavioral") && plan.message.contains("structure"));
    }

    #[test]
    fn no_answers_is_an_explicit_empty_plan() {
        let plan = plan(&[], NOW);
        assert_eq!(plan.status, PlanStatus::NoHistory);
        assert!(plan.weakest_categories.is_empty() && plan.weakest_dimensions.is_empty());
        assert_eq!(plan.next_interview, None);
        assert_eq!((plan.answers_considered, plan.sessions_considered), (0, 0));
        assert!(
            plan.message.starts_with("No answers yet"),
            "{}",
            plan.message
        );
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["status"], "no_history");
        assert_eq!(json["weakest_categories"], serde_json::json!([]));
    }

    #[test]
    fn too_few_answers_ranks_nothing_but_suggests_another_interview() {
        let s = Sess {
            id: "s1",
            days_ago: 1,
            role: "Data Analyst",
            level: "fresher",
            kind: "behavioral",
        };
        let history = [
            answer(&s, 1, Category::Behavioral, Some(2.0), 1.0),
            answer(&s, 2, Category::Behavioral, None, 0.0),
        ];
        let plan = plan(&history, NOW);
        assert_eq!(plan.status, PlanStatus::TooFewAnswers, "{plan:#?}");
        assert!(plan.weakest_categories.is_empty() && plan.weakest_dimensions.is_empty());
        let next = plan.next_interview.unwrap();
        assert_eq!(next.job_context.target_role, "Data Analyst");
        assert!(next.focus.is_empty());
        assert!(
            plan.message.starts_with("2 answers so far"),
            "{}",
            plan.message
        );
    }

    #[test]
    fn all_strong_has_no_weak_area_and_no_focus() {
        let s = Sess {
            id: "s1",
            days_ago: 3,
            role: "Backend Engineer",
            level: "5+",
            kind: "mixed",
        };
        let history: Vec<PastAnswer> = (1..=8)
            .map(|n| {
                let c = [Category::Technical, Category::Behavioral][n as usize % 2];
                answer(&s, n, c, Some(8.4), 8.0)
            })
            .collect();
        let plan = plan(&history, NOW);
        assert_eq!(plan.status, PlanStatus::AllStrong, "{plan:#?}");
        assert!(plan.weakest_categories.is_empty() && plan.weakest_dimensions.is_empty());
        let next = plan.next_interview.unwrap();
        assert!(next.focus.is_empty());
        assert_eq!(
            next.question_mix,
            slots::mix(
                NEXT_QUESTIONS,
                next.job_context.interview_type,
                &Focus::default()
            )
        );
    }

    #[test]
    fn a_category_needs_three_answers_to_be_ranked() {
        let s = Sess {
            id: "s1",
            days_ago: 1,
            role: "Backend Engineer",
            level: "3-5",
            kind: "mixed",
        };
        let mut history: Vec<PastAnswer> = (1..=4)
            .map(|n| answer(&s, n, Category::Technical, Some(6.0), 6.0))
            .collect();
        history.push(answer(&s, 5, Category::Scenario, Some(1.0), 1.0));
        history.push(answer(&s, 6, Category::Scenario, Some(1.0), 1.0));
        let plan = plan(&history, NOW);
        let cats: Vec<Category> = plan.weakest_categories.iter().map(|c| c.category).collect();
        assert_eq!(
            cats,
            [Category::Technical],
            "two scenario answers are not enough"
        );
    }

    #[test]
    fn recent_answers_outweigh_old_ones() {
        let old = Sess {
            id: "old",
            days_ago: 150,
            role: "Backend Engineer",
            level: "3-5",
            kind: "mixed",
        };
        let new = Sess {
            id: "new",
            days_ago: 1,
            role: "Backend Engineer",
            level: "3-5",
            kind: "mixed",
        };
        let mut history = Vec::new();
        for n in 1..=3 {
            // Scenario: poor long ago, good now (plain mean 5.0, improving).
            history.push(answer(&old, n, Category::Scenario, Some(2.0), 5.0));
            history.push(answer(&new, n, Category::Scenario, Some(8.0), 8.0));
            // Technical: middling now (plain mean 6.0).
            history.push(answer(&new, n + 3, Category::Technical, Some(6.0), 8.0));
        }
        let plan = plan(&history, NOW);
        let cats: Vec<Category> = plan.weakest_categories.iter().map(|c| c.category).collect();
        assert_eq!(cats, [Category::Technical], "{plan:#?}");
    }

    #[test]
    fn skips_count_as_weak_evidence() {
        let s = Sess {
            id: "s1",
            days_ago: 1,
            role: "Backend Engineer",
            level: "3-5",
            kind: "mixed",
        };
        let history = [
            answer(&s, 1, Category::Scenario, Some(7.5), 7.5),
            answer(&s, 2, Category::Scenario, Some(7.5), 7.5),
            answer(&s, 3, Category::Scenario, None, 0.0),
            answer(&s, 4, Category::Scenario, None, 0.0),
        ];
        let plan = plan(&history, NOW);
        let scenario = &plan.weakest_categories[0];
        assert_eq!(scenario.category, Category::Scenario);
        assert_eq!(scenario.score.skipped, 2);
        // (7.5 + 7.5) / (1 + 1 + 0.5 + 0.5), at equal recency up to a minute.
        assert_eq!(scenario.score.weighted_average, 5.0);
        assert_eq!(scenario.score.average, 3.8);
        assert!(scenario.score.evidence[0].skipped);
        // Skips have no dimensions: two answers are too few to rank any.
        assert!(plan.weakest_dimensions.is_empty());
    }

    #[test]
    fn the_weakest_three_at_most_weakest_first() {
        let s = Sess {
            id: "s1",
            days_ago: 1,
            role: "Backend Engineer",
            level: "3-5",
            kind: "mixed",
        };
        let mut history = Vec::new();
        let mut n = 0;
        for (c, v) in [
            (Category::Technical, 6.0),
            (Category::Scenario, 3.0),
            (Category::Behavioral, 5.0),
            (Category::Project, 4.0),
            (Category::Experience, 9.0),
        ] {
            for _ in 0..3 {
                n += 1;
                history.push(answer(&s, n, c, Some(v), v));
            }
        }
        let plan = plan(&history, NOW);
        let cats: Vec<Category> = plan.weakest_categories.iter().map(|c| c.category).collect();
        assert_eq!(
            cats,
            [Category::Scenario, Category::Project, Category::Behavioral]
        );
        // A context that no longer validates is passed over for an older one.
        let mut bad = answer(&s, 99, Category::Technical, Some(5.0), 5.0);
        bad.answered_at = NOW;
        bad.experience_level = "galactic".into();
        history.push(bad);
        let plan = super::plan(&history, NOW);
        assert_eq!(
            plan.next_interview.unwrap().job_context.experience_level,
            crate::model::Level::Mid
        );
    }

    #[test]
    fn follow_ups_and_unscored_rows_rank_no_category() {
        let s = Sess {
            id: "s1",
            days_ago: 1,
            role: "Backend Engineer",
            level: "3-5",
            kind: "mixed",
        };
        let mut history: Vec<PastAnswer> = (1..=3)
            .map(|n| {
                let mut a = answer(&s, n, Category::FollowUp, Some(2.0), 2.0);
                a.is_follow_up = true;
                a
            })
            .collect();
        let mut unscored = answer(&s, 9, Category::Technical, Some(1.0), 1.0);
        unscored.score = None;
        history.push(unscored);
        let plan = plan(&history, NOW);
        assert!(plan.weakest_categories.is_empty());
        assert_eq!(plan.answers_considered, 3);
        // Their dimensions still count: three answers with poor structure.
        assert_eq!(plan.status, PlanStatus::Ready);
        assert!(
            plan.message.contains("chooses its questions"),
            "{}",
            plan.message
        );
    }
}
