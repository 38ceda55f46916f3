//! Experience, education and project entries: grouping a section's lines into
//! entries, then reading each entry's title, organisation, place and dates.

use crate::dates::{self, End, Found, YearMonth};
use crate::{Education, Experience, Project};

/// Words that make a phrase a job title.
const TITLE_WORDS: &[&str] = &[
    "engineer",
    "developer",
    "programmer",
    "architect",
    "manager",
    "director",
    "lead",
    "leader",
    "head",
    "intern",
    "internship",
    "analyst",
    "scientist",
    "researcher",
    "designer",
    "consultant",
    "specialist",
    "coordinator",
    "assistant",
    "associate",
    "administrator",
    "officer",
    "president",
    "vp",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "cio",
    "founder",
    "co-founder",
    "cofounder",
    "owner",
    "partner",
    "member",
    "volunteer",
    "coach",
    "teacher",
    "tutor",
    "instructor",
    "professor",
    "lecturer",
    "fellow",
    "technician",
    "sre",
    "devops",
    "representative",
    "executive",
    "strategist",
    "writer",
    "editor",
    "producer",
    "marketer",
    "accountant",
    "recruiter",
    "advisor",
    "adviser",
    "trainee",
    "apprentice",
    "supervisor",
    "chief",
    "principal",
    "staff",
    "student",
    "clerk",
    "agent",
    "nurse",
    "attorney",
    "counsel",
    "auditor",
    "economist",
    "statistician",
    "mentor",
    "ambassador",
    "organizer",
    "chair",
    "treasurer",
    "secretary",
    "contractor",
    "freelancer",
    "freelance",
    "maintainer",
    "contributor",
    "creator",
    "实习",
    "工程师",
    "经理",
    "总监",
    "主管",
    "开发",
    "研究员",
    "设计师",
    "架构师",
    "顾问",
    "助理",
    "负责人",
];

/// Words that make a phrase a school.
const SCHOOL_WORDS: &[&str] = &[
    "university",
    "universität",
    "universite",
    "université",
    "universidad",
    "università",
    "college",
    "institute",
    "institut",
    "school",
    "academy",
    "polytechnic",
    "politecnico",
    "conservatory",
    "hochschule",
    "école",
    "ecole",
    "postech",
    "kaist",
    "mit",
    "eth",
    "epfl",
    "ucla",
    "uc",
    "iit",
    "nit",
    "大学",
    "学院",
    "学校",
    "大學",
];

/// Degree words and abbreviations, lower case without dots.
const DEGREE_WORDS: &[&str] = &[
    "bachelor",
    "bachelors",
    "master",
    "masters",
    "doctor",
    "doctorate",
    "phd",
    "bs",
    "ba",
    "bsc",
    "ms",
    "ma",
    "msc",
    "mba",
    "meng",
    "beng",
    "btech",
    "mtech",
    "bba",
    "bcom",
    "mcom",
    "llb",
    "llm",
    "md",
    "jd",
    "associate",
    "diploma",
    "certificate",
    "hnd",
    "abitur",
    "baccalaureate",
    "licence",
    "licenciatura",
    "student",
    "graduate",
    "undergraduate",
    "postgraduate",
    "mphil",
    "dphil",
    "edd",
    "mfa",
    "bfa",
    "学士",
    "硕士",
    "博士",
    "本科",
    "研究生",
    "专科",
];

const COMPANY_SUFFIXES: &[&str] = &[
    "inc", "inc.", "llc", "llc.", "ltd", "ltd.", "corp", "corp.", "co.", "co", "gmbh", "ag",
    "s.a.", "sa", "plc", "lp", "llp", "pte", "pty", "bv", "nv", "oy", "ab",
];

const COUNTRIES_AND_REGIONS: &[&str] = &[
    "usa",
    "us",
    "u.s.",
    "u.s.a.",
    "united states",
    "uk",
    "united kingdom",
    "canada",
    "india",
    "germany",
    "france",
    "spain",
    "italy",
    "china",
    "japan",
    "korea",
    "south korea",
    "s.korea",
    "republic of korea",
    "australia",
    "singapore",
    "netherlands",
    "sweden",
    "switzerland",
    "brazil",
    "mexico",
    "ireland",
    "israel",
    "poland",
    "portugal",
    "turkey",
    "türkiye",
    "america",
    "remote",
    "hybrid",
    "on-site",
    "onsite",
];

