//! The answer quoted back: the phrase the feedback cites (the sentence with the
//! most evidence, or the first with something to say) and any clause cut to a
//! quotable length.

use crate::text::{self, Token};

/// A phrase of at most ~10 words to quote back, from the sentence with the most
/// evidence (`best`) or the first sentence with something to say.
pub(crate) fn quote(
    answer: &str,
    toks: &[Token],
    sents: &[(usize, usize)],
    best: bool,
) -> Option<String> {
    let mut chosen: Option<(f32, usize, usize)> = None;
    let mut ti = 0;
    for &(a, b) in sents {
        while toks.get(ti).is_some_and(|t| t.start < a) {
            ti += 1;
        }
        let start = ti;
        let mut evidence = 0.0;
        let mut words = 0;
        while let Some(t) = toks.get(ti).filter(|t| t.end <= b) {
            words += 1;
            if t.has_digit() {
                evidence += 2.0;
            }
            if t.capital && ti != start {
                evidence += 1.0;
            }
            ti += 1;
        }
        if words < 3 {
            continue;
        }
        let Some(s) = answer.get(a..b) else { continue };
        if is_pleasantry(s) {
            continue;
        }
        if !best {
            return Some(clean_quote(s, 10));
        }
        if chosen.is_none_or(|(e, _, _)| evidence > e) {
            chosen = Some((evidence, a, b));
        }
    }
    let (evidence, a, b) = chosen?;
    if evidence == 0.0 {
        return None;
    }
    answer.get(a..b).map(|s| clean_quote(s, 10))
}

fn is_pleasantry(sentence: &str) -> bool {
    let n = text::normalize(sentence);
    [
        "great question",
        "good question",
        "sure",
        "thank you",
        "thanks",
        "okay",
        "ok",
        "so",
        "well",
        "hello",
        "hi",
    ]
    .iter()
    .any(|p| n == *p || (n.starts_with(p) && n.split(' ').count() <= 4))
}

/// At most `max_words` words of `s`, cut at a comma when one falls late enough,
/// without quotes or line breaks.
pub(crate) fn clean_quote(s: &str, max_words: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut take = words.len().min(max_words);
    if words.len() > max_words
        && let Some(comma) = words
            .iter()
            .take(max_words)
            .position(|w| w.ends_with(',') || w.ends_with(';'))
            .filter(|&p| p >= 3)
    {
        take = comma + 1;
    }
    let mut out = words
        .iter()
        .take(take)
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['"', '“', '”'], "");
    let trimmed = out
        .trim_end_matches([',', ';', ':', '.', '!', '?', '-'])
        .len();
    out.truncate(trimmed);
    if take < words.len() {
        out.push('…');
    }
    out
}
