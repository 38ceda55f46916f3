//! Skills: what the skills section lists, canonicalised through the taxonomy,
//! then what the rest of the resume mentions.

use crate::taxonomy::taxonomy;

/// Words that never make a skill on their own ("databases", "and more").
const NOT_SKILLS: &[&str] = &[
    "skills",
    "skill",
    "technical",
    "technologies",
    "tools",
    "languages",
    "frameworks",
    "libraries",
    "databases",
    "others",
    "other",
    "etc",
    "and more",
    "more",
    "various",
    "basic",
    "advanced",
    "intermediate",
    "proficient",
    "familiar",
    "experience",
    "knowledge",
    "including",
    "computer",
];

/// The items of a skills section, in order, without duplicates (case-insensitive).
pub fn from_section(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items(lines) {
        let canonical = taxonomy()
            .canonical(&item)
            .or_else(|| taxonomy().canonical(&without_generic_words(&item)))
            .map(str::to_owned);
        let skill = match canonical {
            Some(c) => c,
            None if plausible(&item) => item,
            None => {
                // "Java and J2EE", "SQL and NoSQL databases": the known skills inside.
                for s in taxonomy().find_in_text(&item) {
                    push_unique(&mut out, s.to_owned());
                }
                continue;
            }
        };
        push_unique(&mut out, skill);
    }
    out
}

