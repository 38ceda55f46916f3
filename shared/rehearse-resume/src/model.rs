use serde::{Deserialize, Serialize};

/// A parsed resume, in the old API's shape (fields are added, never renamed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resume {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub summary: Option<String>,
    pub education: Vec<Education>,
    /// Canonical skill names (taxonomy spelling), most relevant first, no duplicates.
    pub skills: Vec<String>,
    pub experience: Vec<Experience>,
    pub projects: Vec<Project>,
    pub certifications: Vec<String>,
    pub languages: Vec<String>,
    pub links: Links,
    /// Years of professional experience from the experience date ranges
    /// (overlaps counted once), one decimal.
    pub years_of_experience: Option<f32>,
    pub experience_level: Option<ExperienceLevel>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Education {
    pub degree: Option<String>,
    pub field: Option<String>,
    pub institution: Option<String>,
    /// The graduation (or last) year, as the old API returned it.
    pub year: Option<String>,
    pub gpa: Option<String>,
    /// `YYYY-MM` or `YYYY`.
    pub start: Option<String>,
    /// `YYYY-MM`, `YYYY` or `present`.
    pub end: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Experience {
    pub title: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    /// The dates as written, e.g. `Jun 2018 – Present`.
    pub duration: Option<String>,
    pub description: Option<String>,
    /// `YYYY-MM` or `YYYY`.
    pub start: Option<String>,
    /// `YYYY-MM`, `YYYY` or `present`.
    pub end: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub title: Option<String>,
    pub tech: Vec<String>,
    pub description: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Links {
    pub linkedin: Option<String>,
    pub github: Option<String>,
    pub portfolio: Option<String>,
}

/// Inferred from years of experience and titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExperienceLevel {
    Entry,
    Junior,
    Mid,
    Senior,
    Lead,
    Executive,
}
