//! The question bank (`data/questions.txt`): every question the engine can ask,
//! the role families with the phrases that select them, and known misconceptions.
//! It is data, not code, so an interviewer can extend it without touching the
//! engine; it is compiled in and parsed once per process. A malformed line is
//! skipped at run time and reported by the unit tests, so a bad edit fails CI
//! instead of a cold start.
//!
//! Format (see the head of the file): `@family <id>` opens a family block with
//! `@name`, `@aliases`, `@skills`, `@categories` and `@fallback` lines; then one
//! question per line, `kind | difficulty[@levels] | topic | keywords | text`.
//! `@misconceptions` opens the list of `pattern | correction` lines.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::model::{Difficulty, Level};
use crate::text;

pub(crate) const SOURCE: &str = include_str!("../data/questions.txt");

/// The family whose questions fit every role (introductions, resume questions,
/// behavioral and general scenario questions).
pub(crate) const ANY: &str = "any";

/// What a question is for; decides where it may be used in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Intro,
    Closing,
    Project,
    Experience,
    Resume,
    /// A technical question about one of the candidate's own skills.
    Skill,
    Technical,
    Scenario,
    Behavioral,
    /// A follow-up on a thin answer; its topic names the reason (`example`,
    /// `depth`, `star_action`...).
    FollowUp,
}

impl Kind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "intro" => Self::Intro,
            "closing" => Self::Closing,
            "project" => Self::Project,
            "experience" => Self::Experience,
            "resume" => Self::Resume,
            "skill" => Self::Skill,
            "technical" => Self::Technical,
            "scenario" => Self::Scenario,
            "behavioral" => Self::Behavioral,
            "followup" => Self::FollowUp,
            _ => return None,
        })
    }
}

/// How hard a question is: fixed, or pitched at the interview's level (questions
/// about the candidate's own work are as hard as the follow-through expected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pitch {
    Fixed(Difficulty),
    ByLevel,
}

impl Pitch {
    pub(crate) fn at(self, level: Level) -> Difficulty {
        match self {
            Self::Fixed(d) => d,
            Self::ByLevel => match level {
                Level::Fresher => Difficulty::Easy,
                Level::Junior | Level::Mid => Difficulty::Medium,
                Level::Senior => Difficulty::Hard,
            },
        }
    }
}

/// One question template.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub family: String,
    pub kind: Kind,
    pub pitch: Pitch,
    /// Levels the question suits; empty means all.
    pub levels: Vec<Level>,
    pub topic: String,
    pub keywords: Vec<String>,
    pub text: String,
}

impl Entry {
    pub(crate) fn suits(&self, level: Level) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }

    /// The placeholders the text and topic use, e.g. `skill:database`, `company`.
    pub(crate) fn placeholders(&self) -> Vec<&str> {
        let mut out = placeholders(&self.text);
        for p in placeholders(&self.topic) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// A role family: the phrases that select it and the skills it cares about.
#[derive(Debug, Clone, Default)]
pub(crate) struct Family {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub skills: Vec<String>,
    /// Taxonomy categories of skills that matter for this family.
    pub categories: Vec<String>,
    pub fallback: Option<String>,
}

/// A claim that is wrong when stated without negation: the parts must appear in
/// this order within one sentence.
#[derive(Debug, Clone)]
pub(crate) struct Misconception {
    pub parts: Vec<String>,
    pub correction: String,
}

#[derive(Debug, Default)]
pub(crate) struct Bank {
    pub families: Vec<Family>,
    pub entries: Vec<Entry>,
    pub misconceptions: Vec<Misconception>,
}

impl Bank {
    pub(crate) fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    pub(crate) fn of(&self, family: &str, kind: Kind) -> impl Iterator<Item = (usize, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.kind == kind && e.family == family)
    }
}

static BANK: LazyLock<Bank> = LazyLock::new(|| parse(SOURCE).0);

/// The stems of the technical and professional vocabulary the bank's keywords
/// and its families' skills use, without the few that every answer says
/// ("team", "data", "system"). `build.rs` computes it once, for the scorer.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn vocabulary(b: &Bank) -> BTreeSet<String> {
    let generic: BTreeSet<String> = [
        "user", "team", "time", "work", "data", "system", "problem", "change", "good", "new",
        "make", "people", "thing", "way",
    ]
    .iter()
    .map(|w| text::stem(w))
    .collect();
    let mut v = BTreeSet::new();
    for e in &b.entries {
        if matches!(
            e.kind,
            Kind::Technical | Kind::Skill | Kind::Scenario | Kind::Project
        ) {
            for k in &e.keywords {
                for t in text::tokens(k) {
                    if !text::is_stopword(&t.norm) && t.norm.len() > 2 && !generic.contains(&t.stem)
                    {
                        v.insert(t.stem);
                    }
                }
            }
        }
    }
    for f in &b.families {
        for s in &f.skills {
            for t in text::tokens(s) {
                if !text::is_stopword(&t.norm) && t.norm.len() > 1 {
                    v.insert(t.stem);
                }
            }
        }
    }
    v
}

pub(crate) fn bank() -> &'static Bank {
    &BANK
}

/// The names inside `{...}` in `text`, in order of first use.
pub(crate) fn placeholders(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else { break };
        let name = after.get(..close).unwrap_or_default();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out
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
        .find_map(|e| matches_template(&e.text, text).map(|v| (e, v)))
}

/// Placeholders a template may use.
pub(crate) const KNOWN_PLACEHOLDERS: &[&str] = &[
    "name",
    "role",
    "skill",
    "skill2",
    "company",
    "title",
    "project",
    "project_tech",
    "claim",
    "school",
    "field",
    "target_company",
    // Follow-ups only: a phrase of the answer, and the topic of the question.
    "quote",
    "topic",
];

