use lambda_http::http::StatusCode;
use rehearse_http::{ApiError, Body, Request, Response, json_body, json_response, maybe_user};
use rehearse_session_store::answer;
use rehearse_session_store::requests::{AnswerRequest, IdempotencyKey};
use rehearse_session_store::view::answered_json;

pub type State = rehearse_session_store::SessionServices;

/// Answer the current question of a standard session: the same scoring and the
/// same exactly-once storage as the conversational route (`question_id` from the
/// question list, or an `Idempotency-Key` header, makes a retry exact; see
/// docs/answers.md). Either route accepts either mode.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = maybe_user(&state.backend.auth, &req).await?;
    let key = IdempotencyKey::from_request(&req)?;
    let input = json_body::<AnswerRequest>(&req)?.validate()?;
    let turn = answer(
        &state.backend.db,
        &state.llm,
        caller.as_ref(),
        input,
        &state.retry(key),
    )
    .await?;
    let mut body = answered_json(&turn);
    // The standard client matches the reply to the question it answered.
    body["question_id"] = serde_json::json!(turn.answered.id);
    json_response(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use rehearse_core::SessionId;
    use rehearse_session_store::testing::{
        create_from, for_session, replay_window_passed, with_body_field, with_header,
    };
    use rehearse_session_store::{Created, SessionMode};
    use rehearse_testkit::handlers::{self, backend, backend_state};
    use rehearse_testkit::{TestDatabase, TestStack, Via, event};
    use serde_json::{Value, json};

    use super::*;

    async fn standard(state: &State) -> Created {
        let create = event("session-create", "anonymous");
        create_from(&state.backend.db, None, &create, SessionMode::Standard).await
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    /// The standard client's answer: the question it answers, by id.
    fn answer_req(created: &Created, n: usize, text: &str) -> Request {
        let req = for_session(event("session-answer", "anonymous"), created.id);
        let req = with_body_field(req, "question_id", json!(created.session.questions[n].id));
        with_body_field(req, "answer_text", json!(text))
    }

    async fn answers(database: &TestDatabase, id: SessionId) -> i64 {
        database
            .client(Via::Direct)
            .await
            .query_typed_one(
                "SELECT count(*) FROM interview_answers WHERE session_id = $1",
                &[(id.as_uuid(), rehearse_db::Type::UUID)],
            )
            .await
            .unwrap()
            .get(0)
    }

    #[tokio::test]
    async fn a_standard_answer_is_scored_and_stored_once() {
        let (state, database) = backend_state::<State>().await;
        let created = standard(&state).await;
        let (status, first) = call(&state, answer_req(&created, 0, "I would use a queue.")).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first["success"], true);
        assert_eq!(first["question_id"], created.session.questions[0].id);
        assert!(first["evaluation"]["score"].is_number(), "{first}");
        assert_eq!(first["is_complete"], false);
        assert_eq!(first["progress"], json!({"current": 2, "total": 5}));
        assert!(first["next_question"]["id"].is_string());

        let (status, mut again) =
            call(&state, answer_req(&created, 0, "I would use a queue.")).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["replayed"], true);
        again["replayed"] = json!(false);
        assert_eq!(again, first);
        assert_eq!(answers(&database, created.id).await, 1);

        let (status, body) = call(&state, answer_req(&created, 1, "Then shard it.")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["progress"]["current"], 3);
        assert_eq!(answers(&database, created.id).await, 2);
    }

    #[tokio::test]
    async fn without_question_ids_the_same_answer_twice_is_two_answers_and_a_key_replays() {
        let database = TestStack::get().database().await;
        // Every request "later" than the one before: no replay window.
        let state = replay_window_passed(backend(&database));
        let created = standard(&state).await;
        let bare = |text: &str| {
            with_body_field(
                for_session(event("session-answer", "anonymous"), created.id),
                "answer_text",
                json!(text),
            )
        };
        let (status, first) = call(&state, bare("I don't know.")).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let (status, second) = call(&state, bare("I don't know.")).await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_eq!(second["replayed"], false);
        assert_eq!(second["question_id"], created.session.questions[1].id);
        assert_eq!(second["progress"], json!({"current": 3, "total": 5}));

        let sample = || for_session(event("session-answer", "idempotency-key"), created.id);
        let (status, third) = call(&state, sample()).await;
        assert_eq!(status, StatusCode::OK, "{third}");
        assert_eq!(third["question_id"], created.session.questions[2].id);
        let (status, mut again) = call(&state, sample()).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["replayed"], true);
        again["replayed"] = json!(false);
        assert_eq!(again, third);
        let reused = with_body_field(sample(), "answer_text", json!("Another answer."));
        let (status, body) = call(&state, reused).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "idempotency_key_reused");
        let bad = with_header(sample(), "idempotency-key", "not a key");
        let (status, body) = call(&state, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_idempotency_key");
        assert_eq!(answers(&database, created.id).await, 3);
    }

    #[tokio::test]
    async fn bad_answers_are_422_and_write_nothing() {
        let (state, database) = backend_state::<State>().await;
        let created = standard(&state).await;
        for (text, code) in [
            (String::new(), "empty_answer"),
            ("x".repeat(10_001), "answer_too_long"),
        ] {
            let (status, body) = call(&state, answer_req(&created, 0, &text)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(body["error"]["code"], code);
        }
        let (status, body) = call(&state, answer_req(&created, 0, &"x".repeat(10_000))).await;
        assert_eq!(status, StatusCode::OK, "exactly the limit is fine: {body}");
        assert_eq!(answers(&database, created.id).await, 1);
    }
}
