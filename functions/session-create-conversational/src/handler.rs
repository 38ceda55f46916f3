use lambda_http::http::StatusCode;
use rehearse_core::AuthUser;
use rehearse_http::{ApiError, Body, Bucket, Request, Response, json_body, json_response};
use rehearse_session_store::requests::CreateSessionRequest;
use rehearse_session_store::view::created_json;
use rehearse_session_store::{SessionMode, create};

pub type State = rehearse_session_store::SessionServices;

/// Start a conversational interview: plan the questions from the resume
/// (`resume_data`, or the caller's stored `resume_id`) and the job context, store
/// the session, then return the opening question. Signed in, the session is the
/// caller's; anonymous, it is reachable by its id alone. A `user_id` in the body
/// is ignored.
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
        SessionMode::Conversational,
    )
    .await?;
    json_response(StatusCode::OK, &created_json(&created))
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_session_store::testing::{stored_resume, with_body_field};
    use rehearse_testkit::handlers::{
        self, assert_hostile_tokens_refused, auth_user, backend_state_with_jwks, column, count,
        signed_in_as, verifier,
    };
    use rehearse_testkit::tokens::token_for;
    use rehearse_testkit::{TestStack, Via, event, from_address, status_and_json};
    use serde_json::{Value, json};

    use super::*;

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    fn signed_in(case: &str, user: UserId) -> Request {
        signed_in_as(event("session-create-conversational", case), user)
    }

    /// A resume stored for `user`, as the upload route would store it.
    async fn seed_resume(state: &State, user: UserId) -> rehearse_core::ResumeId {
        let parsed = json!({"name": "Grace Hopper", "skills": ["COBOL", "Compilers"],
            "experience": [{"title": "Rear Admiral", "company": "US Navy"}]});
        let skills = vec!["COBOL".to_owned()];
        let owner = auth_user(user).await;
        stored_resume(&state.backend.db, &owner, "grace.pdf", &parsed, &skills).await
    }

    /// Many requests from the events' one address, for a test that is not about quotas.
    fn lift_the_quota(state: &mut State) {
        state.quotas = rehearse_http::Quotas::default().with_limit(Bucket::Interview, 1000, 1000);
    }

    fn assert_question(q: &Value) {
        for key in ["id", "question", "category", "difficulty"] {
            assert!(q.get(key).is_some_and(|v| !v.is_null()), "{key} in {q}");
        }
        assert!(q.get("keywords").is_none(), "the answer key leaked: {q}");
    }

    #[tokio::test]
    async fn an_anonymous_session_is_stored_before_the_first_question_is_returned() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let (status, body) =
            call(&state, event("session-create-conversational", "anonymous")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["saved_to_database"], false);
        assert_eq!(body["total_questions"], 5);
        assert_eq!(body["progress"], json!({"current": 1, "total": 5}));
        assert_eq!(body["opening_question"], body["current_question"]);
        assert_question(&body["opening_question"]);
        let id: uuid::Uuid = body["session_id"].as_str().unwrap().parse().unwrap();

        let row = database
            .client(Via::Direct)
            .await
            .query_typed_one(
                "SELECT user_id, mode, status, jsonb_array_length(questions), total_questions,
                        current_question_index, engine_state, resume_snapshot ->> 'name',
                        target_role, experience_level, interview_type, company
                   FROM interview_sessions WHERE id = $1",
                &[(&id, rehearse_db::Type::UUID)],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, Option<uuid::Uuid>>(0), None);
        assert_eq!(row.get::<_, &str>(1), "conversational");
        assert_eq!(row.get::<_, &str>(2), "in_progress");
        assert_eq!(row.get::<_, i32>(3), 5);
        assert_eq!(row.get::<_, i32>(4), 5);
        assert_eq!(row.get::<_, i32>(5), 0);
        let engine: Value = row.get(6);
        assert!(
            engine["seed"].as_str().unwrap().parse::<u64>().is_ok(),
            "{engine}"
        );
        assert_eq!(row.get::<_, &str>(7), "Ada Lovelace");
        assert_eq!(row.get::<_, &str>(8), "Backend Engineer");
        assert_eq!(row.get::<_, &str>(9), "mid");
        assert_eq!(row.get::<_, &str>(10), "technical");
        assert_eq!(row.get::<_, &str>(11), "Acme");
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_answers").await,
            0
        );
    }

    #[tokio::test]
    async fn a_signed_in_session_is_the_callers_and_a_body_user_id_is_ignored() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let user = UserId::new_random();
        let (status, body) = call(&state, signed_in("signed-in", user)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["saved_to_database"], true);
        let owners: Vec<Option<uuid::Uuid>> =
            column(&database, "SELECT user_id FROM interview_sessions").await;
        assert_eq!(owners, vec![Some(*user.as_uuid())]);
        assert_eq!(
            count(&database, "SELECT count(*) FROM user_profiles").await,
            1
        );
    }

    #[tokio::test]
    async fn without_a_count_the_interview_has_ten_questions() {
        let (state, _database) = backend_state_with_jwks::<State>().await;
        let (status, body) = call(
            &state,
            event("session-create-conversational", "default-count"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total_questions"], 10);
        assert_eq!(body["progress"]["total"], 10);
    }

    #[tokio::test]
    async fn every_count_from_1_to_20_is_exact() {
        let (mut state, _database) = backend_state_with_jwks::<State>().await;
        lift_the_quota(&mut state);
        for n in 1..=20 {
            let req = with_body_field(
                event("session-create-conversational", "anonymous"),
                "num_questions",
                json!(n),
            );
            let (status, body) = call(&state, req).await;
            assert_eq!(status, StatusCode::OK, "{n}: {body}");
            assert_eq!(body["total_questions"], n, "{body}");
        }
    }

    #[tokio::test]
    async fn a_stored_resume_must_be_the_callers_and_needs_a_token() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let grace = UserId::new_random();
        let resume = seed_resume(&state, grace).await;
        let for_resume = |req: Request| with_body_field(req, "resume_id", json!(resume));

        let (status, body) = call(&state, for_resume(signed_in("resume-id", grace))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let stored: Vec<(Option<uuid::Uuid>, Option<String>)> = database
            .client(Via::Direct)
            .await
            .query_typed(
                "SELECT resume_id, resume_snapshot ->> 'name' FROM interview_sessions",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert_eq!(
            stored,
            vec![(Some(*resume.as_uuid()), Some("Grace Hopper".to_owned()))]
        );

        let mallory = UserId::new_random();
        let (status, body) = call(&state, for_resume(signed_in("resume-id", mallory))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = call(
            &state,
            for_resume(event(
                "session-create-conversational",
                "resume-id-anonymous",
            )),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "auth_required");
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            1
        );
    }

    #[tokio::test]
    async fn a_focus_gives_at_least_half_its_questions_to_the_focused_category() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let user = UserId::new_random();
        let (status, body) = call(&state, signed_in("focused", user)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total_questions"], 10);
        // The stored plan, which every later request reads.
        let categories: Vec<Value> = column(
            &database,
            "SELECT jsonb_array_elements(questions)->'category' FROM interview_sessions",
        )
        .await;
        let behavioral = categories.iter().filter(|c| *c == "behavioral").count();
        assert_eq!(categories.len(), 10);
        assert!(2 * behavioral >= categories.len(), "{categories:?}");
    }

    #[tokio::test]
    async fn invalid_requests_are_4xx_json_and_write_nothing() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        for (case, status, code, mentions) in [
            (
                "zero-questions",
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "num_questions",
            ),
            (
                "too-many-questions",
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "num_questions",
            ),
            (
                "bad-level",
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "experience_level",
            ),
            ("not-json", StatusCode::BAD_REQUEST, "invalid_json", "JSON"),
            (
                "bad-focus",
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "focus",
            ),
        ] {
            let (got, body) = call(&state, event("session-create-conversational", case)).await;
            assert_eq!(got, status, "{case}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], code, "{case}");
            assert!(
                body["detail"].as_str().unwrap().contains(mentions),
                "{case}: {body}"
            );
        }
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            0
        );
    }

    #[tokio::test]
    async fn an_invalid_token_is_401_not_an_anonymous_session() {
        let (mut state, database) = backend_state_with_jwks::<State>().await;
        lift_the_quota(&mut state);
        let request = || event("session-create-conversational", "signed-in");
        assert_hostile_tokens_refused(handler, &state, request).await;
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            0
        );
    }

    /// The quota headers of a response: (limit, remaining), as numbers.
    fn quota_headers(resp: &Response<Body>) -> Option<(u32, u32)> {
        let read = |name: &str| resp.headers().get(name)?.to_str().ok()?.parse().ok();
        Some((read("x-ratelimit-limit")?, read("x-ratelimit-remaining")?))
    }

    #[tokio::test]
    async fn an_address_is_limited_to_its_budget_and_a_user_to_their_own() {
        let (mut state, database) = backend_state_with_jwks::<State>().await;
        state.quotas =
            rehearse_http::Quotas::default().with_limit(rehearse_http::Bucket::Interview, 2, 3);
        let from = |ip: &str| from_address(event("session-create-conversational", "anonymous"), ip);
        for remaining in [1, 0] {
            let resp = rehearse_http::respond(handler(&state, from("203.0.113.10")).await);
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(quota_headers(&resp), Some((2, remaining)));
        }
        // Over: refused before any work, with when to come back.
        let resp = rehearse_http::respond(handler(&state, from("203.0.113.10")).await);
        let (status, body) = status_and_json(&resp);
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["error"]["code"], "rate_limited");
        assert_eq!(quota_headers(&resp), Some((2, 0)));
        let retry: u64 = resp.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3600).contains(&retry), "{retry}");
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_sessions").await,
            2
        );
        // A mistake counts too, and its answer carries the headers as well.
        let bad = from_address(
            event("session-create-conversational", "not-json"),
            "203.0.113.10",
        );
        let resp = rehearse_http::respond(handler(&state, bad).await);
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);

        // Another address has its own budget.
        let resp = rehearse_http::respond(handler(&state, from("198.51.100.23")).await);
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(quota_headers(&resp), Some((2, 1)));
        let bad = from_address(
            event("session-create-conversational", "not-json"),
            "198.51.100.23",
        );
        let resp = rehearse_http::respond(handler(&state, bad).await);
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        assert_eq!(quota_headers(&resp), Some((2, 0)));

        // A signed-in user on the spent address is counted as themself.
        let user = UserId::new_random();
        for remaining in [2, 1, 0] {
            let req = from_address(signed_in("signed-in", user), "203.0.113.10");
            let resp = rehearse_http::respond(handler(&state, req).await);
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(quota_headers(&resp), Some((3, remaining)));
        }
        let req = from_address(signed_in("signed-in", user), "203.0.113.10");
        let resp = rehearse_http::respond(handler(&state, req).await);
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);

        // Loopback (the local emulator's every caller) is never limited, not
        // even a user whose own budget is spent.
        for _ in 0..4 {
            let resp = rehearse_http::respond(handler(&state, from("127.0.0.1")).await);
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(quota_headers(&resp), None);
            let req = from_address(signed_in("signed-in", user), "127.0.0.1");
            let resp = rehearse_http::respond(handler(&state, req).await);
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(quota_headers(&resp), None);
        }
    }

    #[tokio::test]
    async fn a_request_leaves_no_token_anonymous_session_id_or_resume_in_the_logs() {
        let (state, _database) = backend_state_with_jwks::<State>().await;
        let state: &'static State = Box::leak(Box::new(state));
        let logs = rehearse_testkit::LogCapture::default();
        let _guard = tracing::subscriber::set_default(rehearse_http::json_logs(logs.writer()));

        let user = UserId::new_random();
        let token = token_for(user);
        // The EMF metric documents go to the same capture (stdout on Lambda).
        let mut metrics_out = logs.writer()();
        let resp = rehearse_http::handle_into(
            state,
            &handler,
            signed_in("signed-in", user),
            &mut metrics_out,
        )
        .await;
        let (status, owned) = status_and_json(&resp);
        assert_eq!(status, StatusCode::OK, "{owned}");
        let resp = rehearse_http::handle_into(
            state,
            &handler,
            event("session-create-conversational", "anonymous"),
            &mut metrics_out,
        )
        .await;
        let (status, anonymous) = status_and_json(&resp);
        assert_eq!(status, StatusCode::OK, "{anonymous}");

        let text = logs.text();
        // The capture works, and names the route and the signed-in user.
        assert_eq!(text.matches("request served").count(), 2, "{text}");
        assert!(
            text.contains("POST /api/session/create-conversational"),
            "{text}"
        );
        assert!(text.contains(&user.to_string()), "{text}");
        let anonymous_id = anonymous["session_id"].as_str().unwrap();
        let signature = token.rsplit('.').next().unwrap();
        for secret in [
            token.as_str(),
            signature,
            anonymous_id,
            "Ada Lovelace",
            "ada@example.com",
            "Analytical Engines",
            "payments ledger",
        ] {
            assert!(!text.contains(secret), "{secret:?} logged:\n{text}");
        }

        // Each request left its EMF documents: latency by route, requests by
        // route and status class, in the Rehearse namespace.
        let documents: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|d| d.get("_aws").is_some())
            .collect();
        let route = "POST /api/session/create-conversational";
        let ours = |metric: &str| {
            documents
                .iter()
                .filter(|d| d["route"] == route && d.get(metric).is_some())
                .collect::<Vec<_>>()
        };
        let latency = ours("latency");
        assert!(!latency.is_empty(), "no latency document in:\n{text}");
        let aws = &latency[0]["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(aws["Namespace"], "Rehearse");
        assert!(
            aws["Dimensions"][0]
                .as_array()
                .unwrap()
                .contains(&json!("route")),
            "{aws}"
        );
        assert!(latency[0].get("function").is_some());
        let served: i64 = ours("requests")
            .iter()
            .filter(|d| d["status_class"] == "2xx")
            .map(|d| d["requests"].as_i64().unwrap_or(0))
            .sum();
        assert!(served >= 1, "no 2xx count in:\n{text}");
    }

    #[tokio::test]
    async fn a_database_outage_is_a_503_that_heals_without_a_new_instance() {
        let mut pg = rehearse_testkit::PrivatePostgres::start().await;
        let jwks = TestStack::get().jwks_server();
        let state = State::from(rehearse_http::Backend {
            db: pg.db(),
            auth: verifier(Some(&jwks)),
        });
        let (status, body) =
            call(&state, event("session-create-conversational", "anonymous")).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        pg.stop();
        for case in ["anonymous", "signed-in"] {
            let req = match case {
                "signed-in" => signed_in(case, UserId::new_random()),
                _ => event("session-create-conversational", case),
            };
            let resp = rehearse_http::respond(handler(&state, req).await);
            let (status, body) = status_and_json(&resp);
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{case}: {body}");
            assert_eq!(body["error"]["code"], "database_unavailable", "{case}");
            assert!(resp.headers().get("retry-after").is_some(), "{case}");
        }

        // The same instance (state, pool) serves again once the server is back.
        pg.resume().await;
        let (status, body) =
            call(&state, event("session-create-conversational", "anonymous")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = call(&state, signed_in("signed-in", UserId::new_random())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}
