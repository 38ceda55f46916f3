//! Helpers for the session functions' tests: their events carry a placeholder
//! session id, which a test replaces with the one it created; sessions and
//! resumes to start from, and the services with the replay window passed. (What
//! every function's tests share, the state on the test stack and calling a
//! handler, is in `rehearse_testkit::handlers`.) Tiny and free of test-only
//! dependencies, so it is compiled in rather than behind a feature.

use std::collections::HashMap;

use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::{Body, Request, RequestExt};
use rehearse_core::SessionId;
use serde_json::Value;

/// The placeholder session id in `events/session-*/*.json`.
pub const PLACEHOLDER_SESSION_ID: &str = "00000000-0000-4000-8000-000000000000";

/// `req` with its JSON body's `key` set to `value` (the body must be a JSON object).
pub fn with_body_field(mut req: Request, key: &str, value: Value) -> Request {
    let mut body: Value = serde_json::from_slice(req.body().as_ref())
        .unwrap_or_else(|e| panic!("event body is not JSON: {e}"));
    let Some(map) = body.as_object_mut() else {
        panic!("event body is not a JSON object");
    };
    map.insert(key.to_owned(), value);
    *req.body_mut() = Body::Text(body.to_string());
    req
}

/// `req` with header `name` set to `value` (replacing any it had).
pub fn with_header(mut req: Request, name: &'static str, value: &str) -> Request {
    let value = lambda_http::http::HeaderValue::from_str(value)
        .unwrap_or_else(|e| panic!("not a header value: {e}"));
    req.headers_mut().insert(name, value);
    req
}

/// `req` for session `id`: the `session_id` path parameter, and the body's
/// `session_id` when the body is a JSON object that has one.
pub fn for_session(req: Request, id: SessionId) -> Request {
    let has_field = serde_json::from_slice::<Value>(req.body().as_ref())
        .ok()
        .is_some_and(|b| b.get("session_id").is_some());
    let req = if has_field {
        with_body_field(req, "session_id", Value::String(id.to_string()))
    } else {
        req
    };
    req.with_path_parameters(QueryMap::from(HashMap::from([(
        "session_id".to_owned(),
        id.to_string(),
    )])))
}

/// The JSON body of a request (for building store inputs from an event).
pub fn body_json(req: &Request) -> Value {
    serde_json::from_slice(req.body().as_ref())
        .unwrap_or_else(|e| panic!("event body is not JSON: {e}"))
}

/// Create a session from a create event's body, as the create functions do
/// (panics, failing the test, when that fails).
pub async fn create_from(
    db: &rehearse_db::Db,
    caller: Option<&rehearse_core::AuthUser>,
    req: &Request,
    mode: crate::SessionMode,
) -> crate::Created {
    let plan = serde_json::from_value::<crate::requests::CreateSessionRequest>(body_json(req))
        .unwrap_or_else(|e| panic!("not a create body: {e}"))
        .validate()
        .unwrap_or_else(|e| panic!("invalid create body: {e}"));
    crate::create(db, &crate::Llm::disabled(), caller, plan, mode)
        .await
        .unwrap_or_else(|e| panic!("create failed: {e:?}"))
}

/// A conversational session of `n` questions, created from the create event
/// `create` with its `num_questions` set to `n` (anonymous without `owner`).
pub async fn conversational_session(
    db: &rehearse_db::Db,
    owner: Option<&rehearse_core::AuthUser>,
    create: Request,
    n: u8,
) -> crate::Created {
    let req = with_body_field(create, "num_questions", Value::from(n));
    create_from(db, owner, &req, crate::SessionMode::Conversational).await
}

/// The services a session function runs on with `backend` and no chat model,
/// as an instance whose replay window has always passed: every request arrives
/// "later" than the one before, as when a person reads the next question
/// before answering it (the default window is seconds; tests do not wait).
pub fn replay_window_passed(backend: rehearse_http::Backend) -> crate::SessionServices {
    crate::SessionServices {
        replay_window: std::time::Duration::ZERO,
        ..crate::SessionServices::from(backend)
    }
}

/// A resume stored for `user` with no file, `parsed` as its parse: what a
/// session can be planned from by `resume_id`. Returns its id.
pub async fn stored_resume(
    db: &rehearse_db::Db,
    user: &rehearse_core::AuthUser,
    file_name: &str,
    parsed: &Value,
    skills: &[String],
) -> rehearse_core::ResumeId {
    let new = rehearse_db::resumes::NewResume {
        file_name,
        storage_path: None,
        file_size_bytes: None,
        content_type: None,
        parsed_json: parsed,
        skills,
        experience_years: None,
    };
    db.write_as(user, async |tx| {
        rehearse_db::resumes::insert(tx, user.id, &new).await
    })
    .await
    .unwrap_or_else(|e| panic!("store resume: {e:?}"))
    .id
}

/// Answer the current question of `id` with `text`.
pub async fn answer_with(
    db: &rehearse_db::Db,
    caller: Option<&rehearse_core::AuthUser>,
    id: SessionId,
    text: &str,
) -> crate::TurnOutcome {
    let input = crate::requests::AnswerInput {
        session_id: id,
        text: text.to_owned(),
        duration_seconds: Some(30),
        question: None,
    };
    crate::answer(
        db,
        &crate::Llm::disabled(),
        caller,
        input,
        &crate::Retry::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("answer failed: {e:?}"))
}

/// Skip the current question of `id`.
pub async fn skip_current(
    db: &rehearse_db::Db,
    caller: Option<&rehearse_core::AuthUser>,
    id: SessionId,
) -> crate::TurnOutcome {
    let input = crate::requests::SkipInput {
        session_id: id,
        question: None,
    };
    crate::skip(db, caller, input, &crate::Retry::default())
        .await
        .unwrap_or_else(|e| panic!("skip failed: {e:?}"))
}

/// A finished session for `user`: `n` questions for `role`, each answered with
/// `answer` (numbered) except the last, which is skipped (when `n` > 1), then finalized
/// as the summary does. Returns its id.
pub async fn completed_session(
    db: &rehearse_db::Db,
    user: &rehearse_core::AuthUser,
    role: &str,
    n: u8,
    answer: &str,
) -> SessionId {
    let body = serde_json::json!({
        "resume_data": {
            "name": "Ada Lovelace",
            "skills": ["Rust", "PostgreSQL", "AWS"],
            "experience": [{"title": "Backend Engineer", "company": "Analytical Engines",
                            "duration": "2019 - Present",
                            "description": "Built a payments ledger in Rust on PostgreSQL."}]
        },
        "job_context": {"target_role": role, "experience_level": "3-5",
                        "interview_type": "technical"},
        "num_questions": n,
    });
    let plan = serde_json::from_value::<crate::requests::CreateSessionRequest>(body)
        .unwrap_or_else(|e| panic!("not a create body: {e}"))
        .validate()
        .unwrap_or_else(|e| panic!("invalid create body: {e}"));
    let created = crate::create(
        db,
        &crate::Llm::disabled(),
        Some(user),
        plan,
        crate::SessionMode::Conversational,
    )
    .await
    .unwrap_or_else(|e| panic!("create failed: {e:?}"));
    for i in 0..n {
        if n > 1 && i + 1 == n {
            skip_current(db, Some(user), created.id).await;
        } else {
            // Distinct texts: the same text again within the replay window reads
            // as a retried submission.
            let text = format!("{answer} (answer {})", i + 1);
            answer_with(db, Some(user), created.id, &text).await;
        }
    }
    crate::finalize(db, Some(user), created.id)
        .await
        .unwrap_or_else(|e| panic!("finalize failed: {e:?}"));
    created.id
}
