//! What the interviewer says after an answer: one or two natural sentences that
//! acknowledge it, in the tone a good interviewer keeps (warm, never judging
//! aloud). It never states a score or any number: the candidate sees the scores
//! in the feedback, and an interviewer reciting numbers mid-interview breaks the
//! conversation.

use crate::model::{Category, Evaluation, Question};
use crate::rng::Rng;

const SKIPPED: &[&str] = &[
    "No problem, let's move on to something else.",
    "That's fine, we can skip that one. Let's keep going.",
    "Sure, let's leave that one. Take a breath; the next question is a fresh start.",
    "No worries at all. Not every question lands, so let's try the next one.",
    "Okay, we'll set that aside. Let's continue.",
];

/// A skipped last question: the reply still says it was skipped, then closes.
const SKIPPED_CLOSING: &[&str] = &[
    "No problem, we can skip that one. Thank you for your time today; that wraps up our interview.",
    "That's fine, we can skip it. Thanks for your time, that's everything from my side.",
];

const STRONG: &[&str] = &[
    "That's a really clear answer, thank you.",
    "Great, that gives me a concrete picture of how you work.",
    "Thanks, that was well explained and easy to follow.",
    "Excellent, I appreciate the specific detail there.",
    "That's a strong example, thank you for walking me through it.",
];

const SOLID: &[&str] = &[
    "Thanks, that's helpful.",
    "Okay, thank you for explaining that.",
    "Thanks, I have a good sense of your approach.",
    "Got it, thanks for sharing that.",
    "Alright, that makes sense.",
];

const THIN: &[&str] = &[
    "Thanks for that.",
    "Okay, thank you.",
    "Alright, I appreciate the answer.",
    "Thanks, noted.",
    "Okay, understood.",
];

const WEAK: &[&str] = &[
    "Thanks for giving it a go.",
    "Okay, thank you for trying that one.",
    "Alright, thanks, let's keep moving.",
    "Thanks; that one can be tricky.",
];

/// A second sentence for answers that could have said more: an encouraging hint
/// for the rest of the interview, not a verdict.
const NUDGES: &[&str] = &[
    "In the next ones, feel free to walk me through a specific example.",
    "Concrete details, like what you did and what happened, help me a lot.",
    "Don't hesitate to take a moment and go into specifics.",
];

const STORY: &[&str] = &[
    "I like that you described what you actually did.",
    "It helps to hear how that played out.",
];

const INTRO: &[&str] = &[
    "Nice to meet you, and thanks for the overview.",
    "Thanks for the introduction, that's a helpful starting point.",
    "Great to meet you. Thanks for walking me through your background.",
];

const CLOSING: &[&str] = &[
    "Thank you, that brings us to the end of the interview. I enjoyed our conversation.",
    "Thanks, that's everything from my side. It was great talking with you.",
    "Thank you for your time today. That wraps up our interview.",
];

const BEFORE_FOLLOW_UP: &[&str] = &[
    "Thanks. I'd like to dig a little deeper into that before we move on.",
    "Okay, let me stay on that for a moment.",
    "That's a start. Let's make it more concrete.",
    "Thanks. I have a quick follow-up on that.",
];

fn pick(rng: &mut Rng, list: &[&'static str]) -> &'static str {
    rng.pick(list).copied().unwrap_or("Thank you.")
}

/// A topic that can be named aloud: a name, no digits (a reply never contains a
/// number), not too long.
fn nameable(q: &Question) -> Option<&str> {
    let t = q.topic.trim();
    (matches!(q.category, Category::Project | Category::Experience)
        && !t.is_empty()
        && t.chars().count() <= 40
        && !t.chars().any(|c| c.is_numeric())
        && !t.contains('{'))
    .then_some(t)
}

pub(crate) fn reply(question: &Question, evaluation: Option<&Evaluation>, seed: u64) -> String {
    let mut rng = Rng::derive(seed, "reply");
    let Some(e) = evaluation else {
        if question.category == Category::Closing {
            return pick(&mut rng, SKIPPED_CLOSING).to_owned();
        }
        return pick(&mut rng, SKIPPED).to_owned();
    };
    if question.category == Category::Closing {
        return pick(&mut rng, CLOSING).to_owned();
    }
    if question.category == Category::Introduction && e.score >= 3.0 {
        return pick(&mut rng, INTRO).to_owned();
    }
    let first = if e.score >= 7.5 {
        pick(&mut rng, STRONG)
    } else if e.score >= 5.0 {
        pick(&mut rng, SOLID)
    } else if e.score >= 2.5 {
        pick(&mut rng, THIN)
    } else {
        pick(&mut rng, WEAK)
    };
    let mut out = first.to_owned();
    if let Some(topic) = nameable(question)
        && e.score >= 5.0
        && rng.below(2) == 0
    {
        let at = if question.category == Category::Experience {
            "at"
        } else {
            "on"
        };
        out = format!("Thanks, that tells me a lot about your work {at} {topic}.");
    }
    let star_ok = e.star.as_ref().is_some_and(|s| s.action && s.result);
    if e.score < 5.0 && rng.below(3) > 0 {
        out.push(' ');
        out.push_str(pick(&mut rng, NUDGES));
    } else if star_ok && e.score >= 6.0 && rng.below(3) == 0 {
        out.push(' ');
        out.push_str(pick(&mut rng, STORY));
    }
    strip_digits(out)
}

/// The reply when the next question follows up on this answer.
pub(crate) fn before_follow_up(seed: u64) -> String {
    let mut rng = Rng::derive(seed, "reply");
    pick(&mut rng, BEFORE_FOLLOW_UP).to_owned()
}

/// Belt and braces: nothing above contains digits, but a topic could.
fn strip_digits(s: String) -> String {
    if s.chars().any(|c| c.is_numeric()) {
        "Thank you, let's continue.".to_owned()
    } else {
        s
    }
}
