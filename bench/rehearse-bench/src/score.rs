//! How a parsed resume is compared with its ground truth: normalisation, the
//! matching rules for single fields, lists and skills, and precision/recall/F1.
//!
//! The rules are stated once, in [`RULES`], and printed with every report so a
//! number is never read without knowing what it counts.

use std::collections::BTreeSet;

use serde::Serialize;
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The matching rules, as printed in the report header (and in bench/README.md).
pub const RULES: &str = "\
Matching rules:
  text       NFKD, accents and soft hyphens removed, lower case, '&' read as 'and', every
             other non-letter/digit a space, spaces collapsed (\"JOHN DOE\" = \"John Doe\",
             \"DEF Inc.\" = \"DEF Inc\", \"Bogazici\" = \"Boğaziçi\").
  name, location
             accuracy over files whose truth has one: normalised text equal.
  email      accuracy over files whose truth has one: lower case, 'mailto:' and trailing
             punctuation removed, then equal.
  phone      accuracy over files whose truth has one: the digits and 'x' placeholders
             equal, in order (\"(+86) 131-221-87xxx\" = \"+86 131 221 87xxx\").
             A missing or wrong prediction fails; a prediction where the truth has
             none is listed but not scored.
  skills     both sides canonicalised through the taxonomy (case-insensitive fallback
             when it knows the name), duplicates dropped. The truth lists only a subset
             of the skills on the page, so a predicted skill counts as correct if it is
             in the truth OR is verifiably on the page (its text, as a whole word,
             case-insensitive, in the extracted text, or the taxonomy finds it there)
             AND is not something else: a spoken language (taxonomy category 'spoken'),
             a date, a section heading, or any other value of the truth (name, place,
             company, title, institution, degree, language, certification, project;
             compared as list items are, below).
             A spoken language the truth lists among skills is expected in languages.
             precision = correct predicted / all predicted; recall = truth skills
             predicted / truth skills.
  links      URLs without scheme, 'www.', 'mailto:' or a trailing '/', lower case, equal;
             a truth 'site: handle' matches a link on that site ending in the handle. A
             predicted link not in the truth is correct when the page shows it or its
             handle (icon links), like skills.
  titles, companies, institutions, places (job locations), languages, certifications,
  projects (names)
             per file, lists (repeats count): a prediction matches one truth item if
             the normalised texts are equal, or one contains the other as whole words
             and the shorter is >= 60% of the longer's length; each item matches once,
             exact matches first. Only files whose truth has the list are scored.
  degrees    the same, the prediction being degree + field (\"M.S.\" + \"Computer
             Science\" = \"M.S. in Computer Science\"; the word 'in' is ignored).
  dates      jobs' start and end and schools' end as one list per file: a prediction
             matches when both ends are the same month, or the same year where either
             side writes only the year ('present' only matches 'present'; a truth
             without a start compares the end alone).
  P, R       precision = matched (+ verified on the page, for links) / predicted, recall
             = matched / truth; all micro-averaged over files (counts summed, then divided).
  F1         2PR/(P+R); a file the parser rejects predicts nothing.";

/// Characters that carry no text: soft hyphen, zero-width and byte-order marks.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Normalised text for names, titles, companies and institutions.
pub fn norm_text(s: &str) -> String {
    fn push_word_break(out: &mut String, space: &mut bool) {
        if !*space {
            out.push(' ');
            *space = true;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfkd() {
        if is_combining_mark(c) || is_invisible(c) {
            continue;
        }
        if c == '&' {
            push_word_break(&mut out, &mut space);
            out.push_str("and ");
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else {
            push_word_break(&mut out, &mut space);
        }
    }
    out.trim_end().to_owned()
}

/// Normalised email address.
pub fn norm_email(s: &str) -> String {
    let s: String = s.nfkc().filter(|c| !is_invisible(*c)).collect();
    let s = s.trim().to_lowercase();
    let s = s.strip_prefix("mailto:").unwrap_or(&s);
    s.trim_end_matches(['.', ',', ';', ':'])
        .trim_matches(['<', '>', '(', ')'])
        .to_owned()
}

/// A phone number as its digits and `x` placeholders.
pub fn norm_phone(s: &str) -> String {
    s.nfkc()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            'x' | 'X' => Some('x'),
            _ => None,
        })
        .collect()
}

/// A skill's comparison key: lower case, spaces collapsed, trailing punctuation
/// removed; inner punctuation kept (`C` and `C++` differ).
pub fn norm_skill(s: &str) -> String {
    let s: String = s
        .nfkc()
        .filter(|c| !is_invisible(*c))
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(['.', ',', ';', ':'])
        .to_lowercase()
}

/// A skill's key after canonicalisation through the taxonomy.
pub fn skill_key(s: &str) -> String {
    let trimmed = s.trim();
    match rehearse_resume::taxonomy::taxonomy().canonical(trimmed) {
        Some(canonical) => norm_skill(canonical),
        None => norm_skill(trimmed),
    }
}

/// Whether `needle` occurs in `haystack` as a whole word: where the needle starts
/// (ends) with a letter or digit, the character before (after) it is not one, and
/// nothing turns it into another language name (`C` in `C#` or `C++` is not `C`).
pub fn contains_word(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let first_alnum = needle.chars().next().is_some_and(char::is_alphanumeric);
    let last_alnum = needle
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack.get(..at).and_then(|h| h.chars().next_back());
        let after = haystack
            .get(at + needle.len()..)
            .and_then(|h| h.chars().next());
        let glued_before = first_alnum && before.is_some_and(char::is_alphanumeric);
        let glued_after =
            last_alnum && after.is_some_and(|c| c.is_alphanumeric() || c == '#' || c == '+');
        !glued_before && !glued_after
    })
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    /// `correct_predicted` of `predicted` predictions were right; `found` of `truth`
    /// truth items were found. Nothing expected and nothing predicted is perfect;
    /// nothing predicted when something was expected is precision 0.
    pub fn from_counts(
        correct_predicted: usize,
        predicted: usize,
        found: usize,
        truth: usize,
    ) -> Self {
        let ratio = |num: usize, den: usize, empty: f64| {
            if den == 0 {
                empty
            } else {
                num as f64 / den as f64
            }
        };
        let vacuous = if truth == 0 && predicted == 0 {
            1.0
        } else {
            0.0
        };
        let precision = ratio(correct_predicted, predicted, vacuous);
        let recall = ratio(found, truth, 1.0);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Self {
            precision,
            recall,
            f1,
        }
    }
}

/// A single field (name, email, phone) of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FieldScore {
    pub expected: Option<String>,
    pub predicted: Option<String>,
    /// `None` when the truth has no value (not scored).
    pub correct: Option<bool>,
}

impl FieldScore {
    pub fn new(expected: Option<&str>, predicted: Option<&str>, norm: fn(&str) -> String) -> Self {
        let expected = expected.map(str::trim).filter(|s| !s.is_empty());
        let predicted = predicted.map(str::trim).filter(|s| !s.is_empty());
        let correct = expected.map(|e| {
            let want = norm(e);
            predicted.is_some_and(|p| !want.is_empty() && norm(p) == want)
        });
        Self {
            expected: expected.map(str::to_owned),
            predicted: predicted.map(str::to_owned),
            correct,
        }
    }

    /// `ok`, `FAIL` or `-` (not scored).
    pub fn mark(&self) -> &'static str {
        match self.correct {
            Some(true) => "ok",
            Some(false) => "FAIL",
            None => "-",
        }
    }
}

