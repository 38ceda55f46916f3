//! Speech-to-text through an OpenAI-compatible `/audio/transcriptions` API.

use std::time::Duration;

use bytes::Bytes;
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::SttConfig;

/// The audio formats accepted, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    /// WebM (Matroska), what browsers' MediaRecorder produces (Opus inside).
    Webm,
    Wav,
    Mp3,
    /// MP4 audio (`.m4a`).
    M4a,
    /// Ogg (Opus or Vorbis inside).
    Ogg,
    Flac,
}

impl AudioFormat {
    /// The format `bytes` start with, if any accepted one.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        let at = |i: usize, magic: &[u8]| bytes.get(i..i + magic.len()) == Some(magic);
        if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
            Some(Self::Webm)
        } else if at(0, b"RIFF") && at(8, b"WAVE") {
            Some(Self::Wav)
        } else if at(0, b"OggS") {
            Some(Self::Ogg)
        } else if at(0, b"fLaC") {
            Some(Self::Flac)
        } else if at(4, b"ftyp") {
            Some(Self::M4a)
        } else if at(0, b"ID3")
            // An MPEG audio frame header: 11 sync bits, then a layer that is not 0.
            || matches!(bytes, [0xFF, b, ..] if b & 0xE0 == 0xE0 && b & 0x06 != 0)
        {
            Some(Self::Mp3)
        } else {
            None
        }
    }

    /// Whether a client's declared `Content-Type` fits this format. Browsers and
    /// tools disagree on names (`audio/x-wav`, `audio/mp4` for m4a, `video/webm`
    /// from MediaRecorder), and many send `application/octet-stream` for anything.
    pub fn accepts_content_type(self, content_type: &str) -> bool {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence == "application/octet-stream" {
            return true;
        }
        let names: &[&str] = match self {
            Self::Webm => &["audio/webm", "video/webm"],
            Self::Wav => &["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
            Self::Mp3 => &["audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3"],
            Self::M4a => &[
                "audio/mp4",
                "audio/m4a",
                "audio/x-m4a",
                "audio/aac",
                "video/mp4",
            ],
            Self::Ogg => &["audio/ogg", "audio/opus", "application/ogg", "video/ogg"],
            Self::Flac => &["audio/flac", "audio/x-flac"],
        };
        names.contains(&essence.as_str())
    }

    /// The file name sent to the provider: providers pick the decoder by extension.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Webm => "audio.webm",
            Self::Wav => "audio.wav",
            Self::Mp3 => "audio.mp3",
            Self::M4a => "audio.m4a",
            Self::Ogg => "audio.ogg",
            Self::Flac => "audio.flac",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Webm => "audio/webm",
            Self::Wav => "audio/wav",
            Self::Mp3 => "audio/mpeg",
            Self::M4a => "audio/mp4",
            Self::Ogg => "audio/ogg",
            Self::Flac => "audio/flac",
        }
    }
}

/// A transcription.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    pub text: String,
    /// 0–1: the mean per-token probability, from the segments' `avg_logprob`;
    /// `None` when the provider gives no segments.
    pub confidence: Option<f64>,
    pub language: Option<String>,
    pub duration_seconds: Option<f64>,
}

/// Why a transcription failed. Carries no key and no provider response body.
#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error("the speech-to-text provider did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the speech-to-text provider answered HTTP {0}")]
    Status(u16),
    #[error("the speech-to-text provider could not be reached: {0}")]
    Transport(#[source] reqwest::Error),
    #[error("the speech-to-text reply is unusable: {0}")]
    BadReply(String),
}

/// The speech-to-text client, built once per cold start.
#[derive(Debug)]
pub struct Stt {
    http: reqwest::Client,
    config: SttConfig,
    url: String,
}

#[derive(Deserialize)]
struct Verbose {
    text: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    segments: Vec<Segment>,
}

#[derive(Deserialize)]
struct Segment {
    #[serde(default)]
    avg_logprob: Option<f64>,
}

/// Longest transcript kept: an answer is at most 10,000 characters anyway.
const MAX_TRANSCRIPT_CHARS: usize = 20_000;

