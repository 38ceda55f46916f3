//! Reads the skills table (`data/skills.tsv`) at build time with the crate's
//! own parser (`src/taxonomy_table.rs`, `src/taxonomy_atoms.rs`, included
//! below) and writes it as static data (`$OUT_DIR/taxonomy_snapshot.rs`): the
//! skills, their categories and a perfect-hash map from every name's match key
//! to its slot (rehearse-strmap: plain numbers, nothing for the loader to
//! relocate), so no cold start builds a map of ~4,000 keys. The crate's tests
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
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    // Every slot's prose rules in one array, every exact surface in one string:
    // the map's values are indexes into them (no pointers, see rehearse-strmap).
    let mut prose = String::new();
    let mut prose_len = 0usize;
    let mut surfaces = String::new();
    let mut entries: Vec<(&str, String)> = Vec::new();
    for (key, slot) in &table.names {
        let start = prose_len;
        for p in &slot.prose {
            let item = match p {
                TableProse::AnyCase => "Prose::AnyCase".to_owned(),
                TableProse::Never => "Prose::Never".to_owned(),
                TableProse::Exact(s) => {
                    let at = surfaces.len();
                    surfaces.push_str(s);
                    format!("Prose::Exact({at}, {})", surfaces.len())
                }
            };
            let _ = write!(prose, "{item}, ");
            prose_len += 1;
        }
        entries.push((
            key.as_str(),
            format!(
                "Slot {{ skill: {:?}, prose: ({start}, {prose_len}), extends: {} }}",
                slot.skill, slot.extends
            ),
        ));
    }
    let names = rehearse_strmap::codegen::map("NAMES", "Slot", &entries, &out_dir)
        .unwrap_or_else(|e| panic!("writing the taxonomy map: {e}"));
    rehearse_strmap::codegen::write_if_changed(&out_dir.join("surfaces.txt"), surfaces.as_bytes())
        .unwrap_or_else(|e| panic!("writing surfaces.txt: {e}"));
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
    code.push_str(&names);
    let _ = writeln!(code, "static PROSE: &[Prose] = &[{prose}];");
    let _ = writeln!(
        code,
        "static SURFACES: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/surfaces.txt\"));"
    );
    rehearse_strmap::codegen::write_if_changed(
        &out_dir.join("taxonomy_snapshot.rs"),
        code.as_bytes(),
    )
    .unwrap_or_else(|e| panic!("writing taxonomy_snapshot.rs: {e}"));
}
