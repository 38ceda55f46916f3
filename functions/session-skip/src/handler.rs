use lambda_http::http::StatusCode;
use rehearse_http::{ApiError, Body, Request, Response, json_body, json_response, maybe_user};
use rehearse_session_store::requests::{IdempotencyKey, SkipRequest};
use rehearse_session_store::skip;
use rehearse_session_store::view::{QuestionView, progress_json, question_json};

/// The session services: a skip uses the backend and the replay window (its
/// reply is the engine's, so the model is never asked).
pub type State = rehearse_session_store::SessionServices;

/// Skip the current question (stored, not scored) and move on. The client reads
/// `result.next_question`, or `result.status == "completed"` after the last one.
/// Retries follow the answers' rules (docs/answers.md): a skip naming a question
/// already skipped, or resent under the same `Idempotency-Key`, replays; a bare
/// skip repeated within the replay window of the skip just stored (a double
/// click) replays; any other skip skips the current question.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = maybe_user(&state.backend.auth, &req).await?;
    let key = IdempotencyKey::from_request(&req)?;
    let input = json_body::<SkipRequest>(&req)?.validate()?;
    let turn = skip(&state.backend.db, caller.as_ref(), input, &state.retry(key)).await?;
    let next = question_json(turn.next_question.as_ref());
    let progress = progress_json(turn.progress);
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "session_id": turn.session_id,
            "result": {
                "status": if turn.is_complete { "completed" } else { "in_progress" },
                "skipped_question": QuestionView::new(&turn.answered),
                "next_question": next,
                "is_complete": turn.is_complete,
                "progress": progress,
                "interviewer_response": turn.interviewer_response,
                "replayed": turn.replayed,
            },
            "is_complete": turn.is_complete,
            "next_question": next,
            "progress": progress,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, SessionId, UserId};
    use rehearse_session_store::Created;
    use rehearse_session_store::testing::{
        answer_with, conversational_session, for_session, replay_window_passed, with_body_field,
        with_header,
    };
    use rehearse_testkit::handlers::{self, auth_user, backend, backend_state, signed_in_as};
    use rehearse_testkit::{TestDatabase, TestStack, Via, event};
    use serde_json::{Value, json};

    use super::*;

    /// An instance whose replay window has always passed.
    fn later(database: &TestDatabase) -> State {
        replay_window_passed(backend(database))
    }

    async fn session(state: &State, owner: Option<&AuthUser>, n: u8) -> Created {
        let create = event("session-create-conversational", "anonymous");
        conversational_session(&state.backend.db, owner, create, n).await
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    fn skip_req(id: SessionId) -> Request {
        for_session(event("session-skip", "anonymous"), id)
    }

    async fn rows(database: &TestDatabase) -> Vec<(i32, bool, Option<String>, Option<f64>)> {
        database
            .client(Via::Direct)
            .await
            .query_typed(
                "SELECT question_number, is_skipped, answer_text, score::float8
                   FROM interview_answers ORDER BY question_number",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
    }

    #[tokio::test]
    async fn a_skip_is_stored_unscored_and_moves_on() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 3).await;
        let (status, body) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        let result = &body["result"];
        assert_eq!(result["status"], "in_progress");
        assert!(result["next_question"]["question"].is_string(), "{body}");
        assert_eq!(result["progress"], json!({"current": 2, "total": 3}));
        assert_eq!(
            result["skipped_question"]["id"],
            created.session.questions[0].id
        );
        assert!(result["interviewer_response"].is_string());
        assert_eq!(rows(&database).await, vec![(1, true, None, None)]);
        let skipped: i32 = database
            .client(Via::Direct)
            .await
            .query_typed_one("SELECT questions_skipped FROM interview_sessions", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(skipped, 1);
    }

    #[tokio::test]
    async fn skipping_the_last_question_completes_and_then_nothing_more_is_taken() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 2).await;
        answer_with(
            &state.backend.db,
            None,
            created.id,
            "I paired with the on-call engineer.",
        )
        .await;
        let (status, body) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["result"]["status"], "completed");
        assert_eq!(body["result"]["next_question"], Value::Null);
        assert_eq!(body["result"]["is_complete"], true);
        // A double click on the last skip sees the same result...
        let (status, again) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["result"]["replayed"], true);
        assert_eq!(again["result"]["status"], "completed");
        // ...a later skip finds nothing left to skip.
        let (status, body) = call(&later(&database), skip_req(created.id)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "session_completed");
        assert_eq!(rows(&database).await.len(), 2);
    }

    #[tokio::test]
    async fn a_double_clicked_skip_is_stored_once_and_a_later_one_skips_the_next_question() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 3).await;
        let (status, first) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let (status, mut again) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["result"]["replayed"], true);
        again["result"]["replayed"] = json!(false);
        assert_eq!(again, first, "a double click sees what the first click saw");
        assert_eq!(rows(&database).await.len(), 1);

        // Past the replay window the same request is a skip of the next question.
        let (status, body) = call(&later(&database), skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["result"]["replayed"], false);
        assert_eq!(
            body["result"]["skipped_question"]["id"],
            first["result"]["next_question"]["id"]
        );
        assert_eq!(
            body["result"]["progress"],
            json!({"current": 3, "total": 3})
        );
        assert_eq!(
            rows(&database).await,
            vec![(1, true, None, None), (2, true, None, None)]
        );
    }

    #[tokio::test]
    async fn a_skip_resent_under_its_idempotency_key_replays_however_late() {
        let database = TestStack::get().database().await;
        let state = later(&database);
        let created = session(&state, None, 3).await;
        let keyed = |key: &str| {
            with_header(
                for_session(event("session-skip", "idempotency-key"), created.id),
                "idempotency-key",
                key,
            )
        };
        let (status, first) = call(&state, keyed("skip-1")).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first["result"]["replayed"], false);
        let (status, second) = call(&state, keyed("skip-2")).await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_eq!(
            second["result"]["replayed"], false,
            "a new key is a new skip"
        );
        assert_eq!(second["result"]["progress"]["current"], 3);

        let (status, mut again) = call(&state, keyed("skip-1")).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["result"]["replayed"], true);
        again["result"]["replayed"] = json!(false);
        assert_eq!(again, first, "the first skip's own result, not the latest");
        // The key of a skip sent with an answer is a reused key.
        let input = rehearse_session_store::requests::AnswerInput {
            session_id: created.id,
            text: "Actually, I know this one.".into(),
            duration_seconds: None,
            question: None,
        };
        let retry = state.retry(Some(
            rehearse_session_store::requests::IdempotencyKey::parse("skip-1").unwrap(),
        ));
        let e = rehearse_session_store::answer(&state.backend.db, &state.llm, None, input, &retry)
            .await
            .unwrap_err();
        assert!(
            matches!(e, rehearse_session_store::SessionError::KeyReused),
            "{e:?}"
        );
        assert_eq!(rows(&database).await.len(), 2);

        // The sample event as it stands (its key is new to this session).
        let (status, body) = call(
            &state,
            for_session(event("session-skip", "idempotency-key"), created.id),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["result"]["status"], "completed");
        assert_eq!(rows(&database).await.len(), 3);
    }

    #[tokio::test]
    async fn an_invalid_idempotency_key_is_400_and_skips_nothing() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 3).await;
        for bad in ["", "two words", &"k".repeat(256)] {
            let req = with_header(skip_req(created.id), "idempotency-key", bad);
            let (status, body) = call(&state, req).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], "invalid_idempotency_key");
        }
        assert!(rows(&database).await.is_empty());
    }

    #[tokio::test]
    async fn a_skip_that_names_its_question_is_stored_once() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 3).await;
        let named = |n: usize| {
            with_body_field(
                skip_req(created.id),
                "question_id",
                json!(created.session.questions[n].id),
            )
        };
        let (status, first) = call(&state, named(0)).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let (status, again) = call(&state, named(0)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["result"]["replayed"], true);
        assert_eq!(
            again["result"]["next_question"],
            first["result"]["next_question"]
        );
        assert_eq!(rows(&database).await.len(), 1);

        // An answered question cannot be skipped after the fact.
        answer_with(
            &state.backend.db,
            None,
            created.id,
            "I wrote the design doc.",
        )
        .await;
        let (status, body) = call(&state, named(1)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "question_already_answered");
        // Without a question, a skip skips the current question.
        let (status, body) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["result"]["status"], "completed");
        assert_eq!(rows(&database).await.len(), 3);
    }

    #[tokio::test]
    async fn a_signed_in_session_is_skipped_by_its_owner_only() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), 3).await;
        let (status, body) = call(&state, skip_req(created.id)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let other = signed_in_as(skip_req(created.id), UserId::new_random());
        let (status, body) = call(&state, other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(rows(&database).await.is_empty());
        let (status, body) = call(
            &state,
            signed_in_as(
                for_session(event("session-skip", "signed-in"), created.id),
                ada,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(rows(&database).await.len(), 1);
    }
}
