use lambda_http::http::StatusCode;
use rehearse_core::ResumeId;
use rehearse_http::{
    ApiError, Body, Request, Response, StoreState, json_response, path_param, require_user,
};
use rehearse_resume_store::delete;

pub type State = StoreState;

/// Delete one of the caller's resumes: the row, then its object. Someone else's
/// resume is a 404 like a missing one. An object that cannot be deleted now stays
/// queued for the sweeper; the resume is gone for the user either way.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.backend.auth, &req).await?;
    let id: ResumeId = path_param(&req, "resume_id")?;
    delete(&state.backend.db, &state.storage, &user, id).await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "success": true,
            "message": "resume deleted",
            "resume_id": id,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_resume::Resume;
    use rehearse_resume_store::testing::saved_upload;
    use rehearse_testkit::event;
    use rehearse_testkit::handlers::{
        self, auth_user, count, object_gone, signed_in_as, storage_without_bucket, store_state,
        with_path_param,
    };
    use serde_json::Value;

    use super::*;

    /// The signed-in event for `resume_id`, as `user`.
    async fn call(state: &State, id: ResumeId, user: UserId) -> (StatusCode, Value) {
        let req = signed_in_as(event("resume-delete", "signed-in"), user);
        handlers::call(handler, state, with_path_param(req, "resume_id", id)).await
    }

    /// Store a resume for `user` the way an upload does; returns its id and key.
    async fn seed(state: &State, user: UserId) -> (ResumeId, String) {
        let resume = Resume {
            name: Some("Ada".into()),
            ..Resume::default()
        };
        let auth = auth_user(user).await;
        let pdf = b"%PDF-1.4\n%%EOF\n";
        let stored = saved_upload(
            &state.backend.db,
            &state.storage,
            &auth,
            "cv.pdf",
            pdf,
            &resume,
        )
        .await;
        (stored.id, stored.storage_path.unwrap())
    }

    #[tokio::test]
    async fn deletes_the_row_then_the_object() {
        let (state, database) = store_state().await;
        let ada = UserId::new_random();
        let (id, key) = seed(&state, ada).await;
        let (status, body) = call(&state, id, ada).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["resume_id"], id.to_string());
        assert!(object_gone(&state.storage, &key).await);
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 0);
        assert_eq!(
            count(&database, "SELECT count(*) FROM storage_deletions").await,
            0
        );
        let (status, body) = call(&state, id, ada).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }

    #[tokio::test]
    async fn other_users_resume_is_404_and_stays() {
        let (state, database) = store_state().await;
        let (id, key) = seed(&state, UserId::new_random()).await;
        let (status, body) = call(&state, id, UserId::new_random()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 1);
        assert!(state.storage.get(&key).await.is_ok());
    }

    #[tokio::test]
    async fn a_failed_object_delete_is_still_a_delete_and_stays_queued() {
        let (mut state, database) = store_state().await;
        let ada = UserId::new_random();
        let (id, key) = seed(&state, ada).await;
        let working = std::mem::replace(
            &mut state.storage,
            // Same server, missing bucket: every delete fails.
            storage_without_bucket(),
        );
        let (status, body) = call(&state, id, ada).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 0);
        assert_eq!(
            count(
                &database,
                "SELECT count(*) FROM storage_deletions WHERE attempts = 1 AND last_error IS NOT NULL"
            )
            .await,
            1
        );
        assert!(working.get(&key).await.is_ok(), "left for the sweeper");
    }

    #[tokio::test]
    async fn bad_ids_and_anonymous_callers_are_refused() {
        let (state, database) = store_state().await;
        seed(&state, UserId::new_random()).await;
        let req = signed_in_as(event("resume-delete", "invalid-id"), UserId::new_random());
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_id");
        let req = event("resume-delete", "anonymous");
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 1);
    }
}
