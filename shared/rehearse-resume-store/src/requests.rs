//! Resume data a client sends as JSON (the sign-up form's `POST /api/db/resume`,
//! and later `resume_data` when a session starts), read liberally and validated.
//!
//! Liberal: the resume may come wrapped (`{"resume_data": {...}}`, `parsed_data`
//! or `data`) or as the body itself; lists may be arrays or comma-separated
//! strings; numbers may be strings and years numbers; unknown fields are ignored.
//! Validated: every string and list is bounded, control characters are refused,
//! and the result is the parser's own [`Resume`] shape, so everything downstream
//! reads one format.

use rehearse_core::ValidationError;
use rehearse_resume::Resume;
use serde::Deserialize;

use crate::store::plausible_years;

const SHORT: usize = 300;
const LONG: usize = 10_000;
const DATE: usize = 40;
const URL: usize = 2048;
const LIST_ITEM: usize = 200;
/// What a resume with no file is called in listings when the client names it not.
pub const DEFAULT_FILE_NAME: &str = "Manual entry";

/// The body of `POST /api/db/resume`.
#[derive(Debug, Deserialize)]
pub struct CreateResumeRequest {
    #[serde(default)]
    file_name: Option<Scalar>,
    #[serde(default, alias = "parsed_data", alias = "data")]
    resume_data: Option<ClientResume>,
    #[serde(flatten)]
    direct: ClientResume,
}

impl CreateResumeRequest {
    /// The name to list it under, and the validated resume.
    pub fn validate(self) -> Result<(String, Resume), ValidationError> {
        let file_name =
            text(self.file_name, "file_name", 255)?.unwrap_or_else(|| DEFAULT_FILE_NAME.to_owned());
        let resume = self.resume_data.unwrap_or(self.direct).validate()?;
        Ok((file_name, resume))
    }
}

/// A string, or a number or boolean written where a string was expected.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Self::Text(s) => s,
            Self::Int(i) => i.to_string(),
            Self::Float(f) => f.to_string(),
            Self::Bool(b) => b.to_string(),
        }
    }
}

/// A list of strings, or one string of comma-, semicolon- or line-separated items.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum List {
    Many(Vec<Option<Scalar>>),
    One(String),
}

/// Links as an object, or as a plain list of URLs (sorted by their host).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum ClientLinks {
    Named {
        #[serde(default)]
        linkedin: Option<Scalar>,
        #[serde(default)]
        github: Option<Scalar>,
        #[serde(default, alias = "website")]
        portfolio: Option<Scalar>,
    },
    Urls(Vec<Option<String>>),
}

