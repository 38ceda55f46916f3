use lambda_http::http::StatusCode;
use rehearse_core::SessionId;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_response, maybe_user, path_param,
};
use rehearse_session_store::view::{QuestionView, progress_json, question_json, questions_json};
use rehearse_session_store::{SessionMode, state as session_state};
use serde_json::{Value, json};

pub type State = Backend;

/// Where a session stands, for a client that refreshed or came back: the current
/// question and progress, every answer and skip so far with its evaluation and
/// the interviewer's reply, and the summary once finished. The owner's session
/// needs the owner's token; an anonymous one is reachable by its id.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = maybe_user(&state.auth, &req).await?;
    let id: SessionId = path_param(&req, "session_id")?;
    let st = session_state(&state.db, caller.as_ref(), id).await?;
    let row = &st.located.row;
    let history: Vec<Value> = st
        .history()
        .into_iter()
        .map(|(question, a)| {
            json!({
                "question_number": a.question_number,
                "question": QuestionView::new(&question),
                "answer_text": a.answer_text,
                "is_skipped": a.is_skipped,
                "score": a.score,
                "evaluation": a.evaluation,
                "interviewer_response": a.interviewer_response,
                "duration_seconds": a.duration_seconds,
            })
        })
        .collect();
    let mut body = json!({
        "success": true,
        "session_id": id,
        "status": row.status.as_str(),
        "mode": row.mode.as_str(),
        "is_complete": st.is_complete(),
        "job_context": {
            "target_role": row.target_role,
            "experience_level": row.experience_level,
            "interview_type": row.interview_type,
            "company": row.company,
        },
        "current_question": question_json(st.current_question()),
        "total_questions": st.session.questions.len(),
        "progress": progress_json(st.session.progress()),
        "questions_answered": row.questions_answered,
        "questions_skipped": row.questions_skipped,
        "history": history,
        "started_at": rfc3339(row.started_at)?,
        "last_activity_at": rfc3339(row.last_activity_at)?,
        "completed_at": row.completed_at.map(rfc3339).transpose()?,
        "summary": row.summary,
        "saved_to_database": st.located.owner.is_some(),
    });
    // Standard sessions show every question up front (as their creation did).
    if row.mode == SessionMode::Standard {
        body["questions"] = questions_json(&st.session.questions);
    }
    json_response(StatusCode::OK, &body)
}

