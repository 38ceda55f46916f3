use serde::{Deserialize, Serialize, Serializer};

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
    /// (overlaps counted once), one decimal. Written as that decimal (`10.8`): an
    /// `f32` widened to JSON's `f64` would read `10.800000190734863`.
    #[serde(serialize_with = "one_decimal")]
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
    /// Further profile links (Dribbble, Behance, X, a blog...), in page order;
    /// omitted from the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
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

/// Years as the one-decimal number they mean, in the `f64` that JSON numbers are
/// (so `serde_json::to_value` and `to_string` both write `10.8`).
fn one_decimal<S: Serializer>(years: &Option<f32>, s: S) -> Result<S::Ok, S::Error> {
    match years {
        Some(y) => s.serialize_some(&round_one_decimal(*y)),
        None => s.serialize_none(),
    }
}

/// `10.800000190734863` (an `f32` 10.8 widened) → `10.8`.
fn round_one_decimal(years: f32) -> f64 {
    (f64::from(years) * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_written_to_one_decimal() {
        let resume = Resume {
            years_of_experience: Some(10.8),
            ..Resume::default()
        };
        // `to_value` widens an f32 to f64: 10.800000190734863 without the rounding.
        let value = serde_json::to_value(&resume).unwrap_or_default();
        assert_eq!(value["years_of_experience"], serde_json::json!(10.8));
        let text = serde_json::to_string(&resume).unwrap_or_default();
        assert!(text.contains("\"years_of_experience\":10.8,"), "{text}");
        assert_eq!(round_one_decimal(3.6499999), 3.6);
        assert_eq!(round_one_decimal(25.299_9), 25.3);
        let none = serde_json::to_value(Resume::default()).unwrap_or_default();
        assert!(none["years_of_experience"].is_null());
        // And back: the API's clients send the number they were given.
        let back: Resume = serde_json::from_value(value).unwrap_or_default();
        assert_eq!(back.years_of_experience, Some(10.8));
    }

    #[test]
    fn further_links_are_listed_only_when_there_are_some() {
        let text = serde_json::to_string(&Links::default()).unwrap_or_default();
        assert!(!text.contains("other"), "{text}");
        let links = Links {
            other: vec!["behance.net/ada".into()],
            ..Links::default()
        };
        let text = serde_json::to_string(&links).unwrap_or_default();
        assert!(text.contains("\"other\":[\"behance.net/ada\"]"), "{text}");
    }
}
