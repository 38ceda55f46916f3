//! The end-of-session summary: the averages, the tier, where the candidate was
//! strongest and weakest, and three improvements with advice concrete enough to
//! practise before the next interview.
//!
//! `average_score` is the mean over answered questions (a skipped question is not
//! scored, so it cannot drag the average of what was said); `overall_score` is the
//! same on the 0–100 scale the dashboard shows, and the tier comes from the
//! average with the fixed cut-offs of [`tier`]. Skips are reported, counted
//! and addressed in the advice instead.

use std::collections::BTreeMap;

use crate::model::{AnsweredQuestion, Category, Dimensions, Evaluation, Improvement, Summary};

/// `Excellent` (≥ 8), `Good` (≥ 6), `Fair` (≥ 4), else `Needs Improvement`.
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

fn round1(x: f32) -> f32 {
    (x * 10.0).round() / 10.0
}

fn mean(xs: impl Iterator<Item = f32>) -> Option<f32> {
    let (sum, n) = xs.fold((0.0f32, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f32)
}

/// The five dimensions with their names and the advice for a weak one.
const DIMENSIONS: [(&str, &str); 5] = [
    (
        "Relevance",
        "Answer the question that was asked in your first sentence, then support it. Before \
         you start, pick out the key words of the question and make sure your answer addresses \
         each of them.",
    ),
    (
        "Depth",
        "Explain the why, not just the what: for technical questions say how it works and the \
         trade-off you weighed (why this over the alternative, and what it costs); for stories, \
         why you chose your approach and what you would do differently.",
    ),
    (
        "Structure",
        "Use STAR for experience questions: a sentence or two of situation and task, most of \
         the answer on your own actions, and end with the measurable result. For other \
         questions, lead with the answer, then two or three supporting points, then a one-line \
         wrap-up.",
    ),
    (
        "Evidence",
        "Prepare five stories from your resume with numbers (latency, users, revenue, hours \
         saved), the tools you used and the outcome, and use them as your examples. Replace \
         'we improved performance' with 'I cut p95 latency from 800 ms to 200 ms'.",
    ),
    (
        "Delivery",
        "Aim for one to two minutes per answer (about 150 to 250 words), cut filler words like \
         'basically' and 'you know', and pause instead. Record one answer and listen back.",
    ),
];

fn values(d: &Dimensions) -> [f32; 5] {
    [
        d.relevance,
        d.depth,
        d.structure,
        d.specificity,
        d.communication,
    ]
}

const STRENGTH_NAMES: [&str; 5] = [
    "Answers stay focused on the question asked",
    "Explains reasoning and trade-offs, not just facts",
    "Answers are well structured and easy to follow",
    "Backs claims with concrete evidence: numbers, tools and outcomes",
    "Communicates clearly and concisely",
];

pub(crate) fn summarize(
    answers: &[AnsweredQuestion],
    total_questions: u32,
    duration_seconds: Option<u32>,
) -> Summary {
    let evaluated: Vec<(&AnsweredQuestion, &Evaluation)> = answers
        .iter()
        .filter_map(|a| a.evaluation.as_ref().map(|e| (a, e)))
        .collect();
    let answered = evaluated.len() as u32;
    let skipped = answers.iter().filter(|a| a.evaluation.is_none()).count() as u32;
    let total = total_questions.max(answered + skipped);
    let scores: Vec<f32> = evaluated
        .iter()
        .map(|(_, e)| e.score.clamp(0.0, 10.0))
        .collect();
    let average = mean(scores.iter().copied()).unwrap_or(0.0);

    let mut by_category: BTreeMap<Category, Vec<f32>> = BTreeMap::new();
    for (a, e) in &evaluated {
        by_category
            .entry(a.question.category)
            .or_default()
            .push(e.score);
    }
    let category_scores: BTreeMap<String, f32> = by_category
        .iter()
        .filter_map(|(c, s)| mean(s.iter().copied()).map(|m| (c.as_str().to_owned(), round1(m))))
        .collect();

    let dims: [f32; 5] = {
        let mut acc = [0.0f32; 5];
        for (_, e) in &evaluated {
            for (a, v) in acc.iter_mut().zip(values(&e.dimensions)) {
                *a += v;
            }
        }
        acc.map(|s| {
            if answered > 0 {
                round1(s / answered as f32)
            } else {
                0.0
            }
        })
    };
    let dimension_averages = Dimensions {
        relevance: dims[0],
        depth: dims[1],
        structure: dims[2],
        specificity: dims[3],
        communication: dims[4],
    };

    let consistency = match scores.len() {
        0 => 0.0,
        1 => 10.0,
        n => {
            let var = scores.iter().map(|s| (s - average).powi(2)).sum::<f32>() / n as f32;
            round1((10.0 - 2.0 * var.sqrt()).clamp(0.0, 10.0))
        }
    };

    let strengths = strengths(&dims, &category_scores, &evaluated);
    let improvements = improvements(&dims, answered, skipped);
    let mut topics_covered: Vec<String> = Vec::new();
    for (a, _) in &evaluated {
        let t = a.question.topic.trim();
        if !t.is_empty() && !topics_covered.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            topics_covered.push(t.to_owned());
        }
    }
    let duration = duration_seconds.or_else(|| {
        let parts: Vec<u32> = answers.iter().filter_map(|a| a.duration_seconds).collect();
        (!parts.is_empty()).then(|| parts.iter().sum())
    });
    let average_score = round1(average);
    let performance_tier = tier(average_score).to_owned();
    let overall_feedback = overall_feedback(
        average_score,
        &performance_tier,
        answered,
        skipped,
        total,
        &category_scores,
        &dims,
        &improvements,
    );
    Summary {
        overall_score: round1(average * 10.0),
        average_score,
        performance_tier,
        overall_feedback,
        category_scores,
        dimension_averages,
        strengths,
        improvements,
        consistency,
        questions_answered: answered,
        questions_skipped: skipped,
        total_questions: total,
        duration_seconds: duration,
        topics_covered,
    }
}

