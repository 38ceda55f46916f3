//! The sentences the scorer measures answers against by meaning: prototype
//! answers per question category, the two kinds of question a candidate asks
//! at the end (about the work, about perks) and the two kinds of sentence an
//! introduction is made of (private life, work). Only their centroids are used;
//! `build.rs` includes this file and stores each list's centroid, embedded
//! with the engine's model, so no cold start embeds them (`semantic.rs`).

use crate::model::Category;

/// Prototype answers per category: what an on-topic answer talks about.
pub(crate) const PROTOTYPES: &[(Category, &[&str])] = &[
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

/// Questions a candidate asks about the work (the team, the role, how success
/// is measured, the product, the challenges) and about what they get (pay,
/// holidays, hours): the first kind shows interest in the job.
pub(crate) const WORK_QUESTIONS: &[&str] = &[
    "How does the team decide what to build next, and how is success measured?",
    "What are the biggest technical challenges the team is facing right now?",
    "What would a great first six months look like in this role?",
    "How is the code reviewed, tested and deployed to production?",
    "Who are the users of the product and how does the team get their feedback?",
    "How are architecture decisions made and documented?",
];

pub(crate) const PERK_QUESTIONS: &[&str] = &[
    "What is the salary range, and is there a signing bonus?",
    "How many vacation days do I get, and can I work from home whenever I want?",
    "When would I be eligible for a raise or a promotion?",
    "Are there free lunches, a gym membership and other perks?",
];

/// Sentences about a candidate's private life, and about their work: an
/// introduction made mostly of the first says little an interviewer needs.
pub(crate) const PERSONAL: &[&str] = &[
    "I grew up in a small town with my parents and two brothers.",
    "In my free time I love hiking, cooking, travelling and playing the guitar.",
    "I have two kids and a dog, and we spend weekends outdoors.",
    "My hobbies are reading novels, watching football and running marathons.",
];

pub(crate) const PROFESSIONAL: &[&str] = &[
    "I work as an engineer on the payments team, where I build and run backend services.",
    "I studied computer science and then joined a startup as a developer.",
    "In my last role I led a project that reduced costs and shipped a new product.",
    "I am applying because this role matches my experience with data and my goals.",
];

/// Every list whose centroid is stored, in the order `build.rs` stores them:
/// the prototypes by category, then the four below.
pub(crate) fn centroid_lists() -> impl Iterator<Item = &'static [&'static str]> {
    PROTOTYPES.iter().map(|(_, list)| *list).chain([
        WORK_QUESTIONS,
        PERK_QUESTIONS,
        PERSONAL,
        PROFESSIONAL,
    ])
}

pub(crate) const WORK_QUESTIONS_AT: usize = PROTOTYPES.len();
pub(crate) const PERK_QUESTIONS_AT: usize = PROTOTYPES.len() + 1;
pub(crate) const PERSONAL_AT: usize = PROTOTYPES.len() + 2;
pub(crate) const PROFESSIONAL_AT: usize = PROTOTYPES.len() + 3;
