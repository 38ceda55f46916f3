//! The model clients against a fake provider speaking the real wire formats:
//! good replies are used, every kind of bad one falls back to the engine quickly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rehearse_interview::{Evaluation, JobContext, Question, Resume};
use rehearse_llm::{AudioFormat, Llm, LlmConfig, Stt, SttConfig, SttError};
use rehearse_testkit::provider::{
    FakeProvider, Scripted, chat_completion, error_body, verbose_transcription,
};
use serde_json::json;

const KEY: &str = "sk-test-SECRET-4f9a";

fn llm(provider: &FakeProvider, timeout_ms: u64) -> Llm {
    logs();
    Llm::new(LlmConfig {
        base_url: provider.base_url.clone(),
        api_key: KEY.into(),
        model: "test-model".into(),
        timeout: Duration::from_millis(timeout_ms),
    })
    .unwrap()
}

fn context() -> JobContext {
    JobContext::new("Backend Engineer", "3-5", "technical", Some("Acme"), None).unwrap()
}

fn questions(n: u8) -> Vec<Question> {
    rehearse_interview::generate(&Resume::default(), &context(), n, 7)
}

fn reworded(qs: &[Question]) -> String {
    let items: Vec<_> = qs
        .iter()
        .map(|q| json!({"id": q.id, "question": format!("So, {}", q.text)}))
        .collect();
    chat_completion(&json!({ "questions": items }).to_string())
}

fn ok(body: String) -> Scripted {
    Scripted::Json(200, body)
}

/// Every log line of this test binary, from every test: a process-wide
/// subscriber, because a thread-scoped one misses events whose callsite another
/// test's thread registered first.
fn logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Captured(buf))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buf
    })
}

struct Captured(&'static Mutex<Vec<u8>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn good_rewordings_are_used_and_keep_the_plan() {
    let provider = FakeProvider::start().await;
    let planned = questions(5);
    provider.script_chat([ok(reworded(&planned))]);
    let out = llm(&provider, 2_000)
        .reword_questions(&context(), &["Rust".into()], planned.clone())
        .await;
    assert_eq!(out.len(), planned.len());
    for (a, b) in out.iter().zip(&planned) {
        assert_eq!(a.text, format!("So, {}", b.text));
        assert_eq!(
            (&a.id, a.number, a.category, a.difficulty, &a.topic),
            (&b.id, b.number, b.category, b.difficulty, &b.topic)
        );
    }
    let sent = &provider.requests()[0];
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(
        sent.authorization.as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );
    let body = sent.json();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["response_format"]["type"], "json_object");
}

#[tokio::test]
async fn unusable_rewordings_keep_the_engines_questions() {
    let planned = questions(4);
    let mut wrong_count = planned.clone();
    wrong_count.pop();
    let mut wrong_id = planned.clone();
    wrong_id[1].id = "zz".into();
    let cases = [
        ok(chat_completion("{\"questions\": [")),
        ok(chat_completion("not json at all")),
        ok(reworded(&wrong_count)),
        ok(reworded(&wrong_id)),
        ok(chat_completion(&json!({"questions": planned.iter().map(|q| json!({"id": q.id, "question": "?"})).collect::<Vec<_>>()}).to_string())),
        ok("{\"object\": \"chat.completion\"}".into()),
        Scripted::Json(400, error_body("bad request")),
    ];
    for case in cases {
        let provider = FakeProvider::start().await;
        provider.script_chat([case.clone()]);
        let out = llm(&provider, 2_000)
            .reword_questions(&context(), &[], planned.clone())
            .await;
        assert_eq!(out, planned, "{case:?}");
    }
}

fn evaluation() -> Evaluation {
    Evaluation {
        score: 6.0,
        strengths: vec!["Names the tools".into()],
        improvements: vec!["Quantify the result".into()],
        feedback: "engine feedback".into(),
        word_count: 40,
        ..Evaluation::default()
    }
}

fn feedback(score: serde_json::Value) -> Scripted {
    ok(chat_completion(
        &json!({
            "score": score,
            "feedback": "You said \"p99 fell to 35 ms\": a strong, measurable result.",
            "strengths": ["Measurable outcome", "Clear ownership"],
            "improvements": ["Say how you verified correctness"],
        })
        .to_string(),
    ))
}

#[tokio::test]
async fn feedback_is_enriched_and_the_score_moves_at_most_one_point() {
    let provider = FakeProvider::start().await;
    provider.script_chat([feedback(json!(9.5))]);
    let q = &questions(3)[1];
    let e = llm(&provider, 2_000)
        .enrich_evaluation(q, "an answer", &context(), evaluation())
        .await;
    assert_eq!(e.score, 7.0, "engine 6.0, model 9.5: moved by one");
    assert!(e.feedback.contains("p99 fell"));
    assert_eq!(e.strengths.len(), 2);
    assert_eq!(
        e.improvements,
        vec!["Say how you verified correctness".to_owned()]
    );
    assert_eq!(e.dimensions, evaluation().dimensions);
}

#[tokio::test]
async fn bad_feedback_keeps_the_engines_evaluation() {
    let q = &questions(3)[1];
    for case in [
        feedback(json!(57)),
        feedback(json!(-2)),
        feedback(json!("high")),
        ok(chat_completion("{\"feedback\": \"no score\"}")),
        ok(chat_completion(
            &json!({"score": 5, "feedback": "x".repeat(5_000)}).to_string(),
        )),
    ] {
        let provider = FakeProvider::start().await;
        provider.script_chat([case.clone()]);
        let e = llm(&provider, 2_000)
            .enrich_evaluation(q, "an answer", &context(), evaluation())
            .await;
        assert_eq!(e, evaluation(), "{case:?}");
    }
}

