//! Name, email, phone, location and profile links.

use std::sync::LazyLock;

// regex-lite, not regex: the handful of patterns here and in `dates` do not need
// regex's Unicode tables and lazy DFAs, which were a tenth of the PDF functions'
// zips. Its `\d` and `\s` are ASCII, which the text already is: `rehearse-pdf`
// NFKC-normalises every line (full-width digits and the Unicode spaces become
// ASCII ones). Its `\b` is ASCII too; see `matches_in_runs` for emails and URLs,
// and `dates` for dates.
use regex_lite::Regex;

use crate::Links;

static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b").ok()
});

/// Digits (or `x` placeholders) with the separators phone numbers are written with.
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:\+|\(\+?)?\d[\d\s().\-/]{5,}[\dx]+").ok());

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|io|dev|me|net|org|app|co|ai|tech|xyz|page|site|info|blog|edu|us|uk|de|fr|in|ca)\b(?:/[^\s,;|)]*)?",
    )
    .ok()
});

static YEAR_RANGE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)$").ok());

pub fn email(text: &str) -> Option<String> {
    let &(start, end) = matches_in_runs(EMAIL.as_ref()?, text, '@').first()?;
    Some(text[start..end].trim_end_matches('.').to_owned())
}

/// regex-lite's `\s`.
fn is_pattern_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0B' | '\x0C' | '\r' | ' ')
}

