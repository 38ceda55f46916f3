//! Scaffolding for the functions' handler tests: the state a handler runs on
//! (a fresh database through the pooler, a verifier that accepts
//! [`token_for`] tokens, a fresh bucket), requests built from `events/` as a
//! given caller, calling a handler the way `serve` answers, and one-number
//! queries for assertions. What is specific to one route stays in its tests.

use std::collections::HashMap;
use std::future::Future;

use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use lambda_http::http::{HeaderValue, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};
use rehearse_auth::Verifier;
use rehearse_core::{AuthUser, UserId};
use rehearse_http::{ApiError, Backend, StoreState};
use rehearse_storage::{Storage, StorageError};
use serde_json::Value;
use tokio_postgres::types::FromSqlOwned;

use crate::tokens::{JwksServer, auth_config, hostile_tokens, token_for, with_bearer};
use crate::{TestDatabase, TestStack, Via, event, status_and_json};

/// A verifier that accepts [`token_for`] tokens and, given a JWKS server, the
/// test keys it publishes.
pub fn verifier(jwks: Option<&JwksServer>) -> Verifier {
    Verifier::new(&auth_config(jwks)).unwrap_or_else(|e| panic!("test verifier: {e}"))
}

/// What a signed-in route runs on: `database` through the pooler, and a
/// verifier for [`token_for`] tokens.
pub fn backend(database: &TestDatabase) -> Backend {
    Backend {
        db: database.db(Via::Pooler),
        auth: verifier(None),
    }
}

/// [`backend`] whose verifier also trusts a new JWKS server's keys: for tests
/// that send every kind of hostile token (`tokens::hostile_tokens`).
pub fn backend_with_jwks(database: &TestDatabase) -> Backend {
    let jwks = TestStack::get().jwks_server();
    Backend {
        db: database.db(Via::Pooler),
        auth: verifier(Some(&jwks)),
    }
}

/// A fresh database and the state of a route that needs only the backend:
/// `Backend` itself, or a state built from one (the session services).
pub async fn backend_state<S: From<Backend>>() -> (S, TestDatabase) {
    let database = TestStack::get().database().await;
    (S::from(backend(&database)), database)
}

/// [`backend_state`] with [`backend_with_jwks`]: for the hostile-token tests.
pub async fn backend_state_with_jwks<S: From<Backend>>() -> (S, TestDatabase) {
    let database = TestStack::get().database().await;
    (S::from(backend_with_jwks(&database)), database)
}

/// A fresh database and bucket, and the state of a route that reaches both.
pub async fn store_state() -> (StoreState, TestDatabase) {
    let database = TestStack::get().database().await;
    let state = StoreState {
        backend: backend(&database),
        storage: TestStack::get().storage().await,
    };
    (state, database)
}

/// Whether `key` is gone from `storage`'s bucket: the server answers "not
/// found" (any other failure is not taken for a deletion).
pub async fn object_gone(storage: &Storage, key: &str) -> bool {
    matches!(storage.get(key).await, Err(StorageError::NotFound { .. }))
}

/// Storage on this stack's server whose bucket does not exist: every call
/// fails, as deletions do while the bucket cannot be reached.
pub fn storage_without_bucket() -> Storage {
    Storage::from_sdk_config(
        &TestStack::get().storage_config("no-such-bucket"),
        &TestStack::sdk_config(),
    )
}

/// `user` as a handler sees them once their [`token_for`] token is verified.
pub async fn auth_user(user: UserId) -> AuthUser {
    verifier(None)
        .authenticate(Some(&format!("Bearer {}", token_for(user))))
        .await
        .unwrap_or_else(|e| panic!("test token refused: {e}"))
        .unwrap_or_else(|| panic!("test token read as anonymous"))
}

/// `req` carrying `user`'s token.
pub fn signed_in_as(req: Request, user: UserId) -> Request {
    with_bearer(req, &token_for(user))
}

/// `req` with `user`'s token, or as it is without a user.
pub fn as_caller(req: Request, user: Option<UserId>) -> Request {
    match user {
        Some(user) => signed_in_as(req, user),
        None => req,
    }
}

/// The caller's view of `function`: its `signed-in` event with `user`'s token,
/// or, without a user, its `anonymous` event.
pub fn event_as(function: &str, user: Option<UserId>) -> Request {
    match user {
        Some(user) => signed_in_as(event(function, "signed-in"), user),
        None => event(function, "anonymous"),
    }
}

