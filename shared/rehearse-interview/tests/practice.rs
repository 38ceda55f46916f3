//! Practice through the public API: focused plans (the half-of-the-questions
//! bar, dimension steering, spaced repetition), their identity with the plain
//! plan without a focus, and a practice plan from sessions the engine scored.

// A test that unwraps is asserting; helpers shared by tests do the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use rehearse_interview::{
    Category, Dimension, Focus, JobContext, PastAnswer, PlanStatus, Question, Recall, Resume,
    Session, Standing, generate, generate_focused, names_own_material, practice_plan, question_mix,
};
use rehearse_resume::{Experience, Project};

const NOW: i64 = 1_780_000_000;
const DAY: i64 = 86_400;

fn job(title: &str, company: &str, description: &str) -> Experience {
    Experience {
        title: Some(title.into()),
        company: Some(company.into()),
        description: Some(description.into()),
        ..Experience::default()
    }
}

fn project(title: &str, tech: &[&str], description: &str) -> Project {
    Project {
        title: Some(title.into()),
        tech: tech.iter().map(|s| (*s).into()).collect(),
        description: Some(description.into()),
        link: None,
    }
}

/// Employers, projects and skills to spare.
fn rich() -> Resume {
    Resume {
        name: Some("Ada Lovelace".into()),
        skills: [
            "Rust",
            "Go",
            "PostgreSQL",
            "Redis",
            "Kafka",
            "Kubernetes",
            "AWS",
            "Terraform",
            "React",
            "TypeScript",
        ]
        .map(String::from)
        .to_vec(),
        experience: vec![
            job(
                "Senior Engineer",
                "Analytical Engines",
                "Moved the ledger service to Rust, cutting p99 latency from 400 ms to 35 ms. \
                 Led a team of 4 engineers through a zero-downtime Postgres migration.",
            ),
            job(
                "Backend Engineer",
                "Difference Labs",
                "Built a Kafka pipeline processing 2 million events a day. Reduced cloud spend \
                 by 30% by right-sizing Kubernetes workloads.",
            ),
            job(
                "Software Engineer",
                "Babbage & Co",
                "Wrote the billing API used by 300 customers and raised test coverage to 90%.",
            ),
        ],
        projects: vec![
            project(
                "Loom",
                &["Rust", "Redis"],
                "A rate limiter serving 50k requests per second with a token bucket in Redis.",
            ),
            project(
                "Notes",
                &["React", "TypeScript"],
                "A collaborative notes app with offline sync used by 1,200 people.",
            ),
        ],
        years_of_experience: Some(7.0),
        ..Resume::default()
    }
}

/// Skills only: no employer or project to ask about.
fn thin() -> Resume {
    Resume {
        skills: ["Python", "SQL"].map(String::from).to_vec(),
        ..Resume::default()
    }
}

