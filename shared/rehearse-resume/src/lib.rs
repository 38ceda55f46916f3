//! Resume structure from extracted PDF text: contact details, sections,
//! experience, education, projects and skills (matched against a curated taxonomy).
//!
//! Pure and deterministic: no I/O, no Lambda, Postgres or S3 types. The output is
//! the old API's resume JSON ([`Resume`]), with dates, years of experience and an
//! inferred experience level added.

mod contact;
pub mod dates;
mod entries;
mod languages;
mod links;
mod model;
mod places;
mod sections;
mod skills;
pub mod taxonomy;
mod taxonomy_atoms;
// The parser runs in build.rs and the tests; the matcher reads the compiled map.
#[cfg_attr(not(test), allow(dead_code))]
mod taxonomy_table;
mod wrap;

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
    let lines_of = |section: Section| -> Vec<&sections::Placed> {
        placed.iter().filter(|p| p.section == section).collect()
    };
    let text_of = |section: Section| -> Vec<String> {
        lines_of(section)
            .iter()
            .map(|p| p.line.text.clone())
            .collect()
    };
    let rows_of = |section: Section| -> Vec<entries::Row> {
        lines_of(section)
            .iter()
            .map(|p| entries::Row {
                text: p.line.text.clone(),
                x: p.line.x,
                bold: p.line.bold,
            })
            .collect()
    };
    // Sidebars wrap names over lines: those sections' entries are read rejoined (in
    // the experience section only where the text itself says so, see `wrap::join`).
    let joined_rows_of = |section: Section| -> Vec<entries::Row> {
        let by_fullness = section != Section::Experience;
        wrap::join(&lines_of(section), &placed, by_fullness)
            .into_iter()
            .map(|j| entries::Row {
                text: j.text,
                x: j.x,
                bold: j.bold,
            })
            .collect()
    };
    let all_text = extracted.text();
    let header = lines_of(Section::Header);
    // The contact details: the header, and a sidebar's contact or links section.
    let contact_lines: Vec<&sections::Placed> = placed
        .iter()
        .filter(|p| matches!(p.section, Section::Header | Section::Links))
        .collect();
    let contact_text: String = contact_lines
        .iter()
        .map(|p| p.line.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");

    let mut resume = Resume {
        name: name(&header, &placed),
        email: contact::email(&contact_text).or_else(|| contact::email(&all_text)),
        phone: contact::phone(&contact_text),
        location: location(&contact_lines),
        ..Resume::default()
    };
    resume.links = links::profile_links(&contact_lines, &placed, &extracted.links);
    if resume.links == Links::default() {
        resume.links = contact::links(&all_text);
    }

    let summary = text_of(Section::Summary);
    resume.summary = (!summary.is_empty()).then(|| entries::join_paragraph(&summary));

    // Projects listed among the jobs (`Individual Projects`) go with the projects,
    // with any undated, untitled entry that continues one.
    let mut experience_blocks: Vec<entries::Block> = Vec::new();
    let mut project_blocks: Vec<entries::Block> = Vec::new();
    let mut in_project = false;
    for block in entries::blocks(&joined_rows_of(Section::Experience), entries::is_title) {
        let continues_project =
            in_project && block.date.is_none() && !block.head.iter().any(|h| entries::is_title(h));
        if entries::is_project_block(&block) {
            project_blocks.push(block);
            in_project = true;
        } else if continues_project && let Some(project) = project_blocks.last_mut() {
            project.body.extend(block.head);
            project.body.extend(block.body);
        } else {
            experience_blocks.push(block);
            in_project = false;
        }
    }
    resume.experience = experience_blocks
        .iter()
        .map(entries::experience)
        .filter(|e| e.title.is_some() || e.company.is_some())
        .collect();

    resume.education = entries::blocks(&joined_rows_of(Section::Education), |s| {
        entries::is_school(s) && entries::is_degree(s)
    })
    .iter()
    .map(entries::education)
    .filter(|e| e.institution.is_some() || e.degree.is_some())
    .collect();

    let find = |t: &str| taxonomy::taxonomy().find_in_text(t);
    let project_rows = rows_of(Section::Projects);
    let mut blocks = entries::inline_blocks(&project_rows)
        .unwrap_or_else(|| entries::blocks(&project_rows, |s| s.split('\t').count() > 1));
    blocks.extend(project_blocks);
    resume.projects = blocks
        .iter()
        .map(|b| entries::project(b, find))
        .filter(|p| p.title.as_deref().is_some_and(|t| !t.is_empty()))
        .collect();

    resume.certifications = list_items(
        &joined_rows_of(Section::Certifications)
            .into_iter()
            .map(|r| r.text)
            .collect::<Vec<_>>(),
    );
    resume.languages = languages::from_section(
        &joined_rows_of(Section::Languages)
            .into_iter()
            .map(|r| r.text)
            .collect::<Vec<_>>(),
    );

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
    // A spoken language named among the skills ("Language: Fluent in Spanish") is a
    // language; and nothing that is something else on this resume (a school, a
    // degree, a date, a heading) is a skill.
    for item in skills::items(&text_of(Section::Skills)) {
        if let Some(language) = languages::named_in(&item) {
            skills::push_unique(&mut resume.languages, language.to_owned());
        }
    }
    let others = not_skills(&resume);
    resume.skills = skills
        .into_iter()
        .filter(|s| skills::is_skill(s, &others))
        .collect();

    let ranges: Vec<_> = experience_blocks
        .into_iter()
        .filter_map(|b| b.date.map(|d| (d.start, d.end)))
        .collect();
    resume.years_of_experience = dates::total_years(&ranges, today);
    resume.experience_level = Some(level(resume.years_of_experience, &resume.experience));
    resume
}

/// What the resume says that is not a skill, lower case: its name, places,
/// employers, titles, schools, degrees, languages and certifications.
fn not_skills(r: &Resume) -> Vec<String> {
    let jobs = r
        .experience
        .iter()
        .flat_map(|e| [&e.title, &e.company, &e.location]);
    let schools = r
        .education
        .iter()
        .flat_map(|e| [&e.institution, &e.degree, &e.field]);
    [&r.name, &r.location]
        .into_iter()
        .chain(jobs)
        .chain(schools)
        .flatten()
        .chain(&r.languages)
        .chain(&r.certifications)
        .map(|s| s.to_lowercase())
        .collect()
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
            if text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !crate::contact::has_url(&text)
                && !text.contains('@')
            {
                skills::push_unique(&mut out, text);
            }
        }
    }
    out
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
