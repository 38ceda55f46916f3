//! Follow-up questions: when an answer is vague, very short or has no concrete
//! example, the interviewer's next question digs into it, as a real interviewer
//! would, instead of moving on.
//!
//! The question budget is fixed (the client shows "question 4 of 10"), so a
//! follow-up replaces the last planned question before the closing one. Rules
//! that keep it from taking over the interview: at most one follow-up per topic,
//! never a follow-up on a follow-up, none when fewer than two planned questions
//! remain (the session is about to end), none on the closing question or on a
//! non-answer (empty, gibberish, copied: moving on is kinder), and at most a
//! quarter of the budget.

use crate::bank::{self, Kind};
use crate::generate::render;
use crate::model::{Category, Evaluation, Question, Session};
use crate::rng::Rng;
use crate::score::Signals;

/// Why an answer deserves a follow-up; matches the topic of `followup` lines in
/// the bank.
fn reason(q: &Question, e: &Evaluation, s: &Signals) -> Option<&'static str> {
    if q.follow_up_of.is_some()
        || q.category == Category::Closing
        || s.no_answer
        || s.off_topic
        || e.score >= 6.5
    {
        return None;
    }
    let d = &e.dimensions;
    if q.category == Category::Introduction {
        return (s.short || d.specificity < 5.0).then_some("intro");
    }
    if q.expects_star {
        let star = s.star.clone().unwrap_or_default();
        return if !star.action {
            Some("star_action")
        } else if !star.result {
            Some("star_result")
        } else if !s.has_example || d.specificity < 4.5 {
            Some("example")
        } else if s.short {
            Some("short")
        } else {
            None
        };
    }
    if q.category == Category::Technical {
        return if d.depth < 4.5 {
            Some("depth")
        } else if !s.has_example || d.specificity < 4.0 {
            Some("example")
        } else if s.short {
            Some("short")
        } else {
            None
        };
    }
    if s.short {
        Some("short")
    } else if !s.has_example || d.specificity < 4.5 {
        Some("example")
    } else if d.depth < 4.0 {
        Some("depth")
    } else {
        None
    }
}

/// A topic fit to name in a sentence ("Let's go deeper on caching").
fn speakable(topic: &str) -> Option<String> {
    let t = topic.trim();
    (!t.is_empty() && t.chars().count() <= 40 && !t.contains('{')).then(|| t.to_owned())
}

/// The follow-up to ask after `q`, if its answer calls for one (number and id
/// are set when it is placed).
pub(crate) fn follow_up(
    q: &Question,
    e: &Evaluation,
    s: &Signals,
    role: &str,
    seed: u64,
) -> Option<Question> {
    let reason = reason(q, e, s)?;
    let b = bank::bank();
    let mut binding: Vec<(String, String)> = vec![("role".into(), role.to_owned())];
    if let Some(quote) = s
        .quote
        .as_ref()
        .filter(|q| q.split_whitespace().count() >= 3)
    {
        binding.push(("quote".into(), quote.clone()));
    }
    if let Some(topic) = speakable(&q.topic) {
        binding.push(("topic".into(), topic));
    }
    let options: Vec<(String, Vec<String>)> = b
        .of(bank::ANY, Kind::FollowUp)
        .filter(|(_, entry)| entry.topic == reason)
        .filter_map(|(_, entry)| {
            render(entry.text, &binding)
                .map(|t| (t, entry.keywords.iter().map(|k| (*k).to_owned()).collect()))
        })
        .collect();
    let mut rng = Rng::derive(seed ^ u64::from(q.number), "follow-up");
    let (text, extra) = rng.pick(&options)?.clone();
    let mut keywords = q.keywords.clone();
    for k in extra {
        if !keywords.contains(&k) {
            keywords.push(k);
        }
    }
    Some(Question {
        id: String::new(),
        number: 0,
        text,
        category: Category::FollowUp,
        difficulty: q.difficulty,
        topic: q.topic.clone(),
        follow_up_of: Some(q.number),
        expects_star: q.expects_star || matches!(reason, "example" | "star_action" | "star_result"),
        keywords,
    })
}

/// Put `follow` next in `session` (whose position already points past the answered
/// question), replacing the last planned question before the closing one.
/// Returns whether it was placed.
pub(crate) fn insert(session: &mut Session, follow: Question) -> bool {
    let topic = follow.topic.to_lowercase();
    if session
        .followed_up
        .iter()
        .any(|t| t.to_lowercase() == topic)
    {
        return false;
    }
    let budget = session.questions.len();
    let asked = session
        .questions
        .iter()
        .filter(|q| q.follow_up_of.is_some())
        .count();
    if asked >= (budget / 4).max(1) {
        return false;
    }
    let start = session.position;
    let planned: Vec<usize> = session
        .questions
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, q)| q.follow_up_of.is_none() && q.category != Category::Closing)
        .map(|(i, _)| i)
        .collect();
    let Some(&replace) = planned.last() else {
        return false;
    };
    if planned.len() < 2 {
        return false;
    }
    session.questions.remove(replace);
    session.questions.insert(start, follow);
    for (i, q) in session.questions.iter_mut().enumerate().skip(start) {
        q.number = i as u32 + 1;
        q.id = if q.follow_up_of.is_some() {
            format!("f{}", q.number)
        } else {
            format!("q{}", q.number)
        };
    }
    session.followed_up.push(topic);
    true
}
