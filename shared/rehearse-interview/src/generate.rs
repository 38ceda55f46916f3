//! Planning a session's questions: an introduction, questions about the
//! candidate's own employers, projects and skills, role questions at the level's
//! difficulty, scenario and behavioral questions, and a closing one.
//!
//! The plan is a fixed sequence of slot kinds per interview type (`slots`), cut
//! to the budget (so a short interview keeps the most telling questions), each slot
//! filled from the bank with fallbacks when the resume or the bank has nothing
//! left for it (no projects: another employer question; no employers: a skill
//! question...). Every choice draws from one seeded generator, so a seed always
//! gives the same plan.
//!
//! A focused plan ([`crate::Focus`], for practice on weak areas) keeps that
//! shape with three changes, and without a focus or history is exactly the plan
//! above:
//! - Slots (`slots`): at least half of all questions are focus slots, the
//!   introduction first and the closing last while that half still fits. A
//!   focus slot that cannot be filled (a project slot for a resume without
//!   projects, a category whose questions all rest) tries the other focus
//!   categories before the usual fallbacks, so the half holds whenever a focus
//!   category has questions left: for technical, scenario and behavioral the
//!   bank has plenty; for resume, experience and project, as far as the resume
//!   goes.
//! - Dimensions steer, in the order given: `structure` prefers behavioral and
//!   experience slots and questions scored for STAR; `specificity` experience and
//!   project slots and questions that quote the candidate's own achievements or
//!   material; `depth` skill and technical slots, pitched one step harder;
//!   `relevance` scenario and technical slots; `communication` behavioral and
//!   scenario slots and questions that ask to explain. A preference only narrows
//!   the candidates when some satisfy it.
//! - Spaced repetition ([`crate::Recall`]): a question that rests is not
//!   asked; a due one is asked before the other candidates of its slot.
//!   Introductions and closings are exempt (there are few, and every session
//!   has them).
//!
//! The intended mix of a plan (categories and counts) is `slots::mix`, computed
//! from the same slots.

use std::collections::{HashMap, HashSet};

use rehearse_resume::Resume;

use crate::bank::{self, ANY, Entry, Family, Kind};
use crate::facts::Facts;
use crate::model::{
    Category, Difficulty, Dimension, Focus, InterviewType, JobContext, Level, Question,
};
use crate::repetition::{Recall, Standing};
use crate::rng::Rng;
use crate::slots::{self, category, kinds_of};

/// Where a slot goes when it cannot be filled.
fn fallbacks(kind: Kind, itype: InterviewType) -> &'static [Kind] {
    let behavioral = itype == InterviewType::Behavioral;
    match kind {
        Kind::Project if behavioral => &[
            Kind::Experience,
            Kind::Resume,
            Kind::Behavioral,
            Kind::Scenario,
        ],
        Kind::Project => &[
            Kind::Experience,
            Kind::Skill,
            Kind::Technical,
            Kind::Scenario,
            Kind::Behavioral,
        ],
        Kind::Experience if behavioral => &[
            Kind::Project,
            Kind::Resume,
            Kind::Behavioral,
            Kind::Scenario,
        ],
        Kind::Experience => &[
            Kind::Project,
            Kind::Skill,
            Kind::Resume,
            Kind::Technical,
            Kind::Scenario,
        ],
        Kind::Resume => &[
            Kind::Experience,
            Kind::Project,
            Kind::Behavioral,
            Kind::Scenario,
        ],
        // Without a skill worth asking about for this role, the candidate's own
        // work comes before the role's generic bank.
        Kind::Skill => &[
            Kind::Experience,
            Kind::Project,
            Kind::Technical,
            Kind::Scenario,
            Kind::Behavioral,
        ],
        Kind::Technical => &[Kind::Skill, Kind::Scenario, Kind::Behavioral],
        Kind::Scenario => &[Kind::Technical, Kind::Behavioral, Kind::Skill],
        Kind::Behavioral => &[
            Kind::Scenario,
            Kind::Experience,
            Kind::Resume,
            Kind::Technical,
        ],
        Kind::Intro | Kind::Closing | Kind::FollowUp => &[],
    }
}

