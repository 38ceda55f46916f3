//! The three things to practise before the next interview: the weakest
//! dimensions and categories of this session (and skipped questions), each with
//! steps concrete enough to practise tonight and the candidate's own answers
//! where the weakness showed.

use crate::model::{Answer, Dimension, Report};
use crate::text::{category_label, excerpt, score10};

/// One thing to practise.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeItem {
    /// `Structure`, `Technical questions`, `Attempting every question`...
    pub area: String,
    /// The area's score this session (0–10), where it has one.
    pub score: Option<f32>,
    /// Why this was picked, from this session's numbers.
    pub why: String,
    /// What to do, step by step.
    pub steps: Vec<String>,
    /// Where it showed in this session's answers (`Q4 "…" — 3.5/10: …`).
    pub examples: Vec<String>,
}

/// At most this many items.
const ITEMS: usize = 3;
/// At most this many of the candidate's answers cited per item.
const EXAMPLES: usize = 2;
/// A dimension or category at or above this is a strength, not a priority (it
/// is still used to fill the list for a strong session, as polish).
const STRONG: f32 = 8.5;

/// What to practise, most pressing first (three items when the session has
/// anything scored or skipped).
pub fn practice_plan(report: &Report) -> Vec<PracticeItem> {
    let answered: Vec<&Answer> = report.answers.iter().filter(|a| !a.is_skipped).collect();
    let skipped: Vec<&Answer> = report.answers.iter().filter(|a| a.is_skipped).collect();
    let mut candidates: Vec<(f32, PracticeItem)> = Vec::new();

    if answered.is_empty() && !report.answers.is_empty() {
        candidates.push((-2.0, nothing_answered()));
    }
    if !skipped.is_empty() {
        let share = skipped.len() as f32 / report.answers.len().max(1) as f32;
        // Two skips, or a fifth of the questions, outrank any weak dimension; a
        // single skip ranks like a middling score.
        let rank = if skipped.len() >= 2 || share >= 0.2 {
            -1.0
        } else {
            6.0
        };
        candidates.push((rank, skips(&skipped)));
    }
    if let Some(dims) = report.dimension_averages.filter(|_| !answered.is_empty()) {
        for d in Dimension::ALL {
            let score = dims.get(d);
            candidates.push((score, dimension_item(d, score, report, &answered)));
        }
    }
    if let Some((category, score)) = weakest_category(report) {
        candidates.push((score, category_item(&category, score, &answered)));
    }
    // Stable: equal scores keep the order above (the rubric's order).
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (weak, strong): (Vec<_>, Vec<_>) = candidates.into_iter().partition(|(s, _)| *s < STRONG);
    weak.into_iter()
        .chain(strong.into_iter().map(|(s, mut item)| {
            item.why = format!(
                "Already a strength ({}); to polish for a stronger impression.",
                score10(s)
            );
            (s, item)
        }))
        .map(|(_, item)| item)
        .take(ITEMS)
        .collect()
}

fn nothing_answered() -> PracticeItem {
    PracticeItem {
        area: "Answering the questions".to_owned(),
        score: None,
        why: "No question was answered in this session, so nothing could be assessed.".to_owned(),
        steps: vec![
            "Start with the introduction: a 60–90 second answer in three parts — present (your \
             current role and focus), past (two highlights, each with a result) and future (why \
             this role)."
                .to_owned(),
            "Then answer every question, even briefly: a partial answer that shows your first \
             step earns credit; a skip earns none."
                .to_owned(),
        ],
        examples: Vec::new(),
    }
}