fn words_lower(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '(' || c == ')' || c == '&')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn has_any(s: &str, list: &[&str]) -> bool {
    // CJK entries are matched inside words: Chinese writes no spaces.
    list.iter().any(|entry| {
        !entry.is_ascii() && entry.chars().any(crate::contact::is_cjk) && s.contains(entry)
    }) || words_lower(s)
        .iter()
        .any(|w| list.contains(&w.as_str()) || list.contains(&w.replace('.', "").as_str()))
}

pub fn is_title(s: &str) -> bool {
    has_any(s, TITLE_WORDS)
}

pub fn is_school(s: &str) -> bool {
    has_any(s, SCHOOL_WORDS)
}

pub fn is_degree(s: &str) -> bool {
    if DEGREE_WORDS.iter().any(|d| !d.is_ascii() && s.contains(d)) {
        return true;
    }
    let words = words_lower(s);
    words.iter().any(|w| {
        let bare = w.replace('.', "");
        DEGREE_WORDS.contains(&bare.as_str())
    }) || s.contains("Ph.D")
        || s.contains("B.S.")
        || s.contains("M.S.")
        || s.contains("B.A.")
}

fn is_state_or_country(s: &str) -> bool {
    let t = s.trim();
    (t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()))
        || COUNTRIES_AND_REGIONS.contains(&t.to_lowercase().as_str())
}

/// Verbs that open a description line ("Developed ...", "Led ...").
const ACTION_VERBS: &[&str] = &[
    "achieved",
    "analyzed",
    "architected",
    "assisted",
    "automated",
    "built",
    "collaborated",
    "communicated",
    "conducted",
    "contributed",
    "coordinated",
    "created",
    "decreased",
    "defined",
    "delivered",
    "deployed",
    "designed",
    "developed",
    "drove",
    "enabled",
    "engineered",
    "established",
    "executed",
    "grew",
    "guided",
    "handled",
    "helped",
    "implemented",
    "improved",
    "increased",
    "instructed",
    "integrated",
    "introduced",
    "launched",
    "led",
    "maintained",
    "managed",
    "mentored",
    "migrated",
    "optimized",
    "optimised",
    "organized",
    "oversaw",
    "owned",
    "participated",
    "partnered",
    "performed",
    "planned",
    "presented",
    "produced",
    "provided",
    "published",
    "raised",
    "reduced",
    "refactored",
    "researched",
    "resolved",
    "scaled",
    "shipped",
    "spearheaded",
    "streamlined",
    "supported",
    "taught",
    "tested",
    "trained",
    "utilized",
    "wrote",
];

/// A bullet, or a line too long or too sentence-like to be an entry's heading.
pub fn is_description(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with(['•', '*', '▪', '-', '–', '○', '◦', '➢', '►', '✓']) {
        return true;
    }
    if t.chars().next().is_some_and(|c| c.is_lowercase()) {
        return true;
    }
    let words = t.split_whitespace().count();
    if t.ends_with('.') && words >= 3 {
        return true;
    }
    // Entry headings carry the dates; descriptions rarely end in a range.
    if dates::find(t).is_some_and(|d| d.start.is_some() || d.end == Some(End::Present)) {
        return false;
    }
    let first = t
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if ACTION_VERBS.contains(&first.as_str()) && words >= 4 {
        return true;
    }
    words >= 9 && !is_title(t) && !is_school(t) && !is_degree(t)
}

fn strip_bullet(text: &str) -> &str {
    text.trim_start_matches(['•', '*', '▪', '-', '–', '○', '◦', '➢', '►', '✓', ' '])
        .trim()
}

/// A line of a section: its text and where it starts.
#[derive(Debug, Clone)]
pub struct Row {
    pub text: String,
    pub x: f32,
}

#[cfg(test)]
impl Row {
    pub fn plain(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            x: 0.0,
        }
    }
}

/// Lines that make up one entry.
#[derive(Debug, Default, Clone)]
pub struct Block {
    pub head: Vec<String>,
    pub body: Vec<String>,
    pub date: Option<Found>,
}