/// Difficulty of the n-th question of a kind at a level: mostly the level's own,
/// with an easier warm-up and a harder stretch.
fn target_difficulty(kind: Kind, level: Level, nth: usize) -> Difficulty {
    use Difficulty::{Easy as E, Hard as H, Medium as M};
    let pattern: &[Difficulty] = match (kind, level) {
        (Kind::Behavioral | Kind::Scenario, Level::Fresher) => &[E, E, M],
        (Kind::Behavioral | Kind::Scenario, Level::Junior) => &[E, M, M],
        (Kind::Behavioral | Kind::Scenario, Level::Mid) => &[M, M, H],
        (Kind::Behavioral | Kind::Scenario, Level::Senior) => &[H, M, H],
        (_, Level::Fresher) => &[E, E, M, E, M, E],
        (_, Level::Junior) => &[E, M, M, E, M, H],
        (_, Level::Mid) => &[M, M, H, M, H, M],
        (_, Level::Senior) => &[M, H, H, H, M, H],
    };
    pattern.get(nth % pattern.len()).copied().unwrap_or(M)
}

/// The difficulties to try after the target, nearest to the level first.
fn preference(level: Level) -> [Difficulty; 3] {
    use Difficulty::{Easy as E, Hard as H, Medium as M};
    match level {
        Level::Fresher => [E, M, H],
        Level::Junior => [M, E, H],
        Level::Mid => [M, H, E],
        Level::Senior => [H, M, E],
    }
}

/// Questions that ask for a story from the past are scored for STAR.
pub(crate) fn expects_star(kind: Kind, text: &str) -> bool {
    let t = text.to_lowercase();
    kind == Kind::Behavioral
        || [
            "a time ",
            "an occasion",
            "a situation where",
            "a situation when",
        ]
        .iter()
        .any(|p| t.contains(p))
}

/// A question chosen for the plan, before numbering.
#[derive(Debug, Clone)]
struct Picked {
    kind: Kind,
    text: String,
    topic: String,
    keywords: Vec<String>,
    difficulty: Difficulty,
}

/// Values bound to a template's placeholders.
type Binding = Vec<(String, String)>;

pub(crate) fn render(template: &str, binding: &Binding) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open)?);
        let after = rest.get(open + 1..)?;
        let close = after.find('}')?;
        let name = after.get(..close)?;
        let value = binding.iter().find(|(k, _)| k == name).map(|(_, v)| v)?;
        out.push_str(value);
        rest = after.get(close + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

struct Planner<'a> {
    facts: &'a Facts,
    family: &'a Family,
    itype: InterviewType,
    level: Level,
    rng: Rng,
    /// The focus dimensions, in order (empty without a focus).
    steer: &'a [Dimension],
    recall: &'a Recall,
    used_entries: HashSet<usize>,
    used_texts: HashSet<String>,
    employer_uses: Vec<u32>,
    project_uses: Vec<u32>,
    used_claims: HashSet<String>,
    used_skills: HashSet<String>,
    nth: HashMap<Kind, usize>,
    max_uses: u32,
}

/// How often one employer or project may anchor a question: once in a short
/// interview (two questions on one hobby project out of ten is lopsided), twice
/// in a long one.
/// How many questions one employer or project may anchor: two (from different
/// angles), three in long interviews or when the resume has only one or two of
/// them, so a thin resume still fills half an interview with its own material.
fn max_uses(budget: usize, items: usize) -> u32 {
    if budget > 12 || items <= 2 { 3 } else { 2 }
}

impl<'a> Planner<'a> {
    fn family_chain(&self, kind: Kind) -> Vec<String> {
        let b = bank::bank();
        let mut chain = vec![self.family.id.to_owned()];
        let mut next = self.family.fallback;
        while let Some(id) = next {
            if chain.iter().any(|c| c == id) {
                break;
            }
            next = b.family(id).and_then(|f| f.fallback);
            chain.push(id.to_owned());
        }
        if kind == Kind::Scenario || kind == Kind::Behavioral {
            chain.push(ANY.to_owned());
        }
        chain
    }

