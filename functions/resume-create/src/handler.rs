use lambda_http::http::StatusCode;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_body, json_response, require_user,
};
use rehearse_resume_store::requests::CreateResumeRequest;
use rehearse_resume_store::{ResumeView, create};

pub type State = Backend;

/// Store a resume the caller sends as JSON (the sign-up form's), with no file:
/// `{"resume_data": {...}}` or the resume's fields directly, read liberally and
/// validated (see `rehearse_resume_store::requests`). A `user_id` in the body is
/// ignored: the resume is the token's user's.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let (file_name, resume) = json_body::<CreateResumeRequest>(&req)?.validate()?;
    let stored = create(&state.db, &user, &file_name, &resume).await?;
    let view = ResumeView::new(stored, None);
    json_response(
        StatusCode::CREATED,
        &serde_json::json!({
            "success": true,
            "resume_id": view.id,
            "data": view,
        }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_testkit::handlers::{self, backend_state, column, count, signed_in_as};
    use rehearse_testkit::{Via, event};
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, case: &str, user: UserId) -> (StatusCode, Value) {
        let req = signed_in_as(event("resume-create", case), user);
        handlers::call(handler, state, req).await
    }

    #[tokio::test]
    async fn stores_a_wrapped_resume_without_a_file() {
        let (state, database) = backend_state::<State>().await;
        let user = UserId::new_random();
        let (status, body) = call(&state, "signed-in", user).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["success"], true);
        let data = &body["data"];
        assert_eq!(data["id"], body["resume_id"]);
        assert_eq!(data["file_name"], "Sign-up form");
        assert_eq!(data["file_url"], Value::Null);
        assert_eq!(data["has_file"], false);
        assert_eq!(data["parsed_data"]["name"], "Ada Lovelace");
        assert_eq!(data["parsed_data"]["experience_level"], "senior");
        assert_eq!(data["skills"], serde_json::json!(["Python", "Rust", "SQL"]));
        assert_eq!(data["experience_years"], 5.0);
        // The seed document's names, with the same values.
        assert_eq!(data["parsed_json"], data["parsed_data"]);
        assert_eq!(data["file_size_bytes"], Value::Null);
        assert_eq!(data["file_size_bytes"], data["file_size"]);

        let row = database
            .client(Via::Direct)
            .await
            .query_typed_one(
                "SELECT user_id, storage_path, file_size_bytes FROM resumes",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, uuid::Uuid>(0), *user.as_uuid());
        assert_eq!(row.get::<_, Option<String>>(1), None);
        assert_eq!(row.get::<_, Option<i64>>(2), None);
    }

    #[tokio::test]
    async fn accepts_the_fields_directly_and_ignores_a_user_id() {
        let (state, database) = backend_state::<State>().await;
        let user = UserId::new_random();
        let (status, body) = call(&state, "fields-directly", user).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["data"]["file_name"], "Manual entry");
        assert_eq!(
            body["data"]["skills"],
            serde_json::json!(["Go", "Kubernetes"])
        );
        let owners: Vec<uuid::Uuid> = column(&database, "SELECT user_id FROM resumes").await;
        assert_eq!(owners, vec![*user.as_uuid()]);
    }

    #[tokio::test]
    async fn invalid_and_anonymous_requests_write_nothing() {
        let (state, database) = backend_state::<State>().await;
        let (status, body) = call(&state, "invalid", UserId::new_random()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation_error");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("years_of_experience")
        );
        let req = event("resume-create", "anonymous");
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
        assert_eq!(count(&database, "SELECT count(*) FROM resumes").await, 0);
    }
}
