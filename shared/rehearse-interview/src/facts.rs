//! What the questions may say about the candidate, cleaned from the parsed resume.
//! Parsed resumes are noisy (a location read as an employer, template
//! placeholders like "xxx", run-together bullets), and a question that quotes
//! noise back makes the whole interview look broken, so anything doubtful is left
//! out rather than asked about.

use std::collections::HashSet;

use rehearse_resume::Resume;

use crate::bank::Family;
use crate::model::JobContext;
use crate::places_dates::{COUNTRIES, is_date_like, is_place};
use crate::skills;

#[derive(Debug, Clone)]
pub(crate) struct Employer {
    pub company: String,
    pub title: Option<String>,
    /// Achievements from the description, best first, ready to quote.
    pub claims: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ProjectFact {
    pub title: String,
    /// Concrete technologies used (languages, frameworks, databases...).
    pub tech: Vec<String>,
    pub claims: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct SkillFact {
    pub name: String,
    pub category: &'static str,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub first_name: Option<String>,
    /// The target role as the candidate wrote it, tidied.
    pub role: String,
    pub target_company: Option<String>,
    /// Most recent first, one per company.
    pub employers: Vec<Employer>,
    pub projects: Vec<ProjectFact>,
    /// Most relevant to the role first.
    pub skills: Vec<SkillFact>,
    pub school: Option<String>,
    pub field: Option<String>,
}

impl Facts {
    pub(crate) fn new(resume: &Resume, ctx: &JobContext, family: &Family) -> Self {
        let education = resume
            .education
            .iter()
            .find(|e| e.institution.as_deref().and_then(clean_name).is_some());
        Self {
            first_name: resume.name.as_deref().and_then(first_name),
            role: tidy(&ctx.target_role),
            target_company: ctx.company.as_deref().and_then(clean_name),
            employers: employers(resume),
            projects: projects(resume),
            skills: ranked_skills(resume, ctx, family),
            school: education.and_then(|e| e.institution.as_deref().and_then(clean_name)),
            field: education
                .and_then(|e| e.field.as_deref().or(e.degree.as_deref()))
                .and_then(clean_name),
        }
    }
}

fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam",
];
const NOT_NAMES: &[&str] = &[
    "resume",
    "résumé",
    "curriculum",
    "cv",
    "your",
    "name",
    "xxx",
    "first",
    "candidate",
];

/// The first name to greet the candidate with, if the parsed name looks like one.
pub(crate) fn first_name(full: &str) -> Option<String> {
    let full = full.trim();
    if full.is_empty()
        || full
            .chars()
            .any(|c| c.is_ascii_digit() || c == '@' || c == '/')
        || full.chars().count() > 60
    {
        return None;
    }
    if !full.contains(' ') && !full.is_ascii() {
        // Scripts written without spaces (Chinese, Japanese): greet with the whole name.
        return (full.chars().count() <= 12).then(|| full.to_owned());
    }
    let word = full
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic() && c != '-' && c != '\''))
        .filter(|w| !w.is_empty())
        .find(|w| {
            let lower = w.to_lowercase();
            !HONORIFICS.contains(&lower.as_str())
                && w.chars().filter(|c| c.is_alphabetic()).count() > 1
        })?;
    if NOT_NAMES.contains(&word.to_lowercase().as_str()) || !word.chars().any(char::is_alphabetic) {
        return None;
    }
    // "JOHN DOE" → "John".
    if word.chars().count() > 1 && word.chars().all(|c| !c.is_lowercase()) {
        let mut chars = word.chars();
        let first: String = chars.next().into_iter().collect();
        return Some(first + &chars.as_str().to_lowercase());
    }
    Some(word.to_owned())
}