fn resumes() -> [(&'static str, Resume); 3] {
    [
        ("rich", rich()),
        ("thin", thin()),
        ("empty", Resume::default()),
    ]
}

fn ctx(role: &str, level: &str, kind: &str) -> JobContext {
    JobContext::new(role, level, kind, None, None).unwrap()
}

fn focus(categories: &[Category], dimensions: &[Dimension]) -> Focus {
    Focus::new(categories.to_vec(), dimensions.to_vec()).unwrap()
}

fn in_focus(qs: &[Question], f: &Focus) -> usize {
    qs.iter()
        .filter(|q| f.categories.contains(&q.category))
        .count()
}

#[test]
fn a_focus_puts_at_least_half_of_the_questions_in_its_categories() {
    let focuses = [
        focus(&[Category::Behavioral], &[]),
        focus(&[Category::Technical], &[]),
        focus(&[Category::Scenario], &[Dimension::Depth]),
        focus(
            &[Category::Behavioral, Category::Scenario],
            &[Dimension::Structure],
        ),
        focus(
            &[
                Category::Technical,
                Category::Behavioral,
                Category::Scenario,
            ],
            &[Dimension::Specificity, Dimension::Communication],
        ),
        // A resume category with a bank one: the bank one makes up what the
        // resume cannot.
        focus(&[Category::Project, Category::Behavioral], &[]),
        focus(&[Category::Experience, Category::Technical], &[]),
    ];
    let mut plans = 0;
    for (name, resume) in resumes() {
        for role in ["Backend Engineer", "Product Manager", "Data Analyst"] {
            for level in ["fresher", "1-3", "3-5", "5+"] {
                for kind in ["technical", "behavioral", "mixed"] {
                    let c = ctx(role, level, kind);
                    for f in &focuses {
                        for n in [5u8, 10, 20] {
                            for seed in [1u64, 2, 3] {
                                let qs =
                                    generate_focused(&resume, &c, n, seed, f, &Recall::default());
                                let label =
                                    format!("{name} {role} {level} {kind} n={n} seed={seed} {f:?}");
                                assert_eq!(qs.len(), usize::from(n), "{label}");
                                let texts: HashSet<String> =
                                    qs.iter().map(|q| q.text.to_lowercase()).collect();
                                assert_eq!(texts.len(), qs.len(), "duplicates: {label}");
                                let focused = in_focus(&qs, f);
                                assert!(
                                    2 * focused >= qs.len(),
                                    "{focused} of {n} in focus: {label}\n{:#?}",
                                    qs.iter().map(|q| (q.category, &q.text)).collect::<Vec<_>>()
                                );
                                // Still an interview: an introduction first, a closing last.
                                assert_eq!(qs[0].category, Category::Introduction, "{label}");
                                assert_eq!(qs[qs.len() - 1].category, Category::Closing, "{label}");
                                for (i, q) in qs.iter().enumerate() {
                                    assert_eq!(q.number as usize, i + 1, "{label}");
                                    assert_eq!(q.id, format!("q{}", i + 1), "{label}");
                                }
                                plans += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(plans, 3 * 3 * 4 * 3 * 7 * 3 * 3);
}

#[test]
fn a_resume_category_alone_is_focused_as_far_as_the_resume_goes() {
    let c = ctx("Backend Engineer", "5+", "mixed");
    for (cat, n) in [
        (Category::Experience, 5u8),
        (Category::Experience, 10),
        (Category::Project, 5),
    ] {
        let f = focus(&[cat], &[]);
        for seed in 1..=5 {
            let qs = generate_focused(&rich(), &c, n, seed, &f, &Recall::default());
            assert!(
                2 * in_focus(&qs, &f) >= qs.len(),
                "{cat:?} n={n} seed={seed}"
            );
        }
    }
    // With nothing on the resume, the plan is still complete and sensible.
    let f = focus(&[Category::Project], &[]);
    let qs = generate_focused(&Resume::default(), &c, 10, 1, &f, &Recall::default());
    assert_eq!(qs.len(), 10);
    assert_eq!(qs[0].category, Category::Introduction);
}

#[test]
fn very_short_focused_plans_give_up_the_closing_then_the_introduction() {
    let c = ctx("Backend Engineer", "3-5", "mixed");
    let f = focus(&[Category::Behavioral], &[]);
    let cats = |n: u8| -> Vec<Category> {
        generate_focused(&rich(), &c, n, 7, &f, &Recall::default())
            .iter()
            .map(|q| q.category)
            .collect()
    };
    use Category::{Behavioral as B, Closing as C, Introduction as I};
    assert_eq!(cats(1), [B]);
    assert_eq!(cats(2), [I, B]);
    assert_eq!(cats(3), [I, B, B]);
    assert_eq!(cats(4), [I, B, B, C]);
    assert_eq!(cats(5), [I, B, B, B, C]);
    for n in 1..=20u8 {
        let qs = generate_focused(&rich(), &c, n, 7, &f, &Recall::default());
        assert_eq!(qs.len(), usize::from(n));
        assert!(2 * in_focus(&qs, &f) >= qs.len(), "n={n}");
    }
}

#[test]
fn without_a_focus_or_history_the_plan_is_the_plain_one() {
    for (name, resume) in resumes() {
        for level in ["fresher", "1-3", "3-5", "5+"] {
            for kind in ["technical", "behavioral", "mixed"] {
                let c = ctx("Full Stack Developer", level, kind);
                for n in [1u8, 2, 3, 5, 10, 20] {
                    for seed in [1u64, 42, u64::MAX] {
                        let plain = generate(&resume, &c, n, seed);
                        let focused = generate_focused(
                            &resume,
                            &c,
                            n,
                            seed,
                            &Focus::default(),
                            &Recall::default(),
                        );
                        assert_eq!(
                            serde_json::to_string(&plain).unwrap(),
                            serde_json::to_string(&focused).unwrap(),
                            "{name} {level} {kind} n={n} seed={seed}"
                        );
                    }
                }
                let s = Session::new(&resume, c.clone(), 10, 9);
                let f = Session::new_focused(
                    &resume,
                    c.clone(),
                    10,
                    9,
                    &Focus::default(),
                    &Recall::default(),
                );
                assert_eq!(s, f);
            }
        }
    }
}

#[test]
fn the_mix_is_what_the_plan_asks_when_the_resume_has_material() {
    let f = focus(&[Category::Behavioral, Category::Technical], &[]);
    for kind in ["technical", "behavioral", "mixed"] {
        for n in [5u8, 10, 20] {
            let c = ctx("Backend Engineer", "5+", kind);
            let mix = question_mix(n, c.interview_type, &f);
            assert_eq!(
                mix.values().map(|&v| usize::from(v)).sum::<usize>(),
                usize::from(n)
            );
            let focused: u8 = f.categories.iter().filter_map(|c| mix.get(c)).sum();
            assert!(
                2 * usize::from(focused) >= usize::from(n),
                "{kind} {n}: {mix:?}"
            );
            let qs = generate_focused(&rich(), &c, n, 3, &f, &Recall::default());
            let mut got = std::collections::BTreeMap::new();
            for q in &qs {
                *got.entry(q.category).or_insert(0u8) += 1;
            }
            assert_eq!(got, mix, "{kind} n={n}");
        }
    }
}

/// Over many seeds, how often `pred` holds for the questions of plans with
/// and without `f`.
fn share(f: &Focus, kind: &str, pred: impl Fn(&Question) -> bool) -> (usize, usize) {
    let c = ctx("Backend Engineer", "3-5", kind);
    let mut with = 0;
    let mut without = 0;
    for seed in 0..30 {
        let plain = generate(&rich(), &c, 10, seed);
        let steered = generate_focused(&rich(), &c, 10, seed, f, &Recall::default());
        without += plain.iter().filter(|q| pred(q)).count();
        with += steered.iter().filter(|q| pred(q)).count();
    }
    (with, without)
}

#[test]
fn dimensions_steer_which_questions_are_chosen() {
    // Structure: more STAR stories, even with a technical focus.
    let (with, without) = share(
        &focus(&[Category::Technical], &[Dimension::Structure]),
        "technical",
        |q| q.expects_star,
    );
    assert!(
        with > without,
        "STAR questions: {with} focused, {without} plain"
    );
    let (with, without) = share(&focus(&[], &[Dimension::Structure]), "mixed", |q| {
        q.expects_star
    });
    assert!(
        with > without,
        "STAR questions: {with} focused, {without} plain"
    );
    // Specificity: more questions about the candidate's own material.
    let r = rich();
    let (with, without) = share(&focus(&[], &[Dimension::Specificity]), "technical", |q| {
        names_own_material(q, &r)
    });
    assert!(
        with > without,
        "own material: {with} focused, {without} plain"
    );
    // Depth: harder technical questions.
    let hard = |q: &Question| {
        q.category == Category::Technical && q.difficulty == rehearse_interview::Difficulty::Hard
    };
    let (with, without) = share(
        &focus(&[Category::Technical], &[Dimension::Depth]),
        "technical",
        hard,
    );
    let (plain_focus, _) = share(&focus(&[Category::Technical], &[]), "technical", hard);
    assert!(
        with > plain_focus,
        "hard technical: {with} with depth, {plain_focus} without ({without} unfocused)"
    );
    // A focus with dimensions only keeps the usual shape.
    let qs = generate_focused(
        &rich(),
        &ctx("Backend Engineer", "3-5", "mixed"),
        10,
        1,
        &focus(&[], &[Dimension::Communication]),
        &Recall::default(),
    );
    assert_eq!(qs.len(), 10);
    assert_eq!(qs[0].category, Category::Introduction);
    assert_eq!(qs[9].category, Category::Closing);
}

fn past(q: &Question, score: Option<f32>, at: i64) -> PastAnswer {
    PastAnswer {
        session_id: "earlier".into(),
        question_number: q.number,
        question_text: q.text.clone(),
        topic: Some(q.topic.clone()),
        category: q.category,
        is_follow_up: false,
        skipped: score.is_none(),
        score,
        dimensions: None,
        answered_at: at,
        target_role: "Backend Engineer".into(),
        experience_level: "3-5".into(),
        interview_type: "mixed".into(),
    }
}

fn middle(qs: &[Question]) -> Vec<&Question> {
    qs.iter()
        .filter(|q| !matches!(q.category, Category::Introduction | Category::Closing))
        .collect()
}

#[test]
fn questions_answered_well_recently_are_not_asked_again() {
    let c = ctx("Backend Engineer", "3-5", "mixed");
    let f = focus(&[Category::Behavioral, Category::Scenario], &[]);
    for seed in 1..=5 {
        let first = generate_focused(&rich(), &c, 10, seed, &f, &Recall::default());
        let history: Vec<PastAnswer> = middle(&first)
            .into_iter()
            .map(|q| past(q, Some(8.0), NOW - 3 * DAY))
            .collect();
        let again = generate_focused(&rich(), &c, 10, seed, &f, &Recall::new(&history, NOW));
        let before: HashSet<&str> = middle(&first).iter().map(|q| q.text.as_str()).collect();
        for q in middle(&again) {
            assert!(!before.contains(q.text.as_str()), "asked again: {}", q.text);
        }
        assert!(2 * in_focus(&again, &f) >= again.len());
        // Fifteen days on, they may come back: the same seed gives the first plan.
        let later = generate_focused(
            &rich(),
            &c,
            10,
            seed,
            &f,
            &Recall::new(&history, NOW + 12 * DAY),
        );
        assert_eq!(later, first);
    }
}

#[test]
fn a_reworded_bank_question_is_recognised_by_its_topic() {
    let c = ctx("Backend Engineer", "3-5", "behavioral");
    let f = focus(&[Category::Behavioral], &[]);
    let first = generate_focused(&rich(), &c, 10, 4, &f, &Recall::default());
    // A model reworded every question before it was asked.
    let history: Vec<PastAnswer> = middle(&first)
        .into_iter()
        .filter(|q| q.category == Category::Behavioral)
        .map(|q| {
            let mut a = past(q, Some(9.0), NOW - DAY);
            a.question_text = format!("In your own words: {}", q.text.to_uppercase());
            a
        })
        .collect();
    assert!(!history.is_empty());
    let recall = Recall::new(&history, NOW);
    let again = generate_focused(&rich(), &c, 10, 4, &f, &recall);
    let before: HashSet<&str> = middle(&first)
        .iter()
        .filter(|q| q.category == Category::Behavioral)
        .map(|q| q.text.as_str())
        .collect();
    assert!(
        middle(&again)
            .iter()
            .all(|q| !before.contains(q.text.as_str()))
    );
}

#[test]
fn a_question_answered_poorly_comes_back_after_a_day() {
    let c = ctx("Backend Engineer", "3-5", "mixed");
    let f = focus(&[Category::Behavioral], &[]);
    let first = generate_focused(&rich(), &c, 10, 11, &f, &Recall::default());
    let weak = first
        .iter()
        .find(|q| q.category == Category::Behavioral)
        .unwrap();
    let mut checked = 0;
    for seed in [12u64, 13, 14, 15] {
        let plain = generate_focused(&rich(), &c, 10, seed, &f, &Recall::default());
        if plain.iter().any(|q| q.text == weak.text) {
            continue; // that seed asks it anyway: no evidence either way
        }
        checked += 1;
        // Answered poorly (or skipped) two days ago: due, so it is asked.
        for score in [Some(3.0), None] {
            let h = [past(weak, score, NOW - 2 * DAY)];
            let recall = Recall::new(&h, NOW);
            assert_eq!(
                recall.standing(Category::Behavioral, None, &weak.text),
                Standing::Due
            );
            let qs = generate_focused(&rich(), &c, 10, seed, &f, &recall);
            assert!(
                qs.iter().any(|q| q.text == weak.text),
                "seed {seed}: {:?} not asked again",
                weak.text
            );
        }
        // Answered poorly an hour ago: it rests first.
        let h = [past(weak, Some(3.0), NOW - 3600)];
        let qs = generate_focused(&rich(), &c, 10, seed, &f, &Recall::new(&h, NOW));
        assert!(qs.iter().all(|q| q.text != weak.text), "seed {seed}");
    }
    assert!(checked >= 2, "only {checked} seeds left the question out");
}

/// Answers that tell no story: no situation, no action, no result.
const RAMBLE: &str = "Well, teamwork is important and I think communication matters a lot, \
     people should talk and it generally works out fine in the end, I usually just try my best \
     and things are okay.";

fn technical_answer(q: &Question) -> String {
    format!(
        "For {} I start from the requirements, then measure: at Analytical Engines I profiled \
         the ledger service, found the lock contention in the connection pool, replaced it \
         with a bounded channel and cut p99 latency from 400 ms to 35 ms. The trade-off was \
         more memory per worker, which we capped at 64 MB, and I added load tests so a \
         regression fails CI.",
        q.topic
    )
}

#[test]
fn three_sessions_with_weak_behavioral_answers_plan_behavioral_and_structure() {
    let c = ctx("Backend Engineer", "3-5", "mixed");
    let mut history = Vec::new();
    for (i, days_ago) in [20i64, 9, 2].into_iter().enumerate() {
        let mut s = Session::new(&rich(), c.clone(), 10, 100 + i as u64);
        let mut n = 0;
        while let Some(q) = s.current().cloned() {
            n += 1;
            let answer = match q.category {
                Category::Behavioral | Category::FollowUp => RAMBLE.to_owned(),
                _ => technical_answer(&q),
            };
            let turn = s.record_answer(&answer).unwrap();
            let e = turn.evaluation.unwrap();
            history.push(PastAnswer {
                session_id: format!("session-{i}"),
                question_number: q.number,
                question_text: q.text.clone(),
                topic: Some(q.topic.clone()),
                category: q.category,
                is_follow_up: q.follow_up_of.is_some(),
                skipped: false,
                score: Some(e.score),
                dimensions: Some(e.dimensions),
                answered_at: NOW - days_ago * DAY + n * 90,
                target_role: "Backend Engineer".into(),
                experience_level: "3-5".into(),
                interview_type: "mixed".into(),
            });
        }
    }
    let plan = practice_plan(&history, NOW);
    assert_eq!(plan.status, PlanStatus::Ready, "{plan:#?}");
    assert_eq!(plan.sessions_considered, 3);
    let cats: Vec<Category> = plan.weakest_categories.iter().map(|w| w.category).collect();
    let dims: Vec<Dimension> = plan
        .weakest_dimensions
        .iter()
        .map(|w| w.dimension)
        .collect();
    assert!(cats.contains(&Category::Behavioral), "{cats:?}\n{plan:#?}");
    assert!(dims.contains(&Dimension::Structure), "{dims:?}\n{plan:#?}");
    let behavioral = plan
        .weakest_categories
        .iter()
        .find(|w| w.category == Category::Behavioral)
        .unwrap();
    assert!(behavioral.score.answers >= 3);
    assert!(
        behavioral
            .score
            .evidence
            .iter()
            .all(|e| e.session_id.starts_with("session-") && e.score.is_some())
    );

    // The suggested next interview, created as the route will create it.
    let next = plan.next_interview.unwrap();
    assert_eq!(next.job_context, c);
    let qs = generate_focused(
        &rich(),
        &next.job_context,
        next.num_questions,
        5,
        &next.focus,
        &Recall::new(&history, NOW),
    );
    assert_eq!(qs.len(), usize::from(next.num_questions));
    assert!(2 * in_focus(&qs, &next.focus) >= qs.len());
    // Practising structure asks for more stories than the plain plan would.
    assert!(next.focus.dimensions.contains(&Dimension::Structure));
    let plain = generate(&rich(), &next.job_context, next.num_questions, 5);
    let stories = |qs: &[Question]| qs.iter().filter(|q| q.expects_star).count();
    assert!(
        stories(&qs) > stories(&plain),
        "{} stories focused, {} plain",
        stories(&qs),
        stories(&plain)
    );
}

#[test]
fn a_focus_is_validated_like_client_input() {
    assert!(Focus::new(vec![Category::Closing], vec![]).is_err());
    assert!(Focus::new(vec![Category::FollowUp], vec![]).is_err());
    let err = Focus::new(
        vec![
            Category::Technical,
            Category::Scenario,
            Category::Behavioral,
            Category::Project,
        ],
        vec![],
    )
    .unwrap_err();
    assert_eq!(err.field, "focus.categories");
    let f = Focus::new(
        vec![Category::Behavioral, Category::Behavioral],
        vec![Dimension::Structure, Dimension::Structure],
    )
    .unwrap();
    assert_eq!(f.categories, [Category::Behavioral]);
    assert_eq!(f.dimensions, [Dimension::Structure]);
    assert_eq!(Dimension::parse(" Structure "), Some(Dimension::Structure));
    assert_eq!(Dimension::parse("grammar"), None);
    let json: Focus =
        serde_json::from_str(r#"{"categories": ["behavioral"], "dimensions": ["structure"]}"#)
            .unwrap();
    assert_eq!(json, f);
    // A focus built without validation is tolerated: what cannot be planned is ignored.
    let raw = Focus {
        categories: vec![Category::Closing, Category::Behavioral],
        dimensions: vec![],
    };
    let qs = generate_focused(
        &rich(),
        &ctx("Backend Engineer", "3-5", "mixed"),
        10,
        1,
        &raw,
        &Recall::default(),
    );
    assert_eq!(
        qs.iter()
            .filter(|q| q.category == Category::Closing)
            .count(),
        1
    );
    assert!(
        2 * qs
            .iter()
            .filter(|q| q.category == Category::Behavioral)
            .count()
            >= 10
    );
}
