/// Why a file yields no resume text. Each is the client's file's doing (a 4xx).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the file is not a PDF")]
    NotAPdf,
    #[error("the file is over the {limit} byte limit")]
    TooLarge { limit: usize },
    #[error("the PDF is encrypted; save it without a password and upload it again")]
    Encrypted,
    #[error("the PDF has no text layer (it looks scanned); export it as a text PDF")]
    NoTextLayer,
    #[error("the PDF could not be read: {0}")]
    Unreadable(String),
}

impl PdfError {
    /// The stable `error.code` of the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAPdf => "not_a_pdf",
            Self::TooLarge { .. } => "file_too_large",
            Self::Encrypted => "pdf_encrypted",
            Self::NoTextLayer => "no_text_layer",
            Self::Unreadable(_) => "pdf_unreadable",
        }
    }
}
