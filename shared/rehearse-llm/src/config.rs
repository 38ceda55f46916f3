//! The providers' configuration, read once per cold start.

use std::time::Duration;

use rehearse_core::config::{self, ConfigError, Source};
use secrecy::SecretString;

/// The old backend's provider: a key named `GROQ_API_KEY` (or an STT key with no
/// base URL) means Groq's OpenAI-compatible API.
pub const GROQ_BASE_URL: &str = "https://api.groq.com/openai/v1";

const DEFAULT_LLM_TIMEOUT_MS: u64 = 8_000;
/// Transcribing a minute of audio takes a few seconds at the providers we know.
const DEFAULT_STT_TIMEOUT_MS: u64 = 20_000;
/// Above a minute a Lambda behind API Gateway (29 s) has long given up.
const MAX_TIMEOUT_MS: u64 = 60_000;

/// A chat model: where, with which key, which model, and how long to wait for it.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub base_url: String,
    pub api_key: SecretString,
    pub model: String,
    /// The whole call, retry included.
    pub timeout: Duration,
}

impl LlmConfig {
    /// `None` (the built-in engine alone) without `LLM_API_KEY` or `GROQ_API_KEY`.
    /// With a key, `LLM_MODEL` is required, and so is `LLM_BASE_URL` unless the key
    /// is `GROQ_API_KEY` (then Groq's URL is the default).
    pub fn from_env(env: &impl Source) -> Result<Option<Self>, ConfigError> {
        let (api_key, default_base) = match config::optional_secret(env, "LLM_API_KEY") {
            Some(key) => (key, None),
            None => match config::optional_secret(env, "GROQ_API_KEY") {
                Some(key) => (key, Some(GROQ_BASE_URL)),
                None => return Ok(None),
            },
        };
        let base_url = match (config::optional(env, "LLM_BASE_URL"), default_base) {
            (Some(url), _) => url,
            (None, Some(default)) => default.to_owned(),
            (None, None) => {
                return Err(ConfigError::Missing {
                    name: "LLM_BASE_URL",
                });
            }
        };
        Ok(Some(Self {
            base_url: base_url_of(&base_url, "LLM_BASE_URL")?,
            api_key,
            model: config::required(env, "LLM_MODEL")?,
            timeout: timeout(env, "LLM_TIMEOUT_MS", DEFAULT_LLM_TIMEOUT_MS)?,
        }))
    }
}

/// A speech-to-text model.
#[derive(Debug, Clone)]
pub struct SttConfig {
    pub base_url: String,
    pub api_key: SecretString,
    pub model: String,
    pub timeout: Duration,
}

impl SttConfig {
    /// `None` (speech-to-text unavailable) without `STT_API_KEY`. With one,
    /// `STT_MODEL` is required; `STT_BASE_URL` defaults to Groq's.
    pub fn from_env(env: &impl Source) -> Result<Option<Self>, ConfigError> {
        let Some(api_key) = config::optional_secret(env, "STT_API_KEY") else {
            return Ok(None);
        };
        let base_url =
            config::optional(env, "STT_BASE_URL").unwrap_or_else(|| GROQ_BASE_URL.to_owned());
        Ok(Some(Self {
            base_url: base_url_of(&base_url, "STT_BASE_URL")?,
            api_key,
            model: config::required(env, "STT_MODEL")?,
            timeout: timeout(env, "STT_TIMEOUT_MS", DEFAULT_STT_TIMEOUT_MS)?,
        }))
    }

    /// The provider's host, for `stt/status` (never the key, never the path).
    pub fn provider(&self) -> String {
        url::Url::parse(&self.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// An http(s) URL without a trailing slash (the endpoint paths are appended).
fn base_url_of(raw: &str, name: &'static str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::Invalid {
        name,
        reason: format!("{raw:?}: {reason}"),
    };
    let url = url::Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must be an http or https URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in the URL would be logged with every transport error.
        return Err(invalid("must not contain credentials; use the API key"));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

fn timeout(env: &impl Source, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
    let ms = config::parsed_or(env, name, default)?;
    if !(1..=MAX_TIMEOUT_MS).contains(&ms) {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("{ms}: must be 1 to {MAX_TIMEOUT_MS} milliseconds"),
        });
    }
    Ok(Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Source {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn no_key_means_disabled() {
        assert!(
            LlmConfig::from_env(&env(&[("LLM_MODEL", "m")]))
                .unwrap()
                .is_none()
        );
        assert!(
            SttConfig::from_env(&env(&[("STT_MODEL", "m")]))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_groq_key_defaults_to_groq() {
        let c = LlmConfig::from_env(&env(&[("GROQ_API_KEY", "gsk"), ("LLM_MODEL", "llama")]))
            .unwrap()
            .unwrap();
        assert_eq!(c.base_url, GROQ_BASE_URL);
        assert_eq!(c.api_key.expose_secret(), "gsk");
        assert_eq!(c.timeout, Duration::from_millis(8_000));
        assert!(!format!("{c:?}").contains("gsk"), "the key must not print");
    }

    #[test]
    fn a_key_needs_a_model_and_a_generic_key_a_url() {
        assert_eq!(
            LlmConfig::from_env(&env(&[("GROQ_API_KEY", "k")])).unwrap_err(),
            ConfigError::Missing { name: "LLM_MODEL" }
        );
        assert_eq!(
            LlmConfig::from_env(&env(&[("LLM_API_KEY", "k"), ("LLM_MODEL", "m")])).unwrap_err(),
            ConfigError::Missing {
                name: "LLM_BASE_URL"
            }
        );
        assert_eq!(
            SttConfig::from_env(&env(&[("STT_API_KEY", "k")])).unwrap_err(),
            ConfigError::Missing { name: "STT_MODEL" }
        );
        let c = SttConfig::from_env(&env(&[("STT_API_KEY", "k"), ("STT_MODEL", "whisper")]))
            .unwrap()
            .unwrap();
        assert_eq!(c.provider(), "api.groq.com");
    }

    #[test]
    fn bad_urls_and_timeouts_name_the_variable() {
        let e = LlmConfig::from_env(&env(&[
            ("LLM_API_KEY", "k"),
            ("LLM_MODEL", "m"),
            ("LLM_BASE_URL", "ftp://x"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("LLM_BASE_URL"), "{e}");
        let e = LlmConfig::from_env(&env(&[
            ("GROQ_API_KEY", "k"),
            ("LLM_MODEL", "m"),
            ("LLM_TIMEOUT_MS", "0"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("LLM_TIMEOUT_MS"), "{e}");
    }
}