/// A list field (titles, companies, links, dates...) of one file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListScore {
    pub matched: usize,
    /// Predictions outside the truth that the page verifies (links only).
    pub on_page: usize,
    pub predicted: usize,
    pub truth: usize,
    /// Truth items no prediction matched.
    pub missed: Vec<String>,
    /// Predictions that matched no truth item.
    pub unmatched: Vec<String>,
}

impl ListScore {
    /// Two scores of one file as one (jobs' and schools' dates).
    pub fn plus(mut self, other: Self) -> Self {
        self.matched += other.matched;
        self.on_page += other.on_page;
        self.predicted += other.predicted;
        self.truth += other.truth;
        self.missed.extend(other.missed);
        self.unmatched.extend(other.unmatched);
        self
    }

    /// `matched/predicted/truth`, with `+N` for predictions verified on the page.
    pub fn counts(&self) -> String {
        let page = if self.on_page > 0 {
            format!("+{}", self.on_page)
        } else {
            String::new()
        };
        format!("{}{page}/{}/{}", self.matched, self.predicted, self.truth)
    }
}

/// Whether two normalised strings match: equal, or one contains the other as whole
/// words and the shorter is at least 60% of the longer.
pub fn loosely_equal(a: &str, b: &str) -> bool {
    if a == b {
        return !a.is_empty();
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    let (short_len, long_len) = (short.chars().count(), long.chars().count());
    if short_len == 0 || (short_len as f64) < 0.6 * long_len as f64 {
        return false;
    }
    format!(" {long} ").contains(&format!(" {short} "))
}

/// Matches predictions to truth items one to one, exact matches first.
pub fn match_lists(predicted: &[String], truth: &[String]) -> ListScore {
    match_lists_by(predicted, truth, norm_text, loosely_equal)
}

/// Degrees: the word `in` carries nothing (`M.S. in Computer Science` = `M.S.
/// Computer Science`).
pub fn norm_degree(s: &str) -> String {
    norm_text(s)
        .split(' ')
        .filter(|w| *w != "in")
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`match_lists`] with another normalisation and loose equality.
pub fn match_lists_by(
    predicted: &[String],
    truth: &[String],
    norm: fn(&str) -> String,
    loose: fn(&str, &str) -> bool,
) -> ListScore {
    let keep = |items: &[String]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|s| (s.trim().to_owned(), norm(s)))
            .filter(|(_, n)| !n.is_empty())
            .collect()
    };
    let predicted = keep(predicted);
    let truth = keep(truth);
    let mut pred_used = vec![false; predicted.len()];
    let mut truth_used = vec![false; truth.len()];
    let mut matched = 0;
    for exact in [true, false] {
        for (t, (_, t_norm)) in truth.iter().enumerate() {
            if truth_used.get(t).copied().unwrap_or(true) {
                continue;
            }
            let hit = predicted.iter().enumerate().position(|(p, (_, p_norm))| {
                !pred_used.get(p).copied().unwrap_or(true)
                    && if exact {
                        p_norm == t_norm
                    } else {
                        loose(p_norm, t_norm)
                    }
            });
            if let Some(p) = hit
                && let (Some(pu), Some(tu)) = (pred_used.get_mut(p), truth_used.get_mut(t))
            {
                *pu = true;
                *tu = true;
                matched += 1;
            }
        }
    }
    let unused = |items: &[(String, String)], used: &[bool]| -> Vec<String> {
        items
            .iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|((raw, _), _)| raw.clone())
            .collect()
    };
    ListScore {
        matched,
        on_page: 0,
        predicted: predicted.len(),
        truth: truth.len(),
        missed: unused(&truth, &truth_used),
        unmatched: unused(&predicted, &pred_used),
    }
}

