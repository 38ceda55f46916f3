//! What a correct answer says: a curated knowledge base of common technical
//! interview topics (`data/knowledge.txt`), each with the questions that ask it,
//! the key points a correct answer makes and the wrong claims candidates make,
//! with the phrasings they use.
//!
//! - A question is matched to a topic by meaning (its embedding against the
//!   topic's `@ask` wordings) and by at least one shared content word, so "the
//!   difference between X and Y" does not match every comparison question.
//! - A key point counts as made when one clause of the answer means it (embedding
//!   similarity) or says one of its `@cue` phrases without negating it.
//! - A wrong claim counts when one clause states its `@wrong` pattern (the parts
//!   in order, no negation from four words before to its end). Embeddings are
//!   not used for this: a static embedding cannot tell "TCP is connectionless"
//!   from "TCP is connection-oriented".
//!
//! The file carries its own examples (`@wrong-example` must be flagged,
//! `@right-example` must not be); the unit tests hold every one.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rehearse_embed::Embedding;

use crate::knowledge_source::content_stems;
use crate::text;

/// Words that make a claim its opposite when they precede or sit inside it.
const NEGATIONS: &[&str] = &[
    "not",
    "never",
    "no",
    "cannot",
    "unlike",
    "myth",
    "misconception",
    "mistake",
    "mistakenly",
    "wrongly",
    "wrong",
    "false",
    "incorrect",
    "neither",
    "nor",
    "contrary",
    "untrue",
    "without",
    // A refusal does not state the practice: "I'd refuse to cherry-pick the
    // range". ("If", "avoid" and "against" do not qualify: "if you use an ORM
    // you're immune", "to avoid missing incidents I'd add more alerts" and "CORS
    // protects against CSRF" all state the claim.)
    "unless",
    "refuse",
    "refused",
    "refusing",
    "rather",
];

/// Words that start a new clause: "X is A whereas Y is B" holds two claims.
/// Commas and colons do not: "an inner join is the widest: it returns all rows"
/// states one claim about the inner join.
const CLAUSE_BREAKS: &[&str] = &[
    "while", "whereas", "but", "unlike", "however", "although", "though", "instead", "except",
    "then",
];

fn negates(word: &str) -> bool {
    word.ends_with("n't") || NEGATIONS.contains(&word)
}

/// A byte range of the knowledge base's text (`Store::text`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Txt(u32, u32);

/// A run of consecutive items of one of the store's arrays, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run(u32, u32);

impl Run {
    fn of<T>(self, all: &[T]) -> &[T] {
        all.get(self.0 as usize..self.1 as usize)
            .unwrap_or_default()
    }

    fn len(self) -> usize {
        self.1.saturating_sub(self.0) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum WordPat {
    Exact(Txt),
    Prefix(Txt),
}

/// Where the knowledge base's words and patterns live, as `build.rs` wrote
/// them: one string and arrays of plain numbers. As `&str`s and nested slices
/// they were ~40,000 pointers the loader relocated at every cold start
/// (~1 MB of relocation entries, ~0.7 MB of pages copied to write them).
#[derive(Debug)]
struct Store {
    text: &'static str,
    /// The alternatives of every pattern word.
    words: &'static [WordPat],
    /// Each pattern word ("slot"): a run of `words`.
    slots: &'static [Run],
    /// Each part of a pattern (consecutive words): a run of `slots`.
    parts: &'static [Run],
    /// Lists of texts (wordings, stems, examples): runs of this.
    texts: &'static [Txt],
}

impl Store {
    fn str(&self, t: Txt) -> &'static str {
        self.text
            .get(t.0 as usize..t.1 as usize)
            .unwrap_or_default()
    }

    fn strs(&self, list: Run) -> impl Iterator<Item = &'static str> + '_ {
        list.of(self.texts).iter().map(|t| self.str(*t))
    }

    fn matches(&self, word: WordPat, w: &str) -> bool {
        match word {
            WordPat::Exact(x) => w == self.str(x),
            WordPat::Prefix(p) => w.starts_with(self.str(p)),
        }
    }

    /// Whether the words of `clause` from `i` on are the part's.
    fn part_at(&self, part: Run, clause: &[String], i: usize) -> bool {
        part.of(self.slots).iter().enumerate().all(|(k, slot)| {
            clause
                .get(i + k)
                .is_some_and(|w| slot.of(self.words).iter().any(|p| self.matches(*p, w)))
        })
    }
}

/// A pattern: a run of the store's parts, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pattern {
    parts: Run,
}