    /// Bind the placeholders of `e`, choosing the least-used employer or project.
    fn bind(&self, e: &Entry, skill: Option<&str>) -> Option<Binding> {
        let f = self.facts;
        let mut b: Binding = Vec::new();
        let needs = e.placeholders();
        let wants = |p: &str| needs.contains(&p);
        if wants("name") {
            b.push(("name".into(), f.first_name.clone()?));
        }
        if wants("role") {
            b.push(("role".into(), f.role.clone()));
        }
        if wants("target_company") {
            b.push(("target_company".into(), f.target_company.clone()?));
        }
        if wants("school") {
            b.push(("school".into(), f.school.clone()?));
        }
        if wants("field") {
            b.push(("field".into(), f.field.clone()?));
        }
        let claim_needed = wants("claim");
        if e.kind == Kind::Project || wants("project") || wants("project_tech") {
            let mut order: Vec<usize> = (0..f.projects.len()).collect();
            order.sort_by_key(|&i| (self.project_uses.get(i).copied().unwrap_or(0), i));
            let chosen = order.into_iter().find_map(|i| {
                let p = f.projects.get(i)?;
                if self.project_uses.get(i).copied().unwrap_or(0) >= self.max_uses {
                    return None;
                }
                let mut pb: Binding = vec![("project".into(), p.title.clone())];
                if wants("project_tech") {
                    pb.push(("project_tech".into(), p.tech.first()?.clone()));
                }
                if claim_needed {
                    let c = p.claims.iter().find(|c| !self.used_claims.contains(*c))?;
                    pb.push(("claim".into(), c.clone()));
                }
                Some(pb)
            })?;
            b.extend(chosen);
        } else if e.kind == Kind::Experience || wants("company") || wants("title") {
            let mut order: Vec<usize> = (0..f.employers.len()).collect();
            order.sort_by_key(|&i| (self.employer_uses.get(i).copied().unwrap_or(0), i));
            let chosen = order.into_iter().find_map(|i| {
                let em = f.employers.get(i)?;
                if self.employer_uses.get(i).copied().unwrap_or(0) >= self.max_uses {
                    return None;
                }
                let mut eb: Binding = vec![("company".into(), em.company.clone())];
                if wants("title") {
                    eb.push(("title".into(), em.title.clone()?));
                }
                if claim_needed {
                    let c = em.claims.iter().find(|c| !self.used_claims.contains(*c))?;
                    eb.push(("claim".into(), c.clone()));
                }
                Some(eb)
            })?;
            b.extend(chosen);
        } else if claim_needed {
            return None;
        }
        let mut skills_taken: Vec<String> = Vec::new();
        for p in &needs {
            if let Some(cat) = p.strip_prefix("skill:") {
                let s = match skill {
                    Some(s) if f.skills.iter().any(|x| x.name == s && x.category == cat) => {
                        s.to_owned()
                    }
                    Some(_) => return None,
                    None => f
                        .skills
                        .iter()
                        .find(|x| x.category == cat && !self.used_skills.contains(&x.name))?
                        .name
                        .clone(),
                };
                skills_taken.push(s.clone());
                b.push(((*p).to_owned(), s));
            }
        }
        if wants("skill") {
            let s = match skill {
                Some(s) => s.to_owned(),
                None => f
                    .skills
                    .iter()
                    .find(|x| {
                        !self.used_skills.contains(&x.name) && !skills_taken.contains(&x.name)
                    })?
                    .name
                    .clone(),
            };
            skills_taken.push(s.clone());
            b.push(("skill".into(), s));
        }
        if wants("skill2") {
            let s = f
                .skills
                .iter()
                .find(|x| !self.used_skills.contains(&x.name) && !skills_taken.contains(&x.name))?
                .name
                .clone();
            b.push(("skill2".into(), s));
        }
        Some(b)
    }

