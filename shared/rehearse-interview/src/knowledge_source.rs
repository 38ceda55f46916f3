//! The knowledge base's text format (`data/knowledge*.txt`) read into owned
//! values, and the content stems topics are matched by.
//!
//! The engine does not run the parser: `build.rs` includes this file (and
//! `text.rs`), reads both files with it at build time and writes the result,
//! with every `@ask`'s embedding, as static data the engine reads in place
//! (`knowledge.rs`), so a scoring function's cold start derives none of it. The
//! tests run the same parser to check that snapshot against the files.
//!
//! Format, one directive per line (`#` comments, blank lines ignored):
//! `@topic id`, then `@ask` (a wording of the question), `@key` (a key point)
//! followed by its `@cue` phrases (comma-separated patterns), `@wrong pattern |
//! correction`, `@wrong-example` and `@right-example`. A pattern is parts joined
//! by ` + ` (in order, anything between), each part consecutive words; a word
//! may be `a/b` alternatives and end in `*` (a prefix).

use std::collections::BTreeSet;

use crate::text;

/// One pattern word's alternatives: (normalised word, matches as a prefix).
pub(crate) type SourceSlot = Vec<(String, bool)>;

/// Parts, in order; each part consecutive slots.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourcePattern(pub(crate) Vec<Vec<SourceSlot>>);

#[derive(Debug, Default)]
pub(crate) struct SourceKey {
    pub(crate) text: String,
    pub(crate) cues: Vec<SourcePattern>,
}

#[derive(Debug)]
pub(crate) struct SourceWrong {
    pub(crate) pattern: SourcePattern,
    pub(crate) correction: String,
}

#[derive(Debug, Default)]
pub(crate) struct SourceTopic {
    pub(crate) id: String,
    pub(crate) asks: Vec<String>,
    pub(crate) keys: Vec<SourceKey>,
    pub(crate) wrongs: Vec<SourceWrong>,
    pub(crate) wrong_examples: Vec<String>,
    pub(crate) right_examples: Vec<String>,
}

impl SourceTopic {
    /// The content stems of the topic's `@ask` wordings.
    pub(crate) fn ask_stems(&self) -> BTreeSet<String> {
        self.asks.iter().flat_map(|a| content_stems(a)).collect()
    }

    /// The content stems of the topic's id ("event-loop" → event, loop).
    pub(crate) fn id_stems(&self) -> BTreeSet<String> {
        content_stems(&self.id.replace('-', " "))
    }
}

/// The words of `s` that say what it is about: no stopwords, no question noise
/// ("tell", "explain"), no words every comparison question uses; stemmed.
pub(crate) fn content_stems(s: &str) -> BTreeSet<String> {
    text::tokens(s)
        .into_iter()
        .filter(|t| !text::is_stopword(&t.norm) && t.has_letter() && t.norm.len() > 1)
        .filter(|t| !text::QUESTION_NOISE.contains(&t.stem))
        .filter(|t| !GENERIC_QUESTION_WORDS.contains(&t.norm.as_str()))
        .map(|t| t.stem)
        .collect()
}

/// Words every kind of technical question uses; sharing them is no evidence of
/// sharing a topic.
const GENERIC_QUESTION_WORDS: &[&str] = &[
    "difference",
    "differences",
    "between",
    "mean",
    "means",
    "meaning",
    "explain",
    "define",
    "work",
    "works",
    "does",
    "do",
    "use",
    "used",
    "when",
    "choose",
    "would",
    "should",
    "prefer",
    "advantages",
    "disadvantages",
    "pros",
    "cons",
    "compare",
    "versus",
    "vs",
    "concept",
    "important",
    "why",
    "purpose",
    "common",
    "types",
    "kinds",
    "example",
    "examples",
];

/// A pattern as the file writes it, or `None` when it has no words (or an
/// alternative of several words: "is/are" but not "read-only/x").
pub(crate) fn parse_pattern(src: &str) -> Option<SourcePattern> {
    let mut parts = Vec::new();
    for part in src.split(" + ") {
        let mut slots: Vec<SourceSlot> = Vec::new();
        for word in part.split_whitespace() {
            let split = |alt: &str| -> (Vec<String>, bool) {
                let (body, prefix) = match alt.strip_suffix('*') {
                    Some(b) => (b, true),
                    None => (alt, false),
                };
                let words = text::normalize(body)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect();
                (words, prefix)
            };
            let alts: Vec<&str> = word.split('/').collect();
            if let [only] = alts.as_slice() {
                // "read-only" reads as two words, "cache-control*" as two with
                // the prefix on the last.
                let (words, prefix) = split(only);
                let n = words.len();
                if n == 0 {
                    return None;
                }
                for (i, w) in words.into_iter().enumerate() {
                    slots.push(vec![(w, prefix && i + 1 == n)]);
                }
                continue;
            }
            let mut slot = Vec::new();
            for alt in alts {
                let (words, prefix) = split(alt);
                match <[String; 1]>::try_from(words) {
                    Ok([w]) => slot.push((w, prefix)),
                    Err(_) => return None,
                }
            }
            slots.push(slot);
        }
        if slots.is_empty() {
            return None;
        }
        parts.push(slots);
    }
    (!parts.is_empty()).then_some(SourcePattern(parts))
}

/// The topics of one file and the numbers of the lines that could not be read.
pub(crate) fn parse(source: &str) -> (Vec<SourceTopic>, Vec<usize>) {
    let mut topics: Vec<SourceTopic> = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line
            .strip_prefix('@')
            .and_then(|d| d.split_once(' '))
            .map(|(k, v)| (k, v.trim()))
        else {
            bad.push(i + 1);
            continue;
        };
        if key == "topic" {
            topics.push(SourceTopic {
                id: value.to_owned(),
                ..SourceTopic::default()
            });
            continue;
        }
        let Some(topic) = topics.last_mut().filter(|_| !value.is_empty()) else {
            bad.push(i + 1);
            continue;
        };
        let ok = match key {
            "ask" => {
                topic.asks.push(value.to_owned());
                true
            }
            "key" => {
                topic.keys.push(SourceKey {
                    text: value.to_owned(),
                    cues: Vec::new(),
                });
                true
            }
            "cue" => match topic.keys.last_mut() {
                Some(kp) => {
                    let cues: Option<Vec<SourcePattern>> = value
                        .split(',')
                        .map(str::trim)
                        // Symbols ("&", "*") are not words a clause can contain.
                        .filter(|c| c.chars().any(char::is_alphanumeric))
                        // A cue is a phrase as candidates write it: "i/o-bound" and
                        // "tp / (tp + fp)" are words, not pattern syntax.
                        .map(|c| {
                            parse_pattern(c).or_else(|| {
                                parse_pattern(&text::normalize(&c.replace(['/', '+'], " ")))
                            })
                        })
                        .collect();
                    cues.map(|c| kp.cues.extend(c)).is_some()
                }
                None => false,
            },
            "wrong" => match value.split_once('|') {
                Some((p, c)) if !c.trim().is_empty() => match parse_pattern(p.trim()) {
                    Some(pattern) => {
                        topic.wrongs.push(SourceWrong {
                            pattern,
                            correction: c.trim().to_owned(),
                        });
                        true
                    }
                    None => false,
                },
                _ => false,
            },
            "wrong-example" => {
                topic.wrong_examples.push(value.to_owned());
                true
            }
            "right-example" => {
                topic.right_examples.push(value.to_owned());
                true
            }
            _ => false,
        };
        if !ok {
            bad.push(i + 1);
        }
    }
    (topics, bad)
}