impl Pattern {
    /// Whether the clause states the pattern, not negated.
    fn stated_in(&self, clause: &[String]) -> bool {
        self.stated_in_store(&KB, clause)
    }

    fn stated_in_store(&self, store: &Store, clause: &[String]) -> bool {
        let Some((&first, rest)) = self.parts.of(store.parts).split_first() else {
            return false;
        };
        // Try every start of the first part, so an early negated mention does not
        // hide a later plain one.
        (0..clause.len()).any(|s| {
            if !store.part_at(first, clause, s) {
                return false;
            }
            let mut in_pattern = vec![false; clause.len()];
            in_pattern
                .iter_mut()
                .skip(s)
                .take(first.len())
                .for_each(|f| *f = true);
            let mut at = s + first.len();
            for &part in rest {
                let Some(i) = (at..clause.len()).find(|&i| store.part_at(part, clause, i)) else {
                    return false;
                };
                in_pattern
                    .iter_mut()
                    .skip(i)
                    .take(part.len())
                    .for_each(|f| *f = true);
                at = i + part.len();
            }
            !(s.saturating_sub(4)..at).any(|i| {
                !in_pattern.get(i).copied().unwrap_or(false)
                    && clause.get(i).is_some_and(|w| negates(w))
            })
        })
    }
}

/// The answer's clauses as normalised words: sentences, split at `; ( )` and
/// before the words that start a contrasting or following clause.
pub(crate) fn clauses(answer: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (a, b) in text::sentences(answer) {
        let Some(sentence) = answer.get(a..b) else {
            continue;
        };
        for piece in sentence.split([';', '(', ')']) {
            let mut cur: Vec<String> = Vec::new();
            for t in text::tokens(piece) {
                if CLAUSE_BREAKS.contains(&t.norm.as_str()) && !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push(t.norm);
            }
            if !cur.is_empty() {
                out.push(cur);
            }
        }
    }
    out
}

#[derive(Debug)]
pub(crate) struct KeyPoint {
    text: Txt,
    /// A run of `PATTERNS`.
    cues: Run,
}

impl KeyPoint {
    pub(crate) fn text(&self) -> &'static str {
        KB.str(self.text)
    }

    fn cues(&self) -> &'static [Pattern] {
        self.cues.of(PATTERNS)
    }
}

#[derive(Debug)]
pub(crate) struct Wrong {
    pattern: Pattern,
    correction: Txt,
}

impl Wrong {
    pub(crate) fn correction(&self) -> &'static str {
        KB.str(self.correction)
    }
}

/// A topic as `build.rs` wrote it from the files: read in place, nothing
/// derived at cold start but what a first check of it needs (`embedded`).
/// Texts are ranges of `KB.text`, lists runs of `KB.texts`.
#[derive(Debug)]
pub(crate) struct Topic {
    id: Txt,
    /// From the situational and behavioral file: its wrong patterns are bad
    /// practices, which any answer to such a question may state.
    practice: bool,
    asks: Run,
    /// Row of the first `@ask`'s embedding in `ASK_EMBEDDINGS`; one row each.
    first_ask: u32,
    /// The content stems of the `@ask` wordings, sorted.
    ask_stems: Run,
    /// A run of `KEYS`.
    keys: Run,
    /// A run of `WRONGS`.
    wrongs: Run,
    wrong_examples: Run,
    right_examples: Run,
    /// Embeddings of the key points and examples, made the first time an
    /// answer is checked against this topic (matching needs only the `@ask`s):
    /// a hundred topics' worth at cold start would cost tens of milliseconds.
    embedded: OnceLock<Embedded>,
    /// The content stems of the topic's id, sorted.
    id_stems: Run,
}

#[derive(Debug, Default)]
struct Embedded {
    keys: Vec<Embedding>,
    /// The wrong examples, and what is right (key points and right examples):
    /// a sentence nearer the first is not credited with a key point.
    wrong: Vec<Embedding>,
    right: Vec<Embedding>,
}