#[tokio::test]
async fn a_429_is_retried_once_then_the_reply_is_used() {
    let provider = FakeProvider::start().await;
    provider.script_chat([
        Scripted::Json(429, error_body("rate limited")),
        ok(chat_completion(
            "{\"reply\": \"Thanks, that ledger story was concrete.\"}",
        )),
    ]);
    let q = &questions(3)[1];
    let reply = llm(&provider, 2_000)
        .interviewer_reply(q, "an answer", &evaluation(), false, "engine".into())
        .await;
    assert_eq!(reply, "Thanks, that ledger story was concrete.");
    assert_eq!(provider.requests().len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_once_then_fall_back() {
    let provider = FakeProvider::start().await;
    provider.script_chat([
        Scripted::Json(500, error_body("boom")),
        Scripted::Json(503, error_body("still boom")),
        ok(chat_completion("{\"reply\": \"never asked for\"}")),
    ]);
    let q = &questions(3)[1];
    let reply = llm(&provider, 2_000)
        .interviewer_reply(q, "an answer", &evaluation(), false, "engine".into())
        .await;
    assert_eq!(reply, "engine");
    assert_eq!(provider.requests().len(), 2, "at most one retry");
}

#[tokio::test]
async fn a_hanging_provider_falls_back_within_the_timeout() {
    let provider = FakeProvider::start().await;
    provider.script_chat([Scripted::Hang]);
    let q = &questions(3)[1];
    let started = Instant::now();
    let reply = llm(&provider, 300)
        .interviewer_reply(q, "an answer", &evaluation(), false, "engine".into())
        .await;
    assert_eq!(reply, "engine");
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn replies_that_grade_or_refuse_fall_back() {
    for content in [
        "{\"reply\": \"Solid: I'd score that 8/10.\"}",
        "{\"reply\": \"\"}",
        "{\"answer\": \"wrong field\"}",
    ] {
        let provider = FakeProvider::start().await;
        provider.script_chat([ok(chat_completion(content))]);
        let q = &questions(3)[1];
        let reply = llm(&provider, 2_000)
            .interviewer_reply(q, "an answer", &evaluation(), false, "engine".into())
            .await;
        assert_eq!(reply, "engine", "{content}");
    }
    let provider = FakeProvider::start().await;
    let refusal = json!({
        "id": "x", "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}, "finish_reason": "stop"}],
    });
    provider.script_chat([ok(refusal.to_string())]);
    let reply = llm(&provider, 2_000)
        .interviewer_reply(&questions(3)[1], "a", &evaluation(), false, "engine".into())
        .await;
    assert_eq!(reply, "engine");
}

#[tokio::test]
async fn the_key_never_reaches_the_logs() {
    let logs = logs();
    let provider = FakeProvider::start().await;
    provider.script_chat([
        Scripted::Json(500, error_body(&format!("echo {KEY}"))),
        Scripted::Json(401, error_body(&format!("bad key {KEY}"))),
    ]);
    let model = llm(&provider, 2_000);
    let reply = model
        .interviewer_reply(&questions(3)[1], "a", &evaluation(), false, "engine".into())
        .await;
    assert_eq!(reply, "engine");
    tracing::info!(?model, "the client, debug-printed");
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(logged.contains("model output not used"), "{logged}");
    assert!(!logged.contains(KEY), "{logged}");
    assert!(!format!("{model:?}").contains(KEY));
}

#[tokio::test]
async fn a_disabled_llm_returns_the_engines_output_unchanged() {
    let model = Llm::disabled();
    let planned = questions(3);
    assert_eq!(
        model
            .reword_questions(&context(), &[], planned.clone())
            .await,
        planned
    );
    assert_eq!(
        model
            .enrich_evaluation(&planned[0], "a", &context(), evaluation())
            .await,
        evaluation()
    );
}

fn stt(provider: &FakeProvider) -> Stt {
    logs();
    Stt::new(SttConfig {
        base_url: provider.base_url.clone(),
        api_key: KEY.into(),
        model: "whisper-test".into(),
        timeout: Duration::from_millis(2_000),
    })
    .unwrap()
}

#[tokio::test]
async fn transcriptions_send_the_file_model_and_format() {
    let provider = FakeProvider::start().await;
    provider.script_transcription([ok(verbose_transcription(
        "I led the migration.",
        "english",
        &[-0.2, -0.2],
    ))]);
    let audio = Bytes::from_static(b"OggS\0\x02rest-of-the-audio");
    let t = stt(&provider)
        .transcribe(audio, AudioFormat::Ogg)
        .await
        .unwrap();
    assert_eq!(t.text, "I led the migration.");
    assert_eq!(t.language.as_deref(), Some("english"));
    assert_eq!(t.confidence, Some(0.819));
    let sent = &provider.requests()[0];
    assert_eq!(sent.path, "/v1/audio/transcriptions");
    assert_eq!(
        sent.authorization.as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );
    assert!(
        sent.content_type
            .as_deref()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = String::from_utf8_lossy(&sent.body);
    assert!(
        body.contains("name=\"model\"\r\n\r\nwhisper-test\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"response_format\"\r\n\r\nverbose_json\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"file\"; filename=\"audio.ogg\""),
        "{body}"
    );
    assert!(body.contains("OggS"), "{body}");
}

#[tokio::test]
async fn transcription_failures_are_errors_without_the_body() {
    let provider = FakeProvider::start().await;
    provider.script_transcription([Scripted::Json(500, error_body(&format!("leak {KEY}")))]);
    let e = stt(&provider)
        .transcribe(Bytes::from_static(b"OggS\0"), AudioFormat::Ogg)
        .await
        .unwrap_err();
    assert!(matches!(e, SttError::Status(500)), "{e}");
    assert!(!e.to_string().contains(KEY));
}
