//! Relevance by meaning: how close an answer is to its question, to what answers
//! of the question's kind talk about, and, for technical questions the knowledge
//! base knows, which key points it makes and which wrong claims it states.
//!
//! Answers to open questions ("tell me about yourself", "any questions for us?",
//! "walk me through this project") share few words with the question, so the
//! question alone is a poor yardstick; each such category also has a handful of
//! prototype answers, and an answer close to them is on topic. Technical answers
//! are held to the question (and the topic's key points) only: a fluent
//! explanation of another subject must not pass as relevant.

use std::sync::LazyLock;

use rehearse_embed::Embedding;

use crate::knowledge::{self, Check, Topic};
use crate::model::{Category, Question};
use crate::prototypes::{self, PROTOTYPES};

/// What the embeddings say about one answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Semantic {
    /// Cosine of the whole answer with the question.
    pub(crate) question: f32,
    /// Best cosine of one sentence of the answer with the question.
    pub(crate) best_sentence: f32,
    /// Cosine with the prototype answers of the question's category (0 for
    /// technical questions).
    pub(crate) prototype: f32,
    /// The knowledge-base topic of the question and what the answer says of it.
    pub(crate) topic: Option<&'static Topic>,
    /// The topic match is sure enough to judge the answer by its key points.
    pub(crate) confident_topic: bool,
    pub(crate) check: Option<Check>,
    /// Bad practices stated in answer to a situational or behavioral question.
    pub(crate) bad_practices: Vec<(String, String)>,
}

// `CENTROIDS`: the centroid of each of `prototypes::centroid_lists()`, in
// order, one little-endian f32 row of `CENTROID_DIM` each, embedded by build.rs.
include!(concat!(env!("OUT_DIR"), "/centroids.rs"));

/// The `i`th stored centroid.
fn stored_centroid(i: usize) -> Embedding {
    let at = i * CENTROID_DIM * 4;
    Embedding::from_le_bytes(CENTROIDS.get(at..at + CENTROID_DIM * 4).unwrap_or_default())
}

static PROTOTYPE_EMBEDDINGS: LazyLock<Vec<(Category, Embedding)>> = LazyLock::new(|| {
    PROTOTYPES
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (*c, stored_centroid(i)))
        .collect()
});

static QUESTION_KINDS: LazyLock<(Embedding, Embedding)> = LazyLock::new(|| {
    (
        stored_centroid(prototypes::WORK_QUESTIONS_AT),
        stored_centroid(prototypes::PERK_QUESTIONS_AT),
    )
});

/// How many of `asked` are about the work and how many about perks (by which
/// prototype each is closer to).
pub(crate) fn question_kinds(asked: &[&str]) -> (usize, usize) {
    let (work, perks) = &*QUESTION_KINDS;
    asked.iter().fold((0, 0), |(w, p), q| {
        let e = rehearse_embed::embed(q);
        if e.cosine(work) >= e.cosine(perks) {
            (w + 1, p)
        } else {
            (w, p + 1)
        }
    })
}

static LIFE_KINDS: LazyLock<(Embedding, Embedding)> = LazyLock::new(|| {
    (
        stored_centroid(prototypes::PERSONAL_AT),
        stored_centroid(prototypes::PROFESSIONAL_AT),
    )
});

/// The share (0–1) of the sentences that are about private life rather than work.
pub(crate) fn personal_share(sentences: &[&str]) -> f32 {
    if sentences.is_empty() {
        return 0.0;
    }
    let (personal, work) = &*LIFE_KINDS;
    let n = sentences
        .iter()
        .filter(|s| {
            let e = rehearse_embed::embed(s);
            e.cosine(personal) > e.cosine(work)
        })
        .count();
    n as f32 / sentences.len() as f32
}

/// Loads the model and the centroids (stored by build.rs; decoded here), so
/// the first answer scored pays nothing: call it at cold start.
pub(crate) fn warm_up() {
    let _ = rehearse_embed::model();
    LazyLock::force(&PROTOTYPE_EMBEDDINGS);
    LazyLock::force(&QUESTION_KINDS);
    LazyLock::force(&LIFE_KINDS);
}

fn prototype_of(category: Category) -> Option<&'static Embedding> {
    PROTOTYPE_EMBEDDINGS
        .iter()
        .find(|(c, _)| *c == category)
        .map(|(_, e)| e)
}

pub(crate) fn analyse(question: &Question, answer: &str, sentences: &[(usize, usize)]) -> Semantic {
    let q = rehearse_embed::embed(&question.text);
    let a = rehearse_embed::embed(answer);
    let mut s = Semantic {
        question: a.cosine(&q),
        ..Semantic::default()
    };
    s.best_sentence = sentences
        .iter()
        .filter_map(|&(x, y)| answer.get(x..y))
        .map(|t| rehearse_embed::embed(t).cosine(&q))
        .fold(0.0, f32::max);
    let category = if question.expects_star {
        Category::Behavioral
    } else {
        question.category
    };
    if category != Category::Technical {
        s.prototype = prototype_of(category).map_or(0.0, |p| a.cosine(p));
    }
    if matches!(
        category,
        Category::Technical | Category::Scenario | Category::Behavioral | Category::FollowUp
    ) && let Some(m) = knowledge::topic_of(&question.text, &q)
    {
        {
            let topic = m.topic;
            s.confident_topic = m.is_confident();
            let clauses = knowledge::clauses(answer);
            let embs: Vec<Embedding> = clauses
                .iter()
                .map(|c| rehearse_embed::embed(&c.join(" ")))
                .collect();
            s.check = Some(topic.check(&a, &clauses, &embs));
            s.topic = Some(topic);
        }
    }
    if matches!(category, Category::Scenario | Category::Behavioral) {
        s.bad_practices = knowledge::bad_practices(&knowledge::clauses(answer));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The centroids build.rs stored are the ones the engine's model computes
    /// from the lists now, bit for bit.
    #[test]
    fn stored_centroids_are_the_lists_embedded_now() {
        let lists: Vec<_> = prototypes::centroid_lists().collect();
        assert_eq!(CENTROIDS.len(), lists.len() * CENTROID_DIM * 4);
        for (i, list) in lists.iter().enumerate() {
            let embs: Vec<Embedding> = list.iter().map(|s| rehearse_embed::embed(s)).collect();
            let want = Embedding::mean(embs.iter());
            assert!(!want.is_empty(), "{list:?}");
            let got = stored_centroid(i);
            let bits = |e: &Embedding| e.as_slice().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "{list:?}");
        }
        assert_eq!(prototype_of(Category::Closing), Some(&stored_centroid(1)));
    }
}