/// A link's comparison key: lower case, without scheme, `www.`, `mailto:`, a
/// trailing slash or punctuation.
pub fn norm_link(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let s = s.strip_prefix("www.").unwrap_or(s);
    s.trim_end_matches(['/', '.', ',', ';']).to_owned()
}

/// A truth link written as `site: handle` (an icon and a handle on the page):
/// (`site`, `handle`).
fn site_and_handle(truth: &str) -> Option<(String, String)> {
    let (site, handle) = truth.split_once(':')?;
    let (site, handle) = (site.trim().to_lowercase(), handle.trim().to_lowercase());
    let plain = |s: &str| !s.is_empty() && !s.contains(['/', ' ', '.']);
    (plain(&site) && plain(&handle)).then_some((site, handle))
}

/// Whether a predicted link (normalised) is the truth link (as written).
fn link_matches(predicted: &str, truth: &str) -> bool {
    if let Some((site, handle)) = site_and_handle(truth) {
        let host = predicted.split('/').next().unwrap_or_default();
        let last = predicted.rsplit('/').next().unwrap_or_default();
        return host.contains(&site) && last == handle;
    }
    predicted == norm_link(truth)
}

/// Whether `needle` occurs in `haystack` as a whole link or handle: not glued to
/// letters, digits or the characters URLs continue with on either side.
fn occurs_whole(haystack: &str, needle: &str) -> bool {
    let continues = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '/');
    !needle.is_empty()
        && haystack.match_indices(needle).any(|(at, _)| {
            let before = haystack.get(..at).and_then(|h| h.chars().next_back());
            let after = haystack
                .get(at + needle.len()..)
                .and_then(|h| h.chars().next());
            !before.is_some_and(|c| continues(c) || c == '.') && !after.is_some_and(continues)
        })
}

