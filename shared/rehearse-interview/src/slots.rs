//! The slots of a plan: which kinds of question it asks, in which order of
//! importance, before any is chosen from the bank (`generate` fills them).
//!
//! Without a focus, the plan is an introduction, a closing (from two questions
//! on) and the first `n - 2` kinds of the interview type's sequence below.
//!
//! A focused plan ([`crate::Focus`]): at least half of all questions
//! (`ceil(n / 2)`) are *focus slots*, dealt round-robin over the focus
//! categories, weakest first (technical alternates role questions and questions
//! on the candidate's skills). The introduction stays first and the closing last
//! whenever half can still be focus; in a very short plan the closing goes first
//! (3 questions: the introduction and two focus questions), then the
//! introduction (1 question: one focus question). Of the remaining slots, up to
//! half (rounded up) go to the kinds the focus dimensions prefer
//! ([`preferred_kinds`]), the rest follow the interview type's sequence without
//! the focus categories, for breadth.

use std::collections::BTreeMap;

use crate::bank::Kind;
use crate::model::{Category, Dimension, Focus, InterviewType};

/// The middle of an interview, in order of importance: a budget of `n` keeps the
/// first `n - 2` (the introduction and closing take the other two).
/// In a ten-question interview at least half the questions are about the
/// candidate's own material (employers, projects, listed skills, achievements):
/// the first eight slots hold five of them.
const TECHNICAL_PLAN: [Kind; 18] = [
    Kind::Project,
    Kind::Technical,
    Kind::Skill,
    Kind::Experience,
    Kind::Technical,
    Kind::Skill,
    Kind::Scenario,
    Kind::Project,
    Kind::Technical,
    Kind::Experience,
    Kind::Scenario,
    Kind::Technical,
    Kind::Skill,
    Kind::Behavioral,
    Kind::Technical,
    Kind::Project,
    Kind::Scenario,
    Kind::Technical,
];

const MIXED_PLAN: [Kind; 18] = [
    Kind::Project,
    Kind::Technical,
    Kind::Experience,
    Kind::Behavioral,
    Kind::Skill,
    Kind::Project,
    Kind::Scenario,
    Kind::Skill,
    Kind::Technical,
    Kind::Behavioral,
    Kind::Experience,
    Kind::Scenario,
    Kind::Technical,
    Kind::Skill,
    Kind::Behavioral,
    Kind::Technical,
    Kind::Scenario,
    Kind::Project,
];

const BEHAVIORAL_PLAN: [Kind; 18] = [
    Kind::Experience,
    Kind::Behavioral,
    Kind::Project,
    Kind::Behavioral,
    Kind::Experience,
    Kind::Scenario,
    Kind::Resume,
    Kind::Project,
    Kind::Behavioral,
    Kind::Scenario,
    Kind::Experience,
    Kind::Behavioral,
    Kind::Resume,
    Kind::Scenario,
    Kind::Behavioral,
    Kind::Behavioral,
    Kind::Scenario,
    Kind::Behavioral,
];

pub(crate) fn category(kind: Kind) -> Category {
    match kind {
        Kind::Intro => Category::Introduction,
        Kind::Closing => Category::Closing,
        Kind::Project => Category::Project,
        Kind::Experience => Category::Experience,
        Kind::Resume => Category::Resume,
        Kind::Skill | Kind::Technical => Category::Technical,
        Kind::Scenario => Category::Scenario,
        Kind::Behavioral => Category::Behavioral,
        Kind::FollowUp => Category::FollowUp,
    }
}

/// The plannable kinds of a category, the usual one first.
pub(crate) fn kinds_of(c: Category) -> &'static [Kind] {
    match c {
        Category::Technical => &[Kind::Technical, Kind::Skill],
        Category::Project => &[Kind::Project],
        Category::Experience => &[Kind::Experience],
        Category::Resume => &[Kind::Resume],
        Category::Scenario => &[Kind::Scenario],
        Category::Behavioral => &[Kind::Behavioral],
        Category::Introduction | Category::Closing | Category::FollowUp => &[],
    }
}

/// The kind of the `nth` focus slot of category `c` (technical alternates the
/// role's questions and the candidate's skills).
fn focus_kind(c: Category, nth: usize) -> Option<Kind> {
    let kinds = kinds_of(c);
    kinds.get(nth % kinds.len().max(1)).copied()
}

/// The slot kinds a focus dimension prefers, most telling first.
fn preferred_kinds(d: Dimension) -> &'static [Kind] {
    match d {
        Dimension::Structure => &[Kind::Behavioral, Kind::Experience],
        Dimension::Specificity => &[Kind::Experience, Kind::Project],
        Dimension::Depth => &[Kind::Skill, Kind::Technical],
        Dimension::Relevance => &[Kind::Scenario, Kind::Technical],
        Dimension::Communication => &[Kind::Behavioral, Kind::Scenario],
    }
}

