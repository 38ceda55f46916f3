//! The question bank (`data/questions.txt`): every question the engine can ask,
//! the role families with the phrases that select them, and known misconceptions.
//! It is data, not code, so an interviewer can extend it without touching the
//! engine; `build.rs` reads it (`bank_source.rs`) into static data compiled into
//! the binary, so no cold start parses it. A malformed line is skipped there and
//! reported by the unit tests, so a bad edit fails CI.
//!
//! Format (see the head of the file): `@family <id>` opens a family block with
//! `@name`, `@aliases`, `@skills`, `@categories` and `@fallback` lines; then one
//! question per line, `kind | difficulty[@levels] | topic | keywords | text`.
//! `@misconceptions` opens the list of `pattern | correction` lines.

use crate::model::{Difficulty, Level};

pub(crate) use crate::bank_source::{Kind, Pitch, placeholders};

/// The family whose questions fit every role (introductions, resume questions,
/// behavioral and general scenario questions).
pub(crate) const ANY: &str = "any";

/// One question template.
#[derive(Debug)]
pub(crate) struct Entry {
    pub family: &'static str,
    pub kind: Kind,
    pub pitch: Pitch,
    /// Levels the question suits; empty means all.
    pub levels: &'static [Level],
    pub topic: &'static str,
    pub keywords: &'static [&'static str],
    pub text: &'static str,
}

impl Entry {
    pub(crate) fn suits(&self, level: Level) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }

    /// The placeholders the text and topic use, e.g. `skill:database`, `company`.
    pub(crate) fn placeholders(&self) -> Vec<&'static str> {
        let mut out = placeholders(self.text);
        for p in placeholders(self.topic) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// A role family: the phrases that select it and the skills it cares about.
#[derive(Debug)]
pub(crate) struct Family {
    pub id: &'static str,
    pub aliases: &'static [&'static str],
    pub skills: &'static [&'static str],
    /// Taxonomy categories of skills that matter for this family.
    pub categories: &'static [&'static str],
    pub fallback: Option<&'static str>,
}

/// A claim that is wrong when stated without negation: the parts must appear in
/// this order within one sentence.
#[derive(Debug)]
pub(crate) struct Misconception {
    pub parts: &'static [&'static str],
    pub correction: &'static str,
}

#[derive(Debug)]
pub(crate) struct Bank {
    pub families: &'static [Family],
    pub entries: &'static [Entry],
    pub misconceptions: &'static [Misconception],
}

impl Bank {
    pub(crate) fn family(&self, id: &str) -> Option<&'static Family> {
        self.families.iter().find(|f| f.id == id)
    }

    pub(crate) fn of(
        &self,
        family: &str,
        kind: Kind,
    ) -> impl Iterator<Item = (usize, &'static Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.kind == kind && e.family == family)
    }
}

// `BANK`: the bank as build.rs read it (`bank_source`).
include!(concat!(env!("OUT_DIR"), "/bank_snapshot.rs"));

pub(crate) fn bank() -> &'static Bank {
    &BANK
}

/// Split a template into literal pieces around its placeholders.
fn pieces(template: &str) -> (Vec<&str>, Vec<&str>) {
    let mut literals = Vec::new();
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest.get(open..).and_then(|r| r.find('}')).map(|c| c + open) else {
            break;
        };
        literals.push(rest.get(..open).unwrap_or_default());
        names.push(rest.get(open + 1..close).unwrap_or_default());
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    literals.push(rest);
    (literals, names)
}

/// The placeholder values if `text` is `template` filled in.
pub(crate) fn matches_template(template: &str, text: &str) -> Option<Vec<(String, String)>> {
    let (literals, names) = pieces(template);
    let first = literals.first()?;
    let mut rest = text.strip_prefix(first)?;
    let mut values = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let next = literals.get(i + 1)?;
        let is_last = i + 2 == literals.len();
        let at = if is_last {
            rest.len().checked_sub(next.len())?
        } else if next.is_empty() {
            return None;
        } else {
            rest.find(next)?
        };
        let value = rest.get(..at)?;
        if value.is_empty() || (is_last && !rest.ends_with(next)) {
            return None;
        }
        values.push(((*name).to_owned(), value.to_owned()));
        rest = rest.get(at + next.len()..)?;
    }
    (names.is_empty() && rest.is_empty() || !names.is_empty()).then_some(values)
}