/// Links of one file against the truth and the page (see [`RULES`]).
pub fn score_links(predicted: &[String], truth: &[String], page_text: &str) -> ListScore {
    let mut seen = BTreeSet::new();
    let predicted: Vec<(String, String)> = predicted
        .iter()
        .map(|p| (p.trim().to_owned(), norm_link(p)))
        .filter(|(_, k)| !k.is_empty() && seen.insert(k.clone()))
        .collect();
    // The page as one string, lines ending in a URL's '-' or '/' rejoined.
    let page = page_text
        .to_lowercase()
        .replace("-\n", "-")
        .replace("/\n", "/");
    let mut pred_used = vec![false; predicted.len()];
    let mut missed = Vec::new();
    let mut matched = 0;
    for t in truth {
        let hit = predicted.iter().enumerate().position(|(i, (_, k))| {
            !pred_used.get(i).copied().unwrap_or(true) && link_matches(k, t)
        });
        match hit.and_then(|i| pred_used.get_mut(i)) {
            Some(used) => {
                *used = true;
                matched += 1;
            }
            None => missed.push(t.clone()),
        }
    }
    let mut on_page = 0;
    let mut unmatched = Vec::new();
    for ((raw, key), used) in predicted.iter().zip(&pred_used) {
        if *used {
            continue;
        }
        let handle = key.rsplit('/').next().unwrap_or_default();
        if occurs_whole(&page, key) || (handle.len() >= 3 && occurs_whole(&page, handle)) {
            on_page += 1;
        } else {
            unmatched.push(raw.clone());
        }
    }
    ListScore {
        matched,
        on_page,
        predicted: predicted.len(),
        truth: truth.len(),
        missed,
        unmatched,
    }
}

/// A start and end as the truth or the parser writes them (`YYYY-MM`, `YYYY`, `present`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Span {
    pub start: Option<String>,
    pub end: Option<String>,
}

impl Span {
    fn show(&self, with_start: bool) -> String {
        let end = self.end.as_deref().unwrap_or("?");
        if with_start {
            format!("{} - {end}", self.start.as_deref().unwrap_or("?"))
        } else {
            format!("- {end}")
        }
    }
}