/// A company, school or project name, if it looks like one.
pub(crate) fn clean_name(raw: &str) -> Option<String> {
    let mut s = tidy(raw.replace(['\t', '\n'], " ").as_str());
    // "Danggeun Pay Inc. (KarrotPay)" → "Danggeun Pay Inc."
    if s.ends_with(')')
        && let Some(open) = s.rfind(" (")
    {
        s.truncate(open);
    }
    let s =
        s.trim_matches(|c: char| c == ',' || c == '-' || c == '|' || c == '–' || c.is_whitespace());
    let lower = s.to_lowercase();
    let words = s.split_whitespace().count();
    if s.chars().count() < 2
        || s.chars().count() > 60
        || words > 8
        || lower.contains("xxx")
        || lower.contains("http")
        || lower.contains("www.")
        || s.contains(['@', ':', '{', '}', '"'])
        || !s
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    {
        return None;
    }
    // "Seoul, S.Korea": a location read as an employer.
    if let Some((_, last)) = s.rsplit_once(',')
        && COUNTRIES.contains(&last.trim().to_lowercase().as_str())
    {
        return None;
    }
    if COUNTRIES.contains(&lower.as_str()) || is_date_like(s) {
        return None;
    }
    Some(s.to_owned())
}

fn clean_title(raw: &str) -> Option<String> {
    clean_name(raw)
}

/// Legal-form suffixes that follow a comma inside a company's own name
/// ("Acme, Inc."), which must not be taken for its location.
const LEGAL_FORMS: &[&str] = &[
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "gmbh", "ag", "sa", "s.a.", "co", "co.",
    "corp", "corp.", "plc", "bv", "b.v.", "oy", "ab", "as", "a/s", "aps", "srl", "pty ltd",
];

/// The employer as a question may name it: "Nordlys Software, Aarhus, Denmark" →
/// "Nordlys Software"; "Kestrel (" → "Kestrel"; `None` when nothing company-like
/// is left (a location read as an employer).
pub(crate) fn clean_company(raw: &str) -> Option<String> {
    let mut s = tidy(&raw.replace(['\t', '\n'], " "));
    // A parenthesis the line break cut: "Kestrel Labs (" or "Kestrel (Berlin".
    if let Some(open) = s.rfind('(')
        && !s[open..].contains(')')
    {
        s.truncate(open);
    }
    // "Name, City, Country", "Name, City", "Name — City": the first part, unless
    // what follows the comma is a legal form ("Acme, Inc.").
    let segments: Vec<&str> = s.split(',').map(str::trim).collect();
    // "Seoul, S.Korea": a city and its country, no company at all.
    if let [_, last] = segments.as_slice()
        && is_place(last)
    {
        return None;
    }
    let mut parts = segments.into_iter();
    let head = parts.next().unwrap_or_default().to_owned();
    let mut name = head.clone();
    for part in parts {
        if LEGAL_FORMS.contains(&part.to_lowercase().as_str()) {
            name = format!("{name}, {part}");
        } else {
            break;
        }
    }
    let name = match name.split_once(" — ").or_else(|| name.split_once(" | ")) {
        Some((company, _)) => company.to_owned(),
        None => name,
    };
    clean_name(&name)
}

fn employers(resume: &Resume) -> Vec<Employer> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for e in &resume.experience {
        let Some(company) = e.company.as_deref().and_then(clean_company) else {
            continue;
        };
        // "LaTeX résumé template": a template's sample text read as an employer.
        if company
            .to_lowercase()
            .split_whitespace()
            .any(|w| w == "template")
        {
            continue;
        }
        if !seen.insert(company.to_lowercase()) {
            continue;
        }
        out.push(Employer {
            company,
            title: e.title.as_deref().and_then(clean_title),
            claims: e.description.as_deref().map(claims).unwrap_or_default(),
        });
    }
    out
}

