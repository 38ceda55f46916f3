//! Name, email, phone, location and profile links.

use std::sync::LazyLock;

use regex::Regex;

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

static CITY_STATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}.'\- ]+(?:,\s*[\p{L}.'\- ]+)*,\s*(?:[A-Z]{2}|USA|UK|\p{Lu}[\p{L}.'\-]+(?: (?:\p{Lu}[\p{L}.'\-]+|of|and|de|del|la|du))*)$")
        .ok()
});

pub fn email(text: &str) -> Option<String> {
    EMAIL
        .as_ref()?
        .find(text)
        .map(|m| m.as_str().trim_end_matches('.').to_owned())
}

/// The first phone number in `text`: 7 to 15 digits (`x` placeholders count), not a
/// year range, not part of an email or URL.
pub fn phone(text: &str) -> Option<String> {
    let re = PHONE.as_ref()?;
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
    re.find_iter(text)
        .filter(|m| !text[..m.start()].ends_with('@') && !m.as_str().contains('@'))
        .map(|m| m.as_str().trim_end_matches(['.', ',', ')']).to_owned())
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
    for re in [EMAIL.as_ref(), URL.as_ref()].into_iter().flatten() {
        rest = re.replace_all(&rest, "\t").into_owned();
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
        && CITY_STATE.as_ref().is_some_and(|r| r.is_match(segment))
        && !segment.chars().any(|c| c == '@')
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
}