/// The same date: equal, or the same year where either side has only the year.
pub fn same_date(predicted: Option<&str>, truth: Option<&str>) -> bool {
    match (predicted.map(str::trim), truth.map(str::trim)) {
        (None, None) => true,
        (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => true,
        (Some(p), Some(t)) => {
            let year = |s: &str| {
                s.get(..4)
                    .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
                    .map(str::to_owned)
            };
            let month_less = p.len() == 4 || t.len() == 4;
            month_less && year(p).is_some() && year(p) == year(t)
        }
        _ => false,
    }
}

/// Dates of one file: predicted spans matched one to one with the truth's; a truth
/// span without a start compares the end alone.
pub fn match_dates(predicted: &[Span], truth: &[Span]) -> ListScore {
    let mut pred_used = vec![false; predicted.len()];
    let mut matched = 0;
    let mut missed = Vec::new();
    for t in truth {
        let hit = predicted.iter().enumerate().position(|(i, p)| {
            !pred_used.get(i).copied().unwrap_or(true)
                && same_date(p.end.as_deref(), t.end.as_deref())
                && (t.start.is_none() || same_date(p.start.as_deref(), t.start.as_deref()))
        });
        match hit.and_then(|i| pred_used.get_mut(i)) {
            Some(used) => {
                *used = true;
                matched += 1;
            }
            None => missed.push(t.show(t.start.is_some())),
        }
    }
    ListScore {
        matched,
        on_page: 0,
        predicted: predicted.len(),
        truth: truth.len(),
        missed,
        unmatched: predicted
            .iter()
            .zip(&pred_used)
            .filter(|(_, u)| !**u)
            .map(|(p, _)| p.show(true))
            .collect(),
    }
}

/// Skills of one file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SkillScore {
    /// Distinct predicted skills (after canonicalisation).
    pub predicted: usize,
    /// Distinct truth skills (after canonicalisation).
    pub truth: usize,
    /// Predicted skills that are in the truth.
    pub in_truth: usize,
    /// Predicted skills not in the truth but on the page.
    pub on_page: usize,
    /// Truth skills not predicted.
    pub missed: Vec<String>,
    /// Predicted skills neither in the truth nor found on the page.
    pub wrong: Vec<String>,
}

impl SkillScore {
    /// Correct predictions (in the truth or verifiably on the page).
    pub fn correct(&self) -> usize {
        self.in_truth + self.on_page
    }
}

/// Section headings that are never skills (the bench's own short list).
const HEADINGS: &[&str] = &[
    "education",
    "experience",
    "skills",
    "languages",
    "language",
    "certifications",
    "certificates",
    "links",
    "contact",
    "projects",
    "profile",
    "summary",
    "about",
    "awards",
    "recognition",
    "interests",
    "references",
];

/// Whether a predicted skill is something else (see [`RULES`]): a spoken language,
/// a date, a heading, or one of the truth's other values (`others`, normalised text;
/// matched as lists match, so `Certified Kubernetes Administrator` is the truth's
/// `Certified Kubernetes Administrator (CKA)`).
pub fn not_a_skill(skill: &str, others: &BTreeSet<String>) -> bool {
    let taxonomy = rehearse_resume::taxonomy::taxonomy();
    let text = norm_text(skill);
    taxonomy.category(skill) == Some("spoken")
        || rehearse_resume::dates::find(skill).is_some()
        || HEADINGS.contains(&text.as_str())
        || others.iter().any(|o| loosely_equal(&text, o))
}

