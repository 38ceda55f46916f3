//! Text extraction from PDF resumes, built on `lopdf`.
//!
//! Pure computation: bytes in, positioned text out. No I/O, no Lambda types.
//! Callers that handle untrusted files run this in a resource-limited child
//! process (`rehearse-isolate`), because a hostile PDF can exhaust memory or the
//! stack in ways `catch_unwind` cannot stop.

mod error;

pub use error::PdfError;

/// Bounds on the work one document may cause.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Pages beyond this are ignored.
    pub max_pages: usize,
    /// Largest any single stream may decompress to.
    pub max_stream_bytes: usize,
    /// Most content-stream operations processed per page.
    pub max_operations_per_page: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 4 * 1024 * 1024,
            max_pages: 20,
            max_stream_bytes: 16 * 1024 * 1024,
            max_operations_per_page: 200_000,
        }
    }
}

/// One line of text as laid out on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Left edge, in points from the page's left.
    pub x: f32,
    /// Baseline, in points from the page's top (grows downwards).
    pub y: f32,
    /// The dominant font size.
    pub size: f32,
    /// Whether the dominant font looks bold (by name).
    pub bold: bool,
    /// Which column of the page the line belongs to (0 = leftmost).
    pub column: u8,
}

/// The text of a document, page by page, in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub pages: Vec<Vec<Line>>,
}

impl Extracted {
    /// All lines, in reading order, as plain text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            for line in page {
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }

    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.pages.iter().flatten()
    }
}

/// Extract the text of `bytes`.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, PdfError> {
    let _ = (bytes, limits);
    Err(PdfError::Unreadable("extraction not implemented yet".into()))
}
