use lambda_http::http::StatusCode;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_body, json_response, require_user,
};
use rehearse_session_store::finalize;
use rehearse_session_store::requests::CompleteRequest;

pub type State = Backend;

/// Save a session to the signed-in user's history: the same once-only finalize as
/// the summary route (claiming an anonymous session), so the two can be called in
/// any order, any number of times, and the session and statistics change once.
/// Anything but `session_id` in the body (the old client's copy of its answers
/// and scores) is ignored: the server's record is the only one.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let id = json_body::<CompleteRequest>(&req)?.validate()?;
    let done = finalize(&state.db, Some(&user), id).await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "session_id": done.session_id,
            "db_session_id": done.session_id,
            "saved_to_database": true,
            "summary": done.summary,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::{SessionId, UserId};
    use rehearse_session_store::testing::{answer_with, create_from, for_session, with_body_field};
    use rehearse_session_store::{Created, SessionMode};
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{self, backend_state, count, event_as, signed_in_as};
    use serde_json::Value;

    use super::*;

    async fn complete(state: &State, id: SessionId, user: Option<UserId>) -> (StatusCode, Value) {
        let req = for_session(event_as("session-complete", user), id);
        handlers::call(handler, state, req).await
    }

    /// A conversational session started without a token.
    async fn anonymous_session(state: &State) -> Created {
        let create = event("session-create-conversational", "anonymous");
        create_from(&state.db, None, &create, SessionMode::Conversational).await
    }

    #[tokio::test]
    async fn completing_saves_an_anonymous_session_to_the_callers_history_once() {
        let (state, database) = backend_state::<State>().await;
        let created = anonymous_session(&state).await;
        answer_with(&state.db, None, created.id, "I migrated it table by table.").await;
        let ada = UserId::new_random();
        let (status, first) = complete(&state, created.id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first["success"], true);
        assert_eq!(first["saved_to_database"], true);
        assert_eq!(first["db_session_id"], created.id.to_string());
        assert_eq!(first["summary"]["questions_answered"], 1);
        assert_eq!(first["summary"]["questions_unanswered"], 4);
        let (status, again) = complete(&state, created.id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, first);
        assert_eq!(
            count(
                &database,
                &format!(
                    "SELECT count(*) FROM interview_sessions
                      WHERE user_id = '{ada}' AND status = 'completed'"
                )
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &database,
                "SELECT total_interviews::int8 FROM interview_statistics"
            )
            .await,
            1
        );
        // The same finalize as the summary route: someone else cannot take it now.
        let (status, body) = complete(&state, created.id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }

    #[tokio::test]
    async fn it_needs_a_token_and_a_session_id() {
        let (state, database) = backend_state::<State>().await;
        let created = anonymous_session(&state).await;
        let (status, body) = complete(&state, created.id, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "auth_required");
        let req = with_body_field(
            event("session-complete", "signed-in"),
            "session_id",
            Value::Null,
        );
        let req = signed_in_as(req, UserId::new_random());
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            count(
                &database,
                "SELECT count(*) FROM interview_sessions WHERE status = 'completed'"
            )
            .await,
            0
        );
    }
}