    /// Render an entry if it can be asked now.
    fn candidate(
        &self,
        idx: usize,
        e: &Entry,
        skill: Option<&str>,
    ) -> Option<(usize, Binding, String)> {
        if self.used_entries.contains(&idx) || !e.suits(self.level) {
            return None;
        }
        let binding = self.bind(e, skill)?;
        let text = render(e.text, &binding)?;
        if self.used_texts.contains(&text.to_lowercase()) {
            return None;
        }
        if self.standing(e, &text) == Standing::Resting {
            return None;
        }
        Some((idx, binding, text))
    }

    /// What spaced repetition says about asking `e` as `text` (introductions and
    /// closings are always free).
    fn standing(&self, e: &Entry, text: &str) -> Standing {
        if self.recall.is_empty() || matches!(e.kind, Kind::Intro | Kind::Closing | Kind::FollowUp)
        {
            return Standing::Free;
        }
        let fixed_topic = bank::placeholders(e.topic).is_empty().then_some(e.topic);
        self.recall.standing(category(e.kind), fixed_topic, text)
    }

    /// Due questions first, then the focus dimensions' preferences, each only
    /// when some candidate satisfies it. Draws nothing from the generator, and
    /// returns `candidates` untouched without history or dimensions.
    fn prefer(
        &self,
        kind: Kind,
        candidates: Vec<(usize, Binding, String)>,
    ) -> Vec<(usize, Binding, String)> {
        let b = bank::bank();
        let narrow = |cs: Vec<(usize, Binding, String)>,
                      keep: &dyn Fn(&(usize, Binding, String)) -> bool| {
            if cs.iter().any(keep) {
                cs.into_iter().filter(|c| keep(c)).collect()
            } else {
                cs
            }
        };
        let mut cs = candidates;
        if !self.recall.is_empty() {
            cs = narrow(cs, &|(i, _, text)| {
                b.entries
                    .get(*i)
                    .is_some_and(|e| self.standing(e, text) == Standing::Due)
            });
        }
        for d in self.steer {
            cs = match d {
                Dimension::Structure => narrow(cs, &|(_, _, text)| expects_star(kind, text)),
                Dimension::Specificity => {
                    let cs = narrow(cs, &|(_, binding, _)| {
                        binding
                            .iter()
                            .any(|(k, v)| k == "claim" && v.chars().any(|c| c.is_ascii_digit()))
                    });
                    narrow(cs, &|(_, binding, _)| {
                        binding.iter().any(|(k, _)| {
                            matches!(k.as_str(), "claim" | "company" | "project" | "skill")
                                || k.starts_with("skill:")
                        })
                    })
                }
                Dimension::Communication => narrow(cs, &|(_, _, text)| {
                    let t = text.to_lowercase();
                    ["explain", "walk me through", "non-technical", "describe"]
                        .iter()
                        .any(|p| t.contains(p))
                }),
                Dimension::Depth | Dimension::Relevance => cs,
            };
        }
        cs
    }

    /// Pick among candidates: the target difficulty first, then the level's
    /// nearest, at random within a difficulty.
    fn choose(
        &mut self,
        kind: Kind,
        candidates: Vec<(usize, Binding, String)>,
    ) -> Option<(usize, Binding, String)> {
        if candidates.is_empty() {
            return None;
        }
        // A practice session's preferences come first (due questions, the focus
        // dimensions); they leave `candidates` as they are otherwise.
        let candidates = self.prefer(kind, candidates);
        // An achievement the resume states with its numbers ("cut p99 from 900 ms
        // to 120 ms") is the best question about an employer or project: ask one
        // as soon as a slot for it comes up.
        let claims: Vec<(usize, Binding, String)> = candidates
            .iter()
            .filter(|(_, b, _)| {
                b.iter()
                    .any(|(k, v)| k == "claim" && v.chars().any(|c| c.is_ascii_digit()))
            })
            .cloned()
            .collect();
        let candidates = if matches!(kind, Kind::Experience | Kind::Project)
            && self.used_claims.is_empty()
            && !claims.is_empty()
        {
            claims
        } else {
            candidates
        };
        // A question about the resume names something on it ("Your resume lists
        // Kafka...") rather than asking about it in general.
        let own: Vec<(usize, Binding, String)> = candidates
            .iter()
            .filter(|(_, b, _)| {
                b.iter().any(|(k, _)| {
                    matches!(
                        k.as_str(),
                        "skill" | "skill2" | "company" | "project" | "claim"
                    ) || k.starts_with("skill:")
                })
            })
            .cloned()
            .collect();
        let candidates = if kind == Kind::Resume && !own.is_empty() {
            own
        } else {
            candidates
        };
        let nth = self.nth.get(&kind).copied().unwrap_or(0);
        let mut target = target_difficulty(kind, self.level, nth);
        // Practising depth: the technical questions one step harder.
        if self.steer.contains(&Dimension::Depth)
            && matches!(kind, Kind::Skill | Kind::Technical | Kind::Scenario)
        {
            target = harder(target);
        }
        let b = bank::bank();
        let mut order = vec![target];
        order.extend(preference(self.level).into_iter().filter(|d| *d != target));
        for d in order {
            let group: Vec<&(usize, Binding, String)> = candidates
                .iter()
                .filter(|(i, _, _)| {
                    b.entries
                        .get(*i)
                        .is_some_and(|e| e.pitch.at(self.level) == d)
                })
                .collect();
            if let Some(chosen) = self.rng.pick(&group) {
                return Some((*chosen).clone());
            }
        }
        None
    }

