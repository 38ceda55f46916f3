use lambda_http::http::StatusCode;
use rehearse_core::profile::{ProfileChanges, ProfileUpdateRequest};
use rehearse_db::profiles;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_body, json_response, require_user,
};

pub type State = Backend;

/// Create or update the caller's profile: fields left out are kept, `null` or ""
/// clears one. The profile is always the token's user's; a `user_id` in the body
/// is ignored.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let changes = ProfileChanges::try_from(json_body::<ProfileUpdateRequest>(&req)?)?;
    let profile = state
        .db
        .write_as(&user, async |tx| {
            profiles::upsert(tx, &user, &changes).await
        })
        .await?;
    json_response(
        StatusCode::OK,
        &serde_json::json!({ "success": true, "data": profile }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_testkit::handlers::{
        self, assert_hostile_tokens_refused, backend_state_with_jwks, column, count, signed_in_as,
    };
    use rehearse_testkit::{TestDatabase, event};
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, case: &str, user: UserId) -> (StatusCode, Value) {
        let req = signed_in_as(event("profile-upsert", case), user);
        handlers::call(handler, state, req).await
    }

    async fn profile_rows(database: &TestDatabase) -> i64 {
        count(database, "SELECT count(*) FROM user_profiles").await
    }

    #[tokio::test]
    async fn creates_the_profile_with_phone_and_level_and_is_idempotent() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let user = UserId::new_random();
        let (status, first) = call(&state, "update", user).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let data = &first["data"];
        assert_eq!(data["id"], user.to_string());
        assert_eq!(data["full_name"], "Ada Lovelace");
        assert_eq!(data["phone"], "+44 20 7946 0958");
        assert_eq!(data["experience_level"], "senior");
        assert_eq!(data["avatar_url"], "https://example.com/ada.png");
        // Filled from the token because the body did not set it.
        assert_eq!(data["email"], format!("{user}@example.com"));

        let (status, second) = call(&state, "update", user).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(second, first, "a repeated write changed the profile");
        assert_eq!(profile_rows(&database).await, 1);
    }

    #[tokio::test]
    async fn a_user_id_in_the_body_is_ignored() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let caller = UserId::new_random();
        let (status, body) = call(&state, "forged-user-id", caller).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["data"]["id"], caller.to_string());
        assert_eq!(body["data"]["full_name"], "Mallory");
        let ids: Vec<uuid::Uuid> = column(&database, "SELECT id FROM user_profiles").await;
        assert_eq!(ids, vec![*caller.as_uuid()]);
    }

    #[tokio::test]
    async fn bad_bodies_are_4xx_and_write_nothing() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let user = UserId::new_random();
        for (case, status, code) in [
            (
                "invalid-email",
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
            ),
            ("not-json", StatusCode::BAD_REQUEST, "invalid_json"),
        ] {
            let (got, body) = call(&state, case, user).await;
            assert_eq!(got, status, "{case}: {body}");
            assert_eq!(body["success"], false);
            assert_eq!(body["error"]["code"], code, "{case}");
            assert!(!body["detail"].as_str().unwrap().is_empty());
        }
        assert_eq!(profile_rows(&database).await, 0);
    }

    #[tokio::test]
    async fn anonymous_and_hostile_callers_are_401_and_write_nothing() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let (status, body) =
            handlers::call(handler, &state, event("profile-upsert", "anonymous")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "auth_required");
        let request = || event("profile-upsert", "update");
        assert_hostile_tokens_refused(handler, &state, request).await;
        assert_eq!(profile_rows(&database).await, 0);
    }
}
