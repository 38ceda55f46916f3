//! A fake OpenAI-compatible provider on 127.0.0.1 for the model clients' tests:
//! `POST /chat/completions` and `POST /audio/transcriptions` answer from a script
//! (status and body, or a hang), in the real wire formats, and every request is
//! recorded (path, `Authorization`, `Content-Type`, body) for assertions.
//!
//! It runs on the runtime of the test that starts it and dies with that test.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// This status and JSON body (with `Retry-After: 0` on a 429).
    Json(u16, String),
    /// Never answer (well, after a minute): for timeouts.
    Hang,
}

/// A request the provider received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Bytes,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Debug, Default)]
struct Inner {
    scripts: HashMap<String, VecDeque<Scripted>>,
    requests: Vec<Recorded>,
}

#[derive(Debug, Clone)]
pub struct FakeProvider {
    /// What `LLM_BASE_URL` / `STT_BASE_URL` would be: `http://127.0.0.1:<port>/v1`.
    pub base_url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeProvider {
    /// Start one on the current runtime. An unscripted request is a 500.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind fake provider: {e}"));
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let inner = Arc::new(Mutex::new(Inner::default()));
        let shared = inner.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(answer(&shared, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Self {
            base_url: format!("http://127.0.0.1:{port}/v1"),
            inner,
        }
    }

    /// Queue answers for `POST /v1/chat/completions`, in order.
    pub fn script_chat(&self, answers: impl IntoIterator<Item = Scripted>) {
        self.script("/v1/chat/completions", answers);
    }

    /// Queue answers for `POST /v1/audio/transcriptions`, in order.
    pub fn script_transcription(&self, answers: impl IntoIterator<Item = Scripted>) {
        self.script("/v1/audio/transcriptions", answers);
    }

    fn script(&self, path: &str, answers: impl IntoIterator<Item = Scripted>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner
            .scripts
            .entry(path.to_owned())
            .or_default()
            .extend(answers);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .requests
            .clone()
    }
}

async fn answer(
    shared: &Mutex<Inner>,
    req: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header("authorization");
    let content_type = header("content-type");
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let next = {
        let mut inner = shared.lock().unwrap_or_else(|e| e.into_inner());
        inner.requests.push(Recorded {
            path: path.clone(),
            authorization,
            content_type,
            body,
        });
        inner.scripts.get_mut(&path).and_then(VecDeque::pop_front)
    };
    let (status, body) = match next {
        Some(Scripted::Json(status, body)) => (status, body),
        Some(Scripted::Hang) => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            (504, "{}".to_owned())
        }
        None => (500, error_body("no scripted answer")),
    };
    let mut resp = hyper::Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if status == 429 {
        resp = resp.header("retry-after", "0");
    }
    resp.body(Full::new(Bytes::from(body))).unwrap_or_default()
}

/// A `chat.completion` whose message content is `content` (the JSON text the
/// model produced, as a string, as the real API sends it).
pub fn chat_completion(content: &str) -> String {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_795_564_800,
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": content },
            "finish_reason": "stop",
        }],
        "usage": { "prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150 },
    })
    .to_string()
}

/// A `verbose_json` transcription with one segment per `avg_logprob`.
pub fn verbose_transcription(text: &str, language: &str, avg_logprobs: &[f64]) -> String {
    let segments: Vec<Value> = avg_logprobs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "id": i, "seek": 0, "start": i as f64, "end": i as f64 + 1.0,
                "text": text, "tokens": [50364, 400], "temperature": 0.0,
                "avg_logprob": p, "compression_ratio": 1.2, "no_speech_prob": 0.01,
            })
        })
        .collect();
    json!({
        "task": "transcribe",
        "language": language,
        "duration": avg_logprobs.len() as f64,
        "text": text,
        "segments": segments,
    })
    .to_string()
}

/// An OpenAI-style error body.
pub fn error_body(message: &str) -> String {
    json!({ "error": { "message": message, "type": "server_error", "code": null } }).to_string()
}
