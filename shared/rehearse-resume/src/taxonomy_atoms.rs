//! Text as the skills taxonomy sees it: atoms (words, single marks, link
//! breaks) and the keys names are looked up by. Names and text go through the
//! same functions, at build time (`build.rs` includes this file to write the
//! table) and at run time (matching), so a name matches exactly the texts whose
//! atoms spell it.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// A maximal run of letters, digits and `_`.
    Word,
    /// One punctuation or symbol character (or one CJK character).
    Mark,
    /// Where a link or e-mail address was: nothing matches across it.
    Break,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Atom<'a> {
    pub(crate) text: &'a str,
    pub(crate) kind: Kind,
    /// Whitespace or a hyphen comes before it: `Spring-Boot` is `Spring Boot`.
    pub(crate) spaced: bool,
}

/// Split text into atoms. Names and text go through the same function, so a
/// name matches exactly the texts whose atoms spell it.
pub(crate) fn atoms(text: &str, skip_links: bool) -> Vec<Atom<'_>> {
    let mut out = Vec::with_capacity(text.len() / 4);
    for chunk in text.split(char::is_whitespace).filter(|c| !c.is_empty()) {
        if skip_links && is_link(chunk) {
            out.push(Atom {
                text: "",
                kind: Kind::Break,
                spaced: true,
            });
            continue;
        }
        let mut spaced = true;
        let mut word_start = None;
        for (at, c) in chunk.char_indices() {
            if is_word_char(c) {
                word_start.get_or_insert(at);
                continue;
            }
            if let Some(start) = word_start.take() {
                out.push(Atom {
                    text: chunk.get(start..at).unwrap_or_default(),
                    kind: Kind::Word,
                    spaced,
                });
                spaced = false;
            }
            if matches!(c, '-' | '\u{2010}' | '\u{2011}') {
                spaced = true;
            } else {
                out.push(Atom {
                    text: chunk.get(at..at + c.len_utf8()).unwrap_or_default(),
                    kind: Kind::Mark,
                    spaced,
                });
                spaced = false;
            }
        }
        if let Some(start) = word_start {
            out.push(Atom {
                text: chunk.get(start..).unwrap_or_default(),
                kind: Kind::Word,
                spaced,
            });
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    // A soft hyphen is invisible: "Kuber\u{AD}netes" is one word.
    c == '_' || c == '\u{AD}' || (c.is_alphanumeric() && !is_cjk(c))
}

/// Chinese, Japanese and Korean text has no spaces between words, so each such
/// character is its own atom and `熟悉Python` still mentions Python.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{9FFF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A URL or e-mail address: `github.com/ada/react-app` mentions neither GitHub
/// nor React as a skill. A bare `Monday.com` is a product name, not a link.
fn is_link(chunk: &str) -> bool {
    // Every test below needs an `@`, a `/` or a leading `www.`: most words have none.
    if !chunk.contains(['@', '/'])
        && !chunk
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("www."))
    {
        return false;
    }
    let lower = chunk.to_ascii_lowercase();
    lower.contains('@')
        || lower.contains("://")
        || lower.starts_with("www.")
        || [
            ".com/", ".org/", ".net/", ".io/", ".dev/", ".me/", ".ai/", ".co/", ".edu/",
        ]
        .iter()
        .any(|tld| lower.contains(tld))
}

/// Append an atom to a key (lower-cased) or a surface (as written).
pub(crate) fn push_atom(out: &mut String, atom: &Atom<'_>, first: bool, lower: bool) {
    if !first && atom.spaced {
        out.push(' ');
    }
    for c in atom.text.chars().filter(|&c| c != '\u{AD}') {
        if !lower {
            out.push(c);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

pub(crate) fn key_of(name: &str) -> Option<String> {
    let mut key = String::new();
    for (n, atom) in atoms(name, false).iter().enumerate() {
        push_atom(&mut key, atom, n == 0, true);
    }
    (!key.is_empty()).then_some(key)
}
