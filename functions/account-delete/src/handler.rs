use lambda_http::http::StatusCode;
use rehearse_account_store::delete_account;
use rehearse_http::{ApiError, Body, Request, Response, StoreState, json_response, require_user};

pub type State = StoreState;

/// Delete everything the caller owns: profile, resumes, sessions, answers,
/// statistics, and the resumes' files in the bucket. Answers 200 only once all
/// of it is gone; if a file cannot be deleted yet the answer is a 503 and a
/// retry finishes the job. Deleting an account that is already gone succeeds.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.backend.auth, &req).await?;
    let deleted = delete_account(&state.backend.db, &state.storage, &user).await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "message": "account deleted",
            "deleted": deleted,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_resume::Resume;
    use rehearse_resume_store::testing::saved_upload;
    use rehearse_session_store::testing::completed_session;
    use rehearse_testkit::handlers::{
        self, auth_user, event_as, object_gone, storage_without_bucket, store_state,
    };
    use rehearse_testkit::{TestDatabase, Via};
    use serde_json::Value;

    use super::*;

    const ANSWER: &str = "I owned the on-call rotation's runbooks and turned the top five alerts into automated fixes.";

    /// A user with two finished sessions and two stored PDFs; returns the keys.
    async fn seed(state: &State, user: &AuthUser) -> Vec<String> {
        let db = &state.backend.db;
        completed_session(db, user, "Backend Engineer", 2, ANSWER).await;
        completed_session(db, user, "SRE", 3, ANSWER).await;
        let mut keys = Vec::new();
        for name in ["a.pdf", "b.pdf"] {
            let pdf = b"%PDF-1.4\n%%EOF\n";
            let stored =
                saved_upload(db, &state.storage, user, name, pdf, &Resume::default()).await;
            keys.push(stored.storage_path.unwrap());
        }
        keys
    }

    async fn call(state: &State, user: Option<UserId>) -> (StatusCode, Value) {
        handlers::call(handler, state, event_as("account-delete", user)).await
    }

    /// Rows of `user` in every table they own anything in, and queued objects.
    async fn leftovers(database: &TestDatabase, user: UserId) -> i64 {
        let id = *user.as_uuid();
        let prefix = format!("{user}/%");
        database
            .client(Via::Direct)
            .await
            .query_typed_one(
                "SELECT (SELECT count(*) FROM user_profiles WHERE id = $1)
                      + (SELECT count(*) FROM resumes WHERE user_id = $1)
                      + (SELECT count(*) FROM interview_sessions WHERE user_id = $1)
                      + (SELECT count(*) FROM interview_answers WHERE user_id = $1)
                      + (SELECT count(*) FROM interview_statistics WHERE user_id = $1)
                      + (SELECT count(*) FROM storage_deletions WHERE storage_path LIKE $2)",
                &[
                    (&id, rehearse_db::Type::UUID),
                    (&prefix, rehearse_db::Type::TEXT),
                ],
            )
            .await
            .unwrap()
            .get(0)
    }

    #[tokio::test]
    async fn deletes_everything_the_user_owns_and_nothing_of_anyone_else() {
        let (state, database) = store_state().await;
        let (ada, bob) = (UserId::new_random(), UserId::new_random());
        let ada_keys = seed(&state, &auth_user(ada).await).await;
        let bob_keys = seed(&state, &auth_user(bob).await).await;
        let bob_before = leftovers(&database, bob).await;

        let (status, body) = call(&state, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["deleted"]["sessions_deleted"], 2);
        assert_eq!(body["deleted"]["resumes_deleted"], 2);
        assert_eq!(body["deleted"]["files_deleted"], 2);
        assert_eq!(leftovers(&database, ada).await, 0);
        for key in &ada_keys {
            assert!(object_gone(&state.storage, key).await);
        }
        assert_eq!(leftovers(&database, bob).await, bob_before);
        for key in &bob_keys {
            assert!(state.storage.get(key).await.is_ok());
        }
        let (status, body) = call(&state, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "deleting again is a no-op: {body}");
    }

    #[tokio::test]
    async fn a_half_done_deletion_is_503_and_a_retry_finishes_it() {
        let (mut state, database) = store_state().await;
        let ada = UserId::new_random();
        let keys = seed(&state, &auth_user(ada).await).await;
        let working = std::mem::replace(
            &mut state.storage,
            // Same server, missing bucket: every delete fails.
            storage_without_bucket(),
        );
        let (status, body) = call(&state, Some(ada)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["error"]["code"], "account_deletion_incomplete");
        assert_eq!(
            leftovers(&database, ada).await,
            2,
            "only the queued files remain"
        );
        for key in &keys {
            assert!(working.get(key).await.is_ok());
        }

        state.storage = working;
        let (status, body) = call(&state, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["deleted"]["files_deleted"], 2);
        assert_eq!(leftovers(&database, ada).await, 0);
        for key in &keys {
            assert!(object_gone(&state.storage, key).await);
        }
    }

    #[tokio::test]
    async fn anonymous_callers_are_refused() {
        let (state, _database) = store_state().await;
        let (status, body) = call(&state, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
    }
}
