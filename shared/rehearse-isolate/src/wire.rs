//! What crosses the process boundary: the worker's settings (an environment
//! variable) and its answer (one tagged line on stdout).

use rehearse_resume::{Limits, PdfError, Resume};
use serde::{Deserialize, Serialize};

/// Starts the worker's answer line. The record separator in front makes a chance
/// match by anything else on stdout (a test harness prints its own lines there)
/// practically impossible.
pub const FRAME_TAG: &str = "\u{1e}rehearse-isolate/1 ";

/// The code a worker answers with when it could not apply its limits: the
/// parent's problem, not the file's, so it is never shown as `pdf_unreadable`.
pub(crate) const WORKER_SETUP_CODE: &str = "worker_setup_failed";

/// Passed to the worker as the value of `WORKER_ENV`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WorkerSettings {
    pub memory_limit_bytes: u64,
    pub cpu_limit_seconds: u64,
    pub max_bytes: usize,
    pub max_pages: usize,
    pub max_stream_bytes: usize,
    pub max_operations_per_page: usize,
}

impl WorkerSettings {
    pub fn new(limits: &Limits, memory_limit_bytes: u64, cpu_limit_seconds: u64) -> Self {
        Self {
            memory_limit_bytes,
            cpu_limit_seconds,
            max_bytes: limits.max_bytes,
            max_pages: limits.max_pages,
            max_stream_bytes: limits.max_stream_bytes,
            max_operations_per_page: limits.max_operations_per_page,
        }
    }

    /// Over the defaults, so a limit the parser adds later keeps its default
    /// here instead of breaking the build.
    #[allow(clippy::needless_update)]
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_pages: self.max_pages,
            max_stream_bytes: self.max_stream_bytes,
            max_operations_per_page: self.max_operations_per_page,
            ..Limits::default()
        }
    }
}

/// The worker's answer.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reply {
    Ok(Box<Resume>),
    Err(WireError),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WireError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl From<&PdfError> for WireError {
    fn from(e: &PdfError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: match e {
                PdfError::Unreadable(detail) => detail.clone(),
                other => other.to_string(),
            },
            limit: match e {
                PdfError::TooLarge { limit } => Some(*limit),
                _ => None,
            },
        }
    }
}

impl WireError {
    pub fn setup(message: impl Into<String>) -> Self {
        Self {
            code: WORKER_SETUP_CODE.to_owned(),
            message: message.into(),
            limit: None,
        }
    }

    /// Back into the parser's error. An unknown code (a newer worker, in theory)
    /// is still the file's failure to parse.
    pub fn into_pdf_error(self) -> PdfError {
        match self.code.as_str() {
            "not_a_pdf" => PdfError::NotAPdf,
            "file_too_large" => PdfError::TooLarge {
                limit: self.limit.unwrap_or_default(),
            },
            "pdf_encrypted" => PdfError::Encrypted,
            "no_text_layer" => PdfError::NoTextLayer,
            _ => PdfError::Unreadable(self.message),
        }
    }
}

/// The answer line for `reply`.
pub(crate) fn encode(reply: &Reply) -> Vec<u8> {
    let mut out = FRAME_TAG.as_bytes().to_vec();
    // Serializing our own plain data types cannot fail; should it ever, the
    // parent reads a garbled answer, which is still a clean failure.
    let _ = serde_json::to_writer(&mut out, reply);
    out.push(b'\n');
    out
}

/// The answer in `output`: the first line that starts with [`FRAME_TAG`].
pub(crate) fn decode(output: &[u8]) -> Option<Reply> {
    let tag = FRAME_TAG.as_bytes();
    output
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(tag))
        .and_then(|json| serde_json::from_slice(json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_survives_noise_around_it() {
        let resume = Resume {
            name: Some("Ada Lovelace".into()),
            skills: vec!["Rust".into(), "SQL".into()],
            years_of_experience: Some(4.5),
            ..Resume::default()
        };
        let mut output = b"\nrunning 1 test\n".to_vec();
        output.extend(encode(&Reply::Ok(Box::new(resume.clone()))));
        output.extend(b"test result: ok\n");
        match decode(&output) {
            Some(Reply::Ok(back)) => assert_eq!(*back, resume),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_keep_their_code_and_detail() {
        for e in [
            PdfError::NotAPdf,
            PdfError::TooLarge { limit: 4096 },
            PdfError::Encrypted,
            PdfError::NoTextLayer,
            PdfError::Unreadable("broken xref".into()),
        ] {
            let line = encode(&Reply::Err(WireError::from(&e)));
            match decode(&line) {
                Some(Reply::Err(w)) => assert_eq!(w.into_pdf_error(), e),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn garbage_is_no_reply() {
        assert!(decode(b"").is_none());
        assert!(decode(b"{\"ok\": {}}\n").is_none());
        let mut truncated = encode(&Reply::Err(WireError::from(&PdfError::Encrypted)));
        truncated.truncate(truncated.len() - 5);
        assert!(decode(&truncated).is_none());
    }

    #[test]
    fn settings_round_trip_through_limits() {
        let limits = Limits {
            max_bytes: 1234,
            max_pages: 3,
            ..Limits::default()
        };
        let s = WorkerSettings::new(&limits, 1 << 30, 7);
        let back = s.limits();
        assert_eq!(back.max_bytes, 1234);
        assert_eq!(back.max_pages, 3);
        assert_eq!(back.max_stream_bytes, limits.max_stream_bytes);
    }
}