fn projects(resume: &Resume) -> Vec<ProjectFact> {
    let taxonomy = rehearse_resume::taxonomy::taxonomy();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for p in &resume.projects {
        let Some(raw) = p.title.as_deref() else {
            continue;
        };
        // "Personal Project: Home Automation System" → "Home Automation System".
        let raw = match raw.split_once(':') {
            Some((head, tail)) if head.to_lowercase().contains("project") => tail,
            _ => raw,
        };
        let Some(title) = clean_name(raw) else {
            continue;
        };
        if !seen.insert(title.to_lowercase()) {
            continue;
        }
        let described = p
            .description
            .as_deref()
            .map(|d| taxonomy.find_in_text(d))
            .unwrap_or_default();
        let mut tech: Vec<String> = Vec::new();
        for t in p.tech.iter().map(String::as_str).chain(described) {
            let concrete = matches!(
                skills::usable(t),
                Some(
                    "language"
                        | "framework"
                        | "library"
                        | "database"
                        | "cloud"
                        | "devops"
                        | "mobile"
                        | "testing"
                        | "data"
                        | "ml"
                        | "protocol"
                )
            );
            if concrete && !tech.iter().any(|x| x.eq_ignore_ascii_case(t)) && t.len() <= 30 {
                tech.push(t.to_owned());
            }
        }
        out.push(ProjectFact {
            title,
            tech,
            claims: p.description.as_deref().map(claims).unwrap_or_default(),
        });
    }
    out
}

/// Verbs that open a resume bullet; bullets often arrive run together without
/// punctuation ("...the platform Create stunning home page..."), so a
/// capitalised one mid-text starts a new claim.
const BULLET_VERBS: &[&str] = &[
    "led",
    "lead",
    "leading",
    "built",
    "build",
    "building",
    "created",
    "create",
    "developed",
    "develop",
    "developing",
    "designed",
    "design",
    "implemented",
    "implement",
    "re-architected",
    "architected",
    "optimized",
    "optimised",
    "reduced",
    "improved",
    "increased",
    "launched",
    "shipped",
    "scaled",
    "automated",
    "migrated",
    "managed",
    "manage",
    "oversaw",
    "established",
    "achieved",
    "devised",
    "compiled",
    "wrote",
    "write",
    "acquired",
    "tripled",
    "doubled",
    "instructed",
    "planned",
    "plan",
    "mentored",
    "deployed",
    "integrated",
    "participated",
    "collaborated",
    "delivered",
    "drove",
    "owned",
    "spearheaded",
    "refactored",
    "introduced",
    "founded",
    "co-founded",
    "raised",
    "published",
    "co-authored",
    "filed",
    "provisioned",
    "maintained",
    "configured",
    "conducted",
    "analyzed",
    "analysed",
    "trained",
    "coordinated",
    "organized",
    "organised",
    "presented",
    "researched",
    "engineered",
    "modernized",
    "streamlined",
    "saved",
    "grew",
    "generated",
    "contributed",
    "supported",
    "assisted",
    "utilized",
    "used",
    "produced",
    "authored",
    "initiated",
    "executed",
    "handled",
    "resolved",
    "debugged",
    "tested",
    "won",
    "enabled",
    "communicated",
    "position",
    "positioned",
    "continuously",
    "successfully",
    "worked",
];