/// The bank entry whose template, filled in, is `text`, with the filled values.
pub(crate) fn lookup(text: &str) -> Option<(&'static Entry, Vec<(String, String)>)> {
    bank()
        .entries
        .iter()
        .find_map(|e| matches_template(e.text, text).map(|v| (e, v)))
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::bank_source::{SOURCE, parse, parse_pitch};
    use crate::text;

    /// The bank build.rs compiled in is the file as the parser reads it now.
    #[test]
    fn the_compiled_bank_is_the_file() {
        let (want, _) = parse(SOURCE);
        let got = bank();
        assert_eq!(got.families.len(), want.families.len());
        for (g, w) in got.families.iter().zip(&want.families) {
            assert_eq!(g.id, w.id);
            assert_eq!(g.aliases, w.aliases.as_slice(), "{}", w.id);
            assert_eq!(g.skills, w.skills.as_slice(), "{}", w.id);
            assert_eq!(g.categories, w.categories.as_slice(), "{}", w.id);
            assert_eq!(g.fallback, w.fallback.as_deref(), "{}", w.id);
        }
        assert_eq!(got.entries.len(), want.entries.len());
        for (g, w) in got.entries.iter().zip(&want.entries) {
            assert_eq!(
                (g.family, g.kind, g.pitch, g.levels, g.topic, g.text),
                (
                    w.family.as_str(),
                    w.kind,
                    w.pitch,
                    w.levels.as_slice(),
                    w.topic.as_str(),
                    w.text.as_str()
                )
            );
            assert_eq!(g.keywords, w.keywords.as_slice(), "{}", w.text);
        }
        assert_eq!(got.misconceptions.len(), want.misconceptions.len());
        for (g, w) in got.misconceptions.iter().zip(&want.misconceptions) {
            assert_eq!(g.parts, w.parts.as_slice());
            assert_eq!(g.correction, w.correction);
        }
    }

    #[test]
    fn follow_ups_never_open_with_an_acknowledgement() {
        // The interviewer's reply before a follow-up already acknowledges the
        // answer ("Thanks. I have a quick follow-up on that."): a follow-up that
        // thanks again reads as two turns glued together.
        for e in bank().entries.iter().filter(|e| e.kind == Kind::FollowUp) {
            let first = e.text.split_whitespace().next().unwrap_or_default();
            let first = first
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            assert!(
                !matches!(
                    first.as_str(),
                    "thanks" | "thank" | "great" | "okay" | "ok" | "alright" | "nice"
                ),
                "{}",
                e.text
            );
            assert!(!e.text.contains("under the hood"), "{}", e.text);
        }
    }

    #[test]
    fn every_line_of_the_bank_parses() {
        let (_, bad) = parse(SOURCE);
        assert!(bad.is_empty(), "unreadable lines in questions.txt: {bad:?}");
    }

    #[test]
    fn bank_has_at_least_300_questions_across_15_role_families() {
        let b = bank();
        assert!(b.entries.len() >= 300, "{} questions", b.entries.len());
        let roles: Vec<&Family> = b.families.iter().filter(|f| f.id != ANY).collect();
        assert!(roles.len() >= 15, "{} role families", roles.len());
        for f in &roles {
            let n = b.entries.iter().filter(|e| e.family == f.id).count();
            assert!(n >= 12, "family {} has only {n} questions", f.id);
            for d in [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard] {
                assert!(
                    b.of(f.id, Kind::Technical)
                        .any(|(_, e)| e.pitch == Pitch::Fixed(d)),
                    "family {} has no {d:?} technical question",
                    f.id
                );
            }
            assert!(b.of(f.id, Kind::Technical).count() >= 10, "{}", f.id);
            assert!(b.of(f.id, Kind::Scenario).count() >= 4, "{}", f.id);
        }
    }

    #[test]
    fn no_two_questions_share_a_text() {
        let mut seen = HashSet::new();
        for e in bank().entries {
            assert!(seen.insert(e.text.to_lowercase()), "duplicate: {}", e.text);
        }
    }

    #[test]
    fn every_question_has_keywords_and_ends_as_a_question() {
        for e in bank().entries {
            assert!(e.keywords.len() >= 3, "too few keywords: {}", e.text);
            assert!(
                e.text.ends_with('?') || e.text.ends_with('.'),
                "no end: {}",
                e.text
            );
            assert!(!e.text.contains("  "), "double space: {}", e.text);
        }
    }

    #[test]
    fn fallbacks_and_families_exist() {
        let b = bank();
        let ids: HashSet<&str> = b.families.iter().map(|f| f.id).collect();
        for f in b.families {
            if let Some(fb) = f.fallback {
                assert!(ids.contains(fb), "{} falls back to {fb}", f.id);
            }
        }
        for e in b.entries {
            assert!(ids.contains(e.family));
        }
    }

    #[test]
    fn aliases_belong_to_one_family() {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for f in bank().families {
            for a in f.aliases {
                let key = text::normalize(a);
                if let Some(prev) = owner.insert(key.clone(), f.id) {
                    panic!("alias {key:?} in both {prev} and {}", f.id);
                }
            }
        }
    }

    #[test]
    fn kinds_needed_by_every_plan_exist_for_any() {
        let b = bank();
        for kind in [
            Kind::Intro,
            Kind::Closing,
            Kind::Project,
            Kind::Experience,
            Kind::Resume,
            Kind::Skill,
            Kind::Behavioral,
            Kind::Scenario,
        ] {
            assert!(b.of(ANY, kind).count() >= 4, "{kind:?}");
        }
        // Without a name, a company or anything else from the resume there is
        // still an introduction and a closing to ask.
        for kind in [Kind::Intro, Kind::Closing] {
            assert!(
                b.of(ANY, kind)
                    .any(|(_, e)| e.placeholders().iter().all(|p| *p == "role"))
            );
        }
        assert!(b.misconceptions.len() >= 15);
    }

    #[test]
    fn pitch_with_levels_parses() {
        assert_eq!(
            parse_pitch("hard@mid+senior"),
            Some((
                Pitch::Fixed(Difficulty::Hard),
                vec![Level::Mid, Level::Senior]
            ))
        );
        assert_eq!(parse_pitch("*"), Some((Pitch::ByLevel, vec![])));
        assert_eq!(parse_pitch("hard@boss"), None);
        assert_eq!(parse_pitch("trivial"), None);
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(
            placeholders("At {company}, {skill:database} and {company} {x"),
            vec!["company", "skill:database"]
        );
    }
}
