//! Resume structure from extracted PDF text: contact details, sections,
//! experience, education, projects and skills (matched against a curated taxonomy).
//!
//! Pure and deterministic: no I/O, no Lambda, Postgres or S3 types. The output is
//! the old API's resume JSON ([`Resume`]), with dates, years of experience and an
//! inferred experience level added.

mod contact;
pub mod dates;
mod entries;
mod model;
mod sections;
mod skills;
pub mod taxonomy;

pub use dates::YearMonth;
pub use model::{Education, Experience, ExperienceLevel, Links, Project, Resume};
pub use rehearse_pdf::{Extracted, Limits, PdfError};

use sections::Section;

/// Parse a PDF resume: extract its text, then its structure. "Present" in a date
/// range means the current month.
///
/// A file that yields no usable text is an error, never an empty resume
/// presented as a success.
pub fn parse_pdf(bytes: &[u8], limits: &Limits) -> Result<Resume, PdfError> {
    let extracted = rehearse_pdf::extract(bytes, limits)?;
    Ok(parse_text(&extracted, YearMonth::now()))
}

/// The structure of already extracted text, with `today` as the end of ranges
/// that run to the present.
pub fn parse_text(extracted: &Extracted, today: YearMonth) -> Resume {
    let pages = sections::without_furniture(&extracted.pages);
    let placed = sections::split(&pages);
    let text_of = |section: Section| -> Vec<String> {
        placed
            .iter()
            .filter(|p| p.section == section)
            .map(|p| p.line.text.clone())
            .collect()
    };
    let rows_of = |section: Section| -> Vec<entries::Row> {
        placed
            .iter()
            .filter(|p| p.section == section)
            .map(|p| entries::Row {
                text: p.line.text.clone(),
                x: p.line.x,
            })
            .collect()
    };
    let all_text = extracted.text();
    let header: Vec<&sections::Placed> = placed
        .iter()
        .filter(|p| p.section == Section::Header)
        .collect();
    let header_text: String = header
        .iter()
        .map(|p| p.line.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");

    let mut resume = Resume {
        name: name(&header, &placed),
        email: contact::email(&header_text).or_else(|| contact::email(&all_text)),
        phone: contact::phone(&header_text)
            .or_else(|| contact::phone(&text_of(Section::Links).join("\n"))),
        location: location(&header),
        ..Resume::default()
    };
    resume.links = contact::links(&format!(
        "{header_text}\n{}",
        text_of(Section::Links).join("\n")
    ));
    if resume.links == Links::default() {
        resume.links = contact::links(&all_text);
    }

    let summary = text_of(Section::Summary);
    resume.summary = (!summary.is_empty()).then(|| entries::join_paragraph(&summary));

    let experience_blocks = entries::blocks(&rows_of(Section::Experience), entries::is_title);
    resume.experience = experience_blocks
        .iter()
        .map(entries::experience)
        .filter(|e| e.title.is_some() || e.company.is_some())
        .collect();

    resume.education = entries::blocks(&rows_of(Section::Education), |s| {
        entries::is_school(s) && entries::is_degree(s)
    })
    .iter()
    .map(entries::education)
    .filter(|e| e.institution.is_some() || e.degree.is_some())
    .collect();

    let find = |t: &str| taxonomy::taxonomy().find_in_text(t);
    resume.projects = entries::blocks(&rows_of(Section::Projects), |s| s.split('\t').count() > 1)
        .iter()
        .map(|b| entries::project(b, find))
        .filter(|p| p.title.is_some())
        .collect();

    // Skills: the section's own list first, then what the descriptions name (not the
    // entry headings: "Stripe" is an employer there, not the payments API).
    let mut skills = skills::from_section(&text_of(Section::Skills));
    let mut prose = resume.summary.clone().unwrap_or_default();
    for block in &experience_blocks {
        prose.push('\n');
        prose.push_str(&block.body.join("\n"));
    }
    for project in &resume.projects {
        prose.push('\n');
        prose.push_str(project.description.as_deref().unwrap_or_default());
    }
    for s in taxonomy::taxonomy().find_in_text(&prose) {
        skills::push_unique(&mut skills, s.to_owned());
    }
    resume.skills = skills;

    resume.certifications = list_items(&text_of(Section::Certifications));
    resume.languages = list_items(&text_of(Section::Languages))
        .into_iter()
        .flat_map(|l| {
            l.split(',')
                .map(|s| language_name(s.trim()))
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
        .collect();

    let ranges: Vec<_> = experience_blocks
        .into_iter()
        .filter_map(|b| b.date.map(|d| (d.start, d.end)))
        .collect();
    resume.years_of_experience = dates::total_years(&ranges, today);
    resume.experience_level = Some(level(resume.years_of_experience, &resume.experience));
    resume
}

/// The name: the largest name-like line of the header (or of the first lines when
/// the resume opens with a heading).
fn name(header: &[&sections::Placed], all: &[sections::Placed]) -> Option<String> {
    let candidates: Vec<&rehearse_pdf::Line> = if header.is_empty() {
        all.iter().take(5).map(|p| p.line).collect()
    } else {
        header.iter().map(|p| p.line).collect()
    };
    candidates
        .iter()
        .flat_map(|l| l.text.split('\t').map(move |cell| (cell.trim(), l.size)))
        .filter(|(cell, _)| {
            contact::looks_like_name(cell) && !entries::is_title(cell) && !entries::is_school(cell)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(cell, _)| contact::name_case(cell))
}

fn location(header: &[&sections::Placed]) -> Option<String> {
    let segments: Vec<String> = header
        .iter()
        .flat_map(|p| contact::segments(&p.line.text))
        .collect();
    segments
        .iter()
        .find(|s| contact::is_address(s))
        .or_else(|| {
            segments
                .iter()
                .find(|s| contact::is_location(s) && !entries::is_title(s))
        })
        .cloned()
}

/// One item per bullet or line, without dates or bullets.
fn list_items(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        for cell in line.split(['\t', '•', '|']) {
            let mut text = cell.trim().to_owned();
            if let Some(d) = dates::find(&text) {
                text = format!("{}{}", &text[..d.span.0], &text[d.span.1..]);
            }
            // "Certified Architect (2022)" without its date leaves "()".
            let text = text.replace("()", "").replace("[]", "");
            let text = text
                .trim()
                .trim_matches(|c: char| c == ',' || c == '-' || c == ':')
                .trim()
                .to_owned();
            if text.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                skills::push_unique(&mut out, text);
            }
        }
    }
    out
}

/// `Spanish (Native)` / `German - B2` → `Spanish` / `German`.
fn language_name(s: &str) -> String {
    let cut = s.find(['(', '-', ':', '–']).unwrap_or(s.len());
    s[..cut].trim().to_owned()
}

fn level(years: Option<f32>, experience: &[Experience]) -> ExperienceLevel {
    let titles: Vec<String> = experience
        .iter()
        .take(2)
        .filter_map(|e| e.title.as_deref())
        .map(str::to_lowercase)
        .collect();
    let has = |words: &[&str]| {
        titles.iter().any(|t| {
            words
                .iter()
                .any(|w| t.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w))
        })
    };
    let years = years.unwrap_or(0.0);
    if has(&[
        "ceo",
        "cto",
        "cfo",
        "coo",
        "cio",
        "vp",
        "chief",
        "president",
        "director",
    ]) && years >= 8.0
    {
        ExperienceLevel::Executive
    } else if has(&["lead", "principal", "staff", "head", "manager", "architect"]) && years >= 6.0 {
        ExperienceLevel::Lead
    } else if years >= 6.0 {
        ExperienceLevel::Senior
    } else if years >= 3.0 {
        ExperienceLevel::Mid
    } else if years >= 1.0 && !has(&["intern", "trainee", "student"]) {
        ExperienceLevel::Junior
    } else {
        ExperienceLevel::Entry
    }
}