/// A resume as a client may send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClientResume {
    #[serde(alias = "full_name")]
    name: Option<Scalar>,
    email: Option<Scalar>,
    phone: Option<Scalar>,
    location: Option<Scalar>,
    summary: Option<Scalar>,
    skills: Option<List>,
    education: Option<Vec<Option<ClientEducation>>>,
    experience: Option<Vec<Option<ClientExperience>>>,
    projects: Option<Vec<Option<ClientProject>>>,
    certifications: Option<List>,
    languages: Option<List>,
    links: Option<ClientLinks>,
    #[serde(alias = "experience_years")]
    years_of_experience: Option<Scalar>,
    experience_level: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ClientEducation {
    degree: Option<Scalar>,
    field: Option<Scalar>,
    #[serde(alias = "school")]
    institution: Option<Scalar>,
    year: Option<Scalar>,
    gpa: Option<Scalar>,
    start: Option<Scalar>,
    end: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ClientExperience {
    #[serde(alias = "role", alias = "position")]
    title: Option<Scalar>,
    company: Option<Scalar>,
    location: Option<Scalar>,
    duration: Option<Scalar>,
    description: Option<Scalar>,
    start: Option<Scalar>,
    end: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ClientProject {
    #[serde(alias = "name")]
    title: Option<Scalar>,
    #[serde(alias = "technologies")]
    tech: Option<List>,
    description: Option<Scalar>,
    #[serde(alias = "url")]
    link: Option<Scalar>,
}

impl ClientResume {
    /// The validated resume; one with nothing in it at all is refused.
    pub fn validate(self) -> Result<Resume, ValidationError> {
        let mut resume = Resume {
            name: text(self.name, "name", 200)?,
            email: text(self.email, "email", 320)?,
            phone: text(self.phone, "phone", 40)?,
            location: text(self.location, "location", SHORT)?,
            summary: long_text(self.summary, "summary")?,
            skills: dedup(list(self.skills, "skills", 200, 100)?),
            certifications: list(self.certifications, "certifications", 100, LIST_ITEM)?,
            languages: list(self.languages, "languages", 50, 100)?,
            ..Resume::default()
        };
        for e in entries(self.education, "education", 30)? {
            let entry = rehearse_resume::Education {
                degree: text(e.degree, "education.degree", SHORT)?,
                field: text(e.field, "education.field", SHORT)?,
                institution: text(e.institution, "education.institution", SHORT)?,
                year: text(e.year, "education.year", DATE)?,
                gpa: text(e.gpa, "education.gpa", DATE)?,
                start: text(e.start, "education.start", DATE)?,
                end: text(e.end, "education.end", DATE)?,
            };
            if entry != Default::default() {
                resume.education.push(entry);
            }
        }
        for e in entries(self.experience, "experience", 50)? {
            let entry = rehearse_resume::Experience {
                title: text(e.title, "experience.title", SHORT)?,
                company: text(e.company, "experience.company", SHORT)?,
                location: text(e.location, "experience.location", SHORT)?,
                duration: text(e.duration, "experience.duration", 100)?,
                description: long_text(e.description, "experience.description")?,
                start: text(e.start, "experience.start", DATE)?,
                end: text(e.end, "experience.end", DATE)?,
            };
            if entry != Default::default() {
                resume.experience.push(entry);
            }
        }
        for p in entries(self.projects, "projects", 50)? {
            let entry = rehearse_resume::Project {
                title: text(p.title, "projects.title", SHORT)?,
                tech: list(p.tech, "projects.tech", 50, 100)?,
                description: long_text(p.description, "projects.description")?,
                link: text(p.link, "projects.link", URL)?,
            };
            if entry != Default::default() {
                resume.projects.push(entry);
            }
        }
        match self.links {
            None => {}
            Some(ClientLinks::Named {
                linkedin,
                github,
                portfolio,
            }) => {
                resume.links.linkedin = text(linkedin, "links.linkedin", URL)?;
                resume.links.github = text(github, "links.github", URL)?;
                resume.links.portfolio = text(portfolio, "links.portfolio", URL)?;
            }
            Some(ClientLinks::Urls(urls)) => {
                if urls.len() > 20 {
                    return Err(too_many("links", 20));
                }
                for url in urls {
                    let Some(url) = text(url.map(Scalar::Text), "links", URL)? else {
                        continue;
                    };
                    let lower = url.to_ascii_lowercase();
                    let slot = if lower.contains("linkedin.com") {
                        &mut resume.links.linkedin
                    } else if lower.contains("github.com") {
                        &mut resume.links.github
                    } else {
                        &mut resume.links.portfolio
                    };
                    slot.get_or_insert(url);
                }
            }
        }
        resume.years_of_experience = years(self.years_of_experience)?;
        resume.experience_level = level(text(self.experience_level, "experience_level", 40)?);
        if resume == Resume::default() {
            return Err(ValidationError::new("resume_data", "the resume is empty"));
        }
        Ok(resume)
    }
}

fn too_many(field: &'static str, max: usize) -> ValidationError {
    ValidationError::new(field, format!("must have at most {max} entries"))
}

/// A trimmed single-line value (empty is `None`), at most `max` characters.
fn text(
    value: Option<Scalar>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    let Some(value) = value.map(Scalar::into_string) else {
        return Ok(None);
    };
    let value = value.trim();
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    bounded(value, field, max)
}

/// Like [`text`], for prose: line breaks and tabs allowed, up to 10,000 characters.
fn long_text(
    value: Option<Scalar>,
    field: &'static str,
) -> Result<Option<String>, ValidationError> {
    let Some(value) = value.map(Scalar::into_string) else {
        return Ok(None);
    };
    let value = value.trim();
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    bounded(value, field, LONG)
}

fn bounded(
    value: &str,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    if value.is_empty() {
        Ok(None)
    } else if value.chars().count() > max {
        Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ))
    } else {
        Ok(Some(value.to_owned()))
    }
}

