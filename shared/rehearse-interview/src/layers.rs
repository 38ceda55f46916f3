//! The crate's modules form layers: each uses only modules listed before it in
//! [`ORDER`], so nothing points back up and no two modules depend on each other.
//! `model` (the engine's values) comes first and uses nothing of the crate.
//!
//! To see the graph: `cargo test -p rehearse-interview --lib layers -- --nocapture`
//! prints every module with the crate modules it uses.

use std::collections::BTreeSet;
use std::path::Path;

/// Every module of `src/` but `lib.rs` (the API on top of them all), lowest first.
const ORDER: &[&str] = &[
    // Foundations.
    "model",
    "rng",
    "text",
    "places_dates",
    "prototypes",
    // Data: the question bank, the knowledge base, skills and categories.
    "bank_source",
    "bank",
    "categorize",
    "knowledge_source",
    "knowledge",
    "skills",
    // Planning: role families, what the resume says, the plan.
    "roles",
    "facts",
    "repetition",
    "slots",
    "generate",
    // Scoring: what an answer contains and means, the rubric and its words.
    "quote",
    "style",
    "features",
    "semantic",
    "non_answer",
    "rules",
    "advice",
    "score",
    // Conversation: replies, follow-ups, the summary, the live session.
    "reply",
    "followup",
    "summary",
    "session",
    // Practice: a user's weak areas across sessions and the next interview.
    "practice",
    // The hand-graded check.
    "grading",
];

/// What `crate::x` names when `x` is not a module: an item of the crate root.
const ROOT: &str = "the crate root";

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    s.get(..end).unwrap_or("")
}

/// The top-level names of a `{a, b::c, d::{e, f}}` group (after its `{`).
fn group(s: &str) -> Vec<&str> {
    let mut names = vec![ident(s.trim_start())];
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => names.push(ident(s.get(i + 1..).unwrap_or("").trim_start())),
            _ => {}
        }
    }
    names
}

/// The crate modules a source file names (`crate::m::x`, `crate::{m, n}`),
/// comments left out.
fn uses(source: &str) -> BTreeSet<&'static str> {
    let code: String = source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    let marker = "crate::";
    for (i, _) in code.match_indices(marker) {
        let rest = code.get(i + marker.len()..).unwrap_or("");
        let name = ident(rest);
        // `crate::generate(...)` calls the root's function, not the module.
        let called = rest.get(name.len()..).is_some_and(|r| r.starts_with('('));
        let names = match rest.strip_prefix('{') {
            Some(g) => group(g),
            None if called => vec![ROOT],
            None => vec![name],
        };
        for n in names.into_iter().filter(|n| !n.is_empty()) {
            out.insert(ORDER.iter().copied().find(|m| *m == n).unwrap_or(ROOT));
        }
    }
    out
}

#[test]
#[allow(clippy::print_stdout)] // the graph, for `--nocapture`
fn modules_use_only_modules_listed_before_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".rs").map(str::to_owned))
        .filter(|m| m != "lib" && m != "layers")
        .collect();
    files.sort();
    let mut listed: Vec<String> = ORDER.iter().map(|m| (*m).to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed, "every module of src/ has its place in ORDER");
    let mut wrong = Vec::new();
    for (at, module) in ORDER.iter().enumerate() {
        let source = std::fs::read_to_string(src.join(format!("{module}.rs"))).unwrap();
        let mut used = uses(&source);
        used.remove(module);
        println!(
            "{module:<12} -> {}",
            used.iter().copied().collect::<Vec<_>>().join(", ")
        );
        for u in used {
            if !ORDER[..at].contains(&u) {
                wrong.push(format!("{module} uses {u}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a module may use only modules listed before it in ORDER: {wrong:?}"
    );
}

#[test]
fn uses_reads_paths_groups_and_root_items() {
    let source = "use crate::model::{Category, Question};\n\
                  use crate::{followup, score::assess};\n\
                  use crate::text::{\n    self,\n    Token,\n};\n\
                  // crate::session is only mentioned\n\
                  let q = crate::generate(resume, ctx, 10, 1);";
    let got: Vec<&str> = uses(source).into_iter().collect();
    assert_eq!(got, ["followup", "model", "score", "text", ROOT]);
}