fn skips(skipped: &[&Answer]) -> PracticeItem {
    let n = skipped.len();
    let numbers: Vec<String> = skipped
        .iter()
        .map(|a| format!("Q{}", a.question_number))
        .collect();
    PracticeItem {
        area: "Attempting every question".to_owned(),
        score: None,
        why: format!(
            "You skipped {n} question{} ({}). Skipped questions are not scored, but in a real \
             interview a silence counts against you.",
            if n == 1 { "" } else { "s" },
            numbers.join(", ")
        ),
        steps: vec![
            "Never pass outright: say how you would approach it — \"I haven't used X in \
             production, but I would start by…\" — and reason aloud from what you do know."
                .to_owned(),
            "Buy time honestly (\"Let me think about that for a moment\"), then give a \
             one-sentence answer and two supporting points."
                .to_owned(),
            "Tonight, write a 90-second answer to each skipped question below and say it aloud \
             twice."
                .to_owned(),
        ],
        examples: skipped
            .iter()
            .take(EXAMPLES + 1)
            .map(|a| format!("Q{} \"{}\"", a.question_number, excerpt(&a.question, 90)))
            .collect(),
    }
}

fn dimension_item(d: Dimension, score: f32, report: &Report, answered: &[&Answer]) -> PracticeItem {
    let (why, steps) = match d {
        Dimension::Relevance => (
            "answers drifted from what was asked or left part of the question unanswered",
            vec![
                "Before you answer, pick out the question's key words (for \"How would you \
                 scale the checkout service under peak load?\": scale, checkout, peak load) and \
                 make sure your answer addresses each one."
                    .to_owned(),
                "Put the direct answer in your first sentence (\"I would shard by customer ID, \
                 because…\"), then support it; leave background for later, if at all."
                    .to_owned(),
                "When a question has two parts, say so (\"There are two parts to that…\") and \
                 answer them in order."
                    .to_owned(),
            ],
        ),
        Dimension::Depth => (
            "answers said what you did or what something is, but rarely why or how",
            vec![
                "For every decision you mention, add \"because…\" and one alternative you \
                 rejected: \"Postgres over DynamoDB because reporting needed joins; the cost was \
                 running our own failover.\""
                    .to_owned(),
                "For technical questions go one level down: how it works inside, what it costs \
                 (time, memory, operations), and where it stops working."
                    .to_owned(),
                "For stories, end with what you learned and what you would do differently next \
                 time."
                    .to_owned(),
            ],
        ),
        Dimension::Structure => (
            "answers were hard to follow or missed parts of a complete story",
            structure_steps(report),
        ),
        Dimension::Specificity => (
            "claims came without numbers, names or outcomes",
            vec![
                "Replace every vague claim with a measurable one: not \"I improved performance\" \
                 but \"I cut p95 latency from 800 ms to 200 ms by caching sessions in Redis\"."
                    .to_owned(),
                "Name the tools, the scale and your part: requests per second, users, data size, \
                 team size, and what you personally built or decided."
                    .to_owned(),
                "Before the interview, write a numbers sheet: for each role on your résumé, \
                 three metrics you moved and how you moved them."
                    .to_owned(),
            ],
        ),
        Dimension::Communication => (
            "delivery was long-winded, too brief, or full of filler and hedges",
            communication_steps(answered),
        ),
    };
    PracticeItem {
        area: d.label().to_owned(),
        score: Some(score),
        why: format!("{} averaged {}: {why}.", d.label(), score10(score)),
        steps,
        examples: dimension_examples(d, answered),
    }
}

fn structure_steps(report: &Report) -> Vec<String> {
    let mut steps = vec![
        "For experience and behavioural questions use STAR, about two minutes in all:".to_owned(),
        "Situation — one or two sentences: where, when, who, and what was at stake (\"Our \
         checkout API was timing out during a sale, losing orders\")."
            .to_owned(),
        "Task — one sentence on what you were responsible for (\"I owned getting p95 latency \
         under 300 ms before Black Friday\")."
            .to_owned(),
        "Action — most of the answer (60–70%): what you did, step by step, with \"I\" rather \
         than \"we\", and why you chose each step."
            .to_owned(),
        "Result — the measurable outcome and what you learned (\"p95 fell from 1.2 s to 250 ms; \
         we took three times the traffic without an incident\")."
            .to_owned(),
        "For other questions: the answer in one sentence, then two or three supporting points, \
         then a one-line wrap-up."
            .to_owned(),
    ];
    // Which STAR parts this session's stories most often lacked.
    let stars: Vec<_> = report
        .answers
        .iter()
        .filter(|a| !a.is_skipped)
        .filter_map(|a| a.evaluation.as_ref().and_then(|e| e.star))
        .collect();
    if !stars.is_empty() {
        let n = stars.len();
        let missing = [
            (
                "the situation",
                stars.iter().filter(|s| !s.situation).count(),
            ),
            ("the task", stars.iter().filter(|s| !s.task).count()),
            ("your actions", stars.iter().filter(|s| !s.action).count()),
            ("the result", stars.iter().filter(|s| !s.result).count()),
        ];
        let lacking: Vec<String> = missing
            .iter()
            .filter(|(_, m)| *m > 0)
            .map(|(part, m)| format!("{part} ({m} of {n})"))
            .collect();
        if !lacking.is_empty() {
            steps.push(format!(
                "In this session your STAR stories most often left out {}.",
                lacking.join(", ")
            ));
        }
    }
    steps
}

