use lambda_http::http::StatusCode;
use rehearse_http::{ApiError, Backend, Body, Request, Response, json_response, require_user};
use rehearse_session_store::practice;

pub type State = Backend;

/// The caller's practice plan from their last 200 answers: the two or three
/// weakest categories and dimensions (recency-weighted means, each with the
/// answers that show it), and `next_interview`, a body `POST
/// /api/session/create-conversational` takes as it is (job context, number of
/// questions, `focus`; `question_mix` says what that focus plans). The ranking
/// and the spaced-repetition rule are in `rehearse_interview::practice`.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let plan = practice::plan(&state.db, &user).await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({ "success": true, "plan": plan }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_interview::Category;
    use rehearse_session_store::requests::{AnswerInput, CreateSessionRequest};
    use rehearse_session_store::{Llm, Retry, SessionMode, answer, create, finalize};
    use rehearse_testkit::handlers::{self, auth_user, backend_state, event_as};
    use serde_json::{Value, json};

    use super::*;

    const RAMBLE: &str = "Well, teamwork is important and I think communication matters a \
        lot, people should talk and it generally works out fine in the end, I usually just try \
        my best and things are okay.";

    fn strong(topic: &str) -> String {
        format!(
            "For {topic} I start from the requirements, then measure: at Analytical Engines I \
             profiled the ledger service, found the lock contention in the connection pool, \
             replaced it with a bounded channel and cut p99 latency from 400 ms to 35 ms. The \
             trade-off was more memory per worker, which we capped at 64 MB, and I added load \
             tests so a regression fails CI."
        )
    }

    fn create_body(extra: Value) -> Value {
        let mut body = json!({
            "resume_data": {
                "name": "Ada Lovelace",
                "skills": ["Rust", "Go", "PostgreSQL", "Redis", "Kafka", "Kubernetes", "AWS"],
                "experience": [{"title": "Backend Engineer", "company": "Analytical Engines",
                                "duration": "2019 - Present",
                                "description": "Built a payments ledger in Rust on PostgreSQL."}]
            },
            "job_context": {"target_role": "Backend Engineer", "experience_level": "3-5",
                            "interview_type": "mixed"},
            "num_questions": 10,
        });
        if let (Some(map), Value::Object(more)) = (body.as_object_mut(), extra) {
            map.extend(more);
        }
        body
    }

    /// A finished mixed interview in which every behavioral question (and
    /// follow-up) gets a vague ramble and everything else a specific answer.
    async fn weak_behavioral_session(state: &State, user: &AuthUser) {
        let plan = serde_json::from_value::<CreateSessionRequest>(create_body(json!({})))
            .unwrap()
            .validate()
            .unwrap();
        let llm = Llm::disabled();
        let created = create(
            &state.db,
            &llm,
            Some(user),
            plan,
            SessionMode::Conversational,
        )
        .await
        .unwrap();
        let mut next = created.session.current().cloned();
        while let Some(q) = next {
            let text = match q.category {
                Category::Behavioral | Category::FollowUp => RAMBLE.to_owned(),
                _ => strong(&q.topic),
            };
            let input = AnswerInput {
                session_id: created.id,
                text,
                duration_seconds: Some(60),
                question: None,
            };
            let turn = answer(&state.db, &llm, Some(user), input, &Retry::default())
                .await
                .unwrap();
            next = turn.next_question;
        }
        finalize(&state.db, Some(user), created.id).await.unwrap();
    }

    #[tokio::test]
    async fn weak_behavioral_answers_plan_behavioral_and_structure_and_the_next_interview_targets_them()
     {
        let (state, _database) = backend_state::<State>().await;
        let user = UserId::new_random();
        let ada = auth_user(user).await;
        for _ in 0..3 {
            weak_behavioral_session(&state, &ada).await;
        }
        let (status, body) =
            handlers::call(handler, &state, event_as("practice-plan-get", Some(user))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let plan = &body["plan"];
        assert_eq!(plan["status"], "ready", "{plan:#}");
        assert_eq!(plan["sessions_considered"], 3);
        let names = |list: &Value, field: &str| -> Vec<String> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|w| w[field].as_str().unwrap().to_owned())
                .collect()
        };
        let categories = names(&plan["weakest_categories"], "category");
        let dimensions = names(&plan["weakest_dimensions"], "dimension");
        assert!(
            categories.contains(&"behavioral".to_owned()),
            "{categories:?}"
        );
        assert!(
            dimensions.contains(&"structure".to_owned()),
            "{dimensions:?}"
        );
        // The evidence names real answers of this user's sessions.
        let behavioral = plan["weakest_categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["category"] == "behavioral")
            .unwrap();
        assert!(
            !behavioral["evidence"].as_array().unwrap().is_empty(),
            "{behavioral:#}"
        );

        // The next interview, sent to create as it is: at least half of its
        // questions are behavioral.
        let next = plan["next_interview"].clone();
        let focused = serde_json::from_value::<CreateSessionRequest>(create_body(json!({
            "job_context": next["job_context"],
            "num_questions": next["num_questions"],
            "focus": next["focus"],
        })))
        .unwrap()
        .validate()
        .unwrap();
        let created = create(
            &state.db,
            &Llm::disabled(),
            Some(&ada),
            focused,
            SessionMode::Conversational,
        )
        .await
        .unwrap();
        let total = created.session.questions.len();
        let behavioral = created
            .session
            .questions
            .iter()
            .filter(|q| q.category == Category::Behavioral)
            .count();
        assert!(2 * behavioral >= total, "{behavioral} of {total}: {plan:#}");
    }

    #[tokio::test]
    async fn a_new_user_gets_an_empty_plan_and_a_stranger_a_401() {
        let (state, _database) = backend_state::<State>().await;
        let (status, body) = handlers::call(
            handler,
            &state,
            event_as("practice-plan-get", Some(UserId::new_random())),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["plan"]["status"], "no_history");
        assert!(body["plan"]["next_interview"].is_null());
        let (status, body) =
            handlers::call(handler, &state, event_as("practice-plan-get", None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}
