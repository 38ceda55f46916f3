//! The built-in interview engine: questions tailored to a resume and a role,
//! follow-ups on vague answers, a rubric that scores every answer on five named
//! dimensions, the interviewer's replies, and the end-of-session summary.
//!
//! Pure and deterministic: no I/O, no clock, no randomness beyond the `seed` a
//! session is created with, so a session replays identically from its stored state.
//! It knows nothing of Lambda, Postgres or HTTP; the functions persist its values
//! (all `Serialize`/`Deserialize`) in `interview_sessions` and `interview_answers`.
//!
//! API contract (kept stable for the functions that call it):
//! - [`JobContext::new`] validates the client's job context;
//! - [`generate`] plans exactly `num_questions` questions;
//! - [`evaluate`] scores one answer;
//! - [`Session::record_answer`] / [`Session::record_skip`] advance a live session,
//!   inserting a follow-up within the question budget when an answer was vague;
//! - [`interviewer_reply`] acknowledges an answer or a skip;
//! - [`summarize`] turns the answered questions into the session summary;
//! - [`practice_plan`] ranks a signed-in user's weakest categories and dimensions
//!   across sessions and suggests the next interview; [`generate_focused`] /
//!   [`Session::new_focused`] plan a session around that [`Focus`], with spaced
//!   repetition on the user's history ([`Recall`]).
//!
//! Module layers, lowest first (a module uses only modules listed before it;
//! `layers.rs` checks it and prints the graph):
//! - foundations: `model` (the values above, plain data that uses nothing else
//!   of the crate), `rng`, `text`, `places_dates`;
//! - data: `bank`, `categorize`, `knowledge`, `skills`;
//! - planning: `roles`, `facts`, `repetition` (spaced repetition), `slots`,
//!   `generate`;
//! - scoring: `quote`, `style`, `features`, `semantic`, `non_answer`, `rules`,
//!   `advice`, `score`;
//! - conversation: `reply`, `followup`, `summary`, `session` (the methods of
//!   [`Session`]);
//! - practice: `practice` (the plan from a user's answers across sessions);
//! - `grading`, then this file's API on top.
//!
//! Where things live:
//! - `data/questions.txt`: the question bank (role families with the phrases that
//!   select them, questions per family with difficulty, topic and keywords,
//!   placeholders filled from the resume, follow-up wordings, misconceptions the
//!   scorer flags). Edit it to add questions; its unit tests check every line.
//! - `score`: the rubric and its bands (documented there); `generate`: the plan
//!   (and how a focus shapes it; `slots`: which kinds of question); `repetition`: the spaced-repetition rule;
//!   `practice`: the ranking rule of the practice plan;
//!   `followup`: when and how a follow-up replaces a planned question; `reply`,
//!   `summary`: the interviewer's words and the session summary.
//! - `data/graded_answers.json`: answers to real bank questions graded by hand
//!   (good / fair / poor) as a demanding interviewer would. The test
//!   `the_engine_ranks_the_graded_answers_like_a_human_grader` in `tests/engine.rs`
//!   requires the engine's scores to rank them with a Spearman coefficient of at
//!   least 0.7 (ties ranked by their average), and
//!   `cargo run -p rehearse-interview --example grading` prints every answer's
//!   score next to its grade, the spread per grade and the coefficient
//!   (`-- --verbose` adds the dimensions and feedback of each).
//! - `cargo run -p rehearse-interview --example plan -- resume.json "Backend
//!   Engineer" 3-5 mixed 10 42` prints the plan for a parsed resume (from
//!   `cargo run -p rehearse-dev -- parse resume.pdf`).
//! - Skill categories come from `rehearse-resume`'s taxonomy table, read from its
//!   data file so a parsed skill and its category always agree.

mod advice;
mod bank;
// The parser runs in build.rs and the tests; the engine reads the snapshot.
#[cfg_attr(not(test), allow(dead_code))]
mod bank_source;
mod categorize;
mod facts;
mod features;
mod followup;
mod generate;
pub mod grading;
mod knowledge;
// The parser runs in build.rs and the tests; the engine itself uses only
// `content_stems` (the snapshot is what it reads).
#[cfg_attr(not(test), allow(dead_code))]
mod knowledge_source;
#[cfg(test)]
mod layers;
mod model;
mod non_answer;
mod places_dates;
mod practice;
// The lists are embedded by build.rs (and checked by the tests); the engine
// reads their stored centroids.
#[cfg_attr(not(test), allow(dead_code))]
mod prototypes;
mod quote;
mod repetition;
mod reply;
mod rng;
mod roles;
mod rules;
mod score;
mod semantic;
mod session;
mod skills;
mod slots;
mod style;
mod summary;
mod text;

