//! What can go wrong building or rendering a report.

/// A report that cannot be built or rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The stored summary is not a JSON object.
    #[error("the session summary is not a JSON object")]
    NotAnObject,
    /// The stored summary has a field of the wrong type.
    #[error("the session summary cannot be read")]
    Summary(#[source] serde_json::Error),
    /// A page size other than `a4` or `letter`.
    #[error("unknown page size {0:?} (use a4 or letter)")]
    PageSize(String),
    /// The PDF writer refused the document (a font it cannot embed, a PDF limit).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
