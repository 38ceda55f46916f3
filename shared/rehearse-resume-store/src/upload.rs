//! An uploaded PDF, checked before anything is spent on it.

use bytes::Bytes;
use rehearse_http::UploadedFile;
use rehearse_isolate::{Isolator, PdfError, Resume};

use crate::error::ResumeStoreError;
use crate::names::display_file_name;

/// Acrobat accepts the header anywhere in the first KiB (some producers put
/// junk in front); the parser has the last word on everything after it.
const HEADER_WINDOW: usize = 1024;

/// A PDF uploaded by a client (the `file` field of a multipart body).
#[derive(Debug, Clone)]
pub struct PdfUpload {
    /// The client's name for it, made safe to store and show ([`display_file_name`]).
    pub file_name: String,
    pub bytes: Bytes,
}

impl PdfUpload {
    /// The uploaded `file` (read within its size limit by
    /// `rehearse_http::multipart_file`), if it is a PDF: whatever the name or
    /// declared type says, a file without a `%PDF-` header is
    /// [`PdfError::NotAPdf`].
    pub fn from_file(file: UploadedFile) -> Result<Self, ResumeStoreError> {
        if !looks_like_pdf(&file.bytes) {
            return Err(PdfError::NotAPdf.into());
        }
        Ok(Self {
            file_name: display_file_name(file.file_name.as_deref()),
            bytes: file.bytes,
        })
    }
}

/// Whether `bytes` carries a PDF header (`%PDF-`) near its start.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(HEADER_WINDOW))
        .unwrap_or_default()
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// Parse the upload in an isolated worker: the file's failures are
/// [`ResumeStoreError::File`] with their codes, a worker we could not run is
/// [`ResumeStoreError::Parser`].
pub async fn parse(parser: &Isolator, upload: &PdfUpload) -> Result<Resume, ResumeStoreError> {
    let started = std::time::Instant::now();
    let outcome = parser
        .parse(&upload.bytes)
        .await
        .map_err(ResumeStoreError::from);
    metrics::histogram!("pdf_parse").record(started.elapsed().as_secs_f64() * 1000.0);
    if let Err(e) = &outcome {
        let code = match e {
            ResumeStoreError::File(pdf) => pdf.code(),
            _ => "internal_error",
        };
        metrics::counter!("pdf_refused", "code" => code).increment(1);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_decides_not_the_name() {
        assert!(looks_like_pdf(b"%PDF-1.7\n..."));
        assert!(looks_like_pdf(b"\xef\xbb\xbf junk %PDF-1.4"));
        assert!(!looks_like_pdf(b"\x89PNG\r\n\x1a\n"));
        assert!(!looks_like_pdf(b"%PDF"));
        assert!(!looks_like_pdf(b""));
        let mut late = vec![b' '; HEADER_WINDOW];
        late.extend(b"%PDF-1.7");
        assert!(!looks_like_pdf(&late));
    }
}