pub use model::*;
pub use practice::{
    AreaScore, Evidence, HALF_LIFE_DAYS, MIN_SAMPLE, NextInterview, PlanStatus, PracticePlan,
    SKIP_WEIGHT, WEAK_BELOW, WeakCategory, WeakDimension,
};
pub use rehearse_embed::ModelError;
pub use rehearse_resume::Resume;
pub use repetition::{Recall, STRONG, STRONG_REST_DAYS, Standing, WEAK, WEAK_RETURN_DAYS};
pub use summary::tier;

/// Plan exactly `num_questions` (1..=20) questions for `resume` and `ctx`, without
/// duplicates, deterministic for a given `seed`.
///
/// The first is an introduction that greets the candidate by first name, the last
/// (from two questions on) a closing one; in between come questions about the
/// candidate's employers, projects and skills, role questions at the level's
/// difficulty, scenarios and behavioral stories, in the proportions of the
/// interview type. A budget outside 1..=20 is clamped to it.
pub fn generate(resume: &Resume, ctx: &JobContext, num_questions: u8, seed: u64) -> Vec<Question> {
    generate::generate(resume, ctx, num_questions, seed)
}

/// [`generate()`] for a practice session: at least half of the questions
/// (`ceil(n / 2)`) from `focus.categories` whenever the bank or the resume can
/// fill them (always for technical, scenario and behavioral), the introduction
/// first and the closing last as long as that half still fits, questions chosen
/// to exercise `focus.dimensions`, and spaced repetition on `recall` (a question
/// answered well in the last 14 days rests, one answered poorly comes back after
/// a day). With an empty focus and an empty recall it is exactly [`generate()`].
/// The rules are in the `generate` and `repetition` modules' docs.
pub fn generate_focused(
    resume: &Resume,
    ctx: &JobContext,
    num_questions: u8,
    seed: u64,
    focus: &Focus,
    recall: &Recall,
) -> Vec<Question> {
    generate::focused(resume, ctx, num_questions, seed, focus, recall)
}

/// The categories a plan of `num_questions` lays out for `interview_type` and
/// `focus`, with their counts (introduction and closing included): what
/// [`generate_focused`] aims for before the resume has its say (a slot for
/// material the resume lacks falls back to another kind).
pub fn question_mix(
    num_questions: u8,
    interview_type: InterviewType,
    focus: &Focus,
) -> std::collections::BTreeMap<Category, u8> {
    slots::mix(num_questions, interview_type, focus)
}

/// The practice plan for a signed-in user's `history` (their answers and skips
/// across sessions, any order, at most a few hundred recent ones) at `now` (Unix
/// seconds): the weakest categories and dimensions with their evidence, and the
/// next interview to practise them. The ranking rule is in the `practice`
/// module's docs.
pub fn practice_plan(history: &[PastAnswer], now: i64) -> PracticePlan {
    practice::plan(history, now)
}

/// Score one answer to `question` (0–10, five dimensions, feedback). An empty,
/// gibberish or copied-question answer scores low; never called for a skip.
pub fn evaluate(question: &Question, answer: &str, ctx: &JobContext) -> Evaluation {
    score::assess(question, answer, ctx).0
}

/// One or two natural sentences acknowledging the answer (or, with `None`, a skip);
/// varied by `seed`, never a score.
pub fn interviewer_reply(
    question: &Question,
    evaluation: Option<&Evaluation>,
    seed: u64,
) -> String {
    reply::reply(question, evaluation, seed)
}

/// The summary of a finished session.
pub fn summarize(
    answers: &[AnsweredQuestion],
    total_questions: u32,
    duration_seconds: Option<u32>,
) -> Summary {
    summary::summarize(answers, total_questions, duration_seconds)
}

/// The role family a free-text target role maps to (`"react developer"` →
/// `"frontend"`), as the bank names it; for logs and statistics.
pub fn role_family(target_role: &str) -> String {
    roles::family_id(target_role)
}

/// The category of a bare question text, for callers that send none (the
/// client's `/api/evaluate/answer`): behavioral for "tell me about a time",
/// scenario for "what would you do if", introduction and closing by their usual
/// wordings, project for questions about the candidate's own work, else technical.
pub fn infer_category(question: &str) -> Category {
    categorize::infer(question)
}

