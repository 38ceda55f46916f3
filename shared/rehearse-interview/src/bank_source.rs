//! The question bank's text format (`data/questions.txt`) read into owned
//! values, and what is derived from it.
//!
//! The engine does not run this parser: `build.rs` includes this file (with
//! `model.rs` and `text.rs`), reads the bank with it at build time and writes
//! it as static data the engine reads in place (`bank.rs`), so no cold start
//! parses a thousand questions (~0.9 ms on one core when it did). The tests
//! run it to report malformed lines and to check the compiled bank.
//!
//! Format (see the head of the file): `@family <id>` opens a family block with
//! `@name`, `@aliases`, `@skills`, `@categories` and `@fallback` lines; then one
//! question per line, `kind | difficulty[@levels] | topic | keywords | text`.
//! `@misconceptions` opens the list of `pattern | correction` lines.

use std::collections::BTreeSet;

use crate::model::{Difficulty, Level};
use crate::text;

pub(crate) const SOURCE: &str = include_str!("../data/questions.txt");

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
    pub(crate) fn parse(s: &str) -> Option<Self> {
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
pub(crate) struct SourceEntry {
    pub family: String,
    pub kind: Kind,
    pub pitch: Pitch,
    /// Levels the question suits; empty means all.
    pub levels: Vec<Level>,
    pub topic: String,
    pub keywords: Vec<String>,
    pub text: String,
}

impl SourceEntry {
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
pub(crate) struct SourceFamily {
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
pub(crate) struct SourceMisconception {
    pub parts: Vec<String>,
    pub correction: String,
}

#[derive(Debug, Default)]
pub(crate) struct SourceBank {
    pub families: Vec<SourceFamily>,
    pub entries: Vec<SourceEntry>,
    pub misconceptions: Vec<SourceMisconception>,
}

/// The stems of the technical and professional vocabulary the bank's keywords
/// and its families' skills use, without the few that every answer says
/// ("team", "data", "system"). `build.rs` computes it once, for the scorer.
pub(crate) fn vocabulary(b: &SourceBank) -> BTreeSet<String> {
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

pub(crate) fn known_placeholder(p: &str) -> bool {
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

pub(crate) fn parse_pitch(s: &str) -> Option<(Pitch, Vec<Level>)> {
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
pub(crate) fn parse(source: &str) -> (SourceBank, Vec<usize>) {
    let mut bank = SourceBank::default();
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
                    bank.families.push(SourceFamily {
                        id: value.to_owned(),
                        name: value.to_owned(),
                        ..SourceFamily::default()
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
                    bank.misconceptions.push(SourceMisconception {
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
                    (Some(kind), Some((pitch, levels))) => Some(SourceEntry {
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