// The knowledge base as `build.rs` read it: `TOPICS` (both files, the
// situational one last), `KEYS`, `WRONGS`, `PATTERNS` and the store's arrays
// (`KB_*`), `ASK_EMBEDDINGS` (one little-endian f32 row of `ASK_DIM` per
// `@ask`, in order).
include!(concat!(env!("OUT_DIR"), "/knowledge_snapshot.rs"));

static KB: Store = Store {
    text: KB_TEXT,
    words: KB_WORDS,
    slots: KB_SLOTS,
    parts: KB_PARTS,
    texts: KB_TEXTS,
};

/// Every topic of both files.
pub(crate) fn topics() -> &'static [Topic] {
    &TOPICS
}

impl Topic {
    pub(crate) fn id(&self) -> &'static str {
        KB.str(self.id)
    }

    pub(crate) fn keys(&self) -> &'static [KeyPoint] {
        self.keys.of(KEYS)
    }

    fn wrongs(&self) -> &'static [Wrong] {
        self.wrongs.of(WRONGS)
    }

    /// Cosine of `e` with the `i`th `@ask` wording, as `Embedding::cosine`
    /// computes it (0 when either is empty).
    fn ask_cosine(&self, i: usize, e: &Embedding) -> f32 {
        e.cosine_with_stored(self.ask_row(i))
    }

    /// The `i`th `@ask` wording's stored embedding.
    fn ask_row(&self, i: usize) -> &'static [u8] {
        let at = (self.first_ask as usize + i) * ASK_DIM * 4;
        ASK_EMBEDDINGS.get(at..at + ASK_DIM * 4).unwrap_or_default()
    }

    /// The best cosine of `e` with any of the topic's `@ask` wordings.
    fn nearest_ask(&self, e: &Embedding) -> f32 {
        (0..self.asks.of(KB.texts).len())
            .map(|i| self.ask_cosine(i, e))
            .fold(f32::MIN, f32::max)
    }
}

/// How many of `stems` are in the sorted list `set`.
fn shared_count(stems: &BTreeSet<String>, set: Run) -> usize {
    let set = set.of(KB.texts);
    stems
        .iter()
        .filter(|s| set.binary_search_by(|t| KB.str(*t).cmp(s.as_str())).is_ok())
        .count()
}

/// How close a question must be to a topic's wordings to be about it.
const TOPIC_SIMILARITY: f32 = 0.62;
/// How close a clause must be to a key point to make it.
const KEY_SIMILARITY: f32 = 0.72;

/// The topic a question asks about, if the knowledge base has it: the nearest
/// by meaning among those sharing a content word with it, words shared with the
/// topic's own name and wordings breaking near ties ("how does the event loop
/// work" is the event loop's topic, not `this`'s, though both are JavaScript).
pub(crate) fn topic_of(question: &str, question_embedding: &Embedding) -> Option<TopicMatch> {
    let stems = content_stems(question);
    topics()
        .iter()
        .filter_map(|t| {
            let shared = shared_count(&stems, t.ask_stems);
            if shared == 0 {
                return None;
            }
            let named = shared_count(&stems, t.id_stems);
            let best = t.nearest_ask(question_embedding);
            (best >= TOPIC_SIMILARITY).then_some(TopicMatch {
                topic: t,
                similarity: best,
                shared,
                rank: best + 0.04 * shared.min(4) as f32 + 0.06 * named.min(3) as f32,
            })
        })
        .max_by(|a, b| a.rank.total_cmp(&b.rank))
}

/// A question's topic and how sure the match is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TopicMatch {
    pub(crate) topic: &'static Topic,
    pub(crate) similarity: f32,
    pub(crate) shared: usize,
    rank: f32,
}

impl TopicMatch {
    /// Sure enough to hold an answer to the topic's key points: close in meaning
    /// and sharing more than one content word ("usability test" is not A/B
    /// testing because both say "test").
    pub(crate) fn is_confident(&self) -> bool {
        self.shared >= 2 && (self.similarity >= 0.8 || (self.similarity >= 0.7 && self.shared >= 3))
    }
}

