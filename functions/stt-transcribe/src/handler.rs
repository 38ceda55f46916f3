use lambda_http::http::StatusCode;
use rehearse_auth::{AuthConfig, Verifier};
use rehearse_core::config::Source;
use rehearse_db::{Db, DbConfig};
use rehearse_http::{
    ApiError, Body, Bucket, Quotas, Request, Response, json_response, multipart_file,
};
use rehearse_llm::{AudioFormat, Stt, SttConfig};

/// Largest audio accepted: API Gateway base64-encodes binary bodies (4/3) and a
/// synchronous Lambda payload is capped at 6 MB, so 4 MiB of audio is about the
/// most that can arrive at all. At 32 kbit/s Opus that is over 15 minutes.
pub const MAX_AUDIO_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug)]
pub struct State {
    pub auth: Verifier,
    /// `None` when `STT_*` is not configured: every request is then 503.
    pub stt: Option<Stt>,
    /// Only counts the caller's quota: no audio or transcript is stored.
    pub db: Db,
    pub quotas: Quotas,
}

impl State {
    pub fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        let stt = SttConfig::from_env(env)?.map(Stt::new).transpose()?;
        Ok(Self {
            auth: Verifier::new(&AuthConfig::from_env(env)?)?,
            stt,
            db: Db::new(&DbConfig::require(env)?)?,
            quotas: Quotas::from_env(env)?,
        })
    }
}

/// Transcribe the audio in multipart field `audio` (webm/opus, wav, mp3, m4a,
/// ogg, flac, recognised by its first bytes; a declared type must agree). No
/// audio is stored. Unconfigured: 503 `stt_unavailable`; the provider failing:
/// 502 `stt_failed`, its answer logged, not relayed.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let (auth, db) = (&state.auth, &state.db);
    // A present but invalid token is still a 401 (`metered` answers it), as on
    // every optional-auth route; the caller is not needed beyond that.
    let work = |_caller| transcribe(state, &req);
    state
        .quotas
        .metered(auth, db, Bucket::Speech, &req, work)
        .await
}

async fn transcribe(state: &State, req: &Request) -> Result<Response<Body>, ApiError> {
    let stt = state.stt.as_ref().ok_or_else(|| ApiError::Unavailable {
        code: "stt_unavailable",
        message: "speech-to-text is not configured on this server".into(),
        source: None,
    })?;
    let file = multipart_file(req, "audio", MAX_AUDIO_BYTES).await?;
    let unsupported = || ApiError::UnsupportedMediaType {
        code: "unsupported_audio",
        message: "the audio must be webm/opus, wav, mp3, m4a, ogg or flac".into(),
    };
    let format = AudioFormat::sniff(&file.bytes).ok_or_else(unsupported)?;
    if let Some(declared) = &file.content_type
        && !format.accepts_content_type(declared)
    {
        return Err(unsupported());
    }
    let size = file.bytes.len();
    let transcript = stt.transcribe(file.bytes, format).await.map_err(|e| {
        tracing::warn!(error = %e, audio_bytes = size, "speech-to-text failed");
        ApiError::BadGateway {
            code: "stt_failed",
            message: "the speech-to-text provider failed; please try again or type the answer"
                .into(),
            source: Some(Box::new(e)),
        }
    })?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "transcript": transcript.text,
            "confidence": transcript.confidence,
            "language": transcript.language,
            "duration_seconds": transcript.duration_seconds,
            "audio_size_bytes": size,
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use lambda_http::http::HeaderValue;
    use lambda_http::http::header::{AUTHORIZATION, CONTENT_TYPE};
    use rehearse_testkit::handlers::{self, verifier};
    use rehearse_testkit::provider::{FakeProvider, Scripted, error_body, verbose_transcription};
    use rehearse_testkit::{TestStack, Via, event};
    use serde_json::Value;

    use super::*;

    const KEY: &str = "gsk-stt-SECRET-77";

    async fn state(provider: Option<&FakeProvider>) -> State {
        State {
            db: TestStack::get().database().await.db(Via::Pooler),
            quotas: Quotas::default(),
            auth: verifier(None),
            stt: provider.map(|p| {
                Stt::new(SttConfig {
                    base_url: p.base_url.clone(),
                    api_key: KEY.into(),
                    model: "whisper-test".into(),
                    timeout: Duration::from_secs(2),
                })
                .unwrap()
            }),
        }
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    #[tokio::test]
    async fn transcribes_the_event_audio() {
        let provider = FakeProvider::start().await;
        provider.script_transcription([Scripted::Json(
            200,
            verbose_transcription("I profiled the hot path.", "english", &[-0.05]),
        )]);
        let (status, body) = call(
            &state(Some(&provider)).await,
            event("stt-transcribe", "anonymous"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["transcript"], "I profiled the hot path.");
        assert_eq!(body["language"], "english");
        assert_eq!(body["confidence"], 0.951);
        assert!(body["audio_size_bytes"].as_u64().unwrap() > 44);
        let sent = &provider.requests()[0];
        assert_eq!(
            sent.authorization.as_deref(),
            Some(&*format!("Bearer {KEY}"))
        );
        let form = String::from_utf8_lossy(&sent.body);
        assert!(form.contains("filename=\"audio.wav\""), "{form}");
        assert!(!body.to_string().contains(KEY));
    }

    #[tokio::test]
    async fn unconfigured_is_503() {
        let (status, body) = call(&state(None).await, event("stt-transcribe", "anonymous")).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"]["code"], "stt_unavailable");
        assert_eq!(body["success"], false);
    }

    #[tokio::test]
    async fn bad_audio_is_refused_before_the_provider_is_called() {
        let provider = FakeProvider::start().await;
        let state = state(Some(&provider)).await;
        let (status, body) = call(&state, event("stt-transcribe", "not-audio")).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
        assert_eq!(body["error"]["code"], "unsupported_audio");

        let mut json_body = event("stt-transcribe", "anonymous");
        json_body
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let (status, body) = call(&state, json_body).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");

        let (status, body) = call(&state, event("stt-transcribe", "missing-audio")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "missing_file");
        assert!(provider.requests().is_empty());
    }

    #[tokio::test]
    async fn provider_failures_are_502_without_its_answer() {
        let provider = FakeProvider::start().await;
        provider.script_transcription([Scripted::Json(
            500,
            error_body(&format!("upstream exploded, key {KEY}")),
        )]);
        let (status, body) = call(
            &state(Some(&provider)).await,
            event("stt-transcribe", "anonymous"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert_eq!(body["error"]["code"], "stt_failed");
        let text = body.to_string();
        assert!(!text.contains(KEY) && !text.contains("exploded"), "{text}");
    }

    #[tokio::test]
    async fn an_invalid_token_is_401() {
        let mut req = event("stt-transcribe", "anonymous");
        req.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer not-a-jwt"));
        let (status, _) = call(&state(None).await, req).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}
