use rehearse_core::ConfigError;
use rehearse_core::config::{self, Source};
use rehearse_db::{DbError, MigrationReport};
use secrecy::SecretString;
use serde::Serialize;

#[derive(Debug)]
pub struct State {
    url: SecretString,
}

impl State {
    /// `MIGRATE_DATABASE_URL` when set, else `DATABASE_URL`. Migrations hold a
    /// session-level advisory lock, so in production this should be a direct
    /// connection rather than the transaction pooler the functions use.
    pub fn from_env(env: &impl Source) -> Result<Self, ConfigError> {
        let url = config::optional(env, "MIGRATE_DATABASE_URL")
            .map(Ok)
            .unwrap_or_else(|| config::required(env, "DATABASE_URL"))?;
        Ok(Self {
            url: SecretString::from(url),
        })
    }
}

#[derive(Debug, Serialize)]
pub struct Outcome {
    success: bool,
    applied: Vec<String>,
    latest: Option<String>,
}

pub async fn run(state: &State) -> Result<MigrationReport, DbError> {
    rehearse_db::migrate(&state.url).await
}

/// The Lambda entry point: the event's content is irrelevant (a deploy hook or a
/// manual invoke); a failure is returned as an invocation error so the deploy fails.
pub async fn handler(
    state: &State,
    _event: lambda_runtime::LambdaEvent<serde_json::Value>,
) -> Result<Outcome, lambda_runtime::Error> {
    let report = run(state).await.map_err(|e| {
        tracing::error!(error = ?e, "migration failed");
        e
    })?;
    tracing::info!(applied = ?report.applied, "migrations applied");
    Ok(Outcome {
        success: true,
        applied: report.applied,
        latest: report.latest,
    })
}

#[cfg(test)]
mod tests {
    use rehearse_testkit::{TestStack, Via, events_dir};
    use secrecy::ExposeSecret;

    use super::*;

    fn deploy_event() -> lambda_runtime::LambdaEvent<serde_json::Value> {
        let text = std::fs::read_to_string(events_dir().join("migrate/deploy.json")).unwrap();
        lambda_runtime::LambdaEvent::new(serde_json::from_str(&text).unwrap(), Default::default())
    }

    #[tokio::test]
    async fn migrates_an_empty_database_then_reports_nothing_to_do() {
        let database = TestStack::get().empty_database().await;
        let url = database.url(Via::Direct).expose_secret().to_owned();
        let env = move |name: &str| (name == "DATABASE_URL").then(|| url.clone());
        let state = State::from_env(&env).unwrap();

        let first = handler(&state, deploy_event()).await.unwrap();
        assert_eq!(first.applied, vec!["V1__schema"]);
        let second = handler(&state, deploy_event()).await.unwrap();
        assert!(second.applied.is_empty());
        assert_eq!(second.latest.as_deref(), Some("V1__schema"));
    }

    #[test]
    fn prefers_the_direct_migration_url() {
        let env = |name: &str| match name {
            "DATABASE_URL" => Some("postgres://pooler/db".to_owned()),
            "MIGRATE_DATABASE_URL" => Some("postgres://direct/db".to_owned()),
            _ => None,
        };
        let state = State::from_env(&env).unwrap();
        assert_eq!(state.url.expose_secret(), "postgres://direct/db");
        let none = |_: &str| None::<String>;
        assert_eq!(
            State::from_env(&none).unwrap_err(),
            ConfigError::Missing {
                name: "DATABASE_URL"
            }
        );
    }

    #[tokio::test]
    async fn an_unreachable_database_fails_the_invocation() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let env = move |name: &str| {
            (name == "DATABASE_URL").then(|| format!("postgres://postgres@127.0.0.1:{closed}/x"))
        };
        let state = State::from_env(&env).unwrap();
        assert!(handler(&state, deploy_event()).await.is_err());
    }
}
