use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{ApiError, Body, Bucket, Request, Response, json_body, json_response};
use rehearse_session_store::requests::CreateSessionRequest;
use rehearse_session_store::view::{created_json, questions_json};
use rehearse_session_store::{SessionMode, create};

pub type State = rehearse_session_store::SessionServices;

/// Start a standard interview: like the conversational one (same questions, same
/// storage, same ownership rules), but every question is returned up front, as
/// `questions`, the way the old API did.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let (auth, db) = (&state.backend.auth, &state.backend.db);
    let work = |caller| start(state, &req, caller);
    state
        .quotas
        .metered(auth, db, Bucket::Interview, &req, work)
        .await
}

async fn start(
    state: &State,
    req: &Request,
    caller: Option<AuthUser>,
) -> Result<Response<Body>, ApiError> {
    let plan = json_body::<CreateSessionRequest>(req)?.validate()?;
    let created = create(
        &state.backend.db,
        &state.llm,
        caller.as_ref(),
        plan,
        SessionMode::Standard,
    )
    .await?;
    let mut body = created_json(&created);
    // Every question up front, the way the old API did.
    body["questions"] = questions_json(&created.session.questions);
    json_response(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rehearse_core::UserId;
    use rehearse_testkit::handlers::{self, backend_state, signed_in_as};
    use rehearse_testkit::{TestDatabase, Via, event};
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    async fn sessions(database: &TestDatabase) -> Vec<(Option<uuid::Uuid>, String, i32)> {
        database
            .client(Via::Direct)
            .await
            .query_typed(
                "SELECT user_id, mode, total_questions FROM interview_sessions",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }

    #[tokio::test]
    async fn a_standard_session_returns_every_question_up_front() {
        let (state, database) = backend_state::<State>().await;
        let (status, body) = call(&state, event("session-create", "anonymous")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["mode"], "standard");
        let questions = body["questions"].as_array().unwrap();
        assert_eq!(questions.len(), 5);
        assert_eq!(body["total_questions"], 5);
        assert_eq!(body["current_question"], questions[0]);
        assert_eq!(body["opening_question"], questions[0]);
        let ids: HashSet<&str> = questions.iter().filter_map(|q| q["id"].as_str()).collect();
        assert_eq!(ids.len(), 5, "ids are unique");
        for q in questions {
            assert!(
                q["question"].is_string() && q["category"].is_string(),
                "{q}"
            );
            assert!(q.get("keywords").is_none());
        }
        assert_eq!(
            sessions(&database).await,
            vec![(None, "standard".into(), 5)]
        );
    }

    #[tokio::test]
    async fn signed_in_it_is_the_callers_and_bad_counts_write_nothing() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let req = signed_in_as(event("session-create", "signed-in"), ada);
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["saved_to_database"], true);
        let (status, body) = call(&state, event("session-create", "too-many-questions")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation_error");
        assert_eq!(
            sessions(&database).await,
            vec![(Some(*ada.as_uuid()), "standard".into(), 5)]
        );
    }
}
