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

use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

use rehearse_embed::Embedding;

use crate::text;

static SOURCE: &str = include_str!("../data/knowledge.txt");
/// Situational and behavioral topics: what a good answer does, and the bad
/// practices candidates propose.
static SCENARIOS: &str = include_str!("../data/knowledge-scenarios.txt");

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

#[derive(Debug, Clone, PartialEq)]
enum WordPat {
    Exact(String),
    Prefix(String),
}

impl WordPat {
    fn matches(&self, w: &str) -> bool {
        match self {
            Self::Exact(x) => w == x,
            Self::Prefix(p) => w.starts_with(p.as_str()),
        }
    }
}

/// One pattern word: alternatives, any of which matches.
type Slot = Vec<WordPat>;
/// Consecutive slots.
type Part = Vec<Slot>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pattern {
    parts: Vec<Part>,
}

impl Pattern {
    fn parse(src: &str) -> Option<Self> {
        let mut parts = Vec::new();
        for part in src.split(" + ") {
            let mut slots = Vec::new();
            for word in part.split_whitespace() {
                let word_pat = |w: &str, prefix: bool| {
                    if prefix {
                        WordPat::Prefix(w.to_owned())
                    } else {
                        WordPat::Exact(w.to_owned())
                    }
                };
                let split = |alt: &str| -> (Vec<String>, bool) {
                    let (body, prefix) = match alt.strip_suffix('*') {
                        Some(b) => (b, true),
                        None => (alt, false),
                    };
                    let words = text::normalize(body)
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned)
                        .collect();
                    (words, prefix)
                };
                let alts: Vec<&str> = word.split('/').collect();
                if let [only] = alts.as_slice() {
                    // "read-only" reads as two words, "cache-control*" as two with
                    // the prefix on the last.
                    let (words, prefix) = split(only);
                    let n = words.len();
                    if n == 0 {
                        return None;
                    }
                    for (i, w) in words.iter().enumerate() {
                        slots.push(vec![word_pat(w, prefix && i + 1 == n)]);
                    }
                    continue;
                }
                let mut slot = Vec::new();
                for alt in alts {
                    let (words, prefix) = split(alt);
                    // An alternative is one word: "is/are" but not "read-only/x".
                    match words.as_slice() {
                        [w] => slot.push(word_pat(w, prefix)),
                        _ => return None,
                    }
                }
                slots.push(slot);
            }
            if slots.is_empty() {
                return None;
            }
            parts.push(slots);
        }
        (!parts.is_empty()).then_some(Self { parts })
    }

    /// Whether the clause states the pattern, not negated.
    fn stated_in(&self, clause: &[String]) -> bool {
        // Try every start of the first part, so an early negated mention does not
        // hide a later plain one.
        let first = &self.parts[0];
        (0..clause.len()).any(|s| {
            if !part_at(first, clause, s) {
                return false;
            }
            let mut in_pattern = vec![false; clause.len()];
            in_pattern
                .iter_mut()
                .skip(s)
                .take(first.len())
                .for_each(|f| *f = true);
            let mut at = s + first.len();
            for part in &self.parts[1..] {
                let Some(i) = (at..clause.len()).find(|&i| part_at(part, clause, i)) else {
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

fn part_at(part: &Part, clause: &[String], i: usize) -> bool {
    part.iter().enumerate().all(|(k, slot)| {
        clause
            .get(i + k)
            .is_some_and(|w| slot.iter().any(|p| p.matches(w)))
    })
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
    pub(crate) text: String,
    cues: Vec<Pattern>,
}

#[derive(Debug)]
pub(crate) struct Wrong {
    pattern: Pattern,
    pub(crate) correction: String,
}

#[derive(Debug, Default)]
pub(crate) struct Topic {
    pub(crate) id: String,
    /// From the situational and behavioral file: its wrong patterns are bad
    /// practices, which any answer to such a question may state.
    practice: bool,
    asks: Vec<String>,
    ask_embeddings: Vec<Embedding>,
    ask_stems: HashSet<String>,
    pub(crate) keys: Vec<KeyPoint>,
    wrongs: Vec<Wrong>,
    wrong_examples: Vec<String>,
    right_examples: Vec<String>,
    /// Embeddings of the key points and examples, made the first time an
    /// answer is checked against this topic (matching needs only the `@ask`s):
    /// a hundred topics' worth at cold start would cost tens of milliseconds.
    embedded: OnceLock<Embedded>,
    /// The content stems of the topic's wordings and its id.
    id_stems: HashSet<String>,
}

#[derive(Debug, Default)]
struct Embedded {
    keys: Vec<Embedding>,
    /// The wrong examples, and what is right (key points and right examples):
    /// a sentence nearer the first is not credited with a key point.
    wrong: Vec<Embedding>,
    right: Vec<Embedding>,
}

#[derive(Debug, Default)]
pub(crate) struct Knowledge {
    pub(crate) topics: Vec<Topic>,
}

fn content_stems(s: &str) -> HashSet<String> {
    text::tokens(s)
        .into_iter()
        .filter(|t| !text::is_stopword(&t.norm) && t.has_letter() && t.norm.len() > 1)
        .filter(|t| !text::QUESTION_NOISE.contains(&t.stem))
        .filter(|t| !GENERIC_QUESTION_WORDS.contains(&t.norm.as_str()))
        .map(|t| t.stem)
        .collect()
}

/// Words every kind of technical question uses; sharing them is no evidence of
/// sharing a topic.
const GENERIC_QUESTION_WORDS: &[&str] = &[
    "difference",
    "differences",
    "between",
    "mean",
    "means",
    "meaning",
    "explain",
    "define",
    "work",
    "works",
    "does",
    "do",
    "use",
    "used",
    "when",
    "choose",
    "would",
    "should",
    "prefer",
    "advantages",
    "disadvantages",
    "pros",
    "cons",
    "compare",
    "versus",
    "vs",
    "concept",
    "important",
    "why",
    "purpose",
    "common",
    "types",
    "kinds",
    "example",
    "examples",
];

/// The parsed file and the numbers of the lines that could not be read.
pub(crate) fn parse(source: &str) -> (Knowledge, Vec<usize>) {
    let mut k = Knowledge::default();
    let mut bad = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line
            .strip_prefix('@')
            .and_then(|d| d.split_once(' '))
            .map(|(k, v)| (k, v.trim()))
        else {
            bad.push(i + 1);
            continue;
        };
        if key == "topic" {
            k.topics.push(Topic {
                id: value.to_owned(),
                ..Topic::default()
            });
            continue;
        }
        let Some(topic) = k.topics.last_mut().filter(|_| !value.is_empty()) else {
            bad.push(i + 1);
            continue;
        };
        let ok = match key {
            "ask" => {
                topic.asks.push(value.to_owned());
                true
            }
            "key" => {
                topic.keys.push(KeyPoint {
                    text: value.to_owned(),
                    cues: Vec::new(),
                });
                true
            }
            "cue" => match topic.keys.last_mut() {
                Some(kp) => {
                    let cues: Option<Vec<Pattern>> = value
                        .split(',')
                        .map(str::trim)
                        // Symbols ("&", "*") are not words a clause can contain.
                        .filter(|c| c.chars().any(char::is_alphanumeric))
                        // A cue is a phrase as candidates write it: "i/o-bound" and
                        // "tp / (tp + fp)" are words, not pattern syntax.
                        .map(|c| {
                            Pattern::parse(c).or_else(|| {
                                Pattern::parse(&text::normalize(&c.replace(['/', '+'], " ")))
                            })
                        })
                        .collect();
                    cues.map(|c| kp.cues.extend(c)).is_some()
                }
                None => false,
            },
            "wrong" => match value.split_once('|') {
                Some((p, c)) if !c.trim().is_empty() => match Pattern::parse(p.trim()) {
                    Some(pattern) => {
                        topic.wrongs.push(Wrong {
                            pattern,
                            correction: c.trim().to_owned(),
                        });
                        true
                    }
                    None => false,
                },
                _ => false,
            },
            "wrong-example" => {
                topic.wrong_examples.push(value.to_owned());
                true
            }
            "right-example" => {
                topic.right_examples.push(value.to_owned());
                true
            }
            _ => false,
        };
        if !ok {
            bad.push(i + 1);
        }
    }
    for t in &mut k.topics {
        t.ask_embeddings = t.asks.iter().map(|a| rehearse_embed::embed(a)).collect();
        t.ask_stems = t.asks.iter().flat_map(|a| content_stems(a)).collect();
        t.id_stems = content_stems(&t.id.replace('-', " "));
    }
    (k, bad)
}

pub(crate) fn knowledge() -> &'static Knowledge {
    static K: LazyLock<Knowledge> = LazyLock::new(|| {
        let mut k = parse(SOURCE).0;
        let mut practices = parse(SCENARIOS).0.topics;
        practices.iter_mut().for_each(|t| t.practice = true);
        k.topics.extend(practices);
        k
    });
    &K
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
    knowledge()
        .topics
        .iter()
        .filter_map(|t| {
            let shared = stems.intersection(&t.ask_stems).count();
            if shared == 0 {
                return None;
            }
            let named = stems.intersection(&t.id_stems).count();
            let best = t
                .ask_embeddings
                .iter()
                .map(|e| e.cosine(question_embedding))
                .fold(f32::MIN, f32::max);
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
    for t in knowledge().topics.iter().filter(|t| t.practice) {
        for w in &t.wrongs {
            if out.iter().any(|(_, c)| c == &w.correction) {
                continue;
            }
            if let Some(cl) = clauses.iter().find(|cl| w.pattern.stated_in(cl)) {
                out.push((cl.join(" "), w.correction.clone()));
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
                .keys
                .iter()
                .map(|k| rehearse_embed::embed(&k.text))
                .collect();
            let right = keys
                .iter()
                .cloned()
                .chain(self.right_examples.iter().map(|e| rehearse_embed::embed(e)))
                .collect();
            Embedded {
                wrong: self
                    .wrong_examples
                    .iter()
                    .map(|e| rehearse_embed::embed(e))
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
            total: self.keys.len(),
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
        for (i, (kp, ke)) in self.keys.iter().zip(key_embeddings).enumerate() {
            let by_cue = kp
                .cues
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
        for w in &self.wrongs {
            if check.wrong.iter().any(|(_, c)| c == &w.correction) {
                continue;
            }
            if let Some(cl) = clauses.iter().find(|cl| w.pattern.stated_in(cl)) {
                check.wrong.push((cl.join(" "), w.correction.clone()));
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
    knowledge()
        .topics
        .iter()
        .flat_map(|t| &t.wrongs)
        .any(|w| cls.iter().any(|c| w.pattern.stated_in(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_knowledge_base_parses() {
        let (_, bad) = parse(SCENARIOS);
        assert!(
            bad.is_empty(),
            "unreadable lines in knowledge-scenarios.txt: {bad:?}"
        );
        let (k, bad) = parse(SOURCE);
        assert!(bad.is_empty(), "unreadable lines: {bad:?}");
        assert!(k.topics.len() >= 60, "{} topics", k.topics.len());
        let mut ids = HashSet::new();
        for t in &knowledge().topics {
            assert!(ids.insert(&t.id), "duplicate topic {}", t.id);
            assert!(!t.asks.is_empty() && t.keys.len() >= 2, "{}", t.id);
        }
    }

    #[test]
    fn wrong_examples_are_flagged_and_right_examples_are_not() {
        let k = knowledge();
        let mut missed = Vec::new();
        let mut false_alarms = Vec::new();
        for t in &k.topics {
            for ex in &t.wrong_examples {
                let cls = clauses(ex);
                if !t
                    .wrongs
                    .iter()
                    .any(|w| cls.iter().any(|c| w.pattern.stated_in(c)))
                {
                    missed.push(format!("{}: {ex}", t.id));
                }
            }
            for ex in &t.right_examples {
                if flagged(ex) {
                    false_alarms.push(format!("{}: {ex}", t.id));
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
        let p = Pattern::parse("tcp + is/are + connectionles*").unwrap_or_else(|| panic!("parse"));
        let says = |s: &str| clauses(s).iter().any(|c| p.stated_in(c));
        assert!(says("TCP is connectionless, so it is fast."));
        assert!(says("Honestly TCP basically is connectionless."));
        assert!(!says("TCP is not connectionless."));
        assert!(!says(
            "TCP is connection-oriented whereas UDP is connectionless."
        ));
        assert!(!says("It's a myth that TCP is connectionless."));
        assert!(!says("Connectionless is TCP."));
        assert!(Pattern::parse("").is_none());
        assert!(Pattern::parse("a/multi-threaded").is_none());
        let hyphen = Pattern::parse("multi-threaded").unwrap_or_else(|| panic!("parse"));
        assert!(
            clauses("JavaScript is multi-threaded.")
                .iter()
                .any(|c| hyphen.stated_in(c))
        );
    }

    #[test]
    fn questions_find_their_topic_by_meaning() {
        let find = |q: &str| topic_of(q, &rehearse_embed::embed(q)).map(|m| m.topic.id.as_str());
        assert!(find("Can you explain how TCP differs from UDP?").is_some());
        assert_eq!(find("Tell me about your hobbies outside work."), None);
    }
}
