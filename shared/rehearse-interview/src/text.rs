//! Words, stems and sentences: the few text primitives scoring and role matching
//! share. Everything here is one pass over the input, so a 10,000-character
//! answer costs microseconds.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A word of the input, with where it came from (for quoting the answer back).
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Lowercase, apostrophes normalised to `'`.
    pub norm: String,
    pub stem: String,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Written with an initial capital.
    pub capital: bool,
}

impl Token {
    pub(crate) fn has_digit(&self) -> bool {
        self.norm.bytes().any(|b| b.is_ascii_digit())
    }

    pub(crate) fn has_letter(&self) -> bool {
        self.norm.chars().any(char::is_alphabetic)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '+' | '#')
}

/// The words of `text`, in order.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<Token>| {
        let raw = text.get(s..e).unwrap_or_default();
        // Apostrophes and pluses only count inside or after a word (`don't`, `C++`).
        let lead = raw.len() - raw.trim_start_matches(['\'', '’', '+', '#']).len();
        let raw = raw
            .get(lead..)
            .unwrap_or_default()
            .trim_end_matches(['\'', '’']);
        if raw.is_empty() {
            return;
        }
        let norm: String = raw
            .chars()
            .map(|c| if c == '’' { '\'' } else { c })
            .flat_map(char::to_lowercase)
            .collect();
        out.push(Token {
            stem: stem(&norm),
            capital: raw.chars().next().is_some_and(char::is_uppercase),
            start: s + lead,
            end: s + lead + raw.len(),
            norm,
        });
    };
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    out
}

/// Lowercase words joined by single spaces, punctuation dropped: the form role
/// phrases, keywords and misconception patterns are compared in.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for t in tokens(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.norm);
    }
    out
}

/// A crude suffix-stripping stemmer: enough that `cached`, `caching` and `caches`
/// meet, not a linguistic one. Both sides of every comparison use it, so its
/// mistakes cancel out.
pub(crate) fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s");
    if w.chars().count() <= 3 || !w.is_ascii() {
        return w.to_owned();
    }
    const SUFFIXES: &[&str] = &[
        "ations", "ation", "ments", "ment", "nesses", "ness", "ingly", "ings", "ing", "edly",
        "ities", "ity", "ies", "ied", "ers", "ed", "er", "ly", "es", "s",
    ];
    let mut base = w;
    for suffix in SUFFIXES {
        if let Some(b) = w.strip_suffix(suffix)
            && b.len() >= 3
            && !(*suffix == "s" && (b.ends_with('s') || b.ends_with('i') || b.ends_with('u')))
        {
            base = b;
            if matches!(*suffix, "ies" | "ied" | "ities") {
                return format!("{b}y");
            }
            break;
        }
    }
    // Final `e`s go too, so `cache`/`caching` and `disagree`/`disagreed`/
    // `disagreement` meet.
    while base.len() > 3
        && let Some(b) = base.strip_suffix('e')
    {
        base = b;
    }
    // `planned` → `plan`, `debugging` → `debug`.
    let bytes = base.as_bytes();
    if let [.., a, b] = bytes
        && a == b
        && !matches!(a, b'l' | b's' | b'z')
        && base.len() > 3
    {
        return base.get(..base.len() - 1).unwrap_or(base).to_owned();
    }
    base.to_owned()
}

static STOPWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    "a about above after again against all also am an and any are aren't as at be because \
     been before being below between both but by can can't cannot could couldn't did didn't \
     do does doesn't doing don't down during each either else even ever every few for from \
     further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers \
     herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its \
     itself just let's like me more most much must mustn't my myself neither no nor not now \
     of off on once only or other ought our ours ourselves out over own same shan't she she'd \
     she'll she's should shouldn't so some such than that that's the their theirs them \
     themselves then there there's these they they'd they'll they're they've this those \
     through to too under until up upon us very was wasn't we we'd we'll we're we've were \
     weren't what what's when when's where where's whether which while who who's whom why \
     why's will with won't would wouldn't yet you you'd you'll you're you've your yours \
     yourself yourselves one get got make made really well many still way thing things lot"
        .split_whitespace()
        .collect()
});

pub(crate) fn is_stopword(norm: &str) -> bool {
    STOPWORDS.contains(norm)
}

/// Question words that say nothing about the topic ("tell me about a time...").
pub(crate) static QUESTION_NOISE: LazyLock<HashSet<String>> = LazyLock::new(|| {
    [
        "tell",
        "describe",
        "walk",
        "explain",
        "give",
        "example",
        "time",
        "would",
        "could",
        "did",
        "how",
        "what",
        "why",
        "which",
        "when",
        "where",
        "your",
        "you",
        "me",
        "us",
        "thing",
        "things",
        "situation",
        "think",
        "talk",
        "let",
        "lets",
        "go",
        "say",
        "said",
        "mention",
        "mentioned",
        "want",
        "like",
        "know",
        "make",
        "use",
        "used",
        "using",
        "work",
        "worked",
        "working",
        "one",
        "two",
        "three",
        "step",
        "steps",
        "approach",
        "handle",
        "happen",
        "happened",
        "specific",
        "specifically",
        "real",
        "recent",
        "first",
    ]
    .iter()
    .map(|w| stem(w))
    .collect()
});