fn communication_steps(answered: &[&Answer]) -> Vec<String> {
    let mut steps = vec![
        "Aim for one to two minutes per answer (about 150–250 words) and stop once you have \
         given the result."
            .to_owned(),
        "Cut filler (\"basically\", \"like\", \"you know\") and hedges (\"I think maybe\"): pause \
         silently instead, and signpost (\"First… Second… Finally…\")."
            .to_owned(),
        "Record yourself answering three questions from this report and listen back for filler \
         and rambling."
            .to_owned(),
    ];
    let words: Vec<u32> = answered
        .iter()
        .filter_map(|a| a.evaluation.as_ref().and_then(|e| e.word_count))
        .filter(|w| *w > 0)
        .collect();
    if !words.is_empty() {
        let mean = words.iter().sum::<u32>() / u32::try_from(words.len()).unwrap_or(u32::MAX);
        if mean < 80 {
            steps.push(format!(
                "Your answers averaged {mean} words: too short to show your thinking; add an \
                 example and a result to each."
            ));
        } else if mean > 350 {
            steps.push(format!(
                "Your answers averaged {mean} words: trim to the essentials, under 300 words."
            ));
        }
    }
    steps
}

/// Words an improvement about each dimension tends to use (the engine's and a
/// model judge's wording alike).
fn keywords(d: Dimension) -> &'static [&'static str] {
    match d {
        Dimension::Relevance => &[
            "question", "address", "drift", "relevan", "head-on", "focus",
        ],
        Dimension::Depth => &[
            "deeper",
            "depth",
            "why",
            "reasoning",
            "trade-off",
            "tradeoff",
            "reflect",
            "explain",
        ],
        Dimension::Structure => &[
            "star",
            "structure",
            "organi",
            "situation",
            "result",
            "lead with",
            "wrap up",
        ],
        Dimension::Specificity => &[
            "evidence", "number", "metric", "concrete", "specific", "example", "tool", "measur",
        ],
        Dimension::Communication => &[
            "filler", "concise", "tighten", "shorter", "say more", "hedge", "direct", "clear",
        ],
    }
}

/// The answers that scored lowest on `d` (below 7), each with its most fitting
/// improvement.
fn dimension_examples(d: Dimension, answered: &[&Answer]) -> Vec<String> {
    let mut low: Vec<(f32, &Answer)> = answered
        .iter()
        .filter_map(|a| a.dimensions().map(|dims| (dims.get(d), *a)))
        .filter(|(s, _)| *s < 7.0)
        .collect();
    low.sort_by(|a, b| a.0.total_cmp(&b.0));
    low.into_iter()
        .take(EXAMPLES)
        .map(|(s, a)| {
            let improvements = a
                .evaluation
                .as_ref()
                .map(|e| e.improvements.as_slice())
                .unwrap_or_default();
            let fitting = improvements
                .iter()
                .find(|i| {
                    let lower = i.to_lowercase();
                    keywords(d).iter().any(|k| lower.contains(k))
                })
                .or_else(|| improvements.first());
            cite(
                a,
                &format!("{} {}", d.label().to_lowercase(), score10(s)),
                fitting,
            )
        })
        .collect()
}

