//! Derives at build time what a scoring function would otherwise build at every
//! cold start (~20 ms on one core when it did), as static data in `$OUT_DIR`:
//! - the knowledge base (`data/knowledge*.txt`) parsed, with every `@ask`
//!   wording's embedding (`knowledge_snapshot.rs`, `ask_embeddings.bin`);
//! - the centroids of the prototype sentence lists (`centroids.rs`, `.bin`);
//! - the question bank (`data/questions.txt`) parsed (`bank_snapshot.rs`);
//! - the scorer's technical vocabulary from the question bank, as a
//!   perfect-hash set (`vocabulary.rs`, rehearse-strmap).
//!
//! The code is the crate's own (its modules included below), the embedding the
//! same `rehearse-embed` the engine runs; the crate's tests check every
//! snapshot against what the engine computes now, bit for bit.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/text.rs"]
mod text;

#[allow(dead_code)]
#[path = "src/model.rs"]
mod model;

#[allow(dead_code)]
#[path = "src/bank_source.rs"]
mod bank_source;

#[allow(dead_code)]
#[path = "src/prototypes.rs"]
mod prototypes;

#[allow(dead_code)]
#[path = "src/knowledge_source.rs"]
mod knowledge_source;

use knowledge_source::{SourcePattern, SourceTopic};

const FILES: [(&str, bool); 2] = [
    ("data/knowledge.txt", false),
    ("data/knowledge-scenarios.txt", true),
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    for input in [
        "src/text.rs",
        "src/model.rs",
        "src/bank_source.rs",
        "src/prototypes.rs",
        "src/knowledge_source.rs",
        "data/questions.txt",
        FILES[0].0,
        FILES[1].0,
    ] {
        println!("cargo:rerun-if-changed={}", manifest.join(input).display());
    }
    // The `@ask` rows are embedded with the table this names (rehearse-embed).
    println!("cargo:rerun-if-env-changed=REHEARSE_EMBEDDING_TABLE");
    let mut topics: Vec<(SourceTopic, bool)> = Vec::new();
    for (file, practice) in FILES {
        let path = manifest.join(file);
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        // Unreadable lines are skipped, as they always were at run time; the
        // unit tests report them (as they do the bank's and the taxonomy's).
        let (parsed, _) = knowledge_source::parse(&source);
        topics.extend(parsed.into_iter().map(|t| (t, practice)));
    }
    let dim = match rehearse_embed::model() {
        Some(m) => m.dim(),
        None => panic!("the embedding table did not load (rehearse-embed)"),
    };
    write_snapshot(&topics, dim, &out);
    write_centroids(&out);
    // Malformed lines are skipped, as they always were at run time; the bank's
    // tests report them.
    let (bank, _) = bank_source::parse(bank_source::SOURCE);
    write_bank(&bank, &out);
    write_vocabulary(&bank, &out);
}

fn write_centroids(out: &Path) {
    let mut rows: Vec<u8> = Vec::new();
    let mut dim = 0;
    for list in prototypes::centroid_lists() {
        let embs: Vec<_> = list.iter().map(|s| rehearse_embed::embed(s)).collect();
        let c = rehearse_embed::Embedding::mean(embs.iter());
        assert!(!c.is_empty(), "no known word in {list:?}");
        dim = c.as_slice().len();
        rows.extend(c.to_le_bytes());
    }
    write_if_changed(&out.join("centroids.bin"), &rows);
    let code = format!(
        "const CENTROID_DIM: usize = {dim};
         static CENTROIDS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/centroids.bin\"));
"
    );
    write_if_changed(&out.join("centroids.rs"), code.as_bytes());
}