/// Byte ranges of the sentences of `text`: split after `.`, `!`, `?` followed by
/// whitespace, and at line breaks (answers are often bullet lists).
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        let end = match c {
            '\n' | '\r' => Some(i),
            '.' | '!' | '?' | '…' if next_is_space => Some(i + c.len_utf8()),
            _ => None,
        };
        if let Some(end) = end {
            push_sentence(text, start, end, &mut out);
            start = end;
        }
    }
    push_sentence(text, start, text.len(), &mut out);
    out
}

fn push_sentence(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        out.push((start + lead, start + lead + trimmed.len()));
    }
}

/// `text` cut to at most `max` bytes at a character boundary.
pub(crate) fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// A set of word sequences ("for example", "as a result") matched against tokens
/// in one pass: each position looks up only the phrases starting with its word.
#[derive(Debug)]
pub(crate) struct Phrases {
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl Phrases {
    pub(crate) fn new(list: &[&str]) -> Self {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for phrase in list {
            let words: Vec<String> = tokens(phrase).into_iter().map(|t| t.norm).collect();
            if let Some(first) = words.first() {
                by_first.entry(first.clone()).or_default().push(words);
            }
        }
        Self { by_first }
    }

    /// Whether a phrase starts at token `i`.
    pub(crate) fn at(&self, toks: &[Token], i: usize) -> bool {
        let Some(first) = toks.get(i) else {
            return false;
        };
        self.by_first.get(&first.norm).is_some_and(|list| {
            list.iter().any(|words| {
                words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.norm == *w))
            })
        })
    }

    /// Positions (token indexes) where a phrase starts.
    pub(crate) fn positions(&self, toks: &[Token]) -> Vec<usize> {
        (0..toks.len()).filter(|&i| self.at(toks, i)).collect()
    }

    pub(crate) fn count(&self, toks: &[Token]) -> usize {
        (0..toks.len()).filter(|&i| self.at(toks, i)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_offsets_and_special_names() {
        let text = "I used C++, Node.js and don’t 'like' it.";
        let t = tokens(text);
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            [
                "i", "used", "c++", "node", "js", "and", "don't", "like", "it"
            ]
        );
        for tok in &t {
            assert!(text.get(tok.start..tok.end).is_some());
        }
        assert!(t.first().is_some_and(|t| t.capital));
    }

    #[test]
    fn stems_meet_across_inflections() {
        assert_eq!(stem("caching"), stem("cached"));
        assert_eq!(stem("caches"), stem("cache"));
        assert_eq!(stem("deployment"), stem("deployed"));
        assert_eq!(stem("disagreed"), stem("disagree"));
        assert_eq!(stem("disagreement"), stem("disagree"));
        assert_eq!(stem("employees"), stem("employed"));
        assert_eq!(stem("planned"), stem("plan"));
        assert_eq!(stem("queries"), stem("query"));
        assert_eq!(stem("optimization"), stem("optimized"));
        assert_eq!(stem("users"), stem("user"));
        assert_eq!(stem("api"), "api");
    }

    #[test]
    fn sentences_split_on_ends_and_lines_not_inside_names() {
        let s = "I used Node.js here. Then v2.5 shipped!\n- bullet one\nDone";
        let parts: Vec<&str> = sentences(s)
            .into_iter()
            .filter_map(|(a, b)| s.get(a..b))
            .collect();
        assert_eq!(
            parts,
            [
                "I used Node.js here.",
                "Then v2.5 shipped!",
                "- bullet one",
                "Done"
            ]
        );
    }

    #[test]
    fn normalize_drops_punctuation() {
        assert_eq!(
            normalize("UI/UX  Designer (Senior)"),
            "ui ux designer senior"
        );
        assert_eq!(normalize("Front-end"), "front end");
    }

    #[test]
    fn phrases_match_whole_word_sequences() {
        let p = Phrases::new(&["for example", "because", "trade-off"]);
        let t =
            tokens("For example, the trade-off was worth it because of latency; examples abound.");
        assert_eq!(p.count(&t), 3);
        assert_eq!(p.positions(&t), vec![0, 3, 8]);
    }

    #[test]
    fn clip_respects_char_boundaries() {
        assert_eq!(clip("héllo", 2), "h");
        assert_eq!(clip("abc", 10), "abc");
    }
}
