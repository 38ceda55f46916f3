//! Free-text target roles ("Senior Backend Engineer", "SDE", "react developer")
//! to a role family of the bank. Each family lists its role phrases in the bank
//! file; the longest phrase found as whole words wins, so "React Native
//! developer" is mobile although "react" alone means frontend.

use crate::bank::{self, Family};
use crate::text;

/// The family used when nothing in the role names a known family but it is
/// clearly a software job.
const SOFTWARE: &str = "software";
/// The family for any other role (sales, teaching, operations...).
const GENERAL: &str = "general";

/// Words that make an unmatched role a software one.
const SOFTWARE_WORDS: &[&str] = &[
    "engineer",
    "engineering",
    "developer",
    "programmer",
    "coder",
    "swe",
    "sde",
    "software",
    "development",
    "dev",
];

/// The id of the family for `target_role`.
pub(crate) fn family_id(target_role: &str) -> String {
    let role = format!(" {} ", text::normalize(target_role));
    let mut best: Option<(usize, &Family)> = None;
    for family in bank::bank().families {
        for alias in family.aliases {
            let alias = text::normalize(alias);
            if alias.is_empty() || !role.contains(&format!(" {alias} ")) {
                continue;
            }
            let score = alias.split(' ').count() * 100 + alias.len();
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, family));
            }
        }
    }
    if let Some((_, f)) = best {
        return f.id.to_owned();
    }
    // "fullstack", "frontend", "devops" written without spaces inside a longer
    // word ("SeniorFrontendDev"): compare without spaces.
    let compact: String = role.chars().filter(|c| !c.is_whitespace()).collect();
    let mut best: Option<(usize, &Family)> = None;
    for family in bank::bank().families {
        for alias in family.aliases {
            let a: String = text::normalize(alias).replace(' ', "");
            if a.len() >= 6 && compact.contains(&a) && best.is_none_or(|(l, _)| a.len() > l) {
                best = Some((a.len(), family));
            }
        }
    }
    if let Some((_, f)) = best {
        return f.id.to_owned();
    }
    if role.split(' ').any(|w| SOFTWARE_WORDS.contains(&w)) {
        SOFTWARE.to_owned()
    } else {
        GENERAL.to_owned()
    }
}

/// The family for `target_role` (the general one if the bank lacks it).
pub(crate) fn family_for(target_role: &str) -> &'static Family {
    let b = bank::bank();
    let id = family_id(target_role);
    b.family(&id)
        .or_else(|| b.family(GENERAL))
        .or_else(|| b.families.first())
        .unwrap_or(&EMPTY)
}

static EMPTY: Family = Family {
    id: "",
    aliases: &[],
    skills: &[],
    categories: &[],
    fallback: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_roles_map_to_their_families() {
        for (role, family) in [
            ("Full Stack Developer", "full_stack"),
            ("Frontend Developer", "frontend"),
            ("Backend Developer", "backend"),
            ("Mobile Developer", "mobile"),
            ("DevOps Engineer", "devops"),
            ("Data Engineer", "data_engineer"),
            ("ML Engineer", "ml_engineer"),
            ("QA Engineer", "qa"),
            ("UI/UX Designer", "ui_ux"),
            ("Product Manager", "product_manager"),
            ("Software Architect", "architect"),
        ] {
            assert_eq!(family_id(role), family, "{role}");
        }
    }

    #[test]
    fn free_text_roles_map_robustly() {
        for (role, family) in [
            ("Senior Backend Engineer", "backend"),
            ("SDE", "software"),
            ("SDE-2", "software"),
            ("software engineer II", "software"),
            ("react developer", "frontend"),
            ("React Native Developer", "mobile"),
            ("Sr. Front-End Engineer (React)", "frontend"),
            ("fullstack engineer", "full_stack"),
            ("MERN stack developer", "full_stack"),
            ("Java Full Stack Developer", "full_stack"),
            ("Site Reliability Engineer", "sre"),
            ("SRE", "sre"),
            ("Machine Learning Engineer", "ml_engineer"),
            ("Data Scientist", "data_scientist"),
            ("data analyst", "data_scientist"),
            ("iOS engineer", "mobile"),
            ("Android Developer", "mobile"),
            ("Cloud Engineer (AWS)", "cloud"),
            ("Security Engineer", "security"),
            ("Penetration Tester", "security"),
            ("Embedded Software Engineer", "embedded"),
            ("Firmware Engineer", "embedded"),
            ("SDET", "qa"),
            ("Product Owner", "product_manager"),
            ("Engineering Manager", "engineering_manager"),
            ("Tech Lead", "engineering_manager"),
            ("Principal Engineer", "architect"),
            ("Python Developer", "backend"),
            ("Golang developer", "backend"),
            ("Product Designer", "ui_ux"),
            ("Marketing Manager", "general"),
            ("Sales Associate", "general"),
            ("Teacher", "general"),
            ("Kubernetes Platform Engineer", "devops"),
            ("Senior Data Engineer (ML)", "data_engineer"),
            ("Cloud Security Engineer", "security"),
            ("SeniorFrontendDev", "frontend"),
            ("Rust Engineer", "embedded"),
            ("Blockchain developer", "software"),
        ] {
            assert_eq!(family_id(role), family, "{role}");
        }
    }

    #[test]
    fn every_role_resolves_to_a_family_in_the_bank() {
        for role in ["", "???", "Astronaut", "Backend"] {
            assert!(!family_for(role).id.is_empty());
        }
    }
}