fn strengths(
    dims: &[f32; 5],
    categories: &BTreeMap<String, f32>,
    evaluated: &[(&AnsweredQuestion, &Evaluation)],
) -> Vec<String> {
    if evaluated.is_empty() {
        return Vec::new();
    }
    let mut ranked: Vec<(usize, f32)> = dims.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out: Vec<String> = ranked
        .iter()
        .filter(|(_, v)| *v >= 6.5)
        .take(3)
        .filter_map(|(i, _)| STRENGTH_NAMES.get(*i).map(|s| (*s).to_owned()))
        .collect();
    if let Some((cat, score)) = categories
        .iter()
        .filter(|(c, _)| c.as_str() != "introduction" && c.as_str() != "closing")
        .max_by(|a, b| a.1.total_cmp(b.1))
        && *score >= 6.0
    {
        out.push(format!(
            "Strongest on {} questions ({score:.1}/10)",
            cat.replace('_', "-")
        ));
    }
    if let Some((a, e)) = evaluated
        .iter()
        .filter(|(_, e)| e.score >= 7.0)
        .max_by(|a, b| a.1.score.total_cmp(&b.1.score))
    {
        let t = a.question.topic.trim();
        if !t.is_empty() {
            out.push(format!("Best answer: {t} ({:.1}/10)", e.score));
        }
    }
    if out.is_empty() {
        // Something true and encouraging even in a weak session.
        let best = ranked
            .first()
            .and_then(|(i, _)| DIMENSIONS.get(*i))
            .map(|d| d.0);
        if let Some(name) = best {
            out.push(format!(
                "{name} was your relatively strongest dimension; build on it"
            ));
        }
    }
    out
}

