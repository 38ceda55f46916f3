//! An uploaded PDF, checked before anything is spent on it.

use bytes::Bytes;
use lambda_http::Request;
use rehearse_http::{ApiError, multipart_file};
use rehearse_isolate::{IsolateError, Isolator, PdfError, Resume};

use crate::names::display_file_name;

/// Acrobat accepts the header anywhere in the first KiB (some producers put
/// junk in front); the parser has the last word on everything after it.
const HEADER_WINDOW: usize = 1024;

/// A PDF from the `file` field of a multipart body.
#[derive(Debug, Clone)]
pub struct PdfUpload {
    /// The client's name for it, made safe to store and show ([`display_file_name`]).
    pub file_name: String,
    pub bytes: Bytes,
}

impl PdfUpload {
    /// The upload in `req`, at most `max_bytes`. Whatever the name or declared
    /// type says, a file without a `%PDF-` header is 422 `not_a_pdf`; see
    /// [`multipart_file`] for the other refusals.
    pub async fn from_request(req: &Request, max_bytes: usize) -> Result<Self, ApiError> {
        let file = multipart_file(req, "file", max_bytes).await?;
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

/// Parse the upload in an isolated worker: the file's failures are 4xx with
/// their codes, a worker we could not run is a 500.
pub async fn parse(parser: &Isolator, upload: &PdfUpload) -> Result<Resume, ApiError> {
    let started = std::time::Instant::now();
    let outcome = parser.parse(&upload.bytes).await.map_err(|e| match e {
        IsolateError::Pdf(pdf) => pdf.into(),
        IsolateError::Worker(_) => ApiError::internal(e),
    });
    metrics::histogram!("pdf_parse").record(started.elapsed().as_secs_f64() * 1000.0);
    if let Err(e) = &outcome {
        metrics::counter!("pdf_refused", "code" => e.code()).increment(1);
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