/// Group a section's lines into entries. An entry is one to four heading lines
/// (title, organisation, dates, place, in any order) followed by description lines;
/// a heading line after a description, or a title/organisation pair that is already
/// complete, starts the next entry.
pub fn blocks(lines: &[Row], is_headline: impl Fn(&str) -> bool) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut current = Block::default();
    let mut head_x = f32::MAX;
    let mut body_x = f32::MAX;
    let mut last_was_body = false;
    for row in lines {
        let mut text = row.text.clone();
        // Page numbers and other bare numbers between entries.
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
        {
            continue;
        }
        let detail = text.trim_start().to_lowercase().starts_with("gpa");
        // A wrapped bullet continues indented past the entry's heading lines.
        let continuation = last_was_body
            && ((row.x > head_x + 2.0 && row.x >= body_x - 2.0)
                // The last words of a wrapped sentence in an unindented layout ("Spark.").
                || (text.trim_end().ends_with('.')
                    && text.split_whitespace().count() <= 6
                    && current.body.last().is_some_and(|b| !b.trim_end().ends_with('.'))));
        if (is_description(&text) || detail || continuation) && !current.head.is_empty() {
            last_was_body = true;
            if !continuation {
                body_x = row.x;
            }
            // A right-aligned date cell that landed on a description row.
            if current.date.is_none()
                && let Some((before, cell)) = text.rsplit_once('\t')
                && dates::is_only_date(cell)
            {
                current.date = dates::find(cell);
                text = before.to_owned();
            }
            // moderncv's margin: "2017 -" on one line, "Present <first line of text>" on the next.
            if current.date.as_ref().is_some_and(|d| d.end.is_none())
                && current.body.is_empty()
                && let Some(rest) = take_leading_end(&mut current, &text)
            {
                text = rest;
            }
            if continuation
                && !text
                    .trim_start()
                    .starts_with(['•', '*', '▪', '-', '–', '○', '◦', '➢', '►', '✓'])
                && let Some(last) = current.body.last_mut()
            {
                last.push('\n');
                last.push_str(text.trim());
            } else if !text.trim().is_empty() {
                current.body.push(strip_bullet(&text).to_owned());
            }
            continue;
        }
        last_was_body = false;
        let date = dates::find(&text);
        let fills_gap = fills_gap(&current, &text);
        let complete = !current.head.is_empty()
            && !fills_gap
            && (!current.body.is_empty()
                || (current.date.is_some() && date.is_some())
                || (current.date.is_some()
                    && headline_complete(&current, &is_headline)
                    && !location_only(&text)));
        if complete {
            out.push(std::mem::take(&mut current));
        }
        if current.head.is_empty() {
            head_x = row.x;
        }
        if let Some(d) = date
            && current.date.is_none()
        {
            let rest = format!("{}\t{}", &text[..d.span.0], &text[d.span.1..]);
            current.date = Some(d);
            text = rest;
        }
        let cleaned: Vec<&str> = text
            .split('\t')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if !cleaned.is_empty() {
            current.head.push(cleaned.join("\t"));
        } else if current.head.is_empty() {
            current.head.push(String::new());
        }
    }
    if !current.head.is_empty() || !current.body.is_empty() {
        out.push(current);
    }
    out.retain(|b| b.head.iter().any(|h| !h.trim().is_empty()) || b.date.is_some());
    out
}

/// Whether `text` supplies what the entry still lacks: the degree of a school, or
/// the school of a degree ("Master student in EE, expected March 2016" under its university).
fn fills_gap(block: &Block, text: &str) -> bool {
    if block.head.is_empty() || !block.body.is_empty() {
        return false;
    }
    let head = block.head.join("\t");
    let (school, degree) = (is_school(&head), is_degree(&head));
    (school && !degree && is_degree(text) && !is_school(text))
        || (degree && !school && is_school(text) && !is_degree(text))
}

fn headline_complete(block: &Block, is_headline: &impl Fn(&str) -> bool) -> bool {
    let joined = block.head.join("\t");
    is_headline(&joined) && block.head.len() >= 2
}

fn location_only(text: &str) -> bool {
    let t = text.trim();
    crate::contact::is_location(t) || is_state_or_country(t)
}

/// If a description line opens with the end of a range whose start ended the
/// previous line ("Present Leading teams..."), complete the range and return the rest.
fn take_leading_end(block: &mut Block, text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    let first_word: String = trimmed.chars().take_while(|c| c.is_alphabetic()).collect();
    let date = block.date.as_mut()?;
    if dates::is_present(&first_word) {
        date.end = Some(End::Present);
        return Some(trimmed[first_word.len()..].trim().to_owned());
    }
    let found = dates::find(trimmed)?;
    if found.span.0 == 0 {
        date.end = found.end;
        return Some(trimmed[found.span.1..].trim().to_owned());
    }
    None
}

