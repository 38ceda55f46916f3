//! The category of a skill (`database`, `cloud`, `soft`...), from the resume
//! parser's own taxonomy, so a parsed skill and its category can never disagree.

use crate::places_dates::{DATE_WORDS, is_place};

/// Languages the taxonomy files under `language` that are not programmed in the
/// same sense: asking about "errors and concurrency in HTML" would be absurd.
const MARKUP: &[&str] = &[
    "html", "css", "sass", "less", "xml", "json", "yaml", "latex", "markdown", "html/css", "html5",
    "css3",
];
/// Query languages: questions about them are database questions.
const QUERY: &[&str] = &["sql", "pl/sql", "t-sql", "nosql"];
/// Scripting for automation: questions about pipelines and tooling fit them.
const SCRIPTING: &[&str] = &["bash", "shell scripting", "powershell"];

/// The category of a canonical skill name as the engine uses it: the taxonomy's,
/// with markup (`markup`), query languages (`database`) and shell scripting
/// (`devops`) told apart from programming languages; `other` when unknown.
pub(crate) fn category(skill: &str) -> &'static str {
    let key = skill.trim().to_lowercase();
    if MARKUP.contains(&key.as_str()) {
        return "markup";
    }
    if QUERY.contains(&key.as_str()) {
        return "database";
    }
    if SCRIPTING.contains(&key.as_str()) {
        return "devops";
    }
    rehearse_resume::taxonomy::taxonomy()
        .category(&key)
        .unwrap_or("other")
}

/// Skills that say little about how someone works and make poor interview topics
/// ("tell me about a hard problem you solved with Slack").
const SHALLOW: &[&str] = &[
    "microsoft word",
    "powerpoint",
    "microsoft office",
    "google workspace",
    "slack",
    "vim",
    "emacs",
    "facebook",
    "twitter",
    "instagram",
    "linkedin",
    "windows",
    "macos",
    "github",
    "gitlab",
    "bitbucket",
    "open source",
    "command line",
    "jira",
    "confluence",
    "trello",
    "notion",
    "zoom",
    "visual studio code",
    "intellij idea",
    "web",
    "version control",
    // Whole disciplines, too broad to anchor one question ("how do you use UX").
    "ux",
    "ui",
    "ui design",
    "ux design",
    "design",
    "web design",
    "software development",
    "programming",
    "full-stack development",
    "backend development",
    "frontend development",
];

/// Categories that are about how someone behaves or what they speak, not what
/// they can build: never the subject of a technical question.
const NOT_TECHNICAL: &[&str] = &["soft", "spoken"];

/// Words that make a "skill" something else: a school, a degree, a heading, a
/// date, a place. A parser reading a sidebar can put any of them in the skills.
const NOT_SKILL_WORDS: &[&str] = &[
    "university",
    "college",
    "academy",
    "school",
    "institute",
    "institut",
    "polytechnic",
    "bachelor",
    "bachelors",
    "master",
    "masters",
    "msc",
    "bsc",
    "ba",
    "ma",
    "mba",
    "phd",
    "diploma",
    "degree",
    "gpa",
    "thesis",
    "honours",
    "honors",
    "graduated",
    "education",
    "languages",
    "language",
    "references",
    "contact",
    "profile",
    "summary",
    "hobbies",
    "interests",
    "certifications",
    "native",
    "fluent",
    "intermediate",
    "beginner",
    "basic",
    "street",
    "road",
    "avenue",
];

/// Whether a skill can anchor a question, and its category. Skills the taxonomy
/// knows qualify by their category; others only if they read as the name of a
/// technology (short, no year, no word of a school, degree, date or heading, not
/// a place or a spoken language).
pub(crate) fn usable(skill: &str) -> Option<&'static str> {
    let key = skill.trim().to_lowercase();
    if key.is_empty() || key.chars().count() > 40 || SHALLOW.contains(&key.as_str()) {
        return None;
    }
    let cat = category(&key);
    if NOT_TECHNICAL.contains(&cat) {
        return None;
    }
    if cat == "other" && !plausible_unknown(&key) {
        return None;
    }
    Some(cat)
}

fn plausible_unknown(key: &str) -> bool {
    let words: Vec<&str> = key
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let year = words
        .iter()
        .any(|w| w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1950..=2039).contains(&y)));
    !year
        && words.len() <= 3
        && !words.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            // A month (or "present", "current") marks a date; "to" or "now"
            // can be part of a real name.
            NOT_SKILL_WORDS.contains(&w)
                || (DATE_WORDS.contains(&w)
                    && !matches!(
                        w,
                        "present" | "current" | "now" | "today" | "since" | "to" | "until"
                    ))
        })
        && !is_place(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_come_from_the_taxonomy() {
        assert_eq!(category("PostgreSQL"), "database");
        assert_eq!(category("kubernetes"), "devops");
        assert_eq!(category("Teamwork"), "soft");
        assert_eq!(category("Something Unknown"), "other");
        assert_eq!(category("HTML"), "markup");
        assert_eq!(category("SQL"), "database");
    }

    #[test]
    fn shallow_and_soft_skills_are_not_topics() {
        assert_eq!(usable("Slack"), None);
        assert_eq!(usable("Communication"), None);
        assert_eq!(usable("Redis"), Some("database"));
        assert_eq!(usable("Microservices"), Some("other"));
    }

    #[test]
    fn sidebar_noise_is_not_a_skill() {
        for noise in [
            "Royal Danish Academy",
            "Jan 2016",
            "2016",
            "Danish",
            "English",
            "Bachelor of Design",
            "MSc Computer Science",
            "Aarhus University",
            "Denmark",
            "Languages",
            "Fluent",
        ] {
            assert_eq!(usable(noise), None, "{noise}");
        }
        for skill in ["Kafka", "Figma", "PostgreSQL", "Event sourcing"] {
            assert!(usable(skill).is_some(), "{skill}");
        }
    }
}