/// `req` with the path parameter `name` set to `value` (as API Gateway fills
/// `{name}` in the route), replacing any path parameters it had.
pub fn with_path_param(req: Request, name: &str, value: impl ToString) -> Request {
    req.with_path_parameters(QueryMap::from(HashMap::from([(
        name.to_owned(),
        value.to_string(),
    )])))
}

/// Run `handler` on `req` and read what the client would receive: errors
/// become their JSON body through `rehearse_http::respond`, as `serve` does.
pub async fn call<'a, S, F, Fut>(handler: F, state: &'a S, req: Request) -> (StatusCode, Value)
where
    F: FnOnce(&'a S, Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, ApiError>>,
{
    status_and_json(&rehearse_http::respond(handler(state, req).await))
}

/// `request()` sent with each of [`hostile_tokens`] in its `Authorization`
/// header: every one is answered 401 with its `error.code` and the
/// `invalid_token` challenge. The state's verifier must trust the JWKS server's
/// keys ([`backend_with_jwks`]), or the ES256/RS256 cases fail for other reasons.
pub async fn assert_hostile_tokens_refused<'a, S, F, Fut>(
    handler: F,
    state: &'a S,
    request: impl Fn() -> Request,
) where
    F: Fn(&'a S, Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, ApiError>>,
{
    for case in hostile_tokens(UserId::new_random()) {
        let mut req = request();
        let value = HeaderValue::from_str(&case.authorization)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        req.headers_mut().insert(AUTHORIZATION, value);
        let resp = rehearse_http::respond(handler(state, req).await);
        assert_eq!(
            resp.headers()
                .get(WWW_AUTHENTICATE)
                .map(HeaderValue::as_bytes),
            Some(br#"Bearer error="invalid_token""#.as_slice()),
            "{}",
            case.name
        );
        let (status, body) = status_and_json(&resp);
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", case.name);
        assert_eq!(body["error"]["code"], case.code, "{}", case.name);
    }
}

/// The one number `sql` selects (a count, usually), read directly rather than
/// through the pooler, under the application's feet.
pub async fn count(database: &TestDatabase, sql: &str) -> i64 {
    database
        .client(Via::Direct)
        .await
        .query_typed_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

/// The first column of every row `sql` selects, read directly.
pub async fn column<T: FromSqlOwned>(database: &TestDatabase, sql: &str) -> Vec<T> {
    database
        .client(Via::Direct)
        .await
        .query_typed(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// The keys of every object in `storage`'s bucket.
pub async fn objects(storage: &Storage) -> Vec<String> {
    let out = storage
        .sdk()
        .list_objects_v2()
        .bucket(storage.bucket())
        .send()
        .await
        .unwrap_or_else(|e| panic!("list objects: {e:?}"));
    out.contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(req: &Request) -> Option<&str> {
        req.headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
    }

    #[tokio::test]
    async fn a_callers_request_carries_their_token_and_an_anonymous_one_none() {
        let ada = UserId::new_random();
        let signed_in = event_as("statistics-get", Some(ada));
        let caller = verifier(None)
            .authenticate(bearer(&signed_in))
            .await
            .unwrap();
        assert_eq!(caller.map(|c| c.id), Some(ada));
        assert_eq!(auth_user(ada).await.id, ada);
        assert!(bearer(&event_as("statistics-get", None)).is_none());
        assert!(bearer(&as_caller(event("statistics-get", "anonymous"), None)).is_none());
        let bob = UserId::new_random();
        let replaced = signed_in_as(signed_in, bob);
        assert_eq!(replaced.headers().get_all(AUTHORIZATION).iter().count(), 1);
        let caller = verifier(None)
            .authenticate(bearer(&replaced))
            .await
            .unwrap();
        assert_eq!(caller.map(|c| c.id), Some(bob));
    }

    #[test]
    fn a_path_parameter_is_read_back_as_the_gateway_would_fill_it() {
        let req = with_path_param(event("session-get", "anonymous"), "session_id", "abc");
        assert_eq!(req.path_parameters().first("session_id"), Some("abc"));
        let again = with_path_param(req, "session_id", 7);
        assert_eq!(again.path_parameters().first("session_id"), Some("7"));
    }
}