/// A focus as planning uses it: plannable categories only, no duplicates, at
/// most [`Focus::MAX`] of each (a focus built without [`Focus::new`] is
/// tolerated, not trusted).
pub(crate) fn normalized(focus: &Focus) -> (Vec<Category>, Vec<Dimension>) {
    let mut cats: Vec<Category> = Vec::new();
    for &c in &focus.categories {
        if !kinds_of(c).is_empty() && !cats.contains(&c) && cats.len() < Focus::MAX {
            cats.push(c);
        }
    }
    let mut dims: Vec<Dimension> = Vec::new();
    for &d in &focus.dimensions {
        if !dims.contains(&d) && dims.len() < Focus::MAX {
            dims.push(d);
        }
    }
    (cats, dims)
}

/// The slots of a plan of `n` (already clamped) questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub intro: bool,
    pub closing: bool,
    /// Focus slots, filled first.
    pub focus: Vec<Kind>,
    /// The other middle slots, in the order they are filled.
    pub rest: Vec<Kind>,
}

pub(crate) fn layout(
    n: usize,
    itype: InterviewType,
    cats: &[Category],
    dims: &[Dimension],
) -> Layout {
    let sequence: &[Kind] = match itype {
        InterviewType::Technical => &TECHNICAL_PLAN,
        InterviewType::Mixed => &MIXED_PLAN,
        InterviewType::Behavioral => &BEHAVIORAL_PLAN,
    };
    if cats.is_empty() && dims.is_empty() {
        // Today's plan, exactly.
        return Layout {
            intro: true,
            closing: n >= 2,
            focus: Vec::new(),
            rest: sequence.iter().copied().take(n.saturating_sub(2)).collect(),
        };
    }
    let need = if cats.is_empty() { 0 } else { n.div_ceil(2) };
    let intro = n > need;
    let closing = n >= 2 && n - usize::from(intro) > need;
    let middle = n - usize::from(intro) - usize::from(closing);
    let mut dealt = vec![0usize; cats.len()];
    let focus: Vec<Kind> = (0..need)
        .filter_map(|i| {
            let at = i % cats.len();
            let c = *cats.get(at)?;
            let nth = dealt.get_mut(at)?;
            *nth += 1;
            focus_kind(c, *nth - 1)
        })
        .collect();
    let others = middle.saturating_sub(focus.len());
    let in_focus = |k: &Kind| cats.contains(&category(*k));
    let mut rest: Vec<Kind> = Vec::with_capacity(others);
    // Up to half of the other slots (rounded up) for the dimensions, in turn.
    let mut used = vec![0usize; dims.len()];
    for i in 0..others.div_ceil(2) {
        let at = i % dims.len().max(1);
        let (Some(d), Some(count)) = (dims.get(at), used.get_mut(at)) else {
            break;
        };
        let kinds: Vec<Kind> = preferred_kinds(*d)
            .iter()
            .copied()
            .filter(|k| !in_focus(k))
            .collect();
        if let Some(k) = kinds.get(*count % kinds.len().max(1)) {
            rest.push(*k);
        }
        *count += 1;
    }
    // The rest in the interview type's order, without the focus categories.
    let breadth: Vec<Kind> = sequence.iter().copied().filter(|k| !in_focus(k)).collect();
    let breadth = if breadth.is_empty() {
        sequence.to_vec()
    } else {
        breadth
    };
    rest.extend(breadth.iter().cycle().take(others - rest.len()));
    Layout {
        intro,
        closing,
        focus,
        rest,
    }
}

/// The categories a plan of `num_questions` asks, and how many of each, as
/// `generate` lays them out for `itype` and `focus` (before the resume has
/// its say: a slot for material the resume lacks falls back to another kind).
pub(crate) fn mix(
    num_questions: u8,
    itype: InterviewType,
    focus: &Focus,
) -> BTreeMap<Category, u8> {
    let n = usize::from(num_questions.clamp(1, 20));
    let (cats, dims) = normalized(focus);
    let l = layout(n, itype, &cats, &dims);
    let mut out: BTreeMap<Category, u8> = BTreeMap::new();
    let fixed = [
        (l.intro, Category::Introduction),
        (l.closing, Category::Closing),
    ];
    let slots = fixed
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, c)| c)
        .chain(l.focus.iter().chain(&l.rest).map(|k| category(*k)));
    for c in slots {
        *out.entry(c).or_insert(0) += 1;
    }
    out
}