fn list(
    value: Option<List>,
    field: &'static str,
    max_items: usize,
    max_chars: usize,
) -> Result<Vec<String>, ValidationError> {
    let items: Vec<Option<Scalar>> = match value {
        None => return Ok(Vec::new()),
        Some(List::Many(items)) => items,
        Some(List::One(joined)) => joined
            .split([',', ';', '\n', '•'])
            .map(|s| Some(Scalar::Text(s.to_owned())))
            .collect(),
    };
    let mut out = Vec::new();
    for item in items {
        if let Some(item) = text(item, field, max_chars)? {
            out.push(item);
        }
    }
    if out.len() > max_items {
        return Err(too_many(field, max_items));
    }
    Ok(out)
}

/// Duplicates (ignoring case) removed, first spelling and order kept.
fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(s.to_lowercase()))
        .collect()
}

/// The present entries of a list of objects, at most `max`.
fn entries<T>(
    value: Option<Vec<Option<T>>>,
    field: &'static str,
    max: usize,
) -> Result<Vec<T>, ValidationError> {
    let entries: Vec<T> = value.unwrap_or_default().into_iter().flatten().collect();
    if entries.len() > max {
        return Err(too_many(field, max));
    }
    Ok(entries)
}

fn years(value: Option<Scalar>) -> Result<Option<f32>, ValidationError> {
    let years = match value {
        None => return Ok(None),
        Some(Scalar::Int(i)) => i as f64,
        Some(Scalar::Float(f)) => f,
        Some(Scalar::Text(t)) if t.trim().is_empty() => return Ok(None),
        Some(Scalar::Text(t)) => t
            .trim()
            .trim_end_matches('+')
            .parse::<f64>()
            .map_err(|_| ValidationError::new("years_of_experience", "must be a number"))?,
        Some(Scalar::Bool(_)) => {
            return Err(ValidationError::new(
                "years_of_experience",
                "must be a number",
            ));
        }
    };
    if !plausible_years(years) {
        return Err(ValidationError::new(
            "years_of_experience",
            "must be between 0 and 80",
        ));
    }
    Ok(Some(years as f32))
}

/// The level, from the names clients use for it; an unknown name is dropped
/// (the level is a hint inferred anyway, not worth refusing a resume over).
fn level(value: Option<String>) -> Option<rehearse_resume::ExperienceLevel> {
    use rehearse_resume::ExperienceLevel as L;
    let value = value?.to_lowercase();
    let word = value
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?;
    Some(match word {
        "entry" | "intern" | "internship" | "graduate" | "fresher" | "student" => L::Entry,
        "junior" | "jr" => L::Junior,
        "mid" | "intermediate" | "middle" => L::Mid,
        "senior" | "sr" => L::Senior,
        "lead" | "staff" | "principal" => L::Lead,
        "executive" | "director" | "vp" | "head" | "cto" => L::Executive,
        _ => return None,
    })
}

/// The body of `POST /api/db/resumes/upload-url`: the file the client is about
/// to upload itself.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadUrlRequest {
    #[serde(alias = "filename", alias = "name")]
    file_name: Option<String>,
    #[serde(alias = "size", alias = "file_size_bytes")]
    file_size: Option<serde_json::Value>,
    content_type: Option<String>,
}

/// A validated [`UploadUrlRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadUrlInput {
    pub file_name: Option<String>,
    /// Bytes, at least 1 (the limit is checked against the configuration).
    pub file_size: u64,
    /// Whether the client said the file is a PDF (or said nothing).
    pub says_pdf: bool,
}

impl UploadUrlRequest {
    pub fn validate(self) -> Result<UploadUrlInput, ValidationError> {
        let invalid =
            || ValidationError::new("file_size", "must be the file's size in bytes, from 1");
        let file_size = match self.file_size {
            None | Some(serde_json::Value::Null) => {
                return Err(ValidationError::new("file_size", "is required"));
            }
            Some(serde_json::Value::Number(n)) => n.as_u64().ok_or_else(invalid)?,
            Some(serde_json::Value::String(s)) => s.trim().parse().map_err(|_| invalid())?,
            Some(_) => return Err(invalid()),
        };
        if file_size == 0 {
            return Err(invalid());
        }
        if self.file_name.as_deref().is_some_and(|n| n.contains('\0')) {
            return Err(ValidationError::new(
                "file_name",
                "must not contain NUL characters",
            ));
        }
        let says_pdf = self.content_type.as_deref().is_none_or(|ct| {
            ct.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("application/pdf")
        });
        Ok(UploadUrlInput {
            file_name: self.file_name,
            file_size,
            says_pdf,
        })
    }
}