/// Split an entry heading into its parts: cells, then ` | `, ` • `, ` - `, ` at `,
/// and commas, with company suffixes (`, Inc.`) kept on their company.
fn parts(head: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in head {
        for cell in line.split('\t') {
            for piece in cell
                .split(['|', '•', '·', '—', '◦'])
                .flat_map(|p| p.split(" - "))
            {
                // "Engineer at Acme" is a title and a company; "University of Texas at
                // Austin" is one name.
                let split_at = piece.split_once(" at ").filter(|(left, _)| is_title(left));
                let pieces: Vec<&str> = match split_at {
                    Some((left, right)) => vec![left, right],
                    None => vec![piece],
                };
                for piece in pieces {
                    let piece = piece
                        .trim()
                        .trim_matches(|c: char| c == ',' || c == ':' || c == ';')
                        .trim();
                    if !piece.is_empty() {
                        out.push(piece.to_owned());
                    }
                }
            }
        }
    }
    out
}

fn split_commas(part: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in part.split(',') {
        let p = piece.trim();
        if p.is_empty() {
            continue;
        }
        if COMPANY_SUFFIXES.contains(&p.to_lowercase().as_str())
            && let Some(last) = out.last_mut()
        {
            last.push_str(", ");
            last.push_str(p);
            continue;
        }
        out.push(p.to_owned());
    }
    out
}

/// Remove a trailing place (`Anywhere, USA`, `Mountain View, CA, USA`) from comma pieces.
fn take_location(pieces: &mut Vec<String>) -> Option<String> {
    let mut place: Vec<String> = Vec::new();
    while let Some(last) = pieces.last() {
        if is_state_or_country(last) && pieces.len() > 1 {
            place.insert(0, pieces.pop().unwrap_or_default());
        } else {
            break;
        }
    }
    if place.is_empty() {
        return None;
    }
    // The city before the state or country.
    if pieces.len() >= 2
        && let Some(city) = pieces.last()
        && !is_title(city)
        && city.split_whitespace().count() <= 3
    {
        place.insert(0, pieces.pop().unwrap_or_default());
    }
    Some(place.join(", "))
}

pub fn experience(block: &Block) -> Experience {
    let mut title = None;
    let mut company = None;
    let mut location = None;
    let mut rest: Vec<String> = Vec::new();
    for part in parts(&block.head) {
        if location.is_none()
            && crate::contact::is_location(&part)
            && !is_title(&part)
            && !part.contains(" of ")
        {
            // "San Francisco, CA" as its own cell.
            if part.split(',').count() == 2 && !has_any(&part, COMPANY_SUFFIXES) {
                location = Some(part);
                continue;
            }
        }
        rest.push(part);
    }
    for part in rest {
        if is_title(&part) && title.is_none() {
            let mut pieces = split_commas(&part);
            if location.is_none() {
                location = take_location(&mut pieces);
            }
            // "Full Stack Java Developer, ABC Company, Inc." — title first, then the company.
            let t = pieces.iter().position(|p| is_title(p)).unwrap_or(0);
            title = pieces.get(t).cloned();
            let others: Vec<String> = pieces
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != t)
                .map(|(_, p)| p.clone())
                .collect();
            if company.is_none() && !others.is_empty() {
                company = Some(others.join(", "));
            }
        } else if company.is_none() {
            let mut pieces = split_commas(&part);
            if location.is_none() && pieces.len() > 1 {
                location = take_location(&mut pieces);
            }
            company = Some(pieces.join(", "));
        } else if location.is_none()
            && (crate::contact::is_location(&part) || is_state_or_country(&part))
        {
            location = Some(part);
        }
    }
    let description = (!block.body.is_empty()).then(|| join_paragraph(&block.body));
    Experience {
        title,
        company,
        location,
        duration: block.date.as_ref().map(|d| d.text.clone()),
        description,
        start: block.date.as_ref().and_then(Found::start_str),
        end: block.date.as_ref().and_then(Found::end_str),
    }
}