fn improvements(dims: &[f32; 5], answered: u32, skipped: u32) -> Vec<Improvement> {
    let mut out = Vec::new();
    if answered == 0 {
        out.push(Improvement {
            area: "Answering".into(),
            advice: "No question was answered. Start with the introduction: practise a \
                     two-minute story of your background, one project you're proud of and why \
                     you want this role."
                .into(),
        });
    }
    if skipped >= 2 || (skipped >= 1 && answered <= 2) {
        out.push(Improvement {
            area: "Attempting every question".into(),
            advice: format!(
                "You skipped {skipped} question{}. In a real interview, say how you would \
                 approach it even when unsure: partial reasoning earns credit, silence doesn't.",
                if skipped == 1 { "" } else { "s" }
            ),
        });
    }
    let mut ranked: Vec<(usize, f32)> = dims.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (i, v) in ranked {
        if out.len() >= 3 {
            break;
        }
        if answered > 0 && v >= 8.5 {
            continue;
        }
        if answered == 0 && !matches!(i, 2 | 3) {
            continue;
        }
        if let Some((area, advice)) = DIMENSIONS.get(i) {
            out.push(Improvement {
                area: (*area).to_owned(),
                advice: (*advice).to_owned(),
            });
        }
    }
    out.truncate(3);
    out
}

#[allow(clippy::too_many_arguments)]
fn overall_feedback(
    average: f32,
    tier: &str,
    answered: u32,
    skipped: u32,
    total: u32,
    categories: &BTreeMap<String, f32>,
    dims: &[f32; 5],
    improvements: &[Improvement],
) -> String {
    if answered == 0 {
        return format!(
            "No answers were scored in this session ({skipped} of {total} questions skipped), \
             so there is nothing to assess yet. Try again and answer every question, even \
             briefly: the feedback on each answer is where the practice pays off."
        );
    }
    let mut parts = Vec::new();
    let verdict = match tier {
        "Excellent" => "an excellent performance: interview-ready",
        "Good" => "a good performance with clear strengths",
        "Fair" => "a fair performance with a solid base to build on",
        _ => "a performance that needs more practice before a real interview",
    };
    parts.push(format!(
        "You answered {answered} of {total} questions with an average of {average:.1}/10, \
         {verdict}."
    ));
    let shown: Vec<(&String, &f32)> = categories
        .iter()
        .filter(|(c, _)| c.as_str() != "introduction" && c.as_str() != "closing")
        .collect();
    let best = shown.iter().max_by(|a, b| a.1.total_cmp(b.1));
    let worst = shown.iter().min_by(|a, b| a.1.total_cmp(b.1));
    if let (Some(b), Some(w)) = (best, worst)
        && b.0 != w.0
        && b.1 - w.1 >= 1.0
    {
        parts.push(format!(
            "You were strongest on {} questions ({:.1}) and weakest on {} questions ({:.1}).",
            b.0.replace('_', "-"),
            b.1,
            w.0.replace('_', "-"),
            w.1
        ));
    }
    let mut ranked: Vec<(usize, f32)> = dims.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    if let (Some(top), Some(low)) = (ranked.first(), ranked.last())
        && let (Some(t), Some(l)) = (DIMENSIONS.get(top.0), DIMENSIONS.get(low.0))
        && top.0 != low.0
    {
        parts.push(format!(
            "Across answers, {} was your strongest dimension ({:.1}) and {} the one to work \
             on ({:.1}).",
            t.0.to_lowercase(),
            top.1,
            l.0.to_lowercase(),
            low.1
        ));
    }
    if skipped > 0 {
        parts.push(format!(
            "You skipped {skipped} question{}; skipped questions are not scored, but in a real \
             interview they count against you.",
            if skipped == 1 { "" } else { "s" }
        ));
    }
    if let Some(first) = improvements.first() {
        let mut advice = first.advice.chars();
        let advice: String = advice
            .next()
            .map(|c| c.to_lowercase().chain(advice).collect())
            .unwrap_or_default();
        parts.push(format!(
            "Focus next on {}: {advice}",
            first.area.to_lowercase()
        ));
    }
    parts.join(" ")
}
