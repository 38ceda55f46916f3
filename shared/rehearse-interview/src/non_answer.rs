//! Answers that cannot be scored on their merits: nothing, gibberish, the
//! question copied or reworded back, or "I don't know". The scorer gives them the
//! lowest band and the feedback says what went wrong instead of grading them.

use std::collections::HashSet;

use crate::features::{Features, NON_ANSWER};
use crate::model::Question;
use crate::text::{self, Token};

/// Why an answer cannot be scored on its merits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Empty {
    Nothing,
    Gibberish,
    Copied,
    DontKnow,
}

pub(crate) fn degenerate(
    question: &Question,
    answer_text: &str,
    f: &Features,
    toks: &[Token],
) -> Option<Empty> {
    if toks.is_empty() {
        return Some(Empty::Nothing);
    }
    let words = f.words;
    if f.wordlike_ratio < 0.6
        || (words >= 4 && f.stop_ratio < 0.06 && f.tools == 0 && f.numbers == 0)
        || (words >= 6 && f.unique_ratio < 0.25)
        || (words >= 6 && f.unknown_ratio >= 0.12)
        || (f.repeats >= 4 && f.repeats * 12 >= words)
    {
        return Some(Empty::Gibberish);
    }
    let q_toks = text::tokens(&question.text);
    let q_stems: HashSet<&str> = q_toks
        .iter()
        .filter(|t| !text::is_stopword(&t.norm))
        .map(|t| t.stem.as_str())
        .collect();
    if words < 15 && NON_ANSWER.count(toks) > 0 {
        return Some(Empty::DontKnow);
    }
    // Copied: most of the question's words are back, and little else is said.
    let shared = f
        .stems
        .iter()
        .filter(|s| q_stems.contains(s.as_str()))
        .count();
    let novel = f.stems.len() - shared;
    let echoes =
        shared >= 3 && shared * 2 >= q_stems.len() && words <= q_toks.len() + q_toks.len() / 3 + 6;
    if echoes && (novel <= 2 || (novel as f32) < 0.2 * f.stems.len() as f32) {
        return Some(Empty::Copied);
    }
    // The question reworded back ("So how would I cache a read-heavy endpoint
    // and avoid stale data?"): the same meaning, no longer, nothing added.
    if words <= q_toks.len() + 4
        && f.numbers == 0
        && rehearse_embed::embed(answer_text).cosine(&rehearse_embed::embed(&question.text)) >= 0.92
    {
        return Some(Empty::Copied);
    }
    None
}
