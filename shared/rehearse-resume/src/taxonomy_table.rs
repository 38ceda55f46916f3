//! The skills table's text format (`data/skills.tsv`) read into owned values.
//!
//! The engine does not run this parser: `build.rs` includes this file (and
//! `taxonomy_atoms.rs`), reads the table with it at build time and writes it
//! as a perfect-hash map the matcher reads in place (`taxonomy.rs`), so no
//! cold start builds it (~2.8 ms when it did). The tests run it to report a
//! malformed or contradicting line and to check the compiled map.
//!
//! A line: canonical name, category, `|`-separated aliases, `;`-separated
//! flags (`strict`, `cased`, `nocase`, each for all names or `=a|b`), tabs
//! between; `#` comments.

use std::collections::BTreeMap;

use crate::taxonomy_atoms::{Atom, atoms, push_atom};

pub(crate) const SOURCE: &str = include_str!("../data/skills.tsv");

/// The categories a line of the table may name.
pub(crate) const CATEGORIES: &[&str] = &[
    "language",
    "framework",
    "library",
    "database",
    "cloud",
    "devops",
    "tool",
    "data",
    "ml",
    "mobile",
    "testing",
    "security",
    "methodology",
    "design",
    "soft",
    "business",
    "os",
    "protocol",
    "spoken",
    "other",
];

/// The table as parsed: skills by number, and every name and every
/// atom-prefix of a name by its match key.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) skills: Vec<&'static str>,
    pub(crate) categories: Vec<&'static str>,
    pub(crate) names: BTreeMap<String, TableSlot>,
    /// Atoms in the longest name: no match can be longer.
    pub(crate) longest: usize,
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct TableSlot {
    /// The skill whose name has exactly this key.
    pub(crate) skill: Option<usize>,
    /// How each name with this key may match in prose.
    pub(crate) prose: Vec<TableProse>,
    /// A longer name starts with this key, so a scan must keep extending.
    pub(crate) extends: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TableProse {
    AnyCase,
    /// Only with this capitalisation (whitespace and hyphens normalised).
    Exact(String),
    /// Only in a skills section.
    Never,
}

/// Parse the table, with a description of every line that is malformed or
/// contradicts another (the unit tests require none).
pub(crate) fn parse(source: &'static str) -> (Table, Vec<String>) {
    let mut taxonomy = Table::default();
    let mut problems = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        let [canonical, category, rest @ ..] = columns.as_slice() else {
            problems.push(format!("line {line_no}: expected at least two columns"));
            continue;
        };
        if rest.len() > 2 {
            problems.push(format!("line {line_no}: more than four columns"));
            continue;
        }
        if canonical.is_empty() {
            problems.push(format!("line {line_no}: empty canonical name"));
            continue;
        }
        if !CATEGORIES.contains(category) {
            problems.push(format!("line {line_no}: unknown category {category:?}"));
        }
        let mut names = vec![*canonical];
        if let Some(aliases) = rest.first() {
            names.extend(aliases.split('|').map(str::trim).filter(|a| !a.is_empty()));
        }
        let flags =
            Flags::parse(rest.get(1).copied().unwrap_or(""), &names).unwrap_or_else(|problem| {
                problems.push(format!("line {line_no}: {problem}"));
                Flags::default()
            });

        let skill = taxonomy.skills.len();
        taxonomy.skills.push(*canonical);
        taxonomy.categories.push(*category);
        for name in names {
            let name_atoms = atoms(name, false);
            if name_atoms.is_empty() {
                problems.push(format!("line {line_no}: {name:?} has nothing to match"));
                continue;
            }
            taxonomy.longest = taxonomy.longest.max(name_atoms.len());
            let mut key = String::new();
            for (k, atom) in name_atoms.iter().enumerate() {
                push_atom(&mut key, atom, k == 0, true);
                if k + 1 < name_atoms.len() {
                    taxonomy.names.entry(key.clone()).or_default().extends = true;
                }
            }
            let slot = taxonomy.names.entry(key).or_default();
            match slot.skill {
                None => slot.skill = Some(skill),
                Some(other) if other != skill => {
                    let other = taxonomy.skills.get(other).copied().unwrap_or_default();
                    problems.push(format!(
                        "line {line_no}: {name:?} of {canonical:?} is already a name of {other:?}"
                    ));
                    continue;
                }
                Some(_) => {}
            }
            slot.prose.push(flags.prose(name, &name_atoms));
        }
    }
    (taxonomy, problems)
}

/// The fourth column: which names are `strict`, `cased` or `nocase`.
#[derive(Default)]
pub(crate) struct Flags {
    pub(crate) strict: Scope,
    cased: Scope,
    nocase: Scope,
}

#[derive(Default)]
pub(crate) enum Scope {
    #[default]
    Nothing,
    All,
    Only(Vec<&'static str>),
}

impl Scope {
    pub(crate) fn covers(&self, name: &str) -> bool {
        match self {
            Scope::Nothing => false,
            Scope::All => true,
            Scope::Only(names) => names.contains(&name),
        }
    }
}

impl Flags {
    pub(crate) fn parse(column: &'static str, names: &[&'static str]) -> Result<Self, String> {
        let mut flags = Flags::default();
        for flag in column.split(';').map(str::trim).filter(|f| !f.is_empty()) {
            let (kind, scope) = match flag.split_once('=') {
                None => (flag, Scope::All),
                Some((kind, listed)) => {
                    let listed: Vec<&'static str> = listed.split('|').map(str::trim).collect();
                    if let Some(stray) = listed.iter().find(|l| !names.contains(l)) {
                        return Err(format!(
                            "flag {kind} names {stray:?}, not a name of this line"
                        ));
                    }
                    (kind.trim(), Scope::Only(listed))
                }
            };
            let target = match kind {
                "strict" => &mut flags.strict,
                "cased" => &mut flags.cased,
                "nocase" => &mut flags.nocase,
                _ => return Err(format!("unknown flag {kind:?}")),
            };
            if !matches!(target, Scope::Nothing) {
                return Err(format!("flag {kind} given twice"));
            }
            *target = scope;
        }
        Ok(flags)
    }

    fn prose(&self, name: &str, name_atoms: &[Atom<'_>]) -> TableProse {
        if self.strict.covers(name) {
            return TableProse::Never;
        }
        if self.nocase.covers(name) {
            return TableProse::AnyCase;
        }
        // Written in capitals means an acronym: "ML" the skill, not "ml" the unit.
        let acronym = name.chars().any(char::is_uppercase) && !name.chars().any(char::is_lowercase);
        if acronym || self.cased.covers(name) {
            let mut surface = String::new();
            for (n, atom) in name_atoms.iter().enumerate() {
                push_atom(&mut surface, atom, n == 0, false);
            }
            TableProse::Exact(surface)
        } else {
            TableProse::AnyCase
        }
    }
}
