use lambda_http::http::StatusCode;
use rehearse_core::SessionId;
use rehearse_db::history;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_response, path_param, require_user,
};

pub type State = Backend;

/// One of the caller's sessions with its answers in question order, each with
/// its score, dimension scores and feedback. Someone else's session is a 404
/// like a missing one.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let id: SessionId = path_param(&req, "session_id")?;
    let session = state
        .db
        .as_user(&user, async |tx| {
            history::session_detail(tx, user.id, id).await
        })
        .await?
        .ok_or(ApiError::NotFound { what: "session" })?;
    let answers = session.get("answers").cloned().unwrap_or_default();
    json_response(
        StatusCode::OK,
        &serde_json::json!({ "success": true, "session": session, "answers": answers }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_session_store::testing::{completed_session, for_session};
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{self, auth_user, backend_state, event_as, signed_in_as};
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, id: SessionId, user: Option<UserId>) -> (StatusCode, Value) {
        let req = for_session(event_as("session-history-get", user), id);
        handlers::call(handler, state, req).await
    }

    const ANSWER: &str = "I wrote a design doc, got review from two teams, and shipped the migration behind a flag with a rollback plan.";

    #[tokio::test]
    async fn the_owner_sees_the_session_with_its_answers_in_question_order() {
        let (state, _database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let auth = auth_user(ada).await;
        let id = completed_session(&state.db, &auth, "Backend Engineer", 4, ANSWER).await;
        let (status, body) = call(&state, id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["session"]["id"], id.to_string());
        assert_eq!(body["session"]["status"], "completed");
        assert!(body["session"]["summary"].is_object());
        let answers = body["answers"].as_array().unwrap();
        assert_eq!(answers.len(), 4, "{body:#}");
        let numbers: Vec<i64> = answers
            .iter()
            .map(|a| a["question_number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        let first = &answers[0];
        assert!(first["answer_text"].as_str().unwrap().starts_with(ANSWER));
        assert!(first["score"].is_number(), "{first}");
        assert!(first["dimension_scores"].is_object(), "{first}");
        assert!(first["feedback"].is_string(), "{first}");
        let last = &answers[3];
        assert_eq!(last["is_skipped"], true);
        assert!(last["score"].is_null());
    }

    #[tokio::test]
    async fn the_session_and_its_answers_carry_the_seed_names_with_the_same_values() {
        let (state, _database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let auth = auth_user(ada).await;
        let id = completed_session(&state.db, &auth, "Backend Engineer", 3, ANSWER).await;
        let (status, body) = call(&state, id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let session = &body["session"];
        assert_eq!(session["job_role"], "Backend Engineer");
        assert_eq!(session["job_role"], session["target_role"]);
        assert!(session["overall_score"].is_number(), "{session}");
        // Whole minutes, half a minute rounding up (rehearse-db's tests cover the edges).
        let seconds = session["total_time_seconds"].as_i64().unwrap();
        assert_eq!(
            session["duration_minutes"],
            (seconds + 30) / 60,
            "{session}"
        );
        let answers = body["answers"].as_array().unwrap();
        assert_eq!(answers.len(), 3, "{body:#}");
        for answer in answers {
            assert_eq!(
                answer["question_order"], answer["question_number"],
                "{answer}"
            );
            assert_eq!(answer["question_type"], answer["category"], "{answer}");
            assert!(answer["question_type"].is_string(), "{answer}");
            assert!(answer["question_text"].is_string(), "{answer}");
            assert!(answer.get("answer_text").is_some(), "{answer}");
        }
        assert_eq!(body["session"]["answers"], body["answers"]);
    }

    #[tokio::test]
    async fn another_users_session_is_404_and_anonymous_is_401() {
        let (state, _database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let auth = auth_user(ada).await;
        let id = completed_session(&state.db, &auth, "Backend Engineer", 2, ANSWER).await;
        let (status, body) = call(&state, id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = call(&state, SessionId::new_random(), Some(ada)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = call(&state, id, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
        let req = signed_in_as(event("session-history-get", "invalid-id"), ada);
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_id");
    }
}
