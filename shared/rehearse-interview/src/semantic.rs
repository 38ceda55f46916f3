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

/// Prototype answers per category: what an on-topic answer talks about.
const PROTOTYPES: &[(Category, &[&str])] = &[
    (
        Category::Introduction,
        &[
            "I'm a software engineer with five years of experience, currently at a fintech company where I build backend services.",
            "I studied computer science, then joined a startup where I worked on the mobile app and grew into leading a small team.",
            "What drew me to this role is the chance to work on products at scale; my background in data and my last project fit it well.",
            "Before that I worked as an analyst, and I moved into this field because I enjoy solving problems for users.",
        ],
    ),
    (
        Category::Closing,
        &[
            "Yes, I have a few questions: how does the team measure success in the first ninety days, and what does the on-call rotation look like?",
            "What are the biggest challenges the team is facing this year, and how would this role help with them?",
            "You should hire me because I have shipped similar systems, I learn fast, and I care about the quality of what I deliver.",
            "In five years I see myself leading a team, having grown my skills in architecture and mentoring others.",
            "My salary expectation is in the range for this level, and I can start after a one month notice period.",
        ],
    ),
    (
        Category::Project,
        &[
            "I was the lead developer: I designed the architecture, built the API and the data pipeline, and we launched it to ten thousand users.",
            "The hardest part was the data migration; I wrote scripts, tested them on a copy of production, and we cut over with no downtime.",
            "My role was to own the backend; I chose the database, set up deployment, and reduced the response time by half.",
            "We built it in three months with a team of four; I was responsible for the frontend and the integration with the payment provider.",
        ],
    ),
    (
        Category::Experience,
        &[
            "At my last job I was responsible for the billing service; I rebuilt the invoicing flow and cut failed payments by a third.",
            "I worked with product and design to ship features every two weeks, and I mentored two junior engineers.",
        ],
    ),
    (
        Category::Resume,
        &[
            "In that role I owned the reporting pipeline; I automated it and saved the team ten hours a week.",
            "I used that skill daily: I built and maintained services with it and taught it to new colleagues.",
        ],
    ),
    (
        Category::Behavioral,
        &[
            "At my previous job, a teammate and I disagreed about the design; I listened, gathered data, we agreed on a compromise and shipped on time.",
            "I missed a deadline once because I underestimated the work; I told my manager early, re-planned, and since then I break tasks down.",
            "A customer was unhappy with a bug; I apologised, fixed it the same day, and added a test so it never happened again.",
            "I led the project when our lead left; I organised the team, set priorities and we delivered the release two weeks later.",
        ],
    ),
    (
        Category::Scenario,
        &[
            "First I would assess the impact and communicate with the stakeholders, then investigate the cause, fix it, and follow up to prevent it.",
            "I would talk to my manager and the other team, agree on priorities based on business impact, and set expectations about the deadline.",
            "I would roll back the release to restore service, then look at the logs and metrics to find the root cause and write a postmortem.",
        ],
    ),
];

static PROTOTYPE_EMBEDDINGS: LazyLock<Vec<(Category, Embedding)>> = LazyLock::new(|| {
    PROTOTYPES
        .iter()
        .map(|(c, list)| {
            let embs: Vec<Embedding> = list.iter().map(|s| rehearse_embed::embed(s)).collect();
            (*c, Embedding::mean(embs.iter()))
        })
        .collect()
});

/// Questions a candidate asks about the work (the team, the role, how success
/// is measured, the product, the challenges) and about what they get (pay,
/// holidays, hours): the first kind shows interest in the job.
const WORK_QUESTIONS: &[&str] = &[
    "How does the team decide what to build next, and how is success measured?",
    "What are the biggest technical challenges the team is facing right now?",
    "What would a great first six months look like in this role?",
    "How is the code reviewed, tested and deployed to production?",
    "Who are the users of the product and how does the team get their feedback?",
    "How are architecture decisions made and documented?",
];

const PERK_QUESTIONS: &[&str] = &[
    "What is the salary range, and is there a signing bonus?",
    "How many vacation days do I get, and can I work from home whenever I want?",
    "When would I be eligible for a raise or a promotion?",
    "Are there free lunches, a gym membership and other perks?",
];

static QUESTION_KINDS: LazyLock<(Embedding, Embedding)> = LazyLock::new(|| {
    let centroid = |list: &[&str]| {
        let embs: Vec<Embedding> = list.iter().map(|s| rehearse_embed::embed(s)).collect();
        Embedding::mean(embs.iter())
    };
    (centroid(WORK_QUESTIONS), centroid(PERK_QUESTIONS))
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

/// Sentences about a candidate's private life, and about their work: an
/// introduction made mostly of the first says little an interviewer needs.
const PERSONAL: &[&str] = &[
    "I grew up in a small town with my parents and two brothers.",
    "In my free time I love hiking, cooking, travelling and playing the guitar.",
    "I have two kids and a dog, and we spend weekends outdoors.",
    "My hobbies are reading novels, watching football and running marathons.",
];

const PROFESSIONAL: &[&str] = &[
    "I work as an engineer on the payments team, where I build and run backend services.",
    "I studied computer science and then joined a startup as a developer.",
    "In my last role I led a project that reduced costs and shipped a new product.",
    "I am applying because this role matches my experience with data and my goals.",
];

static LIFE_KINDS: LazyLock<(Embedding, Embedding)> = LazyLock::new(|| {
    let centroid = |list: &[&str]| {
        let embs: Vec<Embedding> = list.iter().map(|s| rehearse_embed::embed(s)).collect();
        Embedding::mean(embs.iter())
    };
    (centroid(PERSONAL), centroid(PROFESSIONAL))
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

/// Loads the model and everything derived from it, so the first answer scored
/// pays nothing: call it at cold start.
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
