use lambda_http::http::StatusCode;
use rehearse_db::statistics;
use rehearse_http::{ApiError, Backend, Body, Request, Response, json_response, require_user};

pub type State = Backend;

/// The caller's statistics: totals, average and best overall score, time spent,
/// most common role, strongest and weakest category, last interview, and the
/// `score_trend` of their last 10 completed sessions (oldest first). A user who
/// has finished nothing yet gets zeros and nulls, not a 404.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let stats = state
        .db
        .as_user(&user, async |tx| statistics::view(tx, user.id).await)
        .await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({ "success": true, "statistics": stats }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_session_store::testing::completed_session;
    use rehearse_testkit::handlers::{self, auth_user, backend_state, event_as};
    use serde_json::{Value, json};

    use super::*;

    async fn call(state: &State, user: Option<UserId>) -> (StatusCode, Value) {
        handlers::call(handler, state, event_as("statistics-get", user)).await
    }

    const ANSWER: &str = "I split the monolith's billing module out behind a queue, with idempotent consumers and a replay tool.";

    #[tokio::test]
    async fn a_new_user_gets_zeros_and_nulls() {
        let (state, _database) = backend_state::<State>().await;
        let (status, body) = call(&state, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let s = &body["statistics"];
        for zero in [
            "total_interviews",
            "total_sessions",
            "total_questions_answered",
            "total_questions_skipped",
            "total_time_spent_seconds",
        ] {
            assert_eq!(s[zero], 0, "{zero}");
        }
        for null in [
            "average_overall_score",
            "average_score",
            "best_score",
            "most_common_role",
            "strongest_category",
            "weakest_category",
            "last_interview_at",
            "last_activity_at",
        ] {
            assert!(s[null].is_null(), "{null}: {s}");
        }
        assert_eq!(s["score_trend"], json!([]));
    }

    #[tokio::test]
    async fn each_user_sees_exactly_their_own_figures_and_trend() {
        let (state, _database) = backend_state::<State>().await;
        let (ada, bob) = (UserId::new_random(), UserId::new_random());
        let ada_auth = auth_user(ada).await;
        let bob_auth = auth_user(bob).await;
        let first = completed_session(&state.db, &ada_auth, "Backend Engineer", 3, ANSWER).await;
        let second = completed_session(&state.db, &ada_auth, "Backend Engineer", 2, ANSWER).await;
        completed_session(&state.db, &bob_auth, "Designer", 4, ANSWER).await;

        let (status, body) = call(&state, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let s = &body["statistics"];
        assert_eq!(s["total_interviews"], 2);
        assert_eq!(s["total_sessions"], 2);
        assert_eq!(s["total_questions_answered"], 3);
        assert_eq!(s["total_questions_skipped"], 2);
        assert_eq!(s["most_common_role"], "Backend Engineer");
        assert!(s["strongest_category"].is_string(), "{s}");
        assert!(s["weakest_category"].is_string(), "{s}");
        assert!(s["last_interview_at"].is_string(), "{s}");
        let trend = s["score_trend"].as_array().unwrap();
        let trend_ids: Vec<&str> = trend
            .iter()
            .map(|t| t["session_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            trend_ids,
            [first.to_string(), second.to_string()],
            "oldest first"
        );
        let scores: Vec<f64> = trend
            .iter()
            .map(|t| t["overall_score"].as_f64().unwrap())
            .collect();
        let mean = (scores[0] + scores[1]) / 2.0;
        let average = s["average_overall_score"].as_f64().unwrap();
        assert!((average - mean).abs() < 0.006, "{average} vs {mean}");
        assert_eq!(s["best_score"].as_f64().unwrap(), scores[0].max(scores[1]));
        // The seed document's names, with the same values: the mean overall
        // score, and when the latest completed session ended.
        assert_eq!(s["total_sessions"], s["total_interviews"]);
        assert_eq!(s["average_score"], s["average_overall_score"]);
        assert_eq!(s["last_activity_at"], s["last_interview_at"]);
        assert_eq!(s["last_activity_at"], trend[1]["completed_at"], "{s}");

        let (_, body) = call(&state, Some(bob)).await;
        let s = &body["statistics"];
        assert_eq!(s["total_interviews"], 1);
        assert_eq!(s["most_common_role"], "Designer");
        assert_eq!(s["score_trend"].as_array().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn anonymous_callers_are_refused() {
        let (state, _database) = backend_state::<State>().await;
        let (status, body) = call(&state, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
    }
}
