//! Experience, education and project entries: grouping a section's lines into
//! entries, then reading each entry's title, organisation, place and dates.

use std::collections::HashSet;
use std::sync::LazyLock;

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
    "licenciado",
    "bacharelado",
    "mestrado",
    "doutorado",
    "laurea",
    "diplom",
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

fn words_lower(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word_lower(s, |w| {
        out.push(w.to_owned());
        false
    });
    out
}

/// Calls `f` with each word of `s` in lower case, as `words_lower` lists them, until
/// it returns true; whether one did. One buffer serves every ASCII word.
fn each_word_lower(s: &str, mut f: impl FnMut(&str) -> bool) -> bool {
    let mut buf = String::new();
    for piece in s.split(|c: char| {
        c.is_whitespace() || c == ',' || c == '/' || c == '(' || c == ')' || c == '&'
    }) {
        let w = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if w.is_empty() {
            continue;
        }
        let hit = if w.is_ascii() {
            buf.clear();
            buf.extend(w.chars().map(|c| c.to_ascii_lowercase()));
            f(&buf)
        } else {
            // `to_lowercase` of the whole word: a final sigma depends on its neighbours.
            f(&w.to_lowercase())
        };
        if hit {
            return true;
        }
    }
    false
}

/// A word list ready for lookups: its words in a set, and the entries that match
/// inside words. `is_title`, `is_school` and `is_degree` run on every line and cell of
/// a resume, and scanning the lists word by word was a tenth of the structure's time.
struct WordList {
    words: HashSet<&'static str>,
    inside: Vec<&'static str>,
}

impl WordList {
    fn new(list: &'static [&'static str], inside: fn(&str) -> bool) -> Self {
        Self {
            words: list.iter().copied().collect(),
            inside: list.iter().copied().filter(|e| inside(e)).collect(),
        }
    }

    /// Whether `word`, or `word` without its dots, is listed.
    fn has_word(&self, word: &str) -> bool {
        self.words.contains(word)
            || (word.contains('.') && self.words.contains(word.replace('.', "").as_str()))
    }
}

/// CJK entries are matched inside words: Chinese writes no spaces.
fn cjk_entry(entry: &str) -> bool {
    !entry.is_ascii() && entry.chars().any(crate::contact::is_cjk)
}

static TITLES: LazyLock<WordList> = LazyLock::new(|| WordList::new(TITLE_WORDS, cjk_entry));
static SCHOOLS: LazyLock<WordList> = LazyLock::new(|| WordList::new(SCHOOL_WORDS, cjk_entry));
static COMPANY: LazyLock<WordList> = LazyLock::new(|| WordList::new(COMPANY_SUFFIXES, cjk_entry));
static DEGREES: LazyLock<WordList> =
    LazyLock::new(|| WordList::new(DEGREE_WORDS, |entry| !entry.is_ascii()));

fn has_any(s: &str, list: &WordList) -> bool {
    list.inside.iter().any(|entry| s.contains(entry)) || each_word_lower(s, |w| list.has_word(w))
}

pub fn is_title(s: &str) -> bool {
    has_any(s, &TITLES)
}

pub fn is_school(s: &str) -> bool {
    has_any(s, &SCHOOLS)
}

pub fn is_degree(s: &str) -> bool {
    if DEGREES.inside.iter().any(|d| s.contains(d)) {
        return true;
    }
    each_word_lower(s, |w| {
        if w.contains('.') {
            DEGREES.words.contains(w.replace('.', "").as_str())
        } else {
            DEGREES.words.contains(w)
        }
    }) || s.contains("Ph.D")
        || s.contains("B.E.")
        || s.contains("M.E.")
        || s.contains("B.S.")
        || s.contains("M.S.")
        || s.contains("B.A.")
}

