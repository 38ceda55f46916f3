use std::time::Duration;

use lambda_http::http::{Method, StatusCode};
use rehearse_core::config::Source;
use rehearse_db::{Db, DbConfig};
use rehearse_http::{ApiError, Body, Request, Response, json_response};
use rehearse_storage::{Storage, StorageConfig};
use serde::Serialize;

/// Each dependency check gives up after this long, so a hung database cannot
/// hold the health route (or a load balancer probing it) hostage.
const CHECK_LIMIT: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct State {
    db: Option<Db>,
    storage: Option<Storage>,
}

impl State {
    /// Dependencies whose variables are unset are reported as `disabled`, not as errors.
    pub async fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        let db = DbConfig::from_env(env)?
            .map(|cfg| Db::new(&cfg))
            .transpose()?;
        // Every check reaches the bucket: its client is built now, not on the
        // first request.
        let storage =
            StorageConfig::from_env(env)?.map(|cfg| Storage::new(&cfg).build_client_now());
        Ok(Self::new(db, storage))
    }

    pub fn new(db: Option<Db>, storage: Option<Storage>) -> Self {
        Self { db, storage }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Connected,
    Disabled,
    Error,
}

#[derive(Debug, Serialize)]
struct Health {
    success: bool,
    status: &'static str,
    database: Check,
    storage: Check,
    version: &'static str,
}

pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::MethodNotAllowed {
            method: req.method().to_string(),
        });
    }
    let (database, storage) = tokio::join!(check_database(state), check_storage(state));
    let status = if database == Check::Error || storage == Check::Error {
        "degraded"
    } else {
        "operational"
    };
    json_response(
        StatusCode::OK,
        &Health {
            success: true,
            status,
            database,
            storage,
            version: env!("CARGO_PKG_VERSION"),
        },
    )
}

async fn check_database(state: &State) -> Check {
    let Some(db) = &state.db else {
        return Check::Disabled;
    };
    match db.ping(CHECK_LIMIT).await {
        Ok(()) => Check::Connected,
        Err(e) => {
            tracing::warn!(error = ?e, "database health check failed");
            Check::Error
        }
    }
}

async fn check_storage(state: &State) -> Check {
    let Some(storage) = &state.storage else {
        return Check::Disabled;
    };
    match storage.check(CHECK_LIMIT).await {
        Ok(()) => Check::Connected,
        Err(e) => {
            tracing::warn!(error = ?e, "storage health check failed");
            Check::Error
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use rehearse_testkit::{TestStack, Via, event};
    use secrecy::SecretString;
    use serde_json::Value;

    use super::*;

    async fn call(state: &State, case: &str) -> (StatusCode, Value) {
        let resp = rehearse_http::respond(handler(state, event("health-get", case)).await);
        let body = serde_json::from_slice(resp.body().as_ref()).unwrap();
        (resp.status(), body)
    }

    #[tokio::test]
    async fn reports_both_dependencies_connected_on_both_paths() {
        let stack = TestStack::get();
        let database = stack.database().await;
        let state = State::new(Some(database.db(Via::Pooler)), Some(stack.storage().await));
        for case in ["root", "health"] {
            let (status, body) = call(&state, case).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["success"], true);
            assert_eq!(body["status"], "operational");
            assert_eq!(body["database"], "connected");
            assert_eq!(body["storage"], "connected");
            assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        }
    }

    #[tokio::test]
    async fn unconfigured_dependencies_are_disabled() {
        let none = |_: &str| None::<String>;
        let state = State::from_env(&none).await.unwrap();
        let (status, body) = call(&state, "root").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["database"], "disabled");
        assert_eq!(body["storage"], "disabled");
        assert_eq!(body["status"], "operational");
    }

    #[tokio::test]
    async fn unreachable_dependencies_are_errors_within_about_a_second() {
        let stack = TestStack::get();
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let db = Db::new(&DbConfig {
            url: SecretString::from(format!("postgres://postgres@127.0.0.1:{closed}/x")),
            pool_size: 1,
            connect_timeout: Duration::from_secs(5),
            transaction_timeout: Duration::from_secs(5),
        })
        .unwrap();
        let missing_bucket = Storage::from_sdk_config(
            &stack.storage_config("no-such-bucket"),
            &TestStack::sdk_config(),
        );
        let state = State::new(Some(db), Some(missing_bucket));
        let started = Instant::now();
        let (status, body) = call(&state, "health").await;
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["database"], "error");
        assert_eq!(body["storage"], "error");
        assert_eq!(body["status"], "degraded");
    }

    #[tokio::test]
    async fn invalid_configuration_fails_the_cold_start_naming_the_variable() {
        let env = |name: &str| (name == "DATABASE_URL").then(|| "mysql://nope".to_owned());
        let err = State::from_env(&env).await.unwrap_err().to_string();
        assert!(err.contains("DATABASE_URL"), "{err}");
    }

    #[tokio::test]
    async fn other_methods_get_a_json_405() {
        let state = State::new(None, None);
        let (status, body) = call(&state, "wrong-method").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(body["success"], false);
        assert_eq!(body["error"]["code"], "method_not_allowed");
        assert!(body["detail"].as_str().unwrap().contains("POST"));
    }
}
