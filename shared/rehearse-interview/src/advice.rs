//! What the candidate reads after an answer: strengths, improvements with the
//! fix spelled out, and one or two sentences of feedback that quote the answer.

use crate::features::Features;
use crate::model::{Category, Dimensions, Evaluation, Question, StarBreakdown};
use crate::non_answer::Empty;
use crate::style::Style;

pub(crate) fn no_answer(
    question: &Question,
    kind: Empty,
    f: &Features,
    quote: Option<String>,
) -> Evaluation {
    let (score, dims, feedback, fix) = match kind {
        Empty::Nothing => (
            0.0,
            Dimensions::default(),
            "No answer was given. Even a partial answer (your first step, or a related \
             example) is worth more than silence."
                .to_owned(),
            "Give an answer, even a partial one: state your first step or a related example.",
        ),
        Empty::Gibberish => (
            0.5,
            Dimensions {
                relevance: 0.0,
                depth: 0.0,
                structure: 0.5,
                specificity: 0.0,
                communication: 1.0,
            },
            "This doesn't read as an answer to the question. Take a moment to think, then \
             answer in full sentences."
                .to_owned(),
            "Answer in full sentences that address the question directly.",
        ),
        Empty::Copied => (
            1.0,
            Dimensions {
                relevance: 2.0,
                depth: 0.5,
                structure: 1.0,
                specificity: 0.0,
                communication: 1.5,
            },
            "The answer mostly repeats the question. Answer it directly: state your approach, \
             then back it with an example."
                .to_owned(),
            "Don't restate the question; answer it with your own approach and an example.",
        ),
        Empty::DontKnow => (
            1.0,
            Dimensions {
                relevance: 1.0,
                depth: 0.5,
                structure: 1.0,
                specificity: 0.0,
                communication: 2.0,
            },
            format!(
                "{}It's fine not to know everything, but reason aloud: say what you do know \
                 and how you would find out the rest.",
                quote.map(|q| format!("\"{q}\": ")).unwrap_or_default()
            ),
            "When unsure, reason aloud: what you know, how you'd find out, and a first step.",
        ),
    };
    let mut improvements = vec![fix.to_owned()];
    if question.expects_star {
        improvements.push(
            "Use a real story: the situation, your task, the actions you took and the result."
                .to_owned(),
        );
    }
    Evaluation {
        score,
        dimensions: dims,
        strengths: Vec::new(),
        improvements,
        feedback,
        star: question.expects_star.then(StarBreakdown::default),
        word_count: f.words as u32,
        scored_by: crate::model::ScoredBy::Engine,
        evidence: Vec::new(),
    }
}