    fn commit(
        &mut self,
        kind: Kind,
        idx: usize,
        binding: &Binding,
        text: String,
    ) -> Option<Picked> {
        let e = bank::bank().entries.get(idx)?;
        self.used_entries.insert(idx);
        self.used_texts.insert(text.to_lowercase());
        *self.nth.entry(kind).or_insert(0) += 1;
        let value = |k: &str| binding.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let Some(c) = value("company")
            && let Some(i) = self.facts.employers.iter().position(|x| x.company == c)
            && let Some(u) = self.employer_uses.get_mut(i)
        {
            *u += 1;
        }
        if let Some(p) = value("project")
            && let Some(i) = self.facts.projects.iter().position(|x| x.title == p)
            && let Some(u) = self.project_uses.get_mut(i)
        {
            *u += 1;
        }
        if let Some(c) = value("claim") {
            self.used_claims.insert(c);
        }
        let mut keywords: Vec<String> = e.keywords.iter().map(|k| (*k).to_owned()).collect();
        for (k, v) in binding {
            if k.starts_with("skill") || k == "project_tech" {
                self.used_skills.insert(v.clone());
            }
            if k.starts_with("skill")
                || matches!(k.as_str(), "project_tech" | "company" | "project")
            {
                keywords.push(v.clone());
            }
        }
        let topic = render(e.topic, binding).unwrap_or_else(|| e.topic.to_owned());
        Some(Picked {
            kind,
            text,
            topic,
            keywords,
            difficulty: e.pitch.at(self.level),
        })
    }

    fn pick_from(&mut self, kind: Kind, families: &[String]) -> Option<Picked> {
        let b = bank::bank();
        for fam in families {
            let mut candidates: Vec<(usize, Binding, String)> = b
                .of(fam, kind)
                .filter_map(|(i, e)| self.candidate(i, e, None))
                .collect();
            // Name the target company, and greet by name, whenever the facts allow.
            if matches!(kind, Kind::Intro | Kind::Closing) {
                for key in ["target_company", "name"] {
                    let has = |c: &(usize, Binding, String)| c.1.iter().any(|(k, _)| k == key);
                    if candidates.iter().any(has) {
                        candidates.retain(has);
                    }
                }
            }
            if let Some((idx, binding, text)) = self.choose(kind, candidates) {
                return self.commit(kind, idx, &binding, text);
            }
        }
        None
    }