fn write_bank(b: &bank_source::SourceBank, out: &Path) {
    let families = b
        .families
        .iter()
        .map(|f| {
            format!(
                "Family {{ id: {:?}, aliases: {}, skills: {}, categories: {}, fallback: {:?} }}",
                f.id,
                strs(&f.aliases),
                strs(&f.skills),
                strs(&f.categories),
                f.fallback
            )
        })
        .collect::<Vec<_>>()
        .join(",\n    ");
    let entries = b
        .entries
        .iter()
        .map(|e| {
            let pitch = match e.pitch {
                bank_source::Pitch::Fixed(d) => format!("Pitch::Fixed(Difficulty::{d:?})"),
                bank_source::Pitch::ByLevel => "Pitch::ByLevel".to_owned(),
            };
            let levels = e
                .levels
                .iter()
                .map(|l| format!("Level::{l:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "Entry {{ family: {:?}, kind: Kind::{:?}, pitch: {pitch}, levels: &[{levels}], topic: {:?}, keywords: {}, text: {:?} }}",
                e.family,
                e.kind,
                e.topic,
                strs(&e.keywords),
                e.text
            )
        })
        .collect::<Vec<_>>()
        .join(",\n    ");
    let misconceptions = b
        .misconceptions
        .iter()
        .map(|m| {
            format!(
                "Misconception {{ parts: {}, correction: {:?} }}",
                strs(&m.parts),
                m.correction
            )
        })
        .collect::<Vec<_>>()
        .join(",\n    ");
    let code = format!(
        "static BANK: Bank = Bank {{\n  families: &[\n    {families}\n  ],\n  entries: &[\n    {entries}\n  ],\n  misconceptions: &[\n    {misconceptions}\n  ],\n}};\n"
    );
    write_if_changed(&out.join("bank_snapshot.rs"), code.as_bytes());
}

fn write_vocabulary(b: &bank_source::SourceBank, out: &Path) {
    let stems = bank_source::vocabulary(b);
    let entries: Vec<(&str, String)> = stems
        .iter()
        .map(|s| (s.as_str(), "()".to_owned()))
        .collect();
    let code = rehearse_strmap::codegen::map("VOCABULARY", "()", &entries, out)
        .unwrap_or_else(|e| panic!("writing the vocabulary: {e}"));
    write_if_changed(&out.join("vocabulary.rs"), code.as_bytes());
}

/// The knowledge base as `knowledge.rs` reads it: one text and arrays of
/// plain numbers (`Txt` byte ranges, `Run`s of an array), no pointers.
#[derive(Default)]
struct Store {
    text: String,
    /// Each distinct text once.
    at: HashMap<String, (usize, usize)>,
    words: Vec<String>,
    slots: Vec<(usize, usize)>,
    parts: Vec<(usize, usize)>,
    texts: Vec<(usize, usize)>,
    patterns: Vec<(usize, usize)>,
    keys: Vec<String>,
    wrongs: Vec<String>,
}

impl Store {
    /// The byte range of `s` in `text` (added the first time).
    fn range(&mut self, s: &str) -> (usize, usize) {
        if let Some(&r) = self.at.get(s) {
            return r;
        }
        let r = (self.text.len(), self.text.len() + s.len());
        self.text.push_str(s);
        self.at.insert(s.to_owned(), r);
        r
    }

    fn txt(&mut self, s: &str) -> String {
        let (a, b) = self.range(s);
        format!("Txt({a}, {b})")
    }

    /// A run of `texts` holding `items`, in order.
    fn list<'a>(&mut self, items: impl IntoIterator<Item = &'a String>) -> String {
        let start = self.texts.len();
        for s in items {
            let r = self.range(s);
            self.texts.push(r);
        }
        format!("Run({start}, {})", self.texts.len())
    }

    /// The pattern's run of `parts`.
    fn pattern(&mut self, p: &SourcePattern) -> (usize, usize) {
        let first_part = self.parts.len();
        for part in &p.0 {
            let first_slot = self.slots.len();
            for slot in part {
                let first_word = self.words.len();
                for (w, prefix) in slot {
                    let t = self.txt(w);
                    let kind = if *prefix { "Prefix" } else { "Exact" };
                    self.words.push(format!("WordPat::{kind}({t})"));
                }
                self.slots.push((first_word, self.words.len()));
            }
            self.parts.push((first_slot, self.slots.len()));
        }
        (first_part, self.parts.len())
    }
}

fn runs(list: &[(usize, usize)], wrap: &str) -> String {
    list.iter()
        .map(|(a, b)| format!("{wrap}({a}, {b}), "))
        .collect()
}

