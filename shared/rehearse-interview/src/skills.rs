//! The category of a skill (`database`, `cloud`, `soft`...), from the resume
//! parser's own taxonomy, so a parsed skill and its category can never disagree.

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

/// Whether a skill can anchor a question, and its category.
pub(crate) fn usable(skill: &str) -> Option<&'static str> {
    let key = skill.trim().to_lowercase();
    if key.is_empty() || key.chars().count() > 40 || SHALLOW.contains(&key.as_str()) {
        return None;
    }
    let cat = category(&key);
    (!NOT_TECHNICAL.contains(&cat)).then_some(cat)
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
}
