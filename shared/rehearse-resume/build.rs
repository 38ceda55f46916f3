//! Reads the skills table (`data/skills.tsv`) at build time with the crate's
//! own parser (`src/taxonomy_table.rs`, `src/taxonomy_atoms.rs`, included
//! below) and writes it as static data (`$OUT_DIR/taxonomy_snapshot.rs`): the
//! skills, their categories and a perfect-hash map from every name's match key
//! to its slot, so no cold start builds a map of ~4,000 keys. The crate's tests
//! check the compiled map against the parser.

use std::fmt::Write as _;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/taxonomy_atoms.rs"]
mod taxonomy_atoms;

#[allow(dead_code)]
#[path = "src/taxonomy_table.rs"]
mod taxonomy_table;

use taxonomy_table::TableProse;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    for input in [
        "src/taxonomy_atoms.rs",
        "src/taxonomy_table.rs",
        "data/skills.tsv",
    ] {
        println!("cargo:rerun-if-changed={}", manifest.join(input).display());
    }
    // Malformed lines are skipped, as they always were at run time; the unit
    // tests report them.
    let (table, _) = taxonomy_table::parse(taxonomy_table::SOURCE);
    let mut names = phf_codegen::Map::new();
    for (key, slot) in &table.names {
        let prose = slot
            .prose
            .iter()
            .map(|p| match p {
                TableProse::AnyCase => "Prose::AnyCase".to_owned(),
                TableProse::Never => "Prose::Never".to_owned(),
                TableProse::Exact(s) => format!("Prose::Exact({s:?})"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        names.entry(
            key.as_str(),
            format!(
                "Slot {{ skill: {:?}, prose: &[{prose}], extends: {} }}",
                slot.skill, slot.extends
            ),
        );
    }
    let list = |v: &[&str]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut code = String::new();
    let _ = writeln!(code, "static SKILLS: &[&str] = &[{}];", list(&table.skills));
    let _ = writeln!(
        code,
        "static SKILL_CATEGORIES: &[&str] = &[{}];",
        list(&table.categories)
    );
    let _ = writeln!(code, "const LONGEST: usize = {};", table.longest);
    let _ = writeln!(
        code,
        "static NAMES: phf::Map<&'static str, Slot> = {};",
        names.build()
    );
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("taxonomy_snapshot.rs");
    if std::fs::read(&out).is_ok_and(|old| old == code.as_bytes()) {
        return;
    }
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