fn rfc3339(t: time::OffsetDateTime) -> Result<String, ApiError> {
    t.format(&time::format_description::well_known::Rfc3339)
        .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_session_store::testing::{answer_with, create_from, for_session, skip_current};
    use rehearse_session_store::{Created, finalize};
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{self, as_caller, auth_user, backend_state, with_path_param};
    use serde_json::json;

    use super::*;

    async fn session(state: &State, owner: Option<&AuthUser>, mode: SessionMode) -> Created {
        let function = match mode {
            SessionMode::Standard => "session-create",
            SessionMode::Conversational => "session-create-conversational",
        };
        create_from(&state.db, owner, &event(function, "anonymous"), mode).await
    }

    async fn get(state: &State, id: SessionId, user: Option<UserId>) -> (StatusCode, Value) {
        let req = as_caller(for_session(event("session-get", "anonymous"), id), user);
        handlers::call(handler, state, req).await
    }

    #[tokio::test]
    async fn an_anonymous_session_shows_where_it_stands_and_its_history() {
        let (state, _database) = backend_state::<State>().await;
        let created = session(&state, None, SessionMode::Conversational).await;
        let (status, body) = get(&state, created.id, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "in_progress");
        assert_eq!(body["is_complete"], false);
        assert_eq!(body["progress"], json!({"current": 1, "total": 5}));
        assert_eq!(
            body["current_question"]["id"],
            created.session.questions[0].id
        );
        assert_eq!(body["history"], json!([]));
        assert_eq!(body["saved_to_database"], false);
        assert!(
            body.get("questions").is_none(),
            "conversational: one at a time"
        );

        answer_with(&state.db, None, created.id, "I would add an index.").await;
        skip_current(&state.db, None, created.id).await;
        // With a token, an anonymous session is still reachable by its id.
        let (status, body) = get(&state, created.id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["progress"], json!({"current": 3, "total": 5}));
        assert_eq!(body["questions_answered"], 1);
        assert_eq!(body["questions_skipped"], 1);
        let history = body["history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0]["answer_text"], "I would add an index.");
        assert_eq!(history[0]["is_skipped"], false);
        assert!(history[0]["evaluation"].is_object());
        assert_eq!(history[1]["is_skipped"], true);
        assert_eq!(history[1]["answer_text"], Value::Null);
        assert_eq!(history[1]["question"]["number"], 2);
    }

    #[tokio::test]
    async fn a_signed_in_session_is_its_owners_only() {
        let (state, _database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), SessionMode::Conversational).await;
        let (status, body) = get(&state, created.id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["saved_to_database"], true);
        let (status, body) = get(&state, created.id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = get(&state, created.id, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "auth_required");
        let (status, _) = get(&state, SessionId::new_random(), Some(ada)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) =
            handlers::call(handler, &state, event("session-get", "invalid-id")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_id");
    }

    #[tokio::test]
    async fn a_standard_session_lists_its_questions_and_a_finished_one_its_summary() {
        let (state, _database) = backend_state::<State>().await;
        let created = session(&state, None, SessionMode::Standard).await;
        let (status, body) = get(&state, created.id, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["mode"], "standard");
        assert_eq!(body["questions"].as_array().unwrap().len(), 5);
        assert_eq!(body["summary"], Value::Null);

        answer_with(&state.db, None, created.id, "We load-tested it first.").await;
        let done = finalize(&state.db, None, created.id).await.unwrap();
        let (status, body) = get(&state, created.id, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "completed");
        assert_eq!(body["is_complete"], true);
        assert_eq!(body["current_question"], Value::Null);
        assert_eq!(body["summary"], done.summary);
        assert!(body["completed_at"].is_string());
    }

    #[test]
    fn path_parameters_are_what_the_gateway_sends() {
        let id = SessionId::new_random();
        let req = with_path_param(event("session-get", "anonymous"), "session_id", id);
        assert_eq!(path_param::<SessionId>(&req, "session_id").unwrap(), id);
    }

    #[tokio::test]
    async fn an_anonymous_sessions_id_never_reaches_the_logs() {
        let (state, _database) = backend_state::<State>().await;
        let state: &'static State = Box::leak(Box::new(state));
        let created = session(state, None, SessionMode::Conversational).await;
        let id = created.id.to_string();
        let logs = rehearse_testkit::LogCapture::default();
        let _guard = tracing::subscriber::set_default(rehearse_http::json_logs(logs.writer()));
        // The event as API Gateway sends it (route key = the template), and as a
        // direct invoke or the emulator may (no usable route key): the raw path
        // holds the id either way.
        let text = std::fs::read_to_string(
            rehearse_testkit::events_dir().join("session-get/anonymous.json"),
        )
        .unwrap()
        .replace("00000000-0000-4000-8000-000000000000", &id);
        for route_key in ["GET /api/session/{session_id}", "$default"] {
            let event = text.replace("GET /api/session/{session_id}", route_key);
            let req = lambda_http::request::from_str(&event).unwrap();
            let resp = rehearse_http::handle(state, &handler, req).await;
            assert_eq!(resp.status(), StatusCode::OK);
        }
        let logged = logs.text();
        assert_eq!(logged.matches("request served").count(), 2, "{logged}");
        assert!(logged.contains("GET /api/session/{session_id}"), "{logged}");
        assert!(logged.contains("GET /api/session/{id}"), "{logged}");
        assert!(
            !logged.contains(&id),
            "the session id was logged:\n{logged}"
        );
    }
}