/// Achievements from a description, best first: quantified ones, opened by an
/// action verb, short enough to quote in a question.
pub(crate) fn claims(description: &str) -> Vec<String> {
    let text = description.replace(['\t', '\n', '•', '▪', '●', '◦'], " . ");
    let mut segments: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let bare = word
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_lowercase();
        let starts_claim = word.chars().next().is_some_and(char::is_uppercase)
            && BULLET_VERBS.contains(&bare.as_str())
            && current.last().is_some_and(|prev| {
                prev.chars()
                    .last()
                    .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit() || "%)+".contains(c))
            });
        if starts_claim && !current.is_empty() {
            segments.push(std::mem::take(&mut current));
        }
        if word == "." {
            if !current.is_empty() {
                segments.push(std::mem::take(&mut current));
            }
            continue;
        }
        let ends = word.ends_with(['.', ';', '!'])
            && !word.ends_with("..")
            && word.len() > 2
            && !matches!(
                word.to_lowercase().as_str(),
                "inc." | "ltd." | "co." | "corp." | "e.g." | "i.e." | "vs."
            );
        current.push(word);
        if ends {
            segments.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    let mut scored: Vec<(i32, usize, String)> = segments
        .into_iter()
        .enumerate()
        .filter_map(|(i, words)| {
            let joined = words.join(" ");
            let lower = joined.to_lowercase();
            if words.len() < 4 || lower.contains("xxx") || lower.contains("http") {
                return None;
            }
            let first = words
                .first()?
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase();
            let verb = BULLET_VERBS.contains(&first.as_str());
            let quantified = joined.chars().any(|c| c.is_ascii_digit());
            let score = i32::from(verb) * 2 + i32::from(quantified) * 2;
            Some((score, i, shorten(&words)))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).take(3).collect()
}

/// A claim short enough to quote inside a question: at most 16 words, cut at a
/// comma when possible, without a dangling "and"/"with" at the end.
fn shorten(words: &[&str]) -> String {
    const MAX: usize = 16;
    let mut take = words.len().min(MAX);
    if words.len() > MAX
        && let Some(comma) = words
            .iter()
            .take(MAX)
            .rposition(|w| w.ends_with(','))
            .filter(|&p| p >= 5)
    {
        take = comma + 1;
    }
    let mut kept: Vec<&str> = words.iter().take(take).copied().collect();
    const DANGLING: &[&str] = &[
        "and", "or", "with", "to", "the", "of", "in", "for", "a", "an", "by", "using", "on", "at",
        "from", "which", "that", "as", "across", "into",
    ];
    while kept.len() > 4
        && kept
            .last()
            .is_some_and(|w| DANGLING.contains(&w.trim_end_matches(',').to_lowercase().as_str()))
    {
        kept.pop();
    }
    let mut s = kept.join(" ").replace('"', "");
    let end = s.trim_end_matches([',', '.', ';', ':', '-']).len();
    s.truncate(end);
    if take < words.len() {
        s.push('…');
    }
    // Quoted after "you", so "Led a team" reads "led a team" (but "AWS" stays).
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().collect::<String>() + s.get(a.len_utf8()..).unwrap_or_default()
        }
        _ => s,
    }
}