/// `NoSQL databases` → `NoSQL`, `React framework` → `React`.
fn without_generic_words(item: &str) -> String {
    item.split_whitespace()
        .filter(|w| !GENERIC.contains(&w.to_lowercase().as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

const GENERIC: &[&str] = &[
    "database",
    "databases",
    "framework",
    "frameworks",
    "library",
    "libraries",
    "language",
    "languages",
    "tools",
    "tool",
    "technologies",
    "platform",
    "platforms",
    "development",
    "programming",
    "services",
];

/// Whether a candidate is a skill. A name the taxonomy knows is one, unless it is a
/// spoken language. Anything else must not be a date, an address, a section
/// heading, a proficiency level, a school or a degree, nor any other value of the
/// resume (`others`, lower case: its name, places, employers, titles...).
pub fn is_skill(skill: &str, others: &[String]) -> bool {
    let known = taxonomy().canonical(skill);
    if let Some(name) = known {
        return taxonomy().category(name) != Some("spoken");
    }
    let lower = skill.to_lowercase();
    crate::languages::named_in(skill).is_none()
        && crate::dates::find(skill).is_none()
        && !skill.contains('@')
        && !crate::contact::has_url(skill)
        && !crate::sections::is_known_heading(skill)
        && !crate::languages::is_level(skill)
        && !crate::entries::is_school(skill)
        && !crate::entries::is_degree(skill)
        && !others.contains(&lower)
}

pub fn push_unique(out: &mut Vec<String>, skill: String) {
    if !out.iter().any(|s| s.eq_ignore_ascii_case(&skill)) {
        out.push(skill);
    }
}

/// Split section text into candidate items: one per bullet or cell, comma lists
/// split (wrapped lines rejoined first), `Label:` prefixes dropped, parentheses
/// giving items of their own (`SQL databases (MySQL, MongoDB)`).
pub fn items(lines: &[String]) -> Vec<String> {
    // Rejoin a comma list wrapped across lines ("Project" + "management, ...").
    let mut joined: Vec<String> = Vec::new();
    for line in lines {
        let line = line.trim();
        // In a comma list, a line that does not end with a comma wraps its last item.
        let labelled = line
            .split_once(':')
            .is_some_and(|(l, _)| l.split_whitespace().count() <= 3);
        let continues = joined.last().is_some_and(|prev: &String| {
            prev.contains(',') && !prev.contains('\t') && !line.starts_with('•') && !labelled
        });
        match joined.last_mut() {
            Some(prev) if continues => {
                prev.push(' ');
                prev.push_str(line);
            }
            _ => joined.push(line.to_owned()),
        }
    }
    let mut out = Vec::new();
    for line in joined {
        // `Modelling ⇥ Python, scikit-learn`: a one-word cell before a list labels it.
        let line = match line.split_once('\t') {
            Some((label, rest))
                if !label.contains(',')
                    && label.split_whitespace().count() <= 2
                    && rest.contains(',')
                    && taxonomy().canonical(label).is_none() =>
            {
                rest.to_owned()
            }
            _ => line,
        };
        for cell in line.split(['\t', '•', '|', ';', '·', '◦', '>', '=', '、', '，']) {
            let cell = strip_label(cell.trim());
            let (outside, inside) = parenthesised(cell);
            for piece in outside
                .split(',')
                .chain(inside.iter().flat_map(|i| i.split(',')))
            {
                for part in split_and(piece) {
                    let part = part
                        .trim()
                        .trim_matches(|c: char| c == '.' || c == ':' || c == '-' || c == '*')
                        .trim();
                    if !part.is_empty() {
                        out.push(part.to_owned());
                    }
                }
            }
        }
    }
    out
}

/// `Technical Skills: Go, Python` → `Go, Python`.
fn strip_label(cell: &str) -> &str {
    match cell.split_once(':') {
        Some((label, rest)) if label.split_whitespace().count() <= 3 && !rest.trim().is_empty() => {
            rest.trim()
        }
        Some((label, rest)) if rest.trim().is_empty() && label.split_whitespace().count() <= 3 => {
            ""
        }
        _ => cell,
    }
}

/// `SQL and NoSQL databases (MySQL, MongoDB)` → (`SQL and NoSQL databases`, [`MySQL, MongoDB`]).
fn parenthesised(cell: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut inside = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in cell.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    current.clear();
                    continue;
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    inside.push(std::mem::take(&mut current));
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            current.push(c);
        } else {
            outside.push(c);
        }
    }
    (outside, inside)
}

fn split_and(piece: &str) -> Vec<String> {
    let trimmed = piece.trim();
    let lowered = trimmed.strip_prefix("and ").unwrap_or(trimmed);
    if taxonomy().canonical(lowered).is_some() {
        return vec![lowered.to_owned()];
    }
    // `HTML & CSS` is two skills when both are known ("Motivator & Leader", one
    // skill, was caught above).
    if let Some((a, b)) = lowered.split_once(" & ")
        && taxonomy().canonical(a).is_some()
        && taxonomy().canonical(b).is_some()
    {
        return vec![a.to_owned(), b.to_owned()];
    }
    lowered.split(" and ").map(str::to_owned).collect()
}

/// An unknown item is kept when it reads like a skill's name: short, no sentence.
fn plausible(item: &str) -> bool {
    let words = item.split_whitespace().count();
    // Unknown names start with a capital or a digit ("Spring MVC", "3D Modeling");
    // a lower-case fragment is a remark ("versions 2+").
    if !item
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let lower = item.to_lowercase();
    (1..=4).contains(&words)
        && item.chars().count() <= 40
        && item.chars().next().is_some_and(|c| c.is_alphanumeric())
        && !NOT_SKILLS.contains(&lower.as_str())
        && !lower
            .split_whitespace()
            .any(|w| ["in", "of", "with", "the", "for", "to"].contains(&w))
        && item.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn languages_dates_schools_degrees_and_headings_are_never_skills() {
        let others = vec!["nordlys software".to_owned()];
        for not in [
            "Danish",
            "English",
            "Fluent in Spanish",
            "Jan 2016",
            "Sep 2014 - Jan 2016",
            "Aarhus School of Architecture",
            "Design School Kolding",
            "MA in Interaction Design",
            "B.Sc. Electrical Engineering",
            "Education",
            "LANGUAGES",
            "Native",
            "dribbble.com/ingrid-sorensen-design",
            "Nordlys Software",
        ] {
            assert!(!is_skill(not, &others), "{not}");
        }
        for skill in [
            "Figma",
            "Design Systems",
            "Usability Testing",
            "C++",
            "Kubernetes",
        ] {
            assert!(is_skill(skill, &others), "{skill}");
        }
    }

    #[test]
    fn a_rail_list_gives_skills_and_splits_pairs_of_known_skills() {
        assert_eq!(
            from_section(&lines(&[
                "Figma",
                "Design Systems",
                "HTML & CSS",
                "Motivator & Leader"
            ])),
            lines(&[
                "Figma",
                "Design Systems",
                "HTML",
                "CSS",
                "Motivator & Leader"
            ])
        );
        // A label cell before a list is no skill.
        assert_eq!(
            from_section(&lines(&["Modelling\tPython, XGBoost"])),
            lines(&["Python", "XGBoost"])
        );
    }
}
