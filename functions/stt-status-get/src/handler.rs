use lambda_http::http::StatusCode;
use rehearse_core::config::Source;
use rehearse_http::{ApiError, Body, Request, Response, json_response};
use rehearse_llm::SttConfig;

/// The speech-to-text configuration, if any. Nothing else: this route is
/// public and touches neither the database nor the provider.
#[derive(Debug)]
pub struct State {
    pub stt: Option<SttConfig>,
}

impl State {
    pub fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        Ok(Self {
            stt: SttConfig::from_env(env)?,
        })
    }
}

/// `available` is true when `STT_API_KEY` and `STT_MODEL` are set; then the
/// provider's host and the model are shown too (never the key). It says the
/// provider is configured, not that it is up: checking would cost a
/// transcription on every page load.
pub async fn handler(state: &State, _req: Request) -> Result<Response<Body>, ApiError> {
    let body = match &state.stt {
        Some(c) => serde_json::json!({
            "success": true,
            "available": true,
            "provider": c.provider(),
            "model": c.model,
        }),
        None => serde_json::json!({ "success": true, "available": false }),
    };
    json_response(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use rehearse_testkit::event;

    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Source {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    async fn call(state: &State) -> (StatusCode, serde_json::Value) {
        let req = event("stt-status-get", "anonymous");
        rehearse_testkit::handlers::call(handler, state, req).await
    }

    #[tokio::test]
    async fn unconfigured_is_unavailable() {
        let state = State::from_env(&env(&[("STT_MODEL", "whisper")])).unwrap();
        let (status, body) = call(&state).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            serde_json::json!({"success": true, "available": false})
        );
    }

    #[tokio::test]
    async fn configured_shows_provider_and_model_but_not_the_key() {
        let state = State::from_env(&env(&[
            ("STT_API_KEY", "gsk-secret-123"),
            ("STT_MODEL", "whisper-large-v3-turbo"),
        ]))
        .unwrap();
        let (status, body) = call(&state).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["available"], true);
        assert_eq!(body["provider"], "api.groq.com");
        assert_eq!(body["model"], "whisper-large-v3-turbo");
        assert!(!body.to_string().contains("gsk-secret-123"));
    }

    #[test]
    fn a_key_without_a_model_fails_the_cold_start_naming_it() {
        let e = State::from_env(&env(&[("STT_API_KEY", "k")])).unwrap_err();
        assert!(e.to_string().contains("STT_MODEL"), "{e}");
    }
}