/// The bad practices an answer to a situational or behavioral question states,
/// whichever topic of the situational file they belong to ("I'd patch it directly
/// on the servers", "it was QA's fault"): (the clause, the correction), once each.
pub(crate) fn bad_practices(clauses: &[Vec<String>]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in topics().iter().filter(|t| t.practice) {
        for w in t.wrongs() {
            if out.iter().any(|(_, c)| c == w.correction()) {
                continue;
            }
            if let Some(cl) = clauses.iter().find(|cl| w.pattern.stated_in(cl)) {
                out.push((cl.join(" "), w.correction().to_owned()));
            }
        }
    }
    out
}

/// What an answer says about a topic.
#[derive(Debug, Clone, Default)]
pub(crate) struct Check {
    /// Indexes of the key points made.
    pub(crate) made: Vec<usize>,
    pub(crate) total: usize,
    /// The wrong claims stated (the clause, the correction), once each.
    pub(crate) wrong: Vec<(String, String)>,
    /// Cosine of the whole answer with the centroid of the key points: how
    /// much the answer is about what the topic is about.
    pub(crate) closeness: f32,
}

impl Check {
    pub(crate) fn coverage(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            self.made.len() as f32 / self.total as f32
        }
    }
}

impl Topic {
    fn embedded(&self) -> &Embedded {
        self.embedded.get_or_init(|| {
            let keys: Vec<Embedding> = self
                .keys()
                .iter()
                .map(|k| rehearse_embed::embed(k.text()))
                .collect();
            let right = keys
                .iter()
                .cloned()
                .chain(KB.strs(self.right_examples).map(rehearse_embed::embed))
                .collect();
            Embedded {
                wrong: KB
                    .strs(self.wrong_examples)
                    .map(rehearse_embed::embed)
                    .collect(),
                right,
                keys,
            }
        })
    }

    /// Nearest wrong example and nearest right statement to `e`.
    pub(crate) fn leaning(&self, e: &Embedding) -> (f32, f32) {
        let near = |list: &[Embedding]| list.iter().map(|x| x.cosine(e)).fold(0.0, f32::max);
        let d = self.embedded();
        (near(&d.wrong), near(&d.right))
    }

    pub(crate) fn check(
        &self,
        answer: &Embedding,
        clauses: &[Vec<String>],
        clause_embeddings: &[Embedding],
    ) -> Check {
        let mut check = Check {
            total: self.keys().len(),
            closeness: answer.cosine(&Embedding::mean(self.embedded().keys.iter())),
            ..Check::default()
        };
        // A clause earns a key point by meaning only if it is not nearer to a
        // wrong claim: "overfitting is when the model is too simple" is close to
        // the key point too, by its words.
        let sound: Vec<bool> = clause_embeddings
            .iter()
            .map(|e| {
                let (wrong, right) = self.leaning(e);
                wrong < right + WRONG_MARGIN
            })
            .collect();
        let key_embeddings = &self.embedded().keys;
        for (i, (kp, ke)) in self.keys().iter().zip(key_embeddings).enumerate() {
            let by_cue = kp
                .cues()
                .iter()
                .any(|c| clauses.iter().any(|cl| c.stated_in(cl)));
            let by_meaning = clause_embeddings
                .iter()
                .zip(&sound)
                .any(|(e, ok)| *ok && e.cosine(ke) >= KEY_SIMILARITY);
            if by_cue || by_meaning {
                check.made.push(i);
            }
        }
        for w in self.wrongs() {
            if check.wrong.iter().any(|(_, c)| c == w.correction()) {
                continue;
            }
            if let Some(cl) = clauses.iter().find(|cl| w.pattern.stated_in(cl)) {
                check.wrong.push((cl.join(" "), w.correction().to_owned()));
            }
        }
        check
    }
}

/// How much nearer a clause must be to a known wrong claim than to every right
/// statement of the topic to lose credit for a key point it resembles.
const WRONG_MARGIN: f32 = 0.04;

