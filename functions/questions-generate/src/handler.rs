use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{ApiError, Body, Bucket, Request, Response, json_body, json_response};
use rehearse_session_store::plan_questions;
use rehearse_session_store::requests::CreateSessionRequest;
use rehearse_session_store::view::questions_json;

pub type State = rehearse_session_store::SessionServices;

/// Questions for a resume (`resume_data`, or the caller's `resume_id`) and a job
/// context, planned exactly as a session's would be, without creating one:
/// nothing is written.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let (auth, db) = (&state.backend.auth, &state.backend.db);
    let work = |caller| plan(state, &req, caller);
    state
        .quotas
        .metered(auth, db, Bucket::Generate, &req, work)
        .await
}

async fn plan(
    state: &State,
    req: &Request,
    caller: Option<AuthUser>,
) -> Result<Response<Body>, ApiError> {
    let plan = json_body::<CreateSessionRequest>(req)?.validate()?;
    let context = plan.context.clone();
    let questions = plan_questions(&state.backend.db, &state.llm, caller.as_ref(), plan).await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "questions": questions_json(&questions),
            "total_questions": questions.len(),
            "job_context": context,
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rehearse_core::UserId;
    use rehearse_session_store::testing::{stored_resume, with_body_field};
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{self, auth_user, backend_state, count, signed_in_as};
    use serde_json::{Value, json};

    use super::*;

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    #[tokio::test]
    async fn returns_exactly_the_questions_asked_for_and_creates_no_session() {
        let (state, database) = backend_state::<State>().await;
        for n in [1, 5, 20] {
            let req = with_body_field(
                event("questions-generate", "anonymous"),
                "num_questions",
                json!(n),
            );
            let (status, body) = call(&state, req).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let questions = body["questions"].as_array().unwrap();
            assert_eq!(questions.len(), n, "{body}");
            assert_eq!(body["total_questions"], n);
            let ids: HashSet<&str> = questions.iter().filter_map(|q| q["id"].as_str()).collect();
            assert_eq!(ids.len(), n);
            assert_eq!(body["job_context"]["target_role"], "Backend Engineer");
        }
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            0
        );
    }

    #[tokio::test]
    async fn a_stored_resume_must_be_the_callers() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let parsed = json!({"name": "Ada", "skills": ["Rust"]});
        let resume = stored_resume(
            &state.backend.db,
            &auth_user(ada).await,
            "ada.pdf",
            &parsed,
            &[],
        )
        .await;
        let with_resume = |req| with_body_field(req, "resume_id", json!(resume));

        let req = signed_in_as(with_resume(event("questions-generate", "resume-id")), ada);
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["questions"].as_array().unwrap().len(), 3);
        let req = signed_in_as(
            with_resume(event("questions-generate", "resume-id")),
            UserId::new_random(),
        );
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = call(
            &state,
            with_resume(event("questions-generate", "resume-id-anonymous")),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            0
        );
    }

    #[tokio::test]
    async fn too_many_questions_is_422() {
        let (state, _database) = backend_state::<State>().await;
        let (status, body) = call(&state, event("questions-generate", "too-many-questions")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation_error");
    }
}