/// Scores predicted skills against the truth subset and the page's text; `others`
/// are the truth's values that are not skills (normalised text).
pub fn score_skills(
    predicted: &[String],
    truth: &[String],
    page_text: &str,
    others: &BTreeSet<String>,
) -> SkillScore {
    let taxonomy = rehearse_resume::taxonomy::taxonomy();
    let page = norm_skill(page_text);
    let page_found: BTreeSet<String> = taxonomy
        .find_in_text(page_text)
        .into_iter()
        .map(norm_skill)
        .collect();

    let dedup = |items: &[String]| -> Vec<(String, String)> {
        let mut seen = BTreeSet::new();
        items
            .iter()
            .map(|s| (s.trim().to_owned(), skill_key(s)))
            .filter(|(_, k)| !k.is_empty() && seen.insert(k.clone()))
            .collect()
    };
    let predicted = dedup(predicted);
    let truth = dedup(truth);
    let truth_keys: BTreeSet<&str> = truth.iter().map(|(_, k)| k.as_str()).collect();
    let predicted_keys: BTreeSet<&str> = predicted.iter().map(|(_, k)| k.as_str()).collect();

    let mut score = SkillScore {
        predicted: predicted.len(),
        truth: truth.len(),
        ..SkillScore::default()
    };
    for (raw, key) in &predicted {
        if truth_keys.contains(key.as_str()) {
            score.in_truth += 1;
        } else if not_a_skill(raw, others) {
            score.wrong.push(raw.clone());
        } else if page_found.contains(key)
            || contains_word(&page, key)
            || contains_word(&page, &norm_skill(raw))
        {
            score.on_page += 1;
        } else {
            score.wrong.push(raw.clone());
        }
    }
    score.missed = truth
        .iter()
        .filter(|(_, k)| !predicted_keys.contains(k.as_str()))
        .map(|(raw, _)| raw.clone())
        .collect();
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn text_ignores_case_punctuation_and_accents() {
        assert_eq!(norm_text("JOHN  DOE"), norm_text("John Doe"));
        assert_eq!(norm_text("DEF Inc."), "def inc");
        assert_eq!(norm_text("Boğaziçi University"), "bogazici university");
        assert_eq!(norm_text("Co-Founder & CTO"), "co founder and cto");
        assert_eq!(norm_text("Man\u{00AD}ager"), "manager");
        assert_eq!(norm_text("上海交通大学"), "上海交通大学");
        assert_eq!(norm_text(" ,. "), "");
    }

    #[test]
    fn phone_compares_digits_and_placeholders() {
        assert_eq!(
            norm_phone("(+86) 131-221-87xxx"),
            norm_phone("+86 131 221 87XXX")
        );
        assert_ne!(
            norm_phone("+1 (415) 555-0142"),
            norm_phone("(415) 555-0142")
        );
    }

    #[test]
    fn email_ignores_case_and_mailto() {
        assert_eq!(
            norm_email("mailto:John.Doe@Email.com."),
            "john.doe@email.com"
        );
    }

    #[test]
    fn missing_prediction_fails_and_missing_truth_is_not_scored() {
        assert_eq!(
            FieldScore::new(Some("A B"), None, norm_text).correct,
            Some(false)
        );
        assert_eq!(FieldScore::new(None, Some("A B"), norm_text).correct, None);
        assert_eq!(
            FieldScore::new(Some("JOHN DOE"), Some("John Doe"), norm_text).correct,
            Some(true)
        );
    }

    #[test]
    fn lists_match_once_each_and_allow_close_containment() {
        let truth = strings(&["Google", "Google", "Yahoo!"]);
        let predicted = strings(&["google", "Yahoo! Inc", "Google LLC"]);
        let s = match_lists(&predicted, &truth);
        // "google llc" contains "google" at 6/10 = 60%; "yahoo inc" contains "yahoo" at 5/9.
        assert_eq!((s.matched, s.predicted, s.truth), (2, 3, 3));
        assert_eq!(s.missed, strings(&["Yahoo!"]));
        assert_eq!(s.unmatched, strings(&["Yahoo! Inc"]));
    }

    #[test]
    fn containment_must_be_whole_words() {
        assert!(loosely_equal(
            "stanford university",
            "stanford university ca"
        ));
        assert!(!loosely_equal("ford university", "stanford university"));
        assert!(!loosely_equal("google", "google deepmind"));
    }

    #[test]
    fn whole_word_search_respects_symbols() {
        assert!(contains_word("python, c++ and rust", "c++"));
        assert!(contains_word("python, c++ and rust", "rust"));
        assert!(!contains_word("trusty", "rust"));
        assert!(!contains_word("c# only", "c"));
        assert!(!contains_word("c++ only", "c"));
        assert!(contains_word("c, go", "c"));
    }

    #[test]
    fn skills_on_the_page_are_not_false_positives() {
        let page = "Skills: Python, Docker, Kubernetes\nWorked on ML";
        let s = score_skills(
            &strings(&["python", "Docker", "Haskell"]),
            &strings(&["Python", "Kubernetes"]),
            page,
            &BTreeSet::new(),
        );
        assert_eq!((s.predicted, s.truth, s.in_truth, s.on_page), (3, 2, 1, 1));
        assert_eq!(s.wrong, strings(&["Haskell"]));
        assert_eq!(s.missed, strings(&["Kubernetes"]));
        let prf = Prf::from_counts(s.correct(), s.predicted, s.in_truth, s.truth);
        assert!((prf.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((prf.recall - 0.5).abs() < 1e-9);
    }

    #[test]
    fn languages_dates_schools_and_headings_on_the_page_are_not_skills() {
        let page =
            "EDUCATION\nAarhus School of Architecture\nJan 2016\nLANGUAGES\nDanish\nSKILLS\nFigma";
        let others: BTreeSet<String> = [norm_text("Aarhus School of Architecture")].into();
        let s = score_skills(
            &strings(&[
                "Figma",
                "Danish",
                "Jan 2016",
                "Aarhus School of Architecture",
                "Education",
            ]),
            &strings(&["Figma"]),
            page,
            &others,
        );
        assert_eq!((s.predicted, s.in_truth, s.on_page), (5, 1, 0));
        assert_eq!(
            s.wrong,
            strings(&[
                "Danish",
                "Jan 2016",
                "Aarhus School of Architecture",
                "Education"
            ])
        );
    }

    #[test]
    fn links_compare_without_scheme_and_accept_icon_handles() {
        let s = score_links(
            &strings(&[
                "https://www.linkedin.com/in/apennyworth/",
                "github.com/apennyworth",
                "x.com/someone",
            ]),
            &strings(&["linkedin: apennyworth", "https://github.com/apennyworth"]),
            "Alfred\nsomeone",
        );
        assert_eq!((s.matched, s.on_page, s.predicted, s.truth), (2, 1, 3, 2));
        let s = score_links(
            &strings(&["dribbble.com/ingrid-sorensen-"]),
            &strings(&["dribbble.com/ingrid-sorensen-design"]),
            "dribbble.com/ingrid-sorensen-\ndesign",
        );
        assert_eq!(
            (s.matched, s.on_page),
            (0, 0),
            "a cut link is neither in the truth nor on the page"
        );
    }

    #[test]
    fn dates_compare_at_the_coarser_precision() {
        assert!(same_date(Some("2016-01"), Some("2016-01")));
        assert!(same_date(Some("2016"), Some("2016-03")));
        assert!(!same_date(Some("2016-02"), Some("2016-03")));
        assert!(!same_date(Some("2016"), Some("present")));
        let span = |s: Option<&str>, e: &str| Span {
            start: s.map(str::to_owned),
            end: Some(e.to_owned()),
        };
        let s = match_dates(
            &[
                span(Some("2020-03"), "present"),
                span(Some("2014-09"), "2016-01"),
            ],
            &[
                span(Some("2020-03"), "present"),
                span(None, "2016-01"),
                span(Some("2015"), "2015"),
            ],
        );
        assert_eq!((s.matched, s.predicted, s.truth), (2, 2, 3));
    }

    #[test]
    fn degrees_ignore_in() {
        assert!(
            match_lists_by(
                &strings(&["M.S. Computer Science"]),
                &strings(&["M.S. in Computer Science"]),
                norm_degree,
                loosely_equal
            )
            .matched
                == 1
        );
    }

    #[test]
    fn prf_edge_cases() {
        assert_eq!(Prf::from_counts(0, 0, 0, 0).f1, 1.0);
        assert_eq!(Prf::from_counts(0, 0, 0, 3).f1, 0.0);
        assert_eq!(Prf::from_counts(2, 2, 2, 4).f1, 2.0 * 0.5 / 1.5);
    }
}
