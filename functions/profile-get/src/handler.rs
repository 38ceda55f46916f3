use lambda_http::http::StatusCode;
use rehearse_core::profile::Profile;
use rehearse_db::profiles;
use rehearse_http::{ApiError, Backend, Body, Request, Response, json_response, require_user};

pub type State = Backend;

/// The caller's profile. A user who has not written anything yet has no row; they
/// get the profile their token implies (email, name) with null timestamps, rather
/// than a 404 the client would have to special-case. Reading never creates a row.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let user = require_user(&state.auth, &req).await?;
    let stored = state
        .db
        .as_user(&user, async |tx| profiles::get(tx, user.id).await)
        .await?;
    let profile = stored.unwrap_or_else(|| Profile {
        id: user.id,
        full_name: user.full_name.clone(),
        email: user.email.clone(),
        phone: None,
        experience_level: None,
        avatar_url: None,
        created_at: None,
        updated_at: None,
    });
    json_response(
        StatusCode::OK,
        &serde_json::json!({ "success": true, "data": profile }),
    )
}

#[cfg(test)]
mod tests {
    use rehearse_core::UserId;
    use rehearse_testkit::handlers::{
        self, assert_hostile_tokens_refused, backend_state_with_jwks, count, signed_in_as,
    };
    use rehearse_testkit::{TestDatabase, Via, event, status_and_json};
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, req: Request) -> (StatusCode, Value) {
        handlers::call(handler, state, req).await
    }

    async fn profile_rows(database: &TestDatabase) -> i64 {
        count(database, "SELECT count(*) FROM user_profiles").await
    }

    #[tokio::test]
    async fn a_new_user_gets_the_profile_their_token_implies_without_a_row_being_written() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let user = UserId::new_random();
        let (status, body) = call(
            &state,
            signed_in_as(event("profile-get", "signed-in"), user),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["success"], true);
        assert_eq!(body["data"]["id"], user.to_string());
        assert_eq!(body["data"]["email"], format!("{user}@example.com"));
        assert_eq!(body["data"]["full_name"], "Test User");
        assert_eq!(body["data"]["created_at"], Value::Null);
        assert_eq!(profile_rows(&database).await, 0);
    }

    #[tokio::test]
    async fn a_stored_profile_is_returned_and_only_to_its_owner() {
        let (state, database) = backend_state_with_jwks::<State>().await;
        let (alice, bob) = (UserId::new_random(), UserId::new_random());
        let client = database.client(Via::Direct).await;
        client
            .query_typed(
                "INSERT INTO user_profiles (id, full_name, phone) VALUES ($1, 'Alice Stored', '+1 555 0100')",
                &[(&alice, rehearse_db::Type::UUID)],
            )
            .await
            .unwrap();

        let (_, body) = call(
            &state,
            signed_in_as(event("profile-get", "signed-in"), alice),
        )
        .await;
        assert_eq!(body["data"]["full_name"], "Alice Stored");
        assert_eq!(body["data"]["phone"], "+1 555 0100");
        assert!(body["data"]["created_at"].is_string());

        let (_, body) = call(&state, signed_in_as(event("profile-get", "signed-in"), bob)).await;
        assert_eq!(body["data"]["id"], bob.to_string());
        assert_eq!(body["data"]["phone"], Value::Null);
        assert!(!body.to_string().contains("Alice"));
    }

    #[tokio::test]
    async fn anonymous_callers_must_sign_in() {
        let (state, _db) = backend_state_with_jwks::<State>().await;
        let resp = rehearse_http::respond(handler(&state, event("profile-get", "anonymous")).await);
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        let (status, body) = status_and_json(&resp);
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["success"], false);
        assert_eq!(body["error"]["code"], "auth_required");
    }

    #[tokio::test]
    async fn every_hostile_token_is_a_401_with_the_invalid_token_challenge() {
        let (state, _db) = backend_state_with_jwks::<State>().await;
        let request = || event("profile-get", "signed-in");
        assert_hostile_tokens_refused(handler, &state, request).await;
    }
}