/// Open the sentence-embedding model (and check it is this build's) without
/// the rest of [`warm_up`]: for a function that only embeds on some of its
/// paths (session-skip) but must not start without the model.
pub fn open_model() -> Result<(), ModelError> {
    rehearse_embed::load().map(|_| ())
}

/// Load the sentence-embedding model and the few tables still built at run
/// time: call once at cold start so no request pays for them. Idempotent and
/// cheap after the first call. What used to be most of it (parsing the bank
/// and the knowledge base, embedding their wordings and the prototypes, the
/// scorer's vocabulary, the skills taxonomy) is done by the build scripts and
/// read in place (~1 ms left, from ~21 ms; `examples/latency.rs`).
///
/// Fails when the embedding table cannot be opened or is not this build's
/// (see `rehearse_embed::load`): a function that scores must not start
/// without it, because every score would silently fall back to words.
pub fn warm_up() -> Result<(), rehearse_embed::ModelError> {
    rehearse_embed::load()?;
    semantic::warm_up();
    // One answer scored end to end builds every lazy table on the way (the
    // phrase sets, stopwords) and touches the pages of the compiled data a
    // request reads, so the first real request finds them ready.
    if let Ok(ctx) = JobContext::new("Software Engineer", "3-5", "mixed", None, None) {
        let q = Question {
            id: "warm-up".into(),
            number: 1,
            text: "Tell me about a time you improved something at work.".into(),
            category: Category::Behavioral,
            difficulty: Difficulty::Medium,
            topic: String::new(),
            follow_up_of: None,
            expects_star: true,
            keywords: Vec::new(),
        };
        let _ = evaluate(
            &q,
            "I profiled the service, cached the hot path and cut latency by 40%.",
            &ctx,
        );
    }
    Ok(())
}

/// The semantic signals behind a score (similarity to the question, to the
/// category's prototype answers, key-point coverage, wrong claims), for the
/// scoring benchmark's per-answer report. Not part of the engine's contract.
#[doc(hidden)]
pub fn semantic_signals(question: &Question, answer: &str) -> String {
    let sents = text::sentences(answer);
    let s = semantic::analyse(question, answer, &sents);
    let lean = s.topic.map_or(String::new(), |t| {
        sents
            .iter()
            .filter_map(|&(a, b)| answer.get(a..b))
            .map(|x| t.leaning(&rehearse_embed::embed(x)))
            .map(|(w, r)| format!("{w:.2}/{r:.2}"))
            .collect::<Vec<_>>()
            .join(",")
    });
    format!(
        "q={:.2} best={:.2} proto={:.2} topic={} keys={} wrong={} lean={lean}",
        s.question,
        s.best_sentence,
        s.prototype,
        s.topic.map_or("-".to_owned(), |t| format!(
            "{}{}",
            t.id(),
            if s.confident_topic { "!" } else { "?" }
        )),
        s.check.as_ref().map_or("-".to_owned(), |c| format!(
            "{}/{} kc={:.2}",
            c.made.len(),
            c.total,
            c.closeness
        )),
        s.check.as_ref().map_or(0, |c| c.wrong.len()),
    )
}

/// Whether a question names something of the candidate's own: an employer (as
/// written before any comma or parenthesis), a project, a listed skill or a
/// project's technology, matched as whole words ("C" is not the "c" of "cache").
/// An achievement question names its employer or project, so it counts too.
/// For the tailoring measurement (`examples/tailoring.rs`) and its tests.
#[doc(hidden)]
pub fn names_own_material(question: &Question, resume: &Resume) -> bool {
    let t = question.text.to_lowercase();
    let companies = resume
        .experience
        .iter()
        .filter_map(|e| e.company.as_deref())
        .map(|c| {
            c.split([',', '('])
                .next()
                .unwrap_or(c)
                .trim()
                .to_lowercase()
        });
    let projects = resume
        .projects
        .iter()
        .filter_map(|p| p.title.as_deref())
        .map(|p| p.rsplit(": ").next().unwrap_or(p).trim().to_lowercase());
    let skills = resume
        .skills
        .iter()
        .chain(resume.projects.iter().flat_map(|p| p.tech.iter()))
        .map(|s| s.to_lowercase());
    companies
        .chain(projects)
        .chain(skills)
        .filter(|n| !n.is_empty())
        .any(|n| {
            t.match_indices(&n).any(|(i, _)| {
                let before = t.get(..i).and_then(|x| x.chars().next_back());
                let after = t.get(i + n.len()..).and_then(|x| x.chars().next());
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
}
