use lambda_http::http::StatusCode;
use rehearse_http::{ApiError, Body, Request, Response, json_body, json_response, maybe_user};
use rehearse_session_store::answer;
use rehearse_session_store::requests::{AnswerRequest, IdempotencyKey};
use rehearse_session_store::view::answered_json;

pub type State = rehearse_session_store::SessionServices;

/// Score the answer to the current question, store it (once: a retry gets the
/// stored result again, see `rehearse_session_store::answer` and
/// docs/answers.md), and reply as an interviewer with the next question, which
/// may be a follow-up on a vague answer. Empty answers are refused (skip
/// instead); a finished session is 409 `session_completed`.
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
    json_response(StatusCode::OK, &answered_json(&turn))
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, SessionId, UserId};
    use rehearse_session_store::Created;
    use rehearse_session_store::testing::{
        answer_with, conversational_session, for_session, replay_window_passed, with_body_field,
        with_header,
    };
    use rehearse_testkit::handlers::{
        self, auth_user, backend, backend_state, column, signed_in_as,
    };
    use rehearse_testkit::{TestDatabase, TestStack, Via, event};
    use serde_json::{Value, json};

    use super::*;

    const FUNCTION: &str = "session-conversational-answer";

    /// An instance on `database` with no chat model.
    fn instance(database: &TestDatabase) -> State {
        State::from(backend(database))
    }

    /// An instance whose replay window has always passed.
    fn later(database: &TestDatabase) -> State {
        replay_window_passed(backend(database))
    }

    /// A conversational session of `n` questions (anonymous without `owner`).
    async fn session(state: &State, owner: Option<&AuthUser>, n: u8) -> Created {
        let create = event("session-create-conversational", "anonymous");
        conversational_session(&state.backend.db, owner, create, n).await
    }

    fn answer_req(id: SessionId, text: Option<&str>) -> Request {
        let req = for_session(event(FUNCTION, "anonymous"), id);
        match text {
            Some(t) => with_body_field(req, "answer_text", json!(t)),
            None => req,
        }
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    /// (question_number, answer_text) of every stored row, and the session's position.
    async fn stored(database: &TestDatabase, id: SessionId) -> (Vec<(i32, Option<String>)>, i32) {
        let client = database.client(Via::Direct).await;
        let rows = client
            .query_typed(
                "SELECT question_number, answer_text FROM interview_answers
                  WHERE session_id = $1 ORDER BY question_number",
                &[(id.as_uuid(), rehearse_db::Type::UUID)],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let index = client
            .query_typed_one(
                "SELECT current_question_index FROM interview_sessions WHERE id = $1",
                &[(id.as_uuid(), rehearse_db::Type::UUID)],
            )
            .await
            .unwrap()
            .get(0);
        (rows, index)
    }

    /// Concurrent copies of the first answer of `id`: every one succeeded with
    /// the same next question, one of them stored it and the rest replayed.
    async fn assert_stored_once(
        results: &[(StatusCode, Value)],
        database: &TestDatabase,
        id: SessionId,
    ) {
        let mut fresh = 0;
        for (status, body) in results {
            assert_eq!(*status, StatusCode::OK, "{body}");
            assert_eq!(body["question_number"], 1);
            assert_eq!(body["next_question"], results[0].1["next_question"]);
            if body["replayed"] == false {
                fresh += 1;
            }
        }
        assert_eq!(fresh, 1, "exactly one submission is the stored one");
        let (rows, index) = stored(database, id).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(index, 1);
    }

    fn event_answer() -> String {
        rehearse_session_store::testing::body_json(&event(FUNCTION, "anonymous"))["answer_text"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[tokio::test]
    async fn an_answer_is_scored_stored_and_moves_the_session_on() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        let (status, body) = call(&state, answer_req(created.id, None)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["replayed"], false);
        assert_eq!(body["question_number"], 1);
        assert_eq!(body["is_complete"], false);
        assert_eq!(body["progress"], json!({"current": 2, "total": 5}));
        assert!(body["next_question"]["question"].is_string(), "{body}");
        assert!(body["next_question"].get("keywords").is_none());
        let score = body["evaluation"]["score"].as_f64().unwrap();
        assert!((0.0..=10.0).contains(&score), "{body}");
        assert!(!body["interviewer_response"].as_str().unwrap().is_empty());

        let text = event_answer();
        let row = database
            .client(Via::Direct)
            .await
            .query_typed_one(
                "SELECT a.question_id, a.answer_text, a.is_skipped, a.word_count,
                        a.duration_seconds, a.score::float8, a.evaluation, a.interviewer_response,
                        s.questions_answered, s.current_question_index
                   FROM interview_answers a JOIN interview_sessions s ON s.id = a.session_id",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(
            row.get::<_, Option<String>>(0).as_deref(),
            Some(created.session.questions[0].id.as_str())
        );
        assert_eq!(row.get::<_, Option<String>>(1), Some(text.clone()));
        assert!(!row.get::<_, bool>(2));
        assert_eq!(row.get::<_, i32>(3), text.split_whitespace().count() as i32);
        assert_eq!(row.get::<_, Option<i32>>(4), Some(42));
        assert!((row.get::<_, f64>(5) - score).abs() < 0.006);
        assert_eq!(row.get::<_, Value>(6), body["evaluation"]);
        assert_eq!(
            row.get::<_, Option<String>>(7).as_deref(),
            body["interviewer_response"].as_str()
        );
        assert_eq!(row.get::<_, i32>(8), 1);
        assert_eq!(row.get::<_, i32>(9), 1);
    }

    /// The candidate's `answer_text` for session `id`, as the client sends it:
    /// no `question_id`, optionally an `Idempotency-Key`.
    fn keyed(id: SessionId, text: &str, key: &str) -> Request {
        with_header(answer_req(id, Some(text)), "idempotency-key", key)
    }

    #[tokio::test]
    async fn a_retried_answer_is_stored_once_and_gets_the_same_result() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        let (status, first) = call(&state, answer_req(created.id, None)).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let (status, mut again) = call(&state, answer_req(created.id, None)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["replayed"], true);
        again["replayed"] = json!(false);
        assert_eq!(again, first, "a retry must see what the first call saw");
        let (rows, index) = stored(&database, created.id).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(index, 1);
    }

    #[tokio::test]
    async fn concurrent_copies_of_one_answer_are_stored_once() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        // Separate pools: separate Lambda instances racing for the same question.
        let states: Vec<State> = (0..4).map(|_| instance(&database)).collect();
        let calls = (0..12).map(|i| call(&states[i % states.len()], answer_req(created.id, None)));
        let results = futures_util::future::join_all(calls).await;
        for (_, body) in &results {
            assert_eq!(body["progress"], json!({"current": 2, "total": 5}));
        }
        assert_stored_once(&results, &database, created.id).await;
    }

    #[tokio::test]
    async fn naming_the_question_makes_a_retry_exact() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        let first_id = created.session.questions[0].id.clone();
        let named = |text: &str, question: &str| {
            with_body_field(
                with_body_field(
                    for_session(event(FUNCTION, "with-question-id"), created.id),
                    "question_id",
                    json!(question),
                ),
                "answer_text",
                json!(text),
            )
        };
        let (status, body) = call(&state, named("I designed the schema.", &first_id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = call(&state, named("I designed the schema.", &first_id)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["replayed"], true);
        let (status, body) = call(&state, named("Something else entirely.", &first_id)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "question_already_answered");
        // Later questions as the session now plans them (a follow-up may have moved them).
        let now = rehearse_session_store::state(&state.backend.db, None, created.id)
            .await
            .unwrap();
        let later = now.session.questions[3].id.clone();
        let (status, body) = call(&state, named("Too early.", &later)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "not_current_question");
        let (status, body) = call(&state, named("Unknown.", "no-such-question")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "unknown_question");
        let (rows, index) = stored(&database, created.id).await;
        assert_eq!(rows, vec![(1, Some("I designed the schema.".to_owned()))]);
        assert_eq!(index, 1);
    }

    /// The trap: "I don't know." to question 2 and again to question 3
    /// used to replay question 2 forever, signed in or not.
    #[tokio::test]
    async fn the_same_answer_to_the_next_question_moves_the_interview_on() {
        let database = TestStack::get().database().await;
        let state = later(&database);
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        for signed_in in [false, true] {
            let created = session(&state, signed_in.then_some(&owner), 5).await;
            let send = |text: &str| {
                let req = answer_req(created.id, Some(text));
                if signed_in {
                    signed_in_as(req, ada)
                } else {
                    req
                }
            };
            let (status, body) = call(&state, send("I led the ledger migration.")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let mut asked = vec![body["next_question"]["id"].clone()];
            for n in 2..=4 {
                let (status, body) = call(&state, send("I don't know.")).await;
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "signed in {signed_in}, q{n}: {body}"
                );
                assert_eq!(body["replayed"], false, "signed in {signed_in}, q{n}");
                assert_eq!(body["question_number"], n);
                assert_eq!(body["progress"]["current"], n + 1);
                assert_ne!(Some(&body["next_question"]["id"]), asked.last());
                asked.push(body["next_question"]["id"].clone());
            }
            let (rows, index) = stored(&database, created.id).await;
            let dont_know = Some("I don't know.".to_owned());
            assert_eq!(
                rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
                vec![
                    Some("I led the ledger migration.".to_owned()),
                    dont_know.clone(),
                    dont_know.clone(),
                    dont_know
                ]
            );
            assert_eq!(index, 4);
        }
    }

    #[tokio::test]
    async fn an_identical_answer_within_the_replay_window_replays_and_after_it_moves_on() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        let (status, first) = call(&state, answer_req(created.id, Some("I don't know."))).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        // A double click or a resent request, seconds later: the same result.
        let (status, mut again) = call(&state, answer_req(created.id, Some("I don't know."))).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["replayed"], true);
        again["replayed"] = json!(false);
        assert_eq!(again, first);
        assert_eq!(stored(&database, created.id).await.0.len(), 1);
        // The same words once the window has passed answer the next question.
        let (status, body) = call(
            &later(&database),
            answer_req(created.id, Some("I don't know.")),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["replayed"], false);
        assert_eq!(body["question_number"], 2);
        assert_eq!(
            stored(&database, created.id).await,
            (
                vec![
                    (1, Some("I don't know.".to_owned())),
                    (2, Some("I don't know.".to_owned())),
                ],
                2
            )
        );
    }

    #[tokio::test]
    async fn a_retry_naming_its_question_replays_however_late() {
        let database = TestStack::get().database().await;
        let state = later(&database);
        let created = session(&state, None, 5).await;
        let first_id = created.session.questions[0].id.clone();
        let named = with_body_field(
            answer_req(created.id, Some("I don't know.")),
            "question_id",
            json!(first_id),
        );
        let (status, first) = call(&state, named.clone()).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        // The same words without a question: question 2's answer.
        let (status, second) = call(&state, answer_req(created.id, Some("I don't know."))).await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_eq!(second["question_number"], 2);
        assert_eq!(second["replayed"], false);
        // Naming question 1 again is a retry of question 1, window or not.
        let (status, mut again) = call(&state, named).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["replayed"], true);
        again["replayed"] = json!(false);
        assert_eq!(again, first, "question 1's own result");
        let (status, body) = call(
            &state,
            with_body_field(
                answer_req(created.id, Some("Now I remember.")),
                "question_number",
                json!(1),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "question_already_answered");
        assert_eq!(stored(&database, created.id).await.1, 2);
    }

    #[tokio::test]
    async fn an_idempotency_key_replays_its_own_answer_however_late() {
        let database = TestStack::get().database().await;
        let state = later(&database);
        let created = session(&state, None, 5).await;
        let (status, first) = call(&state, keyed(created.id, "I don't know.", "key-1")).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        // The same text under a new key is a new answer, to question 2.
        let (status, second) = call(&state, keyed(created.id, "I don't know.", "key-2")).await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_eq!(second["replayed"], false);
        assert_eq!(second["question_number"], 2);

        // Each key replays its own submission, after the window and with text
        // that is also another question's answer.
        for (key, want) in [("key-1", &first), ("key-2", &second)] {
            let (status, mut again) = call(&state, keyed(created.id, "I don't know.", key)).await;
            assert_eq!(status, StatusCode::OK, "{key}: {again}");
            assert_eq!(again["replayed"], true, "{key}");
            again["replayed"] = json!(false);
            assert_eq!(&again, want, "{key}");
        }
        // A key sent again with another answer is refused, not stored.
        let (status, body) = call(&state, keyed(created.id, "Something else.", "key-1")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "idempotency_key_reused");
        assert!(body["detail"].as_str().unwrap().contains("Idempotency-Key"));
        // So is one that names another question than the one it answered.
        let (status, body) = call(
            &state,
            with_body_field(
                keyed(created.id, "I don't know.", "key-1"),
                "question_number",
                json!(2),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "idempotency_key_reused");

        // The sample event, with its own key: a third answer, then its replay.
        let sample = || for_session(event(FUNCTION, "idempotency-key"), created.id);
        let (status, third) = call(&state, sample()).await;
        assert_eq!(status, StatusCode::OK, "{third}");
        assert_eq!(
            (third["question_number"].clone(), third["replayed"].clone()),
            (json!(3), json!(false))
        );
        let (status, again) = call(&state, sample()).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["replayed"], true);
        assert_eq!(again["question_number"], 3);
        let (rows, index) = stored(&database, created.id).await;
        assert_eq!(rows.len(), 3);
        assert_eq!(index, 3);
    }

    #[tokio::test]
    async fn concurrent_copies_under_one_idempotency_key_are_stored_once() {
        let database = TestStack::get().database().await;
        let created = session(&instance(&database), None, 5).await;
        // Separate instances with no replay window: only the key and the
        // compare-and-set can keep these to one answer.
        let states: Vec<State> = (0..4).map(|_| later(&database)).collect();
        let calls = (0..12).map(|i| {
            call(
                &states[i % states.len()],
                keyed(created.id, "I don't know.", "double-submit"),
            )
        });
        let results = futures_util::future::join_all(calls).await;
        assert_stored_once(&results, &database, created.id).await;
    }

    /// The React client sends no `question_id` and no key, and reads
    /// `is_complete`, `next_question` and `progress`; a candidate who answers two
    /// questions in a row with the same words still reaches the end.
    #[tokio::test]
    async fn the_react_client_finishes_an_interview_with_the_same_answer_twice_in_a_row() {
        let database = TestStack::get().database().await;
        let state = later(&database);
        let created = session(&state, None, 4).await;
        let texts = [
            "I moved our ledger to Rust: p99 fell from 400 ms to 35 ms.",
            "I don't know.",
            "I don't know.",
            "I would add a queue and measure again.",
        ];
        let mut current = 1;
        let mut turns = 0;
        loop {
            let text = texts[turns.min(texts.len() - 1)];
            let (status, body) = call(&state, answer_req(created.id, Some(text))).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["success"], true);
            assert_eq!(body["replayed"], false, "turn {turns}: {body}");
            assert!(!body["interviewer_response"].as_str().unwrap().is_empty());
            turns += 1;
            if body["is_complete"] == true {
                assert_eq!(body["next_question"], Value::Null);
                break;
            }
            assert!(body["next_question"]["question"].is_string(), "{body}");
            assert_eq!(body["progress"]["current"], current + 1, "{body}");
            current += 1;
            assert!(turns < 20, "the interview never ends");
        }
        let (rows, index) = stored(&database, created.id).await;
        assert_eq!(rows.len(), turns);
        assert_eq!(usize::try_from(index).unwrap(), turns);
        let summary = rehearse_session_store::finalize(&state.backend.db, None, created.id)
            .await
            .unwrap();
        assert_eq!(summary.summary["questions_answered"], turns);
    }

    #[tokio::test]
    async fn an_answer_to_a_finished_session_is_409_but_a_retry_of_the_last_is_not() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 2).await;
        let (status, _) = call(&state, answer_req(created.id, Some("First, I measured."))).await;
        assert_eq!(status, StatusCode::OK);
        let (status, last) = call(&state, answer_req(created.id, Some("Then I fixed it."))).await;
        assert_eq!(status, StatusCode::OK, "{last}");
        assert_eq!(last["is_complete"], true);
        assert_eq!(last["next_question"], Value::Null);
        assert_eq!(last["progress"], json!({"current": 2, "total": 2}));

        let (status, body) = call(&state, answer_req(created.id, Some("One more thing."))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["success"], false);
        assert_eq!(body["error"]["code"], "session_completed");
        let (status, body) = call(&state, answer_req(created.id, Some("Then I fixed it."))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["replayed"], true);
        assert_eq!(body["is_complete"], true);
        let (rows, index) = stored(&database, created.id).await;
        assert_eq!(rows.len(), 2);
        assert_eq!(index, 2);
    }

    #[tokio::test]
    async fn invalid_answers_are_4xx_and_write_nothing() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        for (case, status, code) in [
            (
                "empty-answer",
                StatusCode::UNPROCESSABLE_ENTITY,
                "empty_answer",
            ),
            (
                "too-long-answer",
                StatusCode::UNPROCESSABLE_ENTITY,
                "answer_too_long",
            ),
            (
                "missing-session-id",
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
            ),
        ] {
            let (got, body) = call(&state, for_session(event(FUNCTION, case), created.id)).await;
            assert_eq!(got, status, "{case}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], code, "{case}");
            assert!(!body["detail"].as_str().unwrap().is_empty());
        }
        let (status, body) = call(&state, answer_req(SessionId::new_random(), None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        // (Non-ASCII keys are refused too: see the client module's tests.)
        for bad in ["", "two words", &"k".repeat(256)] {
            let req = with_header(answer_req(created.id, None), "idempotency-key", bad);
            let (status, body) = call(&state, req).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {body}");
            assert_eq!(body["error"]["code"], "invalid_idempotency_key");
        }
        let (rows, index) = stored(&database, created.id).await;
        assert!(rows.is_empty());
        assert_eq!(index, 0);
    }

    #[tokio::test]
    async fn a_signed_in_session_needs_its_owners_token() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), 5).await;

        let (status, body) = call(&state, answer_req(created.id, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "auth_required");
        let other = signed_in_as(answer_req(created.id, None), UserId::new_random());
        let (status, body) = call(&state, other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(stored(&database, created.id).await.0.len(), 0);

        let own = signed_in_as(answer_req(created.id, None), ada);
        let (status, body) = call(&state, own).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let owners: Vec<Option<uuid::Uuid>> =
            column(&database, "SELECT user_id FROM interview_answers").await;
        assert_eq!(owners, vec![Some(*ada.as_uuid())]);
    }

    #[tokio::test]
    async fn an_anonymous_session_answers_with_or_without_a_token_and_stays_anonymous() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 5).await;
        let req = signed_in_as(
            answer_req(created.id, Some("With a token.")),
            UserId::new_random(),
        );
        let (status, body) = call(&state, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = call(&state, answer_req(created.id, Some("Without one."))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let owners: i64 = database
            .client(Via::Direct)
            .await
            .query_typed_one(
                "SELECT count(*) FROM interview_sessions WHERE user_id IS NOT NULL",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(owners, 0, "answering does not claim a session");
        assert_eq!(stored(&database, created.id).await.1, 2);
    }

    #[tokio::test]
    async fn a_cold_restart_mid_interview_loses_nothing() {
        let database = TestStack::get().database().await;
        let (id, planned) = {
            let before = instance(&database);
            let created = session(&before, None, 5).await;
            for text in ["I started with tracing.", "We sharded by tenant."] {
                let (status, body) = call(&before, answer_req(created.id, Some(text))).await;
                assert_eq!(status, StatusCode::OK, "{body}");
            }
            (created.id, created.session.questions.len())
            // `before` (its pool and everything in it) is dropped here.
        };
        let after = instance(&database);
        let (status, body) = call(&after, answer_req(id, Some("Then I wrote the runbook."))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["question_number"], 3);
        assert_eq!(body["progress"], json!({"current": 4, "total": planned}));
        let (rows, index) = stored(&database, id).await;
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(index, 3);
        // The store sees the same thing a fresh instance would.
        let next = answer_with(&after.backend.db, None, id, "And I automated it.").await;
        assert_eq!(next.question_number, 4);
    }

    mod with_a_model {
        use std::time::{Duration, Instant};

        use rehearse_llm::LlmConfig;
        use rehearse_session_store::requests::CreateSessionRequest;
        use rehearse_session_store::testing::body_json;
        use rehearse_session_store::{Llm, SessionMode};
        use rehearse_testkit::provider::{FakeProvider, Scripted, chat_completion};

        use super::*;

        const KEY: &str = "sk-session-SECRET-19";

        fn model(provider: &FakeProvider, timeout_ms: u64) -> Llm {
            Llm::new(LlmConfig {
                base_url: provider.base_url.clone(),
                api_key: KEY.into(),
                model: "test-model".into(),
                timeout: Duration::from_millis(timeout_ms),
            })
            .unwrap()
        }

        async fn create(state: &State, n: u8) -> Created {
            let req = with_body_field(
                event("session-create-conversational", "anonymous"),
                "num_questions",
                json!(n),
            );
            let plan = serde_json::from_value::<CreateSessionRequest>(body_json(&req))
                .unwrap()
                .validate()
                .unwrap();
            rehearse_session_store::create(
                &state.backend.db,
                &state.llm,
                None,
                plan,
                SessionMode::Conversational,
            )
            .await
            .unwrap()
        }

        #[tokio::test]
        async fn its_wording_feedback_and_reply_are_stored_and_replayed() {
            let provider = FakeProvider::start().await;
            let database = TestStack::get().database().await;
            let mut state = instance(&database);
            state.llm = model(&provider, 2_000);
            let reworded: Vec<Value> = (1..=3)
                .map(|i| json!({"id": format!("q{i}"), "question": format!("Reworded question number {i}?")}))
                .collect();
            provider.script_chat([Scripted::Json(
                200,
                chat_completion(&json!({ "questions": reworded }).to_string()),
            )]);
            let created = create(&state, 3).await;
            assert_eq!(
                created.session.questions[0].text,
                "Reworded question number 1?"
            );

            // Feedback and reply are asked for at once, in either order: one
            // reply that satisfies both.
            let both = json!({
                "score": 9.4,
                "dimensions": {"relevance": 9, "depth": 9, "structure": 9, "specificity": 10, "communication": 9},
                "evidence": ["I profiled it"],
                "feedback": "You said \"p99 fell\": concrete and measurable.",
                "strengths": ["Measured outcome"],
                "improvements": ["Explain the trade-offs"],
                "reply": "Thanks, that ledger migration story was concrete.",
            })
            .to_string();
            provider.script_chat([
                Scripted::Json(200, chat_completion(&both)),
                Scripted::Json(200, chat_completion(&both)),
            ]);
            let (status, body) = call(&state, answer_req(created.id, None)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(
                body["interviewer_response"],
                "Thanks, that ledger migration story was concrete."
            );
            assert_eq!(
                body["evaluation"]["feedback"],
                "You said \"p99 fell\": concrete and measurable."
            );
            assert_eq!(
                body["evaluation"]["improvements"],
                json!(["Explain the trade-offs"])
            );
            // The model judged it: its score stands, with the quote it relied on.
            assert_eq!(body["evaluation"]["scored_by"], "llm");
            assert_eq!(body["evaluation"]["score"], 9.4);
            assert_eq!(body["evaluation"]["evidence"], json!(["I profiled it"]));
            assert_eq!(provider.requests().len(), 3);
            for r in provider.requests() {
                assert_eq!(r.authorization.as_deref(), Some(&*format!("Bearer {KEY}")));
            }
            assert!(!body.to_string().contains(KEY));

            // A cold start (no model at all) sees the stored wording and result.
            let cold = instance(&database);
            let (status, mut again) = call(&cold, answer_req(created.id, None)).await;
            assert_eq!(status, StatusCode::OK, "{again}");
            assert_eq!(again["replayed"], true);
            again["replayed"] = json!(false);
            assert_eq!(again, body);
            assert_eq!(
                provider.requests().len(),
                3,
                "a replay asks the model nothing"
            );
            let questions: Value = database
                .client(Via::Direct)
                .await
                .query_typed_one(
                    "SELECT questions FROM interview_sessions WHERE id = $1",
                    &[(created.id.as_uuid(), rehearse_db::Type::UUID)],
                )
                .await
                .unwrap()
                .get(0);
            assert_eq!(questions[2]["question"], "Reworded question number 3?");
        }

        #[tokio::test]
        async fn a_hanging_or_failing_model_still_answers_quickly_with_the_engines_output() {
            let provider = FakeProvider::start().await;
            let database = TestStack::get().database().await;
            let mut state = instance(&database);
            state.llm = model(&provider, 300);
            provider.script_chat([
                Scripted::Json(500, "{}".into()),
                Scripted::Json(500, "{}".into()),
            ]);
            let created = create(&state, 3).await;
            let plain = rehearse_interview_free_plan(&created);
            assert!(plain, "the engine's questions are kept");

            provider.script_chat([Scripted::Hang, Scripted::Hang]);
            let started = Instant::now();
            let (status, body) = call(&state, answer_req(created.id, None)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{:?}",
                started.elapsed()
            );
            assert!(!body["interviewer_response"].as_str().unwrap().is_empty());
            assert!(body["evaluation"]["score"].is_number());
        }

        /// No question carries the fake's wording.
        fn rehearse_interview_free_plan(created: &Created) -> bool {
            created
                .session
                .questions
                .iter()
                .all(|q| !q.text.starts_with("Reworded"))
        }
    }
}
