use lambda_http::http::StatusCode;
use rehearse_account_store::dashboard;
use rehearse_http::{
    ApiError, Body, Request, Response, StoreState, json_text_response, require_user,
};

pub type State = StoreState;

/// The caller's dashboard: `statistics` (as the statistics route), the 5 most
/// recent sessions and the 5 most recent resumes, each resume with a fresh
/// presigned `file_url`. The database is asked once, in one statement.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.backend.auth, &req).await?;
    let body = dashboard(&state.backend.db, &state.storage, &user).await?;
    Ok(json_text_response(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_resume::Resume;
    use rehearse_resume_store::testing::saved_upload;
    use rehearse_session_store::testing::completed_session;
    use rehearse_testkit::handlers::{self, auth_user, event_as, store_state};
    use serde_json::Value;

    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n% stand-in body\n%%EOF\n";
    const ANSWER: &str = "I added contract tests between the services so a breaking change failed in CI, not in production.";

    async fn seed_resume(state: &State, user: &AuthUser, name: &str) {
        let resume = Resume {
            name: Some(name.to_owned()),
            ..Resume::default()
        };
        saved_upload(&state.backend.db, &state.storage, user, name, PDF, &resume).await;
    }

    async fn call(state: &State, user: Option<UserId>) -> (StatusCode, Value) {
        handlers::call(handler, state, event_as("dashboard-get", user)).await
    }

    #[tokio::test]
    async fn each_user_sees_only_their_statistics_sessions_and_resumes() {
        let (state, _database) = store_state().await;
        let (ada, bob) = (UserId::new_random(), UserId::new_random());
        let ada_auth = auth_user(ada).await;
        let bob_auth = auth_user(bob).await;
        let first =
            completed_session(&state.backend.db, &ada_auth, "Backend Engineer", 3, ANSWER).await;
        let second =
            completed_session(&state.backend.db, &ada_auth, "Data Engineer", 2, ANSWER).await;
        let bobs = completed_session(&state.backend.db, &bob_auth, "Designer", 2, ANSWER).await;
        for n in 0..6 {
            seed_resume(&state, &ada_auth, &format!("ada{n}.pdf")).await;
        }
        seed_resume(&state, &bob_auth, "bob.pdf").await;

        let (status, body) = call(&state, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["statistics"]["total_interviews"], 2);
        assert_eq!(
            body["statistics"]["score_trend"].as_array().unwrap().len(),
            2
        );
        let sessions: Vec<&str> = body["recent_sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(sessions, [second.to_string(), first.to_string()]);
        let resumes = body["resumes"].as_array().unwrap();
        assert_seed_names(&body);
        assert_eq!(resumes.len(), 5, "the 5 most recent");
        assert_eq!(body["total_resumes"], 6);
        assert_eq!(resumes[0]["file_name"], "ada5.pdf");
        assert!(
            resumes[0].get("storage_path").is_none(),
            "the key stays private"
        );
        let url = resumes[0]["file_url"].as_str().unwrap();
        let fetched = reqwest::get(url).await.unwrap();
        assert!(fetched.status().is_success(), "{}", fetched.status());
        assert_eq!(fetched.bytes().await.unwrap().as_ref(), PDF);

        let (_, body) = call(&state, Some(bob)).await;
        assert_eq!(body["statistics"]["total_interviews"], 1);
        assert_eq!(body["recent_sessions"][0]["id"], bobs.to_string());
        assert_eq!(body["recent_sessions"].as_array().unwrap().len(), 1);
        assert_eq!(body["resumes"].as_array().unwrap().len(), 1);
        assert_eq!(body["resumes"][0]["file_name"], "bob.pdf");
        assert_seed_names(&body);
    }

    /// The seed document's names are there, each with the same value as the
    /// field it repeats.
    fn assert_seed_names(body: &Value) {
        let s = &body["statistics"];
        assert_eq!(s["total_sessions"], s["total_interviews"], "{s}");
        assert_eq!(s["average_score"], s["average_overall_score"], "{s}");
        assert!(s["average_score"].is_number(), "{s}");
        assert_eq!(s["last_activity_at"], s["last_interview_at"], "{s}");
        assert!(s["last_activity_at"].is_string(), "{s}");
        assert!(s["total_questions_answered"].is_number(), "{s}");
        for session in body["recent_sessions"].as_array().unwrap() {
            assert_eq!(session["job_role"], session["target_role"], "{session}");
            assert!(session["overall_score"].is_number(), "{session}");
            let seconds = session["total_time_seconds"].as_i64().unwrap();
            assert_eq!(
                session["duration_minutes"],
                (seconds + 30) / 60,
                "{session}"
            );
        }
        for resume in body["resumes"].as_array().unwrap() {
            assert_eq!(resume["file_size_bytes"], resume["file_size"], "{resume}");
            assert_eq!(resume["file_size_bytes"], PDF.len(), "{resume}");
        }
    }

    #[tokio::test]
    async fn a_new_user_gets_an_empty_dashboard_and_anonymous_is_401() {
        let (state, _database) = store_state().await;
        let (status, body) = call(&state, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["statistics"]["total_interviews"], 0);
        assert_eq!(body["statistics"]["total_sessions"], 0);
        assert!(body["statistics"]["average_score"].is_null());
        assert!(body["statistics"]["last_activity_at"].is_null());
        assert_eq!(body["recent_sessions"], serde_json::json!([]));
        assert_eq!(body["resumes"], serde_json::json!([]));
        let (status, body) = call(&state, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
    }
}