fn write_snapshot(topics: &[(SourceTopic, bool)], dim: usize, out: &Path) {
    let mut rows: Vec<u8> = Vec::new();
    let mut store = Store::default();
    let mut code = String::new();
    let mut first_ask = 0;
    let _ = writeln!(code, "static TOPICS: [Topic; {}] = [", topics.len());
    for (t, practice) in topics {
        for ask in &t.asks {
            let e = rehearse_embed::embed(ask);
            // A wording with no known token has no embedding: zeros, whose cosine
            // with anything is 0, as the empty embedding's is (one row per
            // `@ask` either way; the tests refuse such a wording).
            if e.as_slice().len() == dim {
                rows.extend(e.to_le_bytes());
            } else {
                rows.extend(std::iter::repeat_n(0u8, dim * 4));
            }
        }
        let first_key = store.keys.len();
        for k in &t.keys {
            let text = store.txt(&k.text);
            let first_cue = store.patterns.len();
            for c in &k.cues {
                let run = store.pattern(c);
                store.patterns.push(run);
            }
            let cues = format!("Run({first_cue}, {})", store.patterns.len());
            store
                .keys
                .push(format!("KeyPoint {{ text: {text}, cues: {cues} }}"));
        }
        let first_wrong = store.wrongs.len();
        for w in &t.wrongs {
            let (a, b) = store.pattern(&w.pattern);
            let correction = store.txt(&w.correction);
            store.wrongs.push(format!(
                "Wrong {{ pattern: Pattern {{ parts: Run({a}, {b}) }}, correction: {correction} }}"
            ));
        }
        let id = store.txt(&t.id);
        let asks = store.list(&t.asks);
        let ask_stems = store.list(&t.ask_stems());
        let id_stems = store.list(&t.id_stems());
        let wrong_examples = store.list(&t.wrong_examples);
        let right_examples = store.list(&t.right_examples);
        let _ = writeln!(
            code,
            "    Topic {{ id: {id}, practice: {practice}, asks: {asks}, first_ask: {first_ask}, \
             ask_stems: {ask_stems}, id_stems: {id_stems}, keys: Run({first_key}, {}), \
             wrongs: Run({first_wrong}, {}), wrong_examples: {wrong_examples}, \
             right_examples: {right_examples}, embedded: OnceLock::new() }},",
            store.keys.len(),
            store.wrongs.len(),
        );
        first_ask += t.asks.len();
    }
    code.push_str("];\n");
    let _ = writeln!(
        code,
        "static KEYS: &[KeyPoint] = &[{}];",
        store.keys.join(", ")
    );
    let _ = writeln!(
        code,
        "static WRONGS: &[Wrong] = &[{}];",
        store.wrongs.join(", ")
    );
    let patterns: String = store
        .patterns
        .iter()
        .map(|(a, b)| format!("Pattern {{ parts: Run({a}, {b}) }}, "))
        .collect();
    let _ = writeln!(code, "static PATTERNS: &[Pattern] = &[{patterns}];");
    let _ = writeln!(
        code,
        "static KB_WORDS: &[WordPat] = &[{}];",
        store.words.join(", ")
    );
    let _ = writeln!(
        code,
        "static KB_SLOTS: &[Run] = &[{}];",
        runs(&store.slots, "Run")
    );
    let _ = writeln!(
        code,
        "static KB_PARTS: &[Run] = &[{}];",
        runs(&store.parts, "Run")
    );
    let _ = writeln!(
        code,
        "static KB_TEXTS: &[Txt] = &[{}];",
        runs(&store.texts, "Txt")
    );
    let _ = writeln!(
        code,
        "static KB_TEXT: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/knowledge_text.txt\"));"
    );
    let _ = writeln!(code, "const ASK_DIM: usize = {dim};");
    let _ = writeln!(
        code,
        "static ASK_EMBEDDINGS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/ask_embeddings.bin\"));"
    );
    write_if_changed(&out.join("knowledge_text.txt"), store.text.as_bytes());
    write_if_changed(&out.join("ask_embeddings.bin"), &rows);
    write_if_changed(&out.join("knowledge_snapshot.rs"), code.as_bytes());
}

fn strs(list: &[String]) -> String {
    format!(
        "&[{}]",
        list.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn write_if_changed(path: &Path, bytes: &[u8]) {
    rehearse_strmap::codegen::write_if_changed(path, bytes)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
