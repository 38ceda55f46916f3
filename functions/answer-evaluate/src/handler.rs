use lambda_http::http::StatusCode;
use rehearse_auth::{AuthConfig, Verifier};
use rehearse_core::config::Source;
use rehearse_db::{Db, DbConfig};
use rehearse_http::{ApiError, Body, Bucket, Quotas, Request, Response, json_body, json_response};
use rehearse_session_store::requests::EvaluateRequest;
use rehearse_session_store::view::evaluation_json;
use rehearse_session_store::{Llm, evaluate_one};

/// The token verifier, the optional chat model, and the pool, which only counts
/// the caller's quota (nothing else is read or written). Keys are optional
/// (anonymous use needs none); an instance without any rejects every token.
#[derive(Debug)]
pub struct State {
    pub auth: Verifier,
    pub llm: Llm,
    pub db: Db,
    pub quotas: Quotas,
}

impl State {
    pub fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        Ok(Self {
            auth: Verifier::new(&AuthConfig::from_env(env)?)?,
            llm: Llm::from_env(env)?,
            db: Db::new(&DbConfig::require(env)?)?,
            quotas: Quotas::from_env(env)?,
        })
    }
}

/// Score one answer to one question with the interview engine, outside any
/// session: the same rubric, and the same ranges, as a session's answers.
/// `job_context` is optional (a role-neutral one is used without it).
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let (auth, db) = (&state.auth, &state.db);
    // A present but invalid token is still a 401 (`metered` answers it), as on
    // every optional-auth route; the caller is not needed beyond that.
    let work = |_caller| evaluate(state, &req);
    state
        .quotas
        .metered(auth, db, Bucket::Evaluate, &req, work)
        .await
}

async fn evaluate(state: &State, req: &Request) -> Result<Response<Body>, ApiError> {
    let (question, answer, context) = json_body::<EvaluateRequest>(req)?.validate()?;
    let evaluation = evaluate_one(&state.llm, &question, &answer, &context).await;
    json_response(
        StatusCode::OK,
        &serde_json::json!({ "success": true, "evaluation": evaluation_json(Some(&evaluation)) }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_testkit::handlers::{self, assert_hostile_tokens_refused, verifier};
    use rehearse_testkit::{TestStack, Via, event};
    use serde_json::Value;

    use super::*;

    async fn state() -> State {
        let jwks = TestStack::get().jwks_server();
        State {
            auth: verifier(Some(&jwks)),
            llm: Llm::disabled(),
            db: TestStack::get().database().await.db(Via::Pooler),
            quotas: Quotas::default(),
        }
    }

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    #[tokio::test]
    async fn scores_one_answer_on_the_rubric() {
        let (status, body) = call(&state().await, event("answer-evaluate", "anonymous")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        let e = &body["evaluation"];
        let score = e["score"].as_f64().unwrap();
        assert!((0.0..=10.0).contains(&score), "{e}");
        for dimension in [
            "relevance",
            "depth",
            "structure",
            "specificity",
            "communication",
        ] {
            let v = e["dimensions"][dimension].as_f64().unwrap();
            assert!((0.0..=10.0).contains(&v), "{dimension}: {e}");
        }
        for key in ["strengths", "improvements"] {
            assert!(e[key].is_array(), "{key}: {e}");
        }
        assert!(e["feedback"].is_string(), "{e}");
    }

    #[tokio::test]
    async fn an_empty_answer_is_scored_zero_with_feedback() {
        let (status, body) = call(&state().await, event("answer-evaluate", "empty-answer")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let e = &body["evaluation"];
        assert_eq!(e["score"], 0.0, "{e}");
        assert_eq!(e["scored_by"], "engine");
        assert!(
            !e["feedback"].as_str().unwrap_or_default().is_empty(),
            "{e}"
        );
        assert!(!e["improvements"].as_array().unwrap().is_empty(), "{e}");
    }

    #[tokio::test]
    async fn without_metadata_the_category_comes_from_the_question() {
        // A story to a "tell me about a time" question is judged as a story
        // (STAR breakdown), not as a technical explanation.
        let mut req = event("answer-evaluate", "anonymous");
        let body: Value = serde_json::from_slice(req.body().as_ref()).unwrap();
        let mut body = body.as_object().unwrap().clone();
        body.remove("question_metadata");
        *req.body_mut() = Body::from(Value::Object(body).to_string());
        let (status, body) = call(&state().await, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["evaluation"]["star"].is_object(), "{body}");
        assert!(
            body["evaluation"]["score"].as_f64().unwrap() >= 6.0,
            "{body}"
        );
    }

    #[tokio::test]
    async fn bad_bodies_are_422() {
        let state = state().await;
        for (case, code) in [("missing-question", "validation_error")] {
            let (status, body) = call(&state, event("answer-evaluate", case)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], code, "{case}");
        }
    }

    #[tokio::test]
    async fn an_invalid_token_is_401() {
        let state = state().await;
        let request = || event("answer-evaluate", "anonymous");
        assert_hostile_tokens_refused(handler, &state, request).await;
    }
}
