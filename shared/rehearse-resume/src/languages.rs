//! Spoken languages: a languages section's items without their levels, and the
//! spoken languages a skills section names (they belong here, not among skills).
//! A language is known when the taxonomy files it under `spoken`.

use crate::skills::push_unique;
use crate::taxonomy::taxonomy;

/// How well someone speaks: never a language of its own.
const LEVELS: &[&str] = &[
    "native",
    "native speaker",
    "mother tongue",
    "first language",
    "fluent",
    "fluency",
    "bilingual",
    "proficient",
    "professional",
    "full professional proficiency",
    "professional working proficiency",
    "working proficiency",
    "limited working proficiency",
    "business",
    "business fluent",
    "conversational",
    "intermediate",
    "upper intermediate",
    "advanced",
    "basic",
    "beginner",
    "elementary",
    "good",
    "very good",
    "excellent",
    "a1",
    "a2",
    "b1",
    "b2",
    "c1",
    "c2",
];

/// Whether `s` is a proficiency level (`Native`, `C1`, `business`).
pub fn is_level(s: &str) -> bool {
    LEVELS.contains(&s.trim().to_lowercase().as_str())
}

/// The canonical name of a spoken language, by any of its names.
pub fn spoken(name: &str) -> Option<&'static str> {
    match taxonomy().canonical_and_category(name)? {
        (canonical, "spoken") => Some(canonical),
        _ => None,
    }
}

/// The spoken language an item names, as itself or as one of its words
/// (`Fluent in Spanish`, `Spanish (native)`).
pub fn named_in(item: &str) -> Option<&'static str> {
    if let Some(l) = spoken(item) {
        return Some(l);
    }
    let words: Vec<&str> = item
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len()).find_map(|i| {
        let pair = words.get(i..i + 2).map(|w| w.join(" "));
        pair.as_deref()
            .and_then(spoken)
            .or_else(|| words.get(i).and_then(|w| spoken(w)))
    })
}

/// The languages a languages section lists, one per item (lines, cells, commas,
/// `·`), in order, levels dropped: `Spanish (native)`, `German · B2`, `English -
/// fluent (C2)`, `Italian ⇥ Native` are `Spanish`, `German`, `English`, `Italian`.
pub fn from_section(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        for piece in line.split(['\t', ',', '·', '•', '|', ';', '/']) {
            let cut = piece.find(['(', '-', ':', '–', '—']).unwrap_or(piece.len());
            let name = piece.get(..cut).unwrap_or_default().trim();
            if name.is_empty() || is_level(name) {
                continue;
            }
            if let Some(known) = named_in(name) {
                push_unique(&mut out, known.to_owned());
            } else if plausible(name) {
                push_unique(&mut out, name.to_owned());
            }
        }
    }
    out
}

/// An unknown language name: one or two capitalised words of letters.
fn plausible(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
                && !is_level(w)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn levels_are_dropped_in_every_notation() {
        assert_eq!(
            from_section(&lines(&[
                "Danish - native",
                "English - fluent (C2)",
                "German · B1",
                "Italian\tNative",
                "Spanish (native)",
                "English · Yoruba · French",
                "Irish (fluent)",
            ])),
            lines(&[
                "Danish", "English", "German", "Italian", "Spanish", "Yoruba", "French", "Irish"
            ])
        );
    }

    #[test]
    fn languages_named_inside_an_item() {
        assert_eq!(named_in("Fluent in Spanish"), Some("Spanish"));
        assert_eq!(named_in("Mandarin Chinese"), Some("Mandarin"));
        assert_eq!(named_in("Python"), None);
        assert!(is_level("C1"));
        assert!(!is_level("Danish"));
    }
}