pub fn education(block: &Block) -> Education {
    let mut institution = None;
    let mut degree: Option<String> = None;
    let mut gpa = None;
    let mut others: Vec<String> = Vec::new();
    let all_lines: Vec<String> = block
        .head
        .iter()
        .chain(block.body.iter())
        .cloned()
        .collect();
    for line in &all_lines {
        if let Some(g) = find_gpa(line) {
            gpa.get_or_insert(g);
        }
    }
    for part in parts(&block.head) {
        if part.to_lowercase().starts_with("gpa") {
            continue;
        }
        let mut pieces = split_commas(&part);
        take_location(&mut pieces);
        for piece in pieces {
            if is_school(&piece) && institution.is_none() {
                // "PhD Princeton University": a degree written before the school.
                let mut words = piece.split_whitespace();
                match words.next() {
                    Some(w) if is_degree(w) && !is_school(w) && degree.is_none() => {
                        degree = Some(w.to_owned());
                        institution = Some(words.collect::<Vec<_>>().join(" "));
                    }
                    _ => institution = Some(piece),
                }
            } else if is_degree(&piece) && degree.is_none() {
                degree = Some(piece);
            } else if !location_only(&piece) && !piece.to_lowercase().starts_with("expected") {
                others.push(piece);
            }
        }
    }
    if institution.is_none() {
        // "UC Berkeley": no school word; the first part that is not the degree.
        institution = others.first().cloned();
        if !others.is_empty() {
            others.remove(0);
        }
    }
    let (degree, field) = match degree {
        Some(d) => {
            let (deg, field) = split_degree(&d);
            (
                Some(deg),
                field.or_else(|| others.first().cloned().filter(|o| !is_school(o))),
            )
        }
        None => (None, None),
    };
    let end = block.date.as_ref().and_then(Found::end_str);
    let year = block.date.as_ref().and_then(|d| match d.end {
        Some(End::Date(YearMonth { year, .. })) => Some(year.to_string()),
        _ => d.start.map(|s| s.year.to_string()),
    });
    Education {
        degree,
        field,
        institution,
        year,
        gpa,
        start: block.date.as_ref().and_then(Found::start_str),
        end,
    }
}

/// `Bachelor of Science in Computer Science` → (`Bachelor of Science`, `Computer Science`);
/// `Bachelor of Science, Computer Science` likewise.
fn split_degree(d: &str) -> (String, Option<String>) {
    if let Some((deg, field)) = d.split_once(" in ") {
        return (
            deg.trim().to_owned(),
            Some(field.trim().to_owned()).filter(|f| !f.is_empty()),
        );
    }
    if let Some((deg, field)) = d.split_once(',') {
        return (
            deg.trim().to_owned(),
            Some(field.trim().to_owned()).filter(|f| !f.is_empty()),
        );
    }
    (d.trim().to_owned(), None)
}