fn known_placeholder(p: &str) -> bool {
    KNOWN_PLACEHOLDERS.contains(&p) || p.strip_prefix("skill:").is_some_and(|c| !c.is_empty())
}

fn parse_level(s: &str) -> Option<Level> {
    Some(match s {
        "fresher" => Level::Fresher,
        "junior" => Level::Junior,
        "mid" => Level::Mid,
        "senior" => Level::Senior,
        _ => return None,
    })
}

fn parse_pitch(s: &str) -> Option<(Pitch, Vec<Level>)> {
    let (d, levels) = match s.split_once('@') {
        Some((d, l)) => (d, Some(l)),
        None => (s, None),
    };
    let pitch = match d.trim() {
        "easy" => Pitch::Fixed(Difficulty::Easy),
        "medium" => Pitch::Fixed(Difficulty::Medium),
        "hard" => Pitch::Fixed(Difficulty::Hard),
        "*" => Pitch::ByLevel,
        _ => return None,
    };
    let levels = match levels {
        None => Vec::new(),
        Some(l) => l
            .split('+')
            .map(|x| parse_level(x.trim()))
            .collect::<Option<Vec<_>>>()?,
    };
    Some((pitch, levels))
}

fn list(s: &str, sep: char) -> Vec<String> {
    s.split(sep)
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The bank and the 1-based numbers of lines that could not be read.
pub(crate) fn parse(source: &str) -> (Bank, Vec<usize>) {
    let mut bank = Bank::default();
    let mut bad = Vec::new();
    let mut family: Option<String> = None;
    let mut in_misconceptions = false;
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(directive) = line.strip_prefix('@') {
            let (key, value) = directive.split_once(' ').unwrap_or((directive, ""));
            let value = value.trim();
            match key {
                "family" if !value.is_empty() => {
                    in_misconceptions = false;
                    family = Some(value.to_owned());
                    bank.families.push(Family {
                        id: value.to_owned(),
                        name: value.to_owned(),
                        ..Family::default()
                    });
                }
                "misconceptions" => {
                    in_misconceptions = true;
                    family = None;
                }
                "name" | "aliases" | "skills" | "categories" | "fallback" => {
                    let Some(f) = family.as_ref().and_then(|_| bank.families.last_mut()) else {
                        bad.push(i + 1);
                        continue;
                    };
                    match key {
                        "name" => f.name = value.to_owned(),
                        "aliases" => f.aliases = list(value, ';'),
                        "skills" => f.skills = list(value, ';'),
                        "categories" => f.categories = list(value, ' '),
                        _ => f.fallback = Some(value.to_owned()).filter(|v| !v.is_empty()),
                    }
                }
                _ => bad.push(i + 1),
            }
            continue;
        }
        if in_misconceptions {
            match line.split_once('|') {
                Some((pattern, correction))
                    if !pattern.trim().is_empty() && !correction.trim().is_empty() =>
                {
                    bank.misconceptions.push(Misconception {
                        parts: list(pattern, '+')
                            .into_iter()
                            .map(|p| text::normalize(&p))
                            .collect(),
                        correction: correction.trim().to_owned(),
                    });
                }
                _ => bad.push(i + 1),
            }
            continue;
        }
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        let entry = match (family.as_ref(), fields.as_slice()) {
            (Some(family), [kind, pitch, topic, keywords, text])
                if !topic.is_empty() && !text.is_empty() =>
            {
                match (Kind::parse(kind), parse_pitch(pitch)) {
                    (Some(kind), Some((pitch, levels))) => Some(Entry {
                        family: family.clone(),
                        kind,
                        pitch,
                        levels,
                        topic: (*topic).to_owned(),
                        keywords: list(keywords, ','),
                        text: (*text).to_owned(),
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        match entry {
            Some(e)
                if e.placeholders().iter().all(|p| known_placeholder(p))
                    && e.text.matches('{').count() == e.text.matches('}').count() =>
            {
                bank.entries.push(e)
            }
            _ => bad.push(i + 1),
        }
    }
    (bank, bad)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

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
                    b.of(&f.id, Kind::Technical)
                        .any(|(_, e)| e.pitch == Pitch::Fixed(d)),
                    "family {} has no {d:?} technical question",
                    f.id
                );
            }
            assert!(b.of(&f.id, Kind::Technical).count() >= 10, "{}", f.id);
            assert!(b.of(&f.id, Kind::Scenario).count() >= 4, "{}", f.id);
        }
    }

    #[test]
    fn no_two_questions_share_a_text() {
        let mut seen = HashSet::new();
        for e in &bank().entries {
            assert!(seen.insert(e.text.to_lowercase()), "duplicate: {}", e.text);
        }
    }

    #[test]
    fn every_question_has_keywords_and_ends_as_a_question() {
        for e in &bank().entries {
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
        let ids: HashSet<&str> = b.families.iter().map(|f| f.id.as_str()).collect();
        for f in &b.families {
            if let Some(fb) = &f.fallback {
                assert!(ids.contains(fb.as_str()), "{} falls back to {fb}", f.id);
            }
        }
        for e in &b.entries {
            assert!(ids.contains(e.family.as_str()));
        }
    }

    #[test]
    fn aliases_belong_to_one_family() {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for f in &bank().families {
            for a in &f.aliases {
                let key = text::normalize(a);
                if let Some(prev) = owner.insert(key.clone(), &f.id) {
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