/// The optional body of `POST /api/db/resumes/{resume_id}/parse`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadParseRequest {
    /// The name to show for the resume (the key's by default).
    #[serde(alias = "filename", alias = "name")]
    pub file_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use rehearse_resume::ExperienceLevel;

    use super::*;

    fn parse(json: &str) -> Result<(String, Resume), ValidationError> {
        serde_json::from_str::<CreateResumeRequest>(json)
            .unwrap()
            .validate()
    }

    #[test]
    fn wrapped_and_direct_bodies_read_the_same() {
        let inner = r#"{"name": " Ada Lovelace ", "email": "ada@example.com",
                        "skills": ["Rust", "rust", "SQL", null, ""],
                        "experience": [{"title": "Engineer", "company": "Analytical Engines",
                                        "start": 1843, "end": "present"}, null, {}],
                        "years_of_experience": "4.5", "experience_level": "Senior Engineer"}"#;
        for body in [
            format!(r#"{{"resume_data": {inner}, "file_name": "Sign-up form"}}"#),
            format!(r#"{{"parsed_data": {inner}, "file_name": "Sign-up form"}}"#),
            format!(
                r#"{{"file_name": "Sign-up form", "user_id": "ignored", {}"#,
                inner.trim_start().trim_start_matches('{')
            ),
        ] {
            let (file_name, r) = parse(&body).unwrap();
            assert_eq!(file_name, "Sign-up form");
            assert_eq!(r.name.as_deref(), Some("Ada Lovelace"));
            assert_eq!(r.skills, vec!["Rust", "SQL"]);
            assert_eq!(r.experience.len(), 1);
            assert_eq!(r.experience[0].start.as_deref(), Some("1843"));
            assert_eq!(r.years_of_experience, Some(4.5));
            assert_eq!(r.experience_level, Some(ExperienceLevel::Senior));
        }
    }

    #[test]
    fn lists_and_links_may_be_strings() {
        let (name, r) = parse(
            r#"{"skills": "Python, Docker;Kubernetes\nGo", "links": ["https://github.com/ada",
                 "https://www.linkedin.com/in/ada", "https://ada.dev"], "experience_years": 3}"#,
        )
        .unwrap();
        assert_eq!(name, DEFAULT_FILE_NAME);
        assert_eq!(r.skills, vec!["Python", "Docker", "Kubernetes", "Go"]);
        assert_eq!(r.links.github.as_deref(), Some("https://github.com/ada"));
        assert_eq!(
            r.links.linkedin.as_deref(),
            Some("https://www.linkedin.com/in/ada")
        );
        assert_eq!(r.links.portfolio.as_deref(), Some("https://ada.dev"));
        assert_eq!(r.years_of_experience, Some(3.0));
    }

    #[test]
    fn bad_values_name_their_field() {
        let long_name = format!(r#"{{"name": "{}"}}"#, "x".repeat(201));
        let many_skills = format!(
            r#"{{"skills": [{}]}}"#,
            (0..201)
                .map(|i| format!("\"s{i}\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        let long_summary = format!(r#"{{"name": "A", "summary": "{}"}}"#, "x".repeat(10_001));
        for (json, field) in [
            (long_name.as_str(), "name"),
            (many_skills.as_str(), "skills"),
            (long_summary.as_str(), "summary"),
            (r#"{"name": "a\u0000b"}"#, "name"),
            (r#"{"years_of_experience": 500}"#, "years_of_experience"),
            (r#"{"years_of_experience": "lots"}"#, "years_of_experience"),
            (r#"{"resume_data": {}}"#, "resume_data"),
            (r#"{}"#, "resume_data"),
            (r#"{"name": "   "}"#, "resume_data"),
        ] {
            assert_eq!(parse(json).unwrap_err().field, field, "{json}");
        }
    }

    #[test]
    fn prose_keeps_its_line_breaks() {
        let (_, r) = parse(r#"{"summary": "Line one\nLine two\tend"}"#).unwrap();
        assert_eq!(r.summary.as_deref(), Some("Line one\nLine two\tend"));
    }
}