pub(crate) fn advice(
    question: &Question,
    style: Style,
    d: &Dimensions,
    f: &Features,
    missing: &[String],
    off_topic: bool,
) -> (Vec<String>, Vec<String>) {
    let mut strengths = Vec::new();
    let mut improvements: Vec<(f32, String)> = Vec::new();

    if d.relevance >= 7.0 {
        strengths.push("Stayed on the question and covered its key points.".to_owned());
    } else if off_topic {
        improvements.push((
            0.0,
            "Answer the question that was asked; this answer drifted to another subject."
                .to_owned(),
        ));
    } else if d.relevance < 6.0 {
        let hint = missing
            .iter()
            .take(3)
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let text = if hint.is_empty() {
            "Address the question head-on in your first sentence, then support it.".to_owned()
        } else {
            format!(
                "Address the core of the question directly; a strong answer would touch on {hint}."
            )
        };
        improvements.push((d.relevance, text));
    }

    if d.depth >= 7.0 {
        strengths.push(match style {
            Style::Star => "Reflected on why you acted as you did and what you learned.".to_owned(),
            _ => "Explained the reasoning and trade-offs, not just the what.".to_owned(),
        });
    } else if d.depth < 6.0 {
        let text = match style {
            Style::Star => "Explain why you chose your approach and what you'd do differently \
                            next time; reflection shows judgement."
                .to_owned(),
            Style::Technical => "Go one level deeper: explain how it works and the trade-off \
                                 you weighed (why this over the alternative, and its cost)."
                .to_owned(),
            _ => "Add your reasoning: why you made the choices you describe and what they cost."
                .to_owned(),
        };
        improvements.push((d.depth, text));
    }
    for (claim, correction) in &f.misconceptions {
        improvements.insert(
            0,
            (-1.0, format!("Check the claim \"{claim}\": {correction}")),
        );
    }

    if d.structure >= 7.0 {
        strengths.push(if style == Style::Star {
            "Clear STAR structure: situation, task, your actions and the result.".to_owned()
        } else {
            "Well organised and easy to follow.".to_owned()
        });
    } else if d.structure < 6.0 {
        let text = if style == Style::Star {
            let mut gaps = Vec::new();
            if !f.star.situation {
                gaps.push("the situation");
            }
            if !f.star.task {
                gaps.push("your task");
            }
            if !f.star.action {
                gaps.push("what you personally did");
            }
            if !f.star.result {
                gaps.push("the result");
            }
            if gaps.is_empty() {
                "Tell it in STAR order: a sentence of context, your task, most of the time on \
                 your actions, then the measurable result."
                    .to_owned()
            } else {
                format!(
                    "Use STAR: the answer is missing {}. Keep the context short and end on the \
                     measurable result.",
                    gaps.join(", ")
                )
            }
        } else {
            "Lead with a one-sentence answer, support it with two or three points, then wrap up."
                .to_owned()
        };
        improvements.push((d.structure, text));
    }

    if d.specificity >= 7.0 {
        strengths.push(
            "Backed the answer with concrete evidence: numbers, named tools and outcomes."
                .to_owned(),
        );
    } else if d.specificity < 6.0 {
        let text = if question.category == Category::Introduction {
            "Make it concrete: name a project, a technology and one result you're proud of."
                .to_owned()
        } else {
            "Add evidence: a number (latency, users, time saved, %), a named tool, or the \
             concrete outcome."
                .to_owned()
        };
        improvements.push((d.specificity, text));
    }

    if d.communication >= 7.5 {
        strengths.push("Clear, concise delivery with little filler.".to_owned());
    } else if d.communication < 6.0 {
        let text = if f.fillers >= 3 && f.fillers * 25 >= f.words {
            format!(
                "Cut filler words (\"basically\", \"um\", \"you know\": {} here); pause instead.",
                f.fillers
            )
        } else if f.words < 40 {
            "Say more: aim for one to two minutes (about 120 to 250 words) with an example."
                .to_owned()
        } else if f.words > 450 {
            "Tighten it: keep to the essentials in under 300 words.".to_owned()
        } else if f.avg_sentence > 40.0 || f.sentences <= 1 {
            "Break it into shorter sentences so each makes one point.".to_owned()
        } else {
            "Be more direct: fewer hedges (\"I think\", \"maybe\"), more plain statements."
                .to_owned()
        };
        improvements.push((d.communication, text));
    }

    improvements.sort_by(|a, b| a.0.total_cmp(&b.0));
    (
        strengths,
        improvements.into_iter().map(|(_, t)| t).take(4).collect(),
    )
}

pub(crate) fn feedback(
    score: f32,
    d: &Dimensions,
    style: Style,
    f: &Features,
    best_quote: Option<String>,
    first_quote: Option<String>,
    improvements: &[String],
) -> String {
    let next = improvements
        .first()
        .map(|i| format!(" Next time: {}", lower_first(i)))
        .unwrap_or_default();
    if score >= 7.0 {
        let q = best_quote.map(|q| format!("\"{q}\": ")).unwrap_or_default();
        let why = if d.specificity >= d.depth && f.numbers + f.tools > 0 {
            "concrete evidence like that makes the answer convincing."
        } else if style == Style::Star {
            "a clear story with your own actions and a result."
        } else {
            "clear reasoning that shows real understanding."
        };
        format!("{q}{why}{next}")
    } else {
        let q = first_quote
            .map(|q| format!("You said \"{q}\". "))
            .unwrap_or_default();
        let lead = if !f.misconceptions.is_empty() {
            "One claim here is factually wrong, and an interviewer will notice it first."
        } else if style == Style::Star && f.hypothetical >= 2 && f.actions == 0 {
            "This describes what you would do, not what you did."
        } else if score >= 5.0 {
            "A reasonable answer that needs more to stand out."
        } else if score >= 3.0 {
            "This stays general; the interviewer can't yet see what you did or know."
        } else {
            "This doesn't yet answer the question."
        };
        format!("{q}{lead}{next}")
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
