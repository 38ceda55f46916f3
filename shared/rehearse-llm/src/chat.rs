//! One OpenAI-compatible chat completion: JSON out, one retry on 429/5xx, the
//! whole call bounded by the configured timeout.

use std::time::Duration;

use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::LlmConfig;

/// Why a model's answer was not used. None of these carries the API key or a
/// response body (bodies may echo the prompt, which holds resume facts).
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the provider did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the provider answered HTTP {0}")]
    Status(u16),
    #[error("the provider could not be reached: {0}")]
    Transport(#[source] reqwest::Error),
    #[error("the model refused")]
    Refused,
    #[error("the reply is unusable: {0}")]
    BadReply(String),
}

/// Longest wait before the one retry; a `Retry-After` above it is not worth
/// waiting for inside an interactive request.
const MAX_BACKOFF: Duration = Duration::from_millis(1_000);
const DEFAULT_BACKOFF: Duration = Duration::from_millis(250);

/// How one call samples and what shape its reply must have.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub max_tokens: u32,
    pub temperature: f64,
    /// Providers that support it (OpenAI, Groq, vLLM, Ollama) sample the same
    /// tokens for the same request and seed, as far as their hardware allows.
    pub seed: Option<u64>,
    pub format: Format,
}

/// The `response_format` of a call.
#[derive(Debug, Clone)]
pub(crate) enum Format {
    /// Any JSON object, its shape described in the prompt: every
    /// OpenAI-compatible server we target accepts it.
    JsonObject,
    /// Constrained decoding to `schema` (`strict`). Support varies by provider
    /// and model; a provider that refuses it answers 400 and the caller falls
    /// back like on any other failure. The reply is validated either way.
    JsonSchema { name: &'static str, schema: Value },
}

impl Format {
    fn to_json(&self) -> Value {
        match self {
            Self::JsonObject => json!({ "type": "json_object" }),
            Self::JsonSchema { name, schema } => json!({
                "type": "json_schema",
                "json_schema": { "name": name, "strict": true, "schema": schema },
            }),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Chat {
    http: reqwest::Client,
    config: LlmConfig,
    url: String,
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
}

impl Chat {
    pub(crate) fn new(config: LlmConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(3)))
            .build()?;
        let url = format!("{}/chat/completions", config.base_url);
        Ok(Self { http, config, url })
    }

    /// The model's JSON object for `system` + `user`, as text still to validate.
    pub(crate) async fn complete(
        &self,
        system: &str,
        user: &str,
        options: &Options,
    ) -> Result<String, LlmError> {
        let mut body = json!({
            "model": self.config.model,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user },
            ],
            "temperature": options.temperature,
            "max_tokens": options.max_tokens,
            "response_format": options.format.to_json(),
        });
        if let (Some(seed), Some(map)) = (options.seed, body.as_object_mut()) {
            map.insert("seed".into(), seed.into());
        }
        let limit = self.config.timeout;
        let deadline = Instant::now() + limit;
        tokio::time::timeout_at(deadline, self.with_one_retry(&body, deadline))
            .await
            .map_err(|_| LlmError::Timeout(limit))?
    }

    async fn with_one_retry(&self, body: &Value, deadline: Instant) -> Result<String, LlmError> {
        match self.attempt(body).await {
            Err(Attempt::Retryable { status, wait }) => {
                // Only when the wait still leaves the retry a real chance.
                if Instant::now() + wait + wait >= deadline {
                    return Err(LlmError::Status(status));
                }
                tracing::info!(
                    status,
                    wait_ms = wait.as_millis() as u64,
                    "model provider busy; retrying once"
                );
                tokio::time::sleep(wait).await;
                self.attempt(body).await.map_err(|e| match e {
                    Attempt::Retryable { status, .. } => LlmError::Status(status),
                    Attempt::Failed(e) => e,
                })
            }
            other => other.map_err(|e| match e {
                Attempt::Retryable { status, .. } => LlmError::Status(status),
                Attempt::Failed(e) => e,
            }),
        }
    }

    async fn attempt(&self, body: &Value) -> Result<String, Attempt> {
        let resp = self
            .http
            .post(&self.url)
            .bearer_auth(self.config.api_key.expose_secret())
            .json(body)
            .send()
            .await
            .map_err(|e| Attempt::Failed(transport(e, self.config.timeout)))?;
        let status = resp.status();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let wait = retry_after(resp.headers()).unwrap_or(DEFAULT_BACKOFF);
            return Err(Attempt::Retryable {
                status: status.as_u16(),
                wait: wait.min(MAX_BACKOFF),
            });
        }
        if !status.is_success() {
            return Err(Attempt::Failed(LlmError::Status(status.as_u16())));
        }
        let completion: Completion = resp
            .json()
            .await
            .map_err(|e| Attempt::Failed(bad_or_timeout(e, self.config.timeout)))?;
        content_of(completion).map_err(Attempt::Failed)
    }
}

enum Attempt {
    Retryable { status: u16, wait: Duration },
    Failed(LlmError),
}

fn transport(e: reqwest::Error, limit: Duration) -> LlmError {
    if e.is_timeout() {
        LlmError::Timeout(limit)
    } else {
        // Without the URL: it is ours, and harmless, but keeps logs short.
        LlmError::Transport(e.without_url())
    }
}

fn bad_or_timeout(e: reqwest::Error, limit: Duration) -> LlmError {
    if e.is_timeout() {
        LlmError::Timeout(limit)
    } else {
        LlmError::BadReply(format!("not a chat completion: {}", e.without_url()))
    }
}

/// `Retry-After` in whole seconds (the HTTP-date form is not worth parsing for a
/// wait capped at a second).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let secs: f64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(60.0)))
}

fn content_of(completion: Completion) -> Result<String, LlmError> {
    let choice = completion
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| LlmError::BadReply("no choices".into()))?;
    if choice.message.refusal.is_some_and(|r| !r.trim().is_empty())
        || choice.finish_reason.as_deref() == Some("content_filter")
    {
        return Err(LlmError::Refused);
    }
    if choice.finish_reason.as_deref() == Some("length") {
        return Err(LlmError::BadReply("cut off at the token limit".into()));
    }
    let content = choice
        .message
        .content
        .ok_or_else(|| LlmError::BadReply("no content".into()))?;
    Ok(strip_fences(&content).to_owned())
}

/// Some models wrap JSON in a Markdown fence even in JSON mode.
fn strip_fences(s: &str) -> &str {
    let t = s.trim();
    let Some(inner) = t.strip_prefix("```") else {
        return t;
    };
    let inner = inner.strip_prefix("json").unwrap_or(inner);
    inner.strip_suffix("```").unwrap_or(inner).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_stripped() {
        assert_eq!(strip_fences("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_fences(" {\"a\":1} "), "{\"a\":1}");
    }
}