#[cfg(test)]
fn flagged(sentence: &str) -> bool {
    let cls = clauses(sentence);
    topics()
        .iter()
        .flat_map(|t| t.wrongs())
        .any(|w| cls.iter().any(|c| w.pattern.stated_in(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashSet;

    use crate::knowledge_source::{self, SourcePattern};

    static SOURCE: &str = include_str!("../data/knowledge.txt");
    static SCENARIOS: &str = include_str!("../data/knowledge-scenarios.txt");

    fn to_source(store: &Store, p: &Pattern) -> SourcePattern {
        SourcePattern(
            p.parts
                .of(store.parts)
                .iter()
                .map(|part| {
                    part.of(store.slots)
                        .iter()
                        .map(|slot| {
                            slot.of(store.words)
                                .iter()
                                .map(|w| match *w {
                                    WordPat::Exact(x) => (store.str(x).to_owned(), false),
                                    WordPat::Prefix(x) => (store.str(x).to_owned(), true),
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect(),
        )
    }

    fn n(x: usize) -> u32 {
        u32::try_from(x).unwrap_or(u32::MAX)
    }

    /// A pattern parsed now, in a store of its own laid out as build.rs lays
    /// out the knowledge base's, for the matcher the engine runs.
    fn leaked(src: &str) -> Option<(Store, Pattern)> {
        let p = knowledge_source::parse_pattern(src)?;
        let mut text = String::new();
        let (mut words, mut slots, mut parts) = (Vec::new(), Vec::new(), Vec::new());
        for part in p.0 {
            let first_slot = slots.len();
            for slot in part {
                let first_word = words.len();
                for (w, prefix) in slot {
                    let t = Txt(n(text.len()), n(text.len() + w.len()));
                    text.push_str(&w);
                    words.push(if prefix {
                        WordPat::Prefix(t)
                    } else {
                        WordPat::Exact(t)
                    });
                }
                slots.push(Run(n(first_word), n(words.len())));
            }
            parts.push(Run(n(first_slot), n(slots.len())));
        }
        let pattern = Pattern {
            parts: Run(0, n(parts.len())),
        };
        let store = Store {
            text: text.leak(),
            words: words.leak(),
            slots: slots.leak(),
            parts: parts.leak(),
            texts: &[],
        };
        Some((store, pattern))
    }

    #[test]
    fn every_line_of_the_knowledge_base_parses() {
        let (_, bad) = knowledge_source::parse(SCENARIOS);
        assert!(
            bad.is_empty(),
            "unreadable lines in knowledge-scenarios.txt: {bad:?}"
        );
        let (k, bad) = knowledge_source::parse(SOURCE);
        assert!(bad.is_empty(), "unreadable lines: {bad:?}");
        assert!(k.len() >= 60, "{} topics", k.len());
        let mut ids = HashSet::new();
        for t in topics() {
            assert!(ids.insert(t.id()), "duplicate topic {}", t.id());
            assert!(t.asks.len() > 0 && t.keys().len() >= 2, "{}", t.id());
        }
    }

    /// The snapshot `build.rs` wrote is the files as the parser reads them now,
    /// and each `@ask`'s stored row is the embedding the engine computes for it,
    /// bit for bit (the build script's `rehearse-embed` is built apart from the
    /// engine's, possibly for another machine).
    #[test]
    fn the_compiled_snapshot_is_the_files() {
        let files = [(SOURCE, false), (SCENARIOS, true)];
        let parsed: Vec<_> = files
            .iter()
            .flat_map(|(src, practice)| {
                knowledge_source::parse(src)
                    .0
                    .into_iter()
                    .map(move |t| (t, *practice))
            })
            .collect();
        assert_eq!(parsed.len(), topics().len());
        let mut rows = 0;
        for ((want, practice), got) in parsed.iter().zip(topics()) {
            let strs = |r: Run| KB.strs(r).map(str::to_owned).collect::<Vec<_>>();
            assert_eq!(got.id(), want.id);
            assert_eq!(got.practice, *practice, "{}", want.id);
            assert_eq!(strs(got.asks), want.asks, "{}", want.id);
            assert_eq!(got.first_ask as usize, rows, "{}", want.id);
            rows += want.asks.len();
            let sorted = |r: Run| {
                let v = strs(r);
                assert!(v.windows(2).all(|w| w[0] < w[1]), "{}: not sorted", want.id);
                v.into_iter().collect::<BTreeSet<_>>()
            };
            assert_eq!(sorted(got.ask_stems), want.ask_stems(), "{}", want.id);
            assert_eq!(sorted(got.id_stems), want.id_stems(), "{}", want.id);
            assert_eq!(got.keys().len(), want.keys.len(), "{}", want.id);
            for (g, w) in got.keys().iter().zip(&want.keys) {
                assert_eq!(g.text(), w.text);
                let cues: Vec<_> = g.cues().iter().map(|c| to_source(&KB, c)).collect();
                assert_eq!(cues, w.cues, "{}: {}", want.id, w.text);
            }
            assert_eq!(got.wrongs().len(), want.wrongs.len(), "{}", want.id);
            for (g, w) in got.wrongs().iter().zip(&want.wrongs) {
                assert_eq!(g.correction(), w.correction);
                assert_eq!(to_source(&KB, &g.pattern), w.pattern, "{}", want.id);
            }
            assert_eq!(strs(got.wrong_examples), want.wrong_examples);
            assert_eq!(strs(got.right_examples), want.right_examples);
            for (i, ask) in want.asks.iter().enumerate() {
                let e = rehearse_embed::embed(ask);
                assert_eq!(e.as_slice().len(), ASK_DIM, "{ask}");
                let row = Embedding::from_le_bytes(got.ask_row(i));
                assert!(
                    row.as_slice().len() == ASK_DIM
                        && row
                            .as_slice()
                            .iter()
                            .zip(e.as_slice())
                            .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{}: the stored embedding of {ask:?} is not the engine's",
                    want.id
                );
                let q = rehearse_embed::embed("How does a hash map handle collisions?");
                assert_eq!(got.ask_cosine(i, &q).to_bits(), e.cosine(&q).to_bits());
            }
        }
        assert_eq!(ASK_EMBEDDINGS.len(), rows * ASK_DIM * 4);
    }

    #[test]
    fn wrong_examples_are_flagged_and_right_examples_are_not() {
        let mut missed = Vec::new();
        let mut false_alarms = Vec::new();
        for t in topics() {
            for ex in KB.strs(t.wrong_examples) {
                let cls = clauses(ex);
                if !t
                    .wrongs()
                    .iter()
                    .any(|w| cls.iter().any(|c| w.pattern.stated_in(c)))
                {
                    missed.push(format!("{}: {ex}", t.id()));
                }
            }
            for ex in KB.strs(t.right_examples) {
                if flagged(ex) {
                    false_alarms.push(format!("{}: {ex}", t.id()));
                }
            }
        }
        assert!(missed.is_empty(), "wrong claims not flagged: {missed:#?}");
        assert!(
            false_alarms.is_empty(),
            "correct claims flagged: {false_alarms:#?}"
        );
    }

    #[test]
    fn patterns_respect_order_clauses_and_negation() {
        let (store, p) = leaked("tcp + is/are + connectionles*").unwrap_or_else(|| panic!("parse"));
        let says = |s: &str| clauses(s).iter().any(|c| p.stated_in_store(&store, c));
        assert!(says("TCP is connectionless, so it is fast."));
        assert!(says("Honestly TCP basically is connectionless."));
        assert!(!says("TCP is not connectionless."));
        assert!(!says(
            "TCP is connection-oriented whereas UDP is connectionless."
        ));
        assert!(!says("It's a myth that TCP is connectionless."));
        assert!(!says("Connectionless is TCP."));
        assert!(knowledge_source::parse_pattern("").is_none());
        assert!(knowledge_source::parse_pattern("a/multi-threaded").is_none());
        let (store, hyphen) = leaked("multi-threaded").unwrap_or_else(|| panic!("parse"));
        assert!(
            clauses("JavaScript is multi-threaded.")
                .iter()
                .any(|c| hyphen.stated_in_store(&store, c))
        );
    }

    #[test]
    fn questions_find_their_topic_by_meaning() {
        let find = |q: &str| topic_of(q, &rehearse_embed::embed(q)).map(|m| m.topic.id());
        assert!(find("Can you explain how TCP differs from UDP?").is_some());
        assert_eq!(find("Tell me about your hobbies outside work."), None);
    }
}
