use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{
    ApiError, Body, Bucket, Request, Response, json_body, json_response, maybe_user, signed_in,
};
use rehearse_session_store::plan_questions;
use rehearse_session_store::requests::CreateSessionRequest;
use rehearse_session_store::view::questions_json;

pub type State = rehearse_session_store::SessionServices;

/// Questions for a resume (`resume_data`, or the caller's `resume_id`) and a job
/// context, planned exactly as a session's would be, without creating one:
/// nothing is written.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = maybe_user(&state.backend.auth, &req).await;
    let meter = state
        .quotas
        .meter(
            &state.backend.db,
            Bucket::Generate,
            signed_in(&caller),
            &req,
        )
        .await;
    meter.run(plan(state, &req, caller)).await
}

async fn plan(
    state: &State,
    req: &Request,
    caller: Result<Option<AuthUser>, ApiError>,
) -> Result<Response<Body>, ApiError> {
    let caller = caller?;
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

    use rehearse_auth::Verifier;
    use rehearse_core::UserId;
    use rehearse_db::resumes::{self, NewResume};
    use rehearse_session_store::testing::with_body_field;
    use rehearse_testkit::tokens::{auth_config, token_for, with_bearer};
    use rehearse_testkit::{TestDatabase, TestStack, Via, event, status_and_json};
    use serde_json::{Value, json};

    use super::*;

    async fn state() -> (State, TestDatabase) {
        let database = TestStack::get().database().await;
        let state = State::from(rehearse_http::Backend {
            db: database.db(Via::Pooler),
            auth: Verifier::new(&auth_config(None)).unwrap(),
        });
        (state, database)
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        status_and_json(&rehearse_http::respond(handler(state, req).await))
    }

    async fn sessions(database: &TestDatabase) -> i64 {
        database
            .client(Via::Direct)
            .await
            .query_typed_one("SELECT count(*) FROM interview_sessions", &[])
            .await
            .unwrap()
            .get(0)
    }

    #[tokio::test]
    async fn returns_exactly_the_questions_asked_for_and_creates_no_session() {
        let (state, database) = state().await;
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
        assert_eq!(sessions(&database).await, 0);
    }

    #[tokio::test]
    async fn a_stored_resume_must_be_the_callers() {
        let (state, database) = state().await;
        let ada = UserId::new_random();
        let auth: AuthUser = state
            .backend
            .auth
            .authenticate(Some(&format!("Bearer {}", token_for(ada))))
            .await
            .unwrap()
            .unwrap();
        let parsed = json!({"name": "Ada", "skills": ["Rust"]});
        let new = NewResume {
            file_name: "ada.pdf",
            storage_path: None,
            file_size_bytes: None,
            content_type: None,
            parsed_json: &parsed,
            skills: &[],
            experience_years: None,
        };
        let resume = state
            .backend
            .db
            .write_as(&auth, async |tx| resumes::insert(tx, ada, &new).await)
            .await
            .unwrap()
            .id;
        let with_resume = |req| with_body_field(req, "resume_id", json!(resume));

        let req = with_bearer(
            with_resume(event("questions-generate", "resume-id")),
            &token_for(ada),
        );
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["questions"].as_array().unwrap().len(), 3);
        let req = with_bearer(
            with_resume(event("questions-generate", "resume-id")),
            &token_for(UserId::new_random()),
        );
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = call(
            &state,
            with_resume(event("questions-generate", "resume-id-anonymous")),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(sessions(&database).await, 0);
    }

    #[tokio::test]
    async fn too_many_questions_is_422() {
        let (state, _database) = state().await;
        let (status, body) = call(&state, event("questions-generate", "too-many-questions")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation_error");
    }
}