/// What the Unicode regex crate found for EMAIL and URL, as byte ranges.
///
/// Only the runs between spaces that hold `needle` are searched: neither pattern
/// can match across `\s`, each match holds its needle, and a run's ends are `\b`
/// boundaries exactly where the text's are (the character across each is a space
/// or nothing). A PikeVM over a whole resume was most of the parse.
///
/// regex-lite's `\b` is ASCII: it sees a boundary between `ü` and `l`, where
/// Unicode's sees none, and would find `ller@web.de` in `müller@web.de`. Both
/// patterns start and end with a word character and a `\b`, so a match with a
/// non-ASCII letter or digit against either end is one the Unicode pattern does
/// not make; the search goes on from the next character, as it would have.
fn matches_in_runs(re: &Regex, text: &str, needle: char) -> Vec<(usize, usize)> {
    let unicode_word = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
    let mut found = Vec::new();
    let mut start = 0;
    let ends = text
        .char_indices()
        .filter(|&(_, c)| is_pattern_space(c))
        .map(|(i, _)| i)
        .chain([text.len()]);
    for end in ends {
        let run = &text[start..end];
        let mut at = 0;
        while run.contains(needle) {
            let Some(m) = re.find_at(run, at) else { break };
            let before = run[..m.start()].chars().next_back();
            let after = run[m.end()..].chars().next();
            if unicode_word(before) || unicode_word(after) {
                // A match is never empty, so this moves on.
                at = m.start() + run[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            found.push((start + m.start(), start + m.end()));
            at = m.end();
        }
        // Every space is one byte.
        start = end + 1;
    }
    found
}

/// `text` with each range (sorted, disjoint) replaced by a tab.
fn replace_with_tabs(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in ranges {
        out.push_str(&text[at..start]);
        out.push('\t');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The first phone number in `text`: 7 to 15 digits (`x` placeholders count), not a
/// year range, not part of an email or URL.
pub fn phone(text: &str) -> Option<String> {
    let re = PHONE.as_ref()?;
    // A number needs 7 digits (or `x`s) of the text: most lines have fewer.
    if text
        .bytes()
        .filter(|b| b.is_ascii_digit() || *b == b'x')
        .count()
        < 7
    {
        return None;
    }
    for m in re.find_iter(text) {
        let candidate = m
            .as_str()
            .trim()
            .trim_end_matches(['-', '.', '/', '('])
            .trim();
        // Balance a dangling bracket left by the match boundary.
        let candidate = if candidate.ends_with(')') && !candidate.contains('(') {
            candidate.trim_end_matches(')').trim()
        } else {
            candidate
        };
        let digits = candidate
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == 'x')
            .count();
        if !(7..=15).contains(&digits) {
            continue;
        }
        if YEAR_RANGE.as_ref().is_some_and(|r| r.is_match(candidate)) {
            continue;
        }
        // Dates such as 06/2018 - 05/2020 are not phone numbers.
        if candidate.contains('/') {
            continue;
        }
        let before = &text[..m.start()];
        if before.ends_with('@') || before.ends_with('/') || before.ends_with('.') {
            continue;
        }
        return Some(candidate.to_owned());
    }
    None
}

/// LinkedIn, GitHub, the first other site and the rest in `text`.
pub fn links(text: &str) -> Links {
    let mut links = Links::default();
    for url in urls(text) {
        add_link(&mut links, url);
    }
    links
}

/// The web addresses written in `text`, in order (not the domains of email addresses).
pub fn urls(text: &str) -> Vec<String> {
    let Some(re) = URL.as_ref() else {
        return Vec::new();
    };
    matches_in_runs(re, text, '.')
        .into_iter()
        .map(|(start, end)| (start, &text[start..end]))
        .filter(|&(start, url)| !text[..start].ends_with('@') && !url.contains('@'))
        .map(|(_, url)| url.trim_end_matches(['.', ',', ')']).to_owned())
        .collect()
}

/// Whether `text` holds a web address.
pub fn has_url(text: &str) -> bool {
    !urls(text).is_empty()
}

/// A link's identity: lower case, without scheme, `www.` or a trailing slash
/// (`https://www.GitHub.com/ada/` is `github.com/ada`).
pub fn link_key(url: &str) -> String {
    let lower = url.trim().to_lowercase();
    let bare = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let bare = bare.strip_prefix("www.").unwrap_or(bare);
    bare.trim_end_matches(['/', '.', ',']).to_owned()
}

/// Files `url` under its kind: the first LinkedIn and GitHub profile, the first other
/// site as the portfolio, further sites in `other`; repeats and email providers are
/// left out.
pub fn add_link(links: &mut Links, url: String) {
    let key = link_key(&url);
    let known = [&links.linkedin, &links.github, &links.portfolio]
        .into_iter()
        .flatten()
        .chain(&links.other)
        .any(|l| link_key(l) == key);
    if known || key.is_empty() || is_email_provider(&key) {
        return;
    }
    let slot = if key.contains("linkedin.com") {
        &mut links.linkedin
    } else if key.contains("github.com") {
        &mut links.github
    } else {
        &mut links.portfolio
    };
    if slot.is_none() {
        *slot = Some(url);
    } else {
        links.other.push(url);
    }
}

fn is_email_provider(url: &str) -> bool {
    [
        "gmail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "icloud.com",
        "email.com",
    ]
    .iter()
    .any(|p| url.ends_with(p))
}

/// Header segments (split on the separators contact lines use) with emails, phones
/// and links removed.
pub fn segments(line: &str) -> Vec<String> {
    let mut rest = line.to_owned();
    for (re, needle) in [(EMAIL.as_ref(), '@'), (URL.as_ref(), '.')] {
        if let Some(re) = re {
            rest = replace_with_tabs(&rest, &matches_in_runs(re, &rest, needle));
        }
    }
    if let Some(p) = phone(&rest) {
        rest = rest.replace(&p, "\t");
    }
    rest.split(['\t', '|', '•', '·', '◦', '⋄'])
        .flat_map(|s| s.split(" - "))
        .map(|s| {
            s.trim()
                .trim_matches(|c: char| c == ',' || c == ':' || c == '@')
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a header segment reads as a place: `San Francisco, CA`, `Mapo-gu, Seoul, Republic of Korea`.
pub fn is_location(segment: &str) -> bool {
    let words = segment.split_whitespace().count();
    (1..=8).contains(&words)
        && segment.contains(',')
        && is_city_state(segment)
        && !segment.chars().any(|c| c == '@')
}

/// `City, ST`, `Mapo-gu, Seoul, Republic of Korea`: comma-separated parts of letters
/// (and `.'-` and spaces), the first capitalised, the last a two-letter code, `USA`,
/// `UK` or capitalised words joined by single spaces (`of`, `and`, `de`, `del`, `la`,
/// `du` allowed between them). Letters are Unicode's (`Zürich`, `São Paulo`). The
/// regex this replaced said `\p{L}` and `\p{Lu}`; `char` knows Unicode's
/// Alphabetic and Uppercase properties, which differ from them only in rare marks
/// and symbols.
fn is_city_state(segment: &str) -> bool {
    let is_part_char = |c: char| is_letter(c) || matches!(c, '.' | '\'' | '-' | ' ');
    let mut parts = segment.split(',');
    let Some(first) = parts.next() else {
        return false;
    };
    let mut first_chars = first.chars();
    let first_ok = first_chars.next().is_some_and(char::is_uppercase)
        && first_chars.as_str().chars().all(is_part_char)
        && !first_chars.as_str().is_empty();
    let rest: Vec<&str> = parts.collect();
    let Some((last, middle)) = rest.split_last() else {
        return false;
    };
    // A middle part is optional whitespace, then one or more part characters (which
    // include the space, so a part of spaces alone passes, as it did as a regex).
    let middle_ok = middle.iter().all(|p| {
        let body = p.trim_start();
        if body.is_empty() {
            p.ends_with(' ')
        } else {
            body.chars().all(is_part_char)
        }
    });
    first_ok && middle_ok && is_region(last.trim_start())
}

/// `\p{L}`, near enough: Unicode's alphabetic characters but the combining marks
/// among them (Devanagari's vowel signs, say), which `\p{L}` leaves out.
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !unicode_normalization::char::is_combining_mark(c)
}

/// The last part of a place: `CA`, `USA`, `UK`, or `Republic of Korea`.
fn is_region(text: &str) -> bool {
    if text.len() == 2 && text.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    let is_name = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && !chars.as_str().is_empty()
            && chars.all(|c| is_letter(c) || matches!(c, '.' | '\'' | '-'))
    };
    let mut words = text.split(' ');
    words.next().is_some_and(is_name)
        && words.all(|w| is_name(w) || ["of", "and", "de", "del", "la", "du"].contains(&w))
}

/// A street address line: starts with a house number, then a comma-separated place.
pub fn is_address(segment: &str) -> bool {
    let starts_with_number = segment
        .split_whitespace()
        .next()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    starts_with_number
        && segment.contains(',')
        && segment.chars().filter(|c| c.is_alphabetic()).count() > 5
}

/// Whether `text` can be a person's name: two to five words of letters, or two to
/// four CJK characters written without spaces.
pub fn looks_like_name(text: &str) -> bool {
    let t = text.trim();
    let cjk = t.chars().count();
    if (2..=4).contains(&cjk) && t.chars().all(is_cjk) {
        return true;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || text.chars().count() > 50 {
        return false;
    }
    let letters_only = text
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '.' || c == '\'' || c == '-');
    // A final lone letter is a logo or a glyph (`LAT X`), not a surname.
    let last_is_letter = words.last().is_some_and(|w| w.chars().count() == 1);
    letters_only
        && !last_is_letter
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{AC00}'..='\u{D7AF}' | '\u{3040}'..='\u{30FF}')
}

/// `JOHN DOE` → `John Doe`; mixed-case names are kept as written.
pub fn name_case(text: &str) -> String {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.iter().all(|c| c.is_uppercase()) {
        return text.to_owned();
    }
    text.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_as_written() {
        for (text, want) in [
            (
                "123 Main St, Anywhere, USA - (123) 456-7890 - john.doe@email.com",
                "(123) 456-7890",
            ),
            (
                "john.doe@email.com +1 (415) 555-0142 San Francisco, CA",
                "+1 (415) 555-0142",
            ),
            (
                "(+82) 10-9030-1843 | posquit0.bj@gmail.com",
                "(+82) 10-9030-1843",
            ),
            (
                "xxx@yuanbin.me · (+86) 131-221-87xxx · http://www.yuanbin.me",
                "(+86) 131-221-87xxx",
            ),
            ("mmayer@yahoo-inc.com\t000-00-0000\tAddress", "000-00-0000"),
            (
                "hello@openresume.com\t123-456-7890\tNYC, NY",
                "123-456-7890",
            ),
        ] {
            assert_eq!(phone(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(phone("2012 - 2017"), None);
        assert_eq!(phone("Jun 2021 - Dec 2022, 99.5% to 99.99%"), None);
    }

    #[test]
    fn links_by_kind() {
        let l = links(
            "linkedin.com/in/johndoe · github.com/johndoe · john@gmail.com · www.posquit0.com",
        );
        assert_eq!(l.linkedin.as_deref(), Some("linkedin.com/in/johndoe"));
        assert_eq!(l.github.as_deref(), Some("github.com/johndoe"));
        assert_eq!(l.portfolio.as_deref(), Some("www.posquit0.com"));
    }

    #[test]
    fn locations_and_names() {
        assert!(is_location("San Francisco, CA"));
        assert!(is_location("Mapo-gu, Seoul, Republic of Korea"));
        assert!(is_location("Silicon Valley, CA, USA"));
        assert!(!is_location("Senior Software Engineer"));
        assert!(is_address("123 Main St, Anywhere, USA"));
        assert!(looks_like_name("John Doe"));
        assert!(looks_like_name("JOHN DOE"));
        assert!(!looks_like_name("Senior Software Engineer at 3M"));
        assert_eq!(name_case("JOHN DOE"), "John Doe");
        assert_eq!(name_case("Leo Leopard"), "Leo Leopard");
    }

    /// The run-by-run search finds what the Unicode regex crate finds with the same
    /// patterns on the whole text, non-ASCII neighbours included.
    #[test]
    fn runs_find_what_the_unicode_patterns_find() {
        let texts = [
            "john.doe@email.com +1 (415) 555-0142 San Francisco, CA",
            "linkedin.com/in/johndoe · github.com/johndoe · john@gmail.com · www.posquit0.com",
            "Portfolio:https://ada.dev/work,\tmail ada@lovelace.org.\x0Bnext.io)",
            "a@b.co@c.com x@@y.com .com a.b.c.io/x|y;z https://www.Example.COM/path?q=1",
            "Built café.io and naïve@mail.de, über.com; δ.com é@x.com",
            "müller@web.de münchen.de Zoë@x.io x.comé ab.cdé.io ü.dev/x 经历ada.dev 邮箱a@b.cn",
            "٣a@b.io a@b.io٣ a.io_x _a@b.io",
            "no links here at all.\r\nNor here",
            "",
            " ",
            "trailing.",
            "emails: a_b@c-d.e.fr,b@c.uk;c@d.io",
        ];
        for text in texts {
            for (lite, needle) in [(EMAIL.as_ref(), '@'), (URL.as_ref(), '.')] {
                let Some(lite) = lite else {
                    panic!("the patterns compile");
                };
                let Ok(unicode) = regex::Regex::new(lite.as_str()) else {
                    panic!("the pattern compiles for regex");
                };
                let whole: Vec<(usize, usize)> = unicode
                    .find_iter(text)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(matches_in_runs(lite, text, needle), whole, "{text:?}");
            }
        }
        assert_eq!(
            segments("ada@x.io | ada.dev | London, UK"),
            vec!["London, UK".to_owned()]
        );
    }

    /// `is_city_state` against the Unicode regex it replaced, on every string of up to
    /// five symbols over an alphabet of the characters that decide it, and on
    /// places as resumes write them.
    #[test]
    fn city_state_is_the_pattern_it_replaced() {
        let Ok(pattern) = regex::Regex::new(
            r"^\p{Lu}[\p{L}.'\- ]+(?:,\s*[\p{L}.'\- ]+)*,\s*(?:[A-Z]{2}|USA|UK|\p{Lu}[\p{L}.'\-]+(?: (?:\p{Lu}[\p{L}.'\-]+|of|and|de|del|la|du))*)$",
        ) else {
            panic!("the reference pattern compiles");
        };
        let symbols = [
            "S", "a", "É", "ü", ",", " ", "\t", ".", "-", "'", "1", "CA", "of", "del", "USA",
        ];
        let mut checked = 0;
        let mut stack = vec![(String::new(), 0)];
        while let Some((text, depth)) = stack.pop() {
            assert_eq!(is_city_state(&text), pattern.is_match(&text), "{text:?}");
            checked += 1;
            if depth < 5 {
                stack.extend(symbols.iter().map(|s| (format!("{text}{s}"), depth + 1)));
            }
        }
        assert!(checked > 800_000, "{checked}");
        for place in [
            "San Francisco, CA",
            "Zürich, Switzerland",
            "São Paulo, SP, Brasil",
            "Mapo-gu, Seoul, Republic of Korea",
            "Washington, D.C.",
            "St. John's, Newfoundland and Labrador",
            "New York, NY 10001",
            "Remote, anywhere",
            "Paris,France",
            "  Lyon, France",
            "Köln,  , Deutschland",
            "Cali, Valle del Cauca",
            "Pune, मुंबई, India",
        ] {
            assert_eq!(is_city_state(place), pattern.is_match(place), "{place}");
        }
    }
}