fn find_gpa(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let at = lower.find("gpa")?;
    let after = &line[at + 3..];
    let value: String = after
        .trim_start_matches([':', ' ', '-'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '/' || *c == ' ')
        .collect();
    let value = value.trim().trim_end_matches('/').trim().to_owned();
    value.chars().any(|c| c.is_ascii_digit()).then_some(value)
}

pub fn project(block: &Block, find_skills: impl Fn(&str) -> Vec<&'static str>) -> Project {
    let head = parts(&block.head);
    let title = head.first().cloned();
    let body = join_paragraph(&block.body);
    let all = format!("{}\n{}", block.head.join(" "), body);
    let link = crate::contact::links(&all);
    let mut tech: Vec<String> = Vec::new();
    for line in block.head.iter().chain(block.body.iter()) {
        let lower = line.to_lowercase();
        for label in [
            "tech stack:",
            "technologies:",
            "tech:",
            "built with:",
            "stack:",
            "tools:",
        ] {
            if let Some(at) = lower.find(label) {
                for item in line[at + label.len()..].split([',', '|', '•', ';']) {
                    let item = item.trim().trim_end_matches('.');
                    if !item.is_empty() && !tech.iter().any(|t| t.eq_ignore_ascii_case(item)) {
                        tech.push(item.to_owned());
                    }
                }
            }
        }
    }
    for s in find_skills(&all) {
        if !tech.iter().any(|t| t.eq_ignore_ascii_case(s)) {
            tech.push(s.to_owned());
        }
    }
    Project {
        title,
        tech,
        description: (!body.is_empty()).then_some(body),
        link: link.github.or(link.portfolio).or(link.linkedin),
    }
}

/// Join wrapped lines into one paragraph per bullet: a line ending in a hyphen is
/// rejoined with the next without a space (`deploy-` + `ment`).
pub fn join_paragraph(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines.iter().flat_map(|l| l.split('\n')) {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        if out.ends_with('-')
            && out.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && l.chars().next().is_some_and(char::is_lowercase)
        {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|l| (*l).to_owned()).collect()
    }

    fn rows(s: &[&str]) -> Vec<Row> {
        s.iter().map(|l| Row::plain(l)).collect()
    }

    #[test]
    fn one_line_entries_with_commas() {
        let b = blocks(
            &rows(&[
                "Full Stack Java Developer, ABC Company, Inc., Anywhere, USA, June 2018 - Present",
                "• Developed scalable applications",
                "Software Developer, XYZ Solutions, Anywhere, USA, July 2016 - June 2018",
                "• Participated in the complete life cycle",
            ]),
            is_title,
        );
        assert_eq!(b.len(), 2);
        let e = experience(&b[0]);
        assert_eq!(e.title.as_deref(), Some("Full Stack Java Developer"));
        assert_eq!(e.company.as_deref(), Some("ABC Company, Inc."));
        assert_eq!(e.location.as_deref(), Some("Anywhere, USA"));
        assert_eq!(
            (e.start.as_deref(), e.end.as_deref()),
            (Some("2018-06"), Some("present"))
        );
        let e = experience(&b[1]);
        assert_eq!(e.company.as_deref(), Some("XYZ Solutions"));
    }

    #[test]
    fn title_date_then_company_place_lines() {
        let b = blocks(
            &rows(&[
                "Senior Software Engineer\tJan 2023 - Present",
                "Stripe • San Francisco, CA",
                "• Designed a pipeline",
                "Software Engineer\tJun 2021 - Dec 2022",
                "Figma • San Francisco, CA",
                "• Built infrastructure",
            ]),
            is_title,
        );
        assert_eq!(b.len(), 2);
        let e = experience(&b[0]);
        assert_eq!(e.title.as_deref(), Some("Senior Software Engineer"));
        assert_eq!(e.company.as_deref(), Some("Stripe"));
        assert_eq!(e.location.as_deref(), Some("San Francisco, CA"));
    }

    #[test]
    fn entries_without_bullets_are_still_separated() {
        let b = blocks(
            &rows(&[
                "Vice President of Search Products & UX",
                "Google",
                "2005 - 2010\tPalo Alto, CA",
                "Product Manager & UI Lead",
                "Google",
                "Oct 2001 - July 2005\tPalo Alto, CA",
                "• Appointed by the founder",
            ]),
            is_title,
        );
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(
            experience(&b[1]).title.as_deref(),
            Some("Product Manager & UI Lead")
        );
    }

    #[test]
    fn margin_dates_split_across_lines() {
        let b = blocks(
            &rows(&[
                "2017 - Product Manager, Google, Mountain View, CA, USA",
                "Present Leading cross-functional teams to design products.",
            ]),
            is_title,
        );
        let e = experience(&b[0]);
        assert_eq!(e.title.as_deref(), Some("Product Manager"));
        assert_eq!(e.company.as_deref(), Some("Google"));
        assert_eq!(
            (e.start.as_deref(), e.end.as_deref()),
            (Some("2017"), Some("present"))
        );
        assert_eq!(
            e.description.as_deref(),
            Some("Leading cross-functional teams to design products.")
        );
    }

    #[test]
    fn education_lines() {
        let b = blocks(
            &rows(&[
                "PhD Princeton University, Computer Science",
                "• Thesis: Efficient search",
            ]),
            is_school,
        );
        let e = education(&b[0]);
        assert_eq!(e.institution.as_deref(), Some("Princeton University"));
        assert_eq!(e.degree.as_deref(), Some("PhD"));
        assert_eq!(e.field.as_deref(), Some("Computer Science"));

        let b = blocks(
            &rows(&[
                "University of La Verne, La Verne, CA\tExpected Graduation: June 2016",
                "Bachelor of Arts, Business Administration",
                "GPA: 3.5",
            ]),
            is_school,
        );
        let e = education(&b[0]);
        assert_eq!(e.institution.as_deref(), Some("University of La Verne"));
        assert_eq!(e.degree.as_deref(), Some("Bachelor of Arts"));
        assert_eq!(e.field.as_deref(), Some("Business Administration"));
        assert_eq!(e.gpa.as_deref(), Some("3.5"));
        assert_eq!(e.year.as_deref(), Some("2016"));

        let b = blocks(
            &rows(&[
                "UC Berkeley | 2019",
                "Bachelor of Science, Computer Science",
            ]),
            is_school,
        );
        assert_eq!(education(&b[0]).institution.as_deref(), Some("UC Berkeley"));
    }

    #[test]
    fn paragraphs_rejoin_hyphenated_words() {
        assert_eq!(
            join_paragraph(&lines(&["from analysis to deploy-", "ment and back"])),
            "from analysis to deployment and back"
        );
        assert_eq!(join_paragraph(&lines(&["well-", "Known"])), "well- Known");
    }
}