    fn pick_skill(&mut self) -> Option<Picked> {
        let b = bank::bank();
        let unused: Vec<(String, &'static str)> = self
            .facts
            .skills
            .iter()
            .filter(|s| !self.used_skills.contains(&s.name))
            .take(4)
            .map(|s| (s.name.clone(), s.category))
            .collect();
        if unused.is_empty() {
            return None;
        }
        // The most relevant skills, in a seeded order, so sessions vary.
        let mut order: Vec<usize> = (0..unused.len().min(3)).collect();
        self.rng.shuffle(&mut order);
        order.extend(3..unused.len());
        for i in order {
            let Some((name, cat)) = unused.get(i) else {
                continue;
            };
            let typed_key = format!("skill:{cat}");
            let mut typed = Vec::new();
            let mut generic = Vec::new();
            for (idx, e) in b.of(ANY, Kind::Skill) {
                let ps = e.placeholders();
                let Some(c) = self.candidate(idx, e, Some(name)) else {
                    continue;
                };
                if ps.contains(&typed_key.as_str()) {
                    typed.push(c);
                } else if ps.contains(&"skill") {
                    generic.push(c);
                }
            }
            let pool = if !typed.is_empty() && (generic.is_empty() || self.rng.below(10) < 7) {
                typed
            } else {
                generic
            };
            if let Some((idx, binding, text)) = self.choose(Kind::Skill, pool) {
                return self.commit(Kind::Skill, idx, &binding, text);
            }
        }
        None
    }

    fn pick(&mut self, kind: Kind) -> Option<Picked> {
        match kind {
            Kind::Skill => self.pick_skill(),
            Kind::Technical | Kind::Scenario => {
                let chain = self.family_chain(kind);
                self.pick_from(kind, &chain)
            }
            _ => self.pick_from(kind, &[ANY.to_owned()]),
        }
    }

    fn pick_with_fallback(&mut self, kind: Kind) -> Option<Picked> {
        if let Some(p) = self.pick(kind) {
            return Some(p);
        }
        for &k in fallbacks(kind, self.itype) {
            if let Some(p) = self.pick(k) {
                return Some(p);
            }
        }
        // Last resort: anything unused from any family, so the count is exact.
        let b = bank::bank();
        for k in [Kind::Technical, Kind::Scenario, Kind::Behavioral] {
            let all: Vec<String> = b.families.iter().map(|f| f.id.to_owned()).collect();
            if let Some(p) = self.pick_from(k, &all) {
                return Some(p);
            }
        }
        None
    }

    /// A focus slot: its kind, else the other kinds of its category, else the
    /// kinds of the other focus categories, and only then the usual fallbacks.
    fn pick_focus(&mut self, kind: Kind, focus: &[Category]) -> Option<Picked> {
        if let Some(p) = self.pick(kind) {
            return Some(p);
        }
        let own = category(kind);
        let others = focus.iter().filter(|c| **c != own);
        for c in std::iter::once(&own).chain(others) {
            for &k in kinds_of(*c) {
                if k != kind
                    && let Some(p) = self.pick(k)
                {
                    return Some(p);
                }
            }
        }
        self.pick_with_fallback(kind)
    }
}

fn harder(d: Difficulty) -> Difficulty {
    match d {
        Difficulty::Easy => Difficulty::Medium,
        Difficulty::Medium | Difficulty::Hard => Difficulty::Hard,
    }
}

fn order_rank(kind: Kind, level: Level) -> u8 {
    match (kind, level) {
        (Kind::Intro, _) => 0,
        (Kind::Resume, _) => 1,
        (Kind::Project, Level::Fresher) | (Kind::Experience, _) => 2,
        (Kind::Project, _) => 3,
        (Kind::Skill | Kind::Technical, _) => 4,
        (Kind::Scenario, _) => 5,
        (Kind::Behavioral, _) => 6,
        (Kind::FollowUp, _) => 7,
        (Kind::Closing, _) => 8,
    }
}

fn difficulty_rank(d: Difficulty) -> u8 {
    match d {
        Difficulty::Easy => 0,
        Difficulty::Medium => 1,
        Difficulty::Hard => 2,
    }
}

pub(crate) fn generate(
    resume: &Resume,
    ctx: &JobContext,
    num_questions: u8,
    seed: u64,
) -> Vec<Question> {
    focused(
        resume,
        ctx,
        num_questions,
        seed,
        &Focus::default(),
        &Recall::default(),
    )
}

/// [`generate`] with a focus and spaced repetition (see the module's docs);
/// with an empty focus and an empty recall, exactly [`generate`].
pub(crate) fn focused(
    resume: &Resume,
    ctx: &JobContext,
    num_questions: u8,
    seed: u64,
    focus: &Focus,
    recall: &Recall,
) -> Vec<Question> {
    let n = usize::from(num_questions.clamp(1, 20));
    let (cats, dims) = slots::normalized(focus);
    let slots = slots::layout(n, ctx.interview_type, &cats, &dims);
    let family = crate::roles::family_for(&ctx.target_role);
    let facts = Facts::new(resume, ctx, family);
    let mut planner = Planner {
        facts: &facts,
        family,
        itype: ctx.interview_type,
        level: ctx.experience_level,
        rng: Rng::derive(seed, "plan"),
        steer: &dims,
        recall,
        used_entries: HashSet::new(),
        used_texts: HashSet::new(),
        employer_uses: vec![0; facts.employers.len()],
        project_uses: vec![0; facts.projects.len()],
        used_claims: HashSet::new(),
        used_skills: HashSet::new(),
        nth: HashMap::new(),
        max_uses: max_uses(n, facts.employers.len() + facts.projects.len()),
    };
    let mut picked: Vec<Picked> = Vec::with_capacity(n);
    if slots.intro {
        picked.extend(planner.pick_with_fallback(Kind::Intro));
    }
    let closing = if slots.closing {
        planner.pick_with_fallback(Kind::Closing)
    } else {
        None
    };
    let mut body: Vec<Picked> = Vec::with_capacity(slots.focus.len() + slots.rest.len());
    for &kind in &slots.focus {
        body.extend(planner.pick_focus(kind, &cats));
    }
    for &kind in &slots.rest {
        body.extend(planner.pick_with_fallback(kind));
    }
    // Background first, then technical depth from easy to hard, then situations
    // and stories: the order a real interviewer would follow.
    let level = ctx.experience_level;
    body.sort_by_key(|p| {
        (
            order_rank(p.kind, level),
            match p.kind {
                Kind::Skill | Kind::Technical => difficulty_rank(p.difficulty),
                _ => 0,
            },
        )
    });
    picked.extend(body);
    picked.extend(closing);
    // The bank always has enough unused questions; this keeps the count exact
    // even if it were edited down to nothing.
    let mut extra = 0;
    while picked.len() < n {
        extra += 1;
        picked.insert(
            picked.len().saturating_sub(1).max(1).min(picked.len()),
            Picked {
                kind: Kind::Resume,
                text: format!(
                    "Tell me about another piece of work you're proud of (number {extra}): what \
                 was your part and what came of it?"
                ),
                topic: format!("achievement {extra}"),
                keywords: vec!["project".into(), "role".into(), "result".into()],
                difficulty: Difficulty::Medium,
            },
        );
    }
    picked.truncate(n);
    picked
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let number = i as u32 + 1;
            Question {
                id: format!("q{number}"),
                number,
                expects_star: expects_star(p.kind, &p.text),
                text: p.text,
                category: category(p.kind),
                difficulty: p.difficulty,
                topic: p.topic,
                follow_up_of: None,
                keywords: p.keywords,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_every_placeholder_or_fails() {
        let b: Binding = vec![
            ("name".into(), "Ada".into()),
            ("skill:database".into(), "Redis".into()),
        ];
        assert_eq!(
            render("Hi {name}, {skill:database}?", &b).as_deref(),
            Some("Hi Ada, Redis?")
        );
        assert_eq!(render("Hi {company}", &b), None);
    }

    #[test]
    fn star_is_expected_for_stories() {
        assert!(expects_star(
            Kind::Experience,
            "Tell me about a time at Acme when..."
        ));
        assert!(expects_star(
            Kind::Behavioral,
            "How do you handle feedback?"
        ));
        assert!(!expects_star(Kind::Technical, "Explain the event loop."));
    }

    #[test]
    fn difficulty_follows_the_level() {
        assert_eq!(
            target_difficulty(Kind::Technical, Level::Fresher, 0),
            Difficulty::Easy
        );
        assert_eq!(
            target_difficulty(Kind::Technical, Level::Senior, 1),
            Difficulty::Hard
        );
    }
}