impl Stt {
    pub fn new(config: SttConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(3)))
            .build()?;
        let url = format!("{}/audio/transcriptions", config.base_url);
        Ok(Self { http, config, url })
    }

    pub fn config(&self) -> &SttConfig {
        &self.config
    }

    /// Transcribe `audio` (already recognised as `format`). One attempt: a
    /// transcription is too slow to retry within an interactive request.
    pub async fn transcribe(
        &self,
        audio: Bytes,
        format: AudioFormat,
    ) -> Result<Transcript, SttError> {
        let started = std::time::Instant::now();
        let outcome = self.transcribe_once(audio, format).await;
        metrics::histogram!("stt_latency").record(started.elapsed().as_secs_f64() * 1000.0);
        let label = if outcome.is_ok() { "ok" } else { "failed" };
        metrics::counter!("stt_calls", "outcome" => label).increment(1);
        outcome
    }

    async fn transcribe_once(
        &self,
        audio: Bytes,
        format: AudioFormat,
    ) -> Result<Transcript, SttError> {
        // The multipart body by hand: three fields, and it spares the workspace
        // reqwest's `multipart` feature (and its extra dependencies).
        let boundary = format!("rehearse-{}", uuid::Uuid::new_v4().simple());
        let mut body = Vec::with_capacity(audio.len() + 512);
        let field = |body: &mut Vec<u8>, name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        };
        field(&mut body, "model", &self.config.model);
        field(&mut body, "response_format", "verbose_json");
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                format.file_name(),
                format.mime()
            )
            .as_bytes(),
        );
        body.extend_from_slice(&audio);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());

        let limit = self.config.timeout;
        let timed = |e: reqwest::Error| {
            if e.is_timeout() {
                SttError::Timeout(limit)
            } else {
                SttError::Transport(e.without_url())
            }
        };
        let resp = self
            .http
            .post(&self.url)
            .bearer_auth(self.config.api_key.expose_secret())
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .map_err(timed)?;
        if !resp.status().is_success() {
            return Err(SttError::Status(resp.status().as_u16()));
        }
        let reply: Verbose = resp.json().await.map_err(|e| {
            if e.is_timeout() {
                SttError::Timeout(limit)
            } else {
                SttError::BadReply(e.without_url().to_string())
            }
        })?;
        Ok(transcript(reply))
    }
}

fn transcript(v: Verbose) -> Transcript {
    let logprobs: Vec<f64> = v
        .segments
        .iter()
        .filter_map(|s| s.avg_logprob)
        .filter(|p| p.is_finite())
        .collect();
    let confidence = (!logprobs.is_empty()).then(|| {
        let mean = logprobs.iter().sum::<f64>() / logprobs.len() as f64;
        (mean.exp().clamp(0.0, 1.0) * 1000.0).round() / 1000.0
    });
    Transcript {
        text: v.text.trim().chars().take(MAX_TRANSCRIPT_CHARS).collect(),
        confidence,
        language: v
            .language
            .map(|l| l.trim().chars().take(32).collect::<String>())
            .filter(|l| !l.is_empty()),
        duration_seconds: v.duration.filter(|d| d.is_finite() && *d >= 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_magic_bytes() {
        let cases: [(&[u8], Option<AudioFormat>); 9] = [
            (&[0x1A, 0x45, 0xDF, 0xA3, 0x9F], Some(AudioFormat::Webm)),
            (b"RIFF\x24\0\0\0WAVEfmt ", Some(AudioFormat::Wav)),
            (b"OggS\0\x02", Some(AudioFormat::Ogg)),
            (b"fLaC\0\0\0\x22", Some(AudioFormat::Flac)),
            (b"\0\0\0\x20ftypM4A ", Some(AudioFormat::M4a)),
            (b"ID3\x04\0\0", Some(AudioFormat::Mp3)),
            (&[0xFF, 0xFB, 0x90, 0x64], Some(AudioFormat::Mp3)),
            (b"%PDF-1.7", None),
            (b"RIFF\x24\0\0\0AVI ", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(AudioFormat::sniff(bytes), want, "{bytes:?}");
        }
        assert!(AudioFormat::Webm.accepts_content_type("video/webm;codecs=opus"));
        assert!(AudioFormat::Wav.accepts_content_type("application/octet-stream"));
        assert!(!AudioFormat::Wav.accepts_content_type("application/pdf"));
        assert!(!AudioFormat::Mp3.accepts_content_type("audio/wav"));
    }

    #[test]
    fn confidence_is_the_mean_token_probability() {
        let v: Verbose = serde_json::from_str(
            r#"{"text":" hi ","language":"english","duration":1.5,
                "segments":[{"avg_logprob":-0.1},{"avg_logprob":-0.3}]}"#,
        )
        .unwrap();
        let t = transcript(v);
        assert_eq!(t.text, "hi");
        assert_eq!(t.confidence, Some(0.819));
        let v: Verbose = serde_json::from_str(r#"{"text":"hi"}"#).unwrap();
        assert_eq!(transcript(v).confidence, None);
    }
}