/// Usable skills, most relevant to the role first: named in the job description,
/// listed for the family, in a category the family cares about, then in resume
/// order. Business, design, methodology, tool and OS skills only count for the
/// families that list their category.
fn ranked_skills(resume: &Resume, ctx: &JobContext, family: &Family) -> Vec<SkillFact> {
    let jd: HashSet<String> = ctx
        .job_description
        .as_deref()
        .map(|d| {
            rehearse_resume::taxonomy::taxonomy()
                .find_in_text(d)
                .into_iter()
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    // "Senior Python Developer": the skill the role itself names comes first.
    let in_role: HashSet<String> = rehearse_resume::taxonomy::taxonomy()
        .find_in_text(&ctx.target_role)
        .into_iter()
        .map(str::to_lowercase)
        .collect();
    let family_skills: HashSet<String> = family.skills.iter().map(|s| s.to_lowercase()).collect();
    const ENGINEERING: &[&str] = &[
        "language",
        "framework",
        "library",
        "database",
        "cloud",
        "devops",
        "os",
        "mobile",
        "testing",
        "security",
        "protocol",
        "ml",
    ];
    let engineering = family.categories.iter().any(|c| ENGINEERING.contains(c));
    let mut seen = HashSet::new();
    let mut scored: Vec<(i32, usize, SkillFact)> = Vec::new();
    let project_tech = resume.projects.iter().flat_map(|p| p.tech.iter());
    for (i, name) in resume.skills.iter().chain(project_tech).enumerate() {
        let name = name.trim();
        let key = name.to_lowercase();
        let Some(category) = skills::usable(name) else {
            continue;
        };
        if !seen.insert(key.clone()) || key.contains("xxx") || key.contains("http") {
            continue;
        }
        let listed = family_skills.contains(&key);
        let relevant_category = family.categories.contains(&category);
        let niche = matches!(
            category,
            "business" | "design" | "methodology" | "tool" | "os"
        );
        // A designer or a product manager is not quizzed on TypeScript because
        // their resume lists it: outside engineering families only the family's
        // own kinds of skill count.
        if (niche || !engineering) && !listed && !relevant_category {
            continue;
        }
        let score = i32::from(in_role.contains(&key)) * 12
            + i32::from(jd.contains(&key)) * 8
            + i32::from(listed) * 6
            + i32::from(relevant_category) * 4
            + i32::from(!matches!(category, "other" | "markup")) * 2;
        scored.push((
            score,
            i,
            SkillFact {
                name: name.to_owned(),
                category,
            },
        ));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_employer_is_named_without_its_address() {
        for (raw, want) in [
            (
                "Nordlys Software, Aarhus, Denmark",
                Some("Nordlys Software"),
            ),
            ("Nordlys Software, Aarhus", Some("Nordlys Software")),
            ("Acme, Inc.", Some("Acme, Inc.")),
            ("Kestrel Labs (", Some("Kestrel Labs")),
            ("Kestrel Labs (Berlin", Some("Kestrel Labs")),
            ("Danggeun Pay Inc. (KarrotPay)", Some("Danggeun Pay Inc.")),
            ("Fleetr — Copenhagen", Some("Fleetr")),
            ("Denmark", None),
            ("Remote", None),
            ("Seoul, S.Korea", None),
            ("Jan 2023", None),
            ("2019 – Present", None),
            ("03/2021", None),
            ("2U", Some("2U")),
        ] {
            assert_eq!(clean_company(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn first_names_are_clean() {
        assert_eq!(first_name("John Doe").as_deref(), Some("John"));
        assert_eq!(first_name("Dr. Jane Smith").as_deref(), Some("Jane"));
        assert_eq!(first_name("JOHN DOE").as_deref(), Some("John"));
        assert_eq!(
            first_name("J. Robert Oppenheimer").as_deref(),
            Some("Robert")
        );
        assert_eq!(first_name("你的大名").as_deref(), Some("你的大名"));
        assert_eq!(first_name("john@example.com"), None);
        assert_eq!(first_name("Resume"), None);
        assert_eq!(first_name("  "), None);
    }

    #[test]
    fn noisy_employers_are_dropped() {
        assert_eq!(clean_name("Brief introduction: xxx"), None);
        assert_eq!(clean_name("Seoul, S.Korea"), None);
        assert_eq!(
            clean_name("An elegant LAT X résumé template, https://github.com/x"),
            None
        );
        assert_eq!(
            clean_name("Danggeun Pay Inc. (KarrotPay)").as_deref(),
            Some("Danggeun Pay Inc.")
        );
        assert_eq!(clean_name("Stripe").as_deref(), Some("Stripe"));
        assert_eq!(
            clean_name("ABC Company, Inc.").as_deref(),
            Some("ABC Company, Inc.")
        );
    }

    #[test]
    fn run_together_bullets_become_claims() {
        let c = claims(
            "Lead a cross-functional team of 5 engineers in developing a search bar, which \
             enables thousands of daily active users to search content across the entire \
             platform Create stunning home page product demo animations that drives up sign up \
             rate by 20% Write clean code that is modular and easy to maintain",
        );
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[0],
            "lead a cross-functional team of 5 engineers in developing a search bar…"
        );
        assert!(c[1].starts_with("create stunning home page"));
        assert!(c.iter().all(|x| x.split_whitespace().count() <= 17));
    }

    #[test]
    fn placeholder_text_makes_no_claims() {
        assert!(claims("Implemented xxx feature Optimized xxx 5% xxx").is_empty());
    }
}