fn is_state_or_country(s: &str) -> bool {
    crate::places::is_region_or_country(s)
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
    let words = t.split_whitespace().count();
    if t.chars().next().is_some_and(|c| c.is_lowercase()) {
        // Unless it is an entry heading with its dates (`teamLab, Tokyo · Jun 2017 -
        // Mar 2021`): descriptions rarely end in a range.
        return words > 12
            || t.ends_with('.')
            || !dates::find(t).is_some_and(|d| d.start.is_some() || d.end == Some(End::Present));
    }
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

/// Labels of an entry's detail lines (`GPA: 3.5`, `Brief introduction: ...`): never
/// the heading of an entry.
const DETAIL_LABELS: &[&str] = &[
    "gpa",
    "brief introduction",
    "introduction",
    "description",
    "responsibilities",
    "achievements",
    "key achievements",
    "tech stack",
    "technologies",
    "technology",
    "tools",
    "environment",
    "stack",
    "built with",
    "thesis",
    "coursework",
    "relevant coursework",
    "courses",
];

/// `GPA: 3.5`, `Tech stack: Go, Kafka`: a labelled detail of an entry.
fn is_detail(text: &str) -> bool {
    let t = text.trim_start_matches(['•', '*', '▪', ' ']).trim_start();
    let lower = t.to_lowercase();
    lower.starts_with("gpa")
        || lower
            .split_once(':')
            .is_some_and(|(label, _)| DETAIL_LABELS.contains(&label.trim()))
}

/// `Go, Kafka, Redis, Apache Arrow`: a list of known skills (the technologies of the
/// entry above), not the heading of the next one.
pub fn is_tech_line(text: &str) -> bool {
    if text.trim_end().ends_with('.') || !text.contains([',', '|', '·', '•', ';']) {
        return false;
    }
    let items: Vec<&str> = text
        .split([',', '|', '·', '•', ';'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    // Names of technologies are short; a sentence with commas is no list of them.
    if items.iter().any(|i| i.split_whitespace().count() > 3) {
        return false;
    }
    let known = items
        .iter()
        .filter(|i| crate::taxonomy::taxonomy().canonical(i).is_some())
        .count();
    items.len() >= 2 && known * 3 >= items.len() * 2
}

/// A section's entries where each item is one paragraph opening `Name - what it is`
/// (`ledgerlite - an append-only ledger library`): one block per item, the name as
/// its heading. `None` when the section is not written that way.
pub fn inline_blocks(lines: &[Row]) -> Option<Vec<Block>> {
    let left = lines.iter().map(|r| r.x).fold(f32::MAX, f32::min);
    let opens = |r: &Row| -> Option<(String, String)> {
        let (name, rest) = r.text.split_once(" - ")?;
        let name = name.trim();
        let words = name.split_whitespace().count();
        ((1..=4).contains(&words) && r.x <= left + 2.0 && !rest.trim().is_empty())
            .then(|| (name.to_owned(), rest.trim().to_owned()))
    };
    let mut out: Vec<Block> = Vec::new();
    let mut previous_ended = true;
    for r in lines {
        match opens(r).filter(|_| previous_ended) {
            Some((name, rest)) => out.push(Block {
                head: vec![name],
                body: vec![rest],
                date: None,
            }),
            None => match out.last_mut().and_then(|b| b.body.last_mut()) {
                Some(last) => {
                    last.push('\n');
                    last.push_str(r.text.trim());
                }
                None => return None,
            },
        }
        previous_ended = r.text.trim_end().ends_with(['.', '!', ')']);
    }
    (!out.is_empty()).then_some(out)
}

/// A line of a section: its text, where it starts and whether it is bold.
#[derive(Debug, Clone)]
pub struct Row {
    pub text: String,
    pub x: f32,
    pub bold: bool,
}

#[cfg(test)]
impl Row {
    pub fn plain(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            x: 0.0,
            bold: false,
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
    let mut pending_month: Option<(u8, String)> = None;
    for row in lines {
        let mut text = row.text.clone();
        // A narrow date column wraps `Aug 2018 - Mar` over `2021`: the year ends the
        // range the month began.
        if let Some((month, word)) = pending_month.take()
            && let Some(d) = current.date.as_mut()
            && d.end.is_none()
            && let Ok(year) = text.trim().parse::<i32>()
            && (1950..=2100).contains(&year)
        {
            d.end = Some(End::Date(YearMonth {
                year,
                month: Some(month),
            }));
            d.text = format!("{} {word} {year}", d.text);
            continue;
        }
        // Page numbers and other bare numbers between entries.
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
        {
            continue;
        }
        let detail = is_detail(&text) || is_tech_line(&text);
        let words = text.split_whitespace().count();
        // A short bold line is a heading (`chaos-kettle`), whatever its case.
        let bold_head = row.bold
            && words <= 6
            && !text.trim_end().ends_with('.')
            && !text
                .trim_start()
                .starts_with(['•', '*', '▪', '-', '–', '○', '◦', '➢', '►', '✓']);
        // A long line set in from the entry's heading is its description, even
        // without a bullet glyph (CSS list markers are drawn, not written).
        let description = is_description(&text);
        let indented_body = !description
            && !current.head.is_empty()
            && row.x > head_x + 4.0
            && words >= 6
            && dates::find(&text).is_none_or(|d| d.start.is_none());
        // A wrapped bullet continues indented past the entry's heading lines.
        let continuation = last_was_body
            && ((row.x > head_x + 2.0 && row.x >= body_x - 2.0)
                // The last words of a wrapped sentence in an unindented layout ("Spark.").
                || (text.trim_end().ends_with('.')
                    && text.split_whitespace().count() <= 6
                    && current.body.last().is_some_and(|b| !b.trim_end().ends_with('.'))));
        if (description || detail || continuation || indented_body)
            && !bold_head
            && !current.head.is_empty()
        {
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
            let mut after = &text[d.span.1..];
            // `Aug 2018 - Mar` with the year on the next line: keep the month for it.
            if d.start.is_some() && d.end.is_none() {
                let word: String = after
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphabetic() || *c == '.')
                    .collect();
                let follows = after.trim_start().get(word.len()..).unwrap_or_default();
                if let Some(month) = dates::month_of(&word)
                    && (follows.is_empty() || follows.starts_with(['\t', ' ']))
                {
                    pending_month = Some((month, word.clone()));
                    after = follows;
                }
            }
            let rest = format!("{}\t{}", &text[..d.span.0], after);
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
                    let piece = tidy(piece);
                    if !piece.is_empty() {
                        out.push(piece);
                    }
                }
            }
        }
    }
    out
}

/// A heading part without the separators and brackets that cutting out its dates
/// left behind: `Programaria, São Paulo (` is `Programaria, São Paulo`, and no part
/// ends in an opening bracket or a dash.
fn tidy(piece: &str) -> String {
    let mut t = piece.replace("()", "").replace("[]", "");
    loop {
        let trimmed = t
            .trim()
            .trim_matches(|c: char| matches!(c, ',' | ':' | ';' | '-' | '–' | '—' | '/'))
            .trim()
            .trim_end_matches(['(', '['])
            .trim_start_matches([')', ']'])
            .trim();
        if trimmed.len() == t.len() {
            break;
        }
        t = trimmed.to_owned();
    }
    // An opening bracket whose closing one went with the dates.
    if let Some(open) = t.rfind('(')
        && !t[open..].contains(')')
        && t[open + 1..].split_whitespace().count() <= 1
        && t[open + 1..].chars().all(|c| !c.is_alphabetic())
    {
        t.truncate(open);
        t = t.trim().trim_end_matches(',').trim().to_owned();
    }
    t
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
    // A state or country glued to a company after its suffix (`FLAG Inc.
    // California`), or a Chinese city glued to a company name.
    if let Some(last) = pieces.last_mut() {
        let glued = crate::places::trailing_region(last)
            .filter(|(before, _)| {
                let end = before.rsplit(' ').next().unwrap_or_default().to_lowercase();
                COMPANY_SUFFIXES.contains(&end.as_str())
            })
            .or_else(|| crate::places::trailing_cjk_city(last))
            .map(|(before, place)| (before.to_owned(), place.to_owned()));
        if let Some((before, city)) = glued {
            *last = before;
            place.insert(0, city);
            return Some(place.join(", "));
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

/// `Summer Intern Manager: xxx` is the title `Summer Intern` and a reference.
fn cut_reference(title: &str) -> String {
    if let Some((before, _)) = title.split_once([':', '：']) {
        let before = before.trim();
        if let Some(cut) = before.rfind(char::is_whitespace) {
            let (title_part, role) = (before[..cut].trim(), before[cut..].trim());
            if is_title(role) && is_title(title_part) {
                return title_part.to_owned();
            }
        }
    }
    title.to_owned()
}

/// A city's name: a word or three, each capitalised and not all in capitals, that
/// name no title, school or company (`Munich`, `La Plata`).
fn city_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().any(char::is_lowercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
        && !is_title(s)
        && !is_school(s)
        && !has_any(s, &COMPANY)
}

/// A part that is only a place (`San Francisco, CA`, `Seoul, S.Korea`, `Remote`):
/// a city and a known state or country, or that alone.
fn place_only(part: &str) -> bool {
    let ends_in_region = part.rsplit(',').next().is_some_and(is_state_or_country);
    !is_title(part)
        && !part.contains(" of ")
        && !has_any(part, &COMPANY)
        && ((crate::contact::is_location(part) && part.split(',').count() == 2 && ends_in_region)
            || is_state_or_country(part))
}

pub fn experience(block: &Block) -> Experience {
    let mut title = None;
    let mut company = None;
    let mut location = None;
    let mut rest: Vec<String> = Vec::new();
    for part in parts(&block.head) {
        if location.is_none() && place_only(&part) {
            location = Some(part);
            continue;
        }
        rest.push(part);
    }
    let title_at = rest.iter().position(|p| is_title(p));
    // A title line beside a line of its own for the company keeps its commas
    // (`Engineering Manager, Mobile` over `Bending Spoons, Milan, Italy`).
    let company_at = rest
        .iter()
        .enumerate()
        .position(|(i, p)| Some(i) != title_at && !is_title(p));
    match (title_at, company_at) {
        (Some(t), Some(c)) => {
            let mut pieces = split_commas(rest.get(t).map_or("", String::as_str));
            if location.is_none() {
                location = take_location(&mut pieces);
            } else {
                take_location(&mut pieces);
            }
            title = Some(pieces.join(", "));
            let mut pieces = split_commas(rest.get(c).map_or("", String::as_str));
            let mut place = take_location(&mut pieces);
            // `Check24, Munich`: a company and its city.
            if place.is_none() && pieces.len() == 2 && pieces.last().is_some_and(|p| city_like(p)) {
                place = pieces.pop();
            }
            location = location.or(place);
            company = Some(pieces.join(", "));
            // A city wrapped onto a line of its own after the company.
            if location.is_none() {
                location = rest
                    .iter()
                    .enumerate()
                    .skip(c + 1)
                    .find(|(i, p)| Some(*i) != title_at && city_like(p))
                    .map(|(_, p)| p.clone());
            }
        }
        _ => {
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
                    let place = take_location(&mut pieces);
                    if location.is_none() {
                        location = place;
                    }
                    company = Some(pieces.join(", "));
                } else if location.is_none()
                    && (crate::contact::is_location(&part) || is_state_or_country(&part))
                {
                    location = Some(part);
                }
            }
        }
    }
    let title = title.map(|t| cut_reference(&t)).filter(|t| !t.is_empty());
    let company = company.map(|c| tidy(&c)).filter(|c| !c.is_empty());
    let description = (!block.body.is_empty()).then(|| join_paragraph(&block.body));
    let start = block.date.as_ref().and_then(Found::start_str);
    let end = block.date.as_ref().and_then(Found::end_str);
    Experience {
        title,
        company,
        location,
        duration: block.date.as_ref().map(|d| d.text.clone()),
        description,
        // A single date ("Summer 2022") is when the job began and ended.
        start: start.or_else(|| end.clone().filter(|e| e != "present")),
        end,
    }
}

/// Whether an entry of an experience section is a project (`Individual Projects`,
/// `个人项目`): it belongs with the projects, not among the jobs.
pub fn is_project_block(block: &Block) -> bool {
    block.head.iter().any(|line| {
        let lower = line.to_lowercase();
        lower.contains("个人项目")
            || words_lower(&lower).iter().any(|w| w == "projects")
            || [
                "personal project",
                "individual project",
                "side project",
                "open source project",
                "open-source project",
            ]
            .iter()
            .any(|p| lower.contains(p))
    })
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
    // "Master student ..., expected March 2016": graduation, whatever the range says.
    let expected = all_lines.iter().find_map(|l| {
        let lower = l.to_lowercase();
        let at = lower.find("expected").or_else(|| lower.find("预计"))?;
        let found = dates::find(l.get(at..)?)?;
        match found.end {
            Some(End::Date(d)) => Some(d),
            _ => None,
        }
    });
    let end = match expected {
        Some(d) => Some(d.render()),
        None => block.date.as_ref().and_then(Found::end_str),
    };
    let year = match expected {
        Some(d) => Some(d.year.to_string()),
        None => block.date.as_ref().and_then(|d| match d.end {
            Some(End::Date(YearMonth { year, .. })) => Some(year.to_string()),
            _ => d.start.map(|s| s.year.to_string()),
        }),
    };
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
    fn the_city_and_country_leave_the_company_for_the_location() {
        for (head, company, location) in [
            (
                &[
                    "Senior Product Designer",
                    "Nordlys Software, Aarhus, Denmark",
                    "Mar 2020 - Present",
                ][..],
                "Nordlys Software",
                "Aarhus, Denmark",
            ),
            (
                &[
                    "Data Scientist\tSep 2019 - Dec 2021",
                    "Flutterwave, Lagos, Nigeria",
                ][..],
                "Flutterwave",
                "Lagos, Nigeria",
            ),
            (
                &[
                    "FLAG Inc. California, America\t2012 - Present",
                    "Summer Intern",
                ][..],
                "FLAG Inc.",
                "California, America",
            ),
            (
                &["Backend Developer at Check24, Munich\tAug 2018 - Mar 2021"][..],
                "Check24",
                "Munich",
            ),
            (
                &[
                    "R.O.K Cyber Command, MND\tSeoul, S.Korea",
                    "Security Researcher\tAug. 2014 - Apr. 2016",
                ][..],
                "R.O.K Cyber Command, MND",
                "Seoul, S.Korea",
            ),
        ] {
            let b = blocks(&rows(head), is_title);
            let e = experience(&b[0]);
            assert_eq!(e.company.as_deref(), Some(company), "{head:?}");
            assert_eq!(e.location.as_deref(), Some(location), "{head:?}");
        }
    }

    #[test]
    fn a_title_with_a_comma_keeps_it_when_the_company_has_its_own_line() {
        let b = blocks(
            &rows(&[
                "Engineering Manager, Mobile",
                "Bending Spoons, Milan, Italy",
                "May 2020 - Present",
            ]),
            is_title,
        );
        let e = experience(&b[0]);
        assert_eq!(e.title.as_deref(), Some("Engineering Manager, Mobile"));
        assert_eq!(e.company.as_deref(), Some("Bending Spoons"));
        assert_eq!(e.location.as_deref(), Some("Milan, Italy"));
    }

    #[test]
    fn no_company_ends_in_an_opening_bracket() {
        for head in [
            "Mentor at Programaria, São Paulo (2019 - present)",
            "Infineon Technologies, Neubiberg, Germany (04/2013 - 09/2014)",
            "Working Student\tAcme Robotics (Jun 2013 -",
        ] {
            let b = blocks(&rows(&[head]), is_title);
            let e = experience(&b[0]);
            let company = e.company.unwrap_or_default();
            assert!(
                !company.ends_with(['(', '[', '-', ',']) && !company.is_empty(),
                "{head:?} gave {company:?}"
            );
        }
        assert_eq!(tidy("Programaria, São Paulo ("), "Programaria, São Paulo");
        assert_eq!(
            tidy("Siemens Healthineers, Erlangen, Germany -"),
            "Siemens Healthineers, Erlangen, Germany"
        );
        assert_eq!(
            tidy("Danggeun Pay Inc. (KarrotPay)"),
            "Danggeun Pay Inc. (KarrotPay)"
        );
    }

    #[test]
    fn a_date_column_that_wraps_keeps_the_end_of_the_range() {
        let b = blocks(
            &rows(&[
                "Aug 2018 - Mar\tBackend Developer at Check24, Munich",
                "2021",
                "• Built the price-comparison API for car insurance",
            ]),
            is_title,
        );
        let e = experience(&b[0]);
        assert_eq!(
            (e.start.as_deref(), e.end.as_deref()),
            (Some("2018-08"), Some("2021-03"))
        );
        assert_eq!(e.duration.as_deref(), Some("Aug 2018 - Mar 2021"));
        assert_eq!(e.company.as_deref(), Some("Check24"));
    }

    #[test]
    fn a_reference_after_the_title_is_no_part_of_it() {
        assert_eq!(cut_reference("Summer Intern Manager: xxx"), "Summer Intern");
        assert_eq!(cut_reference("实习 经理: 高富帅"), "实习");
        assert_eq!(cut_reference("Engineer: Platform"), "Engineer: Platform");
    }

    #[test]
    fn a_single_date_is_both_ends_of_a_job() {
        let b = blocks(
            &rows(&["DEF Organization", "Software Engineer Intern\tSummer 2022"]),
            is_title,
        );
        let e = experience(&b[0]);
        assert_eq!(
            (e.start.as_deref(), e.end.as_deref()),
            (Some("2022-06"), Some("2022-06"))
        );
    }

    #[test]
    fn project_names_and_their_technology_lines() {
        let mut r = rows(&[
            "Tidewater",
            "Open-source streaming feature pipeline",
            "Computes windowed features from Kafka topics with exactly-once writes.",
            "Go, Kafka, Redis, Apache Arrow",
            "pg-shard-audit",
            "Finds cross-shard foreign keys in Citus clusters before a rebalance.",
        ]);
        for i in [0, 4] {
            r[i].bold = true;
        }
        let b = blocks(&r, |s| s.split('\t').count() > 1);
        let names: Vec<_> = b.iter().map(|b| project(b, |_| Vec::new()).title).collect();
        assert_eq!(
            names,
            vec![Some("Tidewater".into()), Some("pg-shard-audit".into())]
        );

        let inline = inline_blocks(&rows(&[
            "ledgerlite - an append-only double-entry ledger library for Go, 1.8k",
            "stars.",
            "kafka-replay - replays a topic's history into a fresh consumer group.",
        ]))
        .unwrap();
        let names: Vec<_> = inline
            .iter()
            .map(|b| project(b, |_| Vec::new()).title)
            .collect();
        assert_eq!(
            names,
            vec![Some("ledgerlite".into()), Some("kafka-replay".into())]
        );
    }

    #[test]
    fn projects_listed_among_jobs_are_recognised() {
        let b = blocks(
            &rows(&[
                "LaTeX résumé template\tMay 2015 - Present",
                "LaTeX, Maintainer Individual Projects",
            ]),
            is_title,
        );
        assert!(is_project_block(&b[0]));
        let b = blocks(&rows(&["Project Manager\t2019 - 2021", "Acme"]), is_title);
        assert!(!is_project_block(&b[0]));
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