fn cite(a: &Answer, score: &str, improvement: Option<&String>) -> String {
    let head = format!(
        "Q{} \"{}\" ({score})",
        a.question_number,
        excerpt(&a.question, 70)
    );
    match improvement {
        Some(i) => format!("{head}: {}", crate::text::one_line(i)),
        None => head,
    }
}

/// The lowest-scoring category, when it is clearly weak: below 5, or at least
/// half a point under the session's average with two or more answers in it.
fn weakest_category(report: &Report) -> Option<(String, f32)> {
    let counts = |c: &str| {
        report
            .answers
            .iter()
            .filter(|a| !a.is_skipped && a.category.as_deref() == Some(c))
            .count()
    };
    report
        .category_scores
        .iter()
        .filter(|(c, s)| **s < 5.0 || (**s <= report.average_score - 0.5 && counts(c) >= 2))
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(c, s)| (c.clone(), *s))
}

fn category_item(category: &str, score: f32, answered: &[&Answer]) -> PracticeItem {
    let label = category_label(category);
    let steps: Vec<&str> = match category {
        "technical" => vec![
            "Answer in three layers: what it is in one sentence, how it works, then when you \
             would use it and what it costs.",
            "Walk through one concrete example — a query, a request, a failure — instead of \
             describing the topic in general.",
            "When you don't know, reason aloud: what you know, how you would find out, and your \
             first step.",
        ],
        "behavioral" => vec![
            "Prepare six STAR stories that cover conflict, failure, leadership, a tight deadline, \
             influencing without authority and learning something fast.",
            "Map each likely question to one of them before the interview, so you never invent a \
             story on the spot.",
            "End every story on the result and one lesson you still apply.",
        ],
        "experience" | "resume" | "project" => vec![
            "Know your résumé cold: for each role and project, the problem, your part, the \
             design, one hard decision and the measured outcome.",
            "Rehearse a two-minute walkthrough of your strongest project, ending on its numbers.",
            "Be ready for \"why\" on every line: why that technology, why that approach, what \
             you would change now.",
        ],
        "scenario" => vec![
            "Start by clarifying: ask about scale, constraints and what success means before \
             proposing anything.",
            "State your assumptions aloud, propose a first version, then improve it and name the \
             trade-offs.",
            "Finish with how you would measure whether it worked.",
        ],
        "introduction" => vec![
            "Prepare a 60–90 second introduction: present (role and focus), past (two \
             highlights, each with a result) and future (why this role, why now).",
            "Tie it to the job: name the one or two skills from the posting you bring.",
        ],
        "closing" => vec![
            "Prepare two or three questions for the interviewer: what the team's biggest \
             challenge is this year, how success is measured in the role, what the first three \
             months look like.",
            "Close with a one-sentence summary of why you fit.",
        ],
        "follow_up" => vec![
            "Follow-ups probe depth: for every story, prepare the \"why\", the alternative you \
             rejected and what you would do differently.",
            "Answer the follow-up directly first; don't repeat the original answer.",
        ],
        _ => vec![
            "Lead with a direct answer, support it with one concrete example and its result.",
            "Practise the questions below aloud until each takes about two minutes.",
        ],
    };
    let mut low: Vec<(f32, &Answer)> = answered
        .iter()
        .filter(|a| a.category.as_deref() == Some(category))
        .filter_map(|a| a.score().map(|s| (s, *a)))
        .collect();
    low.sort_by(|a, b| a.0.total_cmp(&b.0));
    PracticeItem {
        area: format!("{label} questions"),
        score: Some(score),
        why: format!(
            "{label} questions averaged {}, your weakest category.",
            score10(score)
        ),
        steps: steps.into_iter().map(str::to_owned).collect(),
        examples: low
            .into_iter()
            .take(EXAMPLES)
            .map(|(s, a)| {
                let first = a.evaluation.as_ref().and_then(|e| e.improvements.first());
                cite(a, &score10(s), first)
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dimensions, Evaluation};

    fn answer(
        n: u32,
        category: &str,
        score: f32,
        dims: Dimensions,
        improvements: &[&str],
    ) -> Answer {
        Answer {
            question_number: n,
            question: format!("Question number {n}"),
            category: Some(category.to_owned()),
            answer_text: Some("An answer".to_owned()),
            score: Some(score),
            evaluation: Some(Evaluation {
                score: Some(score),
                dimensions: Some(dims),
                improvements: improvements.iter().map(|s| (*s).to_owned()).collect(),
                ..Evaluation::default()
            }),
            ..Answer::default()
        }
    }

    fn dims(r: f32, d: f32, s: f32, sp: f32, c: f32) -> Dimensions {
        Dimensions {
            relevance: r,
            depth: d,
            structure: s,
            specificity: sp,
            communication: c,
        }
    }

    #[test]
    fn the_weakest_dimensions_come_first_with_the_answers_that_showed_them() {
        let mut report = Report {
            answers: vec![
                answer(
                    1,
                    "technical",
                    6.0,
                    dims(8.0, 6.0, 3.0, 5.0, 9.0),
                    &[
                        "Add evidence: a number.",
                        "Use STAR: the answer is missing the result.",
                    ],
                ),
                answer(2, "technical", 7.0, dims(8.0, 7.0, 5.0, 6.0, 9.0), &[]),
            ],
            ..Report::default()
        };
        report.normalize();
        let plan = practice_plan(&report);
        let areas: Vec<&str> = plan.iter().map(|i| i.area.as_str()).collect();
        assert_eq!(areas, ["Structure", "Specificity", "Depth"]);
        let structure = &plan[0];
        assert!(
            structure
                .steps
                .iter()
                .any(|s| s.starts_with("Situation — "))
        );
        assert!(structure.steps.iter().any(|s| s.starts_with("Result — ")));
        assert_eq!(
            structure.examples[0],
            "Q1 \"Question number 1\" (structure 3.0/10): Use STAR: the answer is missing the result."
        );
    }

    #[test]
    fn two_skips_outrank_every_dimension() {
        let mut report = Report {
            answers: vec![
                answer(1, "technical", 2.0, dims(2.0, 2.0, 2.0, 2.0, 2.0), &[]),
                Answer {
                    question_number: 2,
                    question: "Skipped one".into(),
                    is_skipped: true,
                    ..Answer::default()
                },
                Answer {
                    question_number: 3,
                    question: "Skipped two".into(),
                    is_skipped: true,
                    ..Answer::default()
                },
            ],
            ..Report::default()
        };
        report.normalize();
        let plan = practice_plan(&report);
        assert_eq!(plan[0].area, "Attempting every question");
        assert!(plan[0].why.contains("Q2, Q3"));
        assert_eq!(plan.len(), 3);
    }

    #[test]
    fn a_strong_session_still_gets_three_items_framed_as_polish() {
        let mut report = Report {
            answers: vec![answer(
                1,
                "technical",
                9.5,
                dims(9.0, 9.5, 9.0, 8.8, 9.7),
                &[],
            )],
            ..Report::default()
        };
        report.normalize();
        let plan = practice_plan(&report);
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[0].area, "Specificity");
        assert!(plan[0].why.starts_with("Already a strength"));
    }

    #[test]
    fn a_clearly_weak_category_is_named() {
        let mut report = Report {
            average_score: 6.0,
            category_scores: [
                ("behavioral".to_owned(), 7.5),
                ("technical".to_owned(), 3.5),
            ]
            .into_iter()
            .collect(),
            answers: vec![
                answer(
                    1,
                    "technical",
                    3.0,
                    dims(6.0, 6.0, 6.0, 6.0, 6.0),
                    &["Go one level deeper."],
                ),
                answer(2, "technical", 4.0, dims(6.0, 6.0, 6.0, 6.0, 6.0), &[]),
                answer(3, "behavioral", 7.5, dims(6.0, 6.0, 6.0, 6.0, 6.0), &[]),
            ],
            ..Report::default()
        };
        report.normalize();
        let plan = practice_plan(&report);
        assert_eq!(plan[0].area, "Technical questions");
        assert_eq!(
            plan[0].examples[0],
            "Q1 \"Question number 1\" (3.0/10): Go one level deeper."
        );
    }
}
