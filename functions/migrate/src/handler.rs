use rehearse_core::ConfigError;
use rehearse_core::config::{self, Source};
use rehearse_db::{DbError, MigrationReport};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

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

/// The Lambda entry point. Two callers:
/// - CloudFormation, through the template's `Custom::Migrations` resource on
///   every deploy: the outcome is reported to the request's `ResponseURL` (the
///   stack waits for it), and a stack deletion migrates nothing;
/// - anything else (a manual `aws lambda invoke`, `events/migrate/deploy.json`):
///   migrate, and fail the invocation on failure.
pub async fn handler(
    state: &State,
    event: lambda_runtime::LambdaEvent<serde_json::Value>,
) -> Result<Outcome, lambda_runtime::Error> {
    if let Some(request) = CustomResourceRequest::from_event(&event.payload) {
        return custom_resource(state, request).await;
    }
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

/// A CloudFormation custom-resource request (the fields the response echoes).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomResourceRequest {
    request_type: String,
    #[serde(rename = "ResponseURL")]
    response_url: String,
    stack_id: String,
    request_id: String,
    logical_resource_id: String,
    physical_resource_id: Option<String>,
}

impl CustomResourceRequest {
    fn from_event(payload: &serde_json::Value) -> Option<Self> {
        payload.get("ResponseURL")?;
        serde_json::from_value(payload.clone()).ok()
    }
}

/// The one physical id the migrations resource ever has: a changed id would make
/// CloudFormation "replace" it and send a Delete for the old one.
const PHYSICAL_ID: &str = "rehearse-migrations";

async fn custom_resource(
    state: &State,
    request: CustomResourceRequest,
) -> Result<Outcome, lambda_runtime::Error> {
    let (status, reason, outcome) = if request.request_type == "Delete" {
        // Deleting the stack leaves the database as it is.
        (
            "SUCCESS",
            None,
            Outcome {
                success: true,
                applied: Vec::new(),
                latest: None,
            },
        )
    } else {
        match run(state).await {
            Ok(report) => {
                tracing::info!(applied = ?report.applied, "migrations applied");
                (
                    "SUCCESS",
                    None,
                    Outcome {
                        success: true,
                        applied: report.applied,
                        latest: report.latest,
                    },
                )
            }
            Err(e) => {
                tracing::error!(error = ?e, "migration failed");
                (
                    "FAILED",
                    Some(failure_reason(&e)),
                    Outcome {
                        success: false,
                        applied: Vec::new(),
                        latest: None,
                    },
                )
            }
        }
    };
    let body = serde_json::json!({
        "Status": status,
        "Reason": reason.unwrap_or_else(|| "migrations are up to date".to_owned()),
        "PhysicalResourceId": request.physical_resource_id.as_deref().unwrap_or(PHYSICAL_ID),
        "StackId": request.stack_id,
        "RequestId": request.request_id,
        "LogicalResourceId": request.logical_resource_id,
        "Data": {
            "Latest": outcome.latest.clone().unwrap_or_default(),
            "Applied": outcome.applied.join(","),
        },
    });
    // Returning an error (after a failed PUT) makes Lambda retry the whole
    // asynchronous invocation, which is safe: migrating again is a no-op.
    send_response(&request.response_url, &body).await?;
    Ok(outcome)
}

/// Why the migration failed, for the stack's events: the error chain, which
/// names the failing migration and the server's message, never the URL.
fn failure_reason(e: &DbError) -> String {
    let mut reason = format!("migration failed: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        reason.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    // CloudFormation caps the whole response at 4 KB.
    reason.chars().take(1_000).collect()
}

async fn send_response(url: &str, body: &serde_json::Value) -> Result<(), lambda_runtime::Error> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    // A presigned S3 PUT: signed without a content type, so none may be sent.
    let response = client
        .put(url)
        .header(reqwest::header::CONTENT_TYPE, "")
        .body(body.to_string())
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("CloudFormation response URL answered {}", response.status()).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rehearse_testkit::{TestStack, Via, events_dir};
    use secrecy::ExposeSecret;
    use serde_json::Value;

    use super::*;

    fn deploy_event() -> lambda_runtime::LambdaEvent<serde_json::Value> {
        let text = std::fs::read_to_string(events_dir().join("migrate/deploy.json")).unwrap();
        lambda_runtime::LambdaEvent::new(serde_json::from_str(&text).unwrap(), Default::default())
    }

    /// The migrations in `migrations/`, in order, as refinery names them.
    fn migration_names() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let mut names: Vec<(u32, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".sql")?.to_owned();
                let version = stem.strip_prefix('V')?.split("__").next()?.parse().ok()?;
                Some((version, stem))
            })
            .collect();
        names.sort();
        names.into_iter().map(|(_, n)| n).collect()
    }

    #[tokio::test]
    async fn migrates_an_empty_database_then_reports_nothing_to_do() {
        let database = TestStack::get().empty_database().await;
        let url = database.url(Via::Direct).expose_secret().to_owned();
        let env = move |name: &str| (name == "DATABASE_URL").then(|| url.clone());
        let state = State::from_env(&env).unwrap();

        let names = migration_names();
        assert!(names.len() >= 2, "{names:?}");
        let first = handler(&state, deploy_event()).await.unwrap();
        assert_eq!(first.applied, names);
        let second = handler(&state, deploy_event()).await.unwrap();
        assert!(second.applied.is_empty());
        assert_eq!(second.latest.as_ref(), names.last());
    }

    /// A CloudFormation request whose ResponseURL is a presigned PUT on the test
    /// S3 server (what CloudFormation hands out is a presigned S3 URL too).
    async fn cfn_request(
        storage: &rehearse_storage::Storage,
        request_type: &str,
        key: &str,
    ) -> lambda_runtime::LambdaEvent<serde_json::Value> {
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&TestStack::sdk_config())
                .endpoint_url(TestStack::get().s3_endpoint())
                .force_path_style(true)
                .build(),
        );
        let url = s3
            .put_object()
            .bucket(storage.bucket())
            .key(key)
            .presigned(
                aws_sdk_s3::presigning::PresigningConfig::expires_in(
                    std::time::Duration::from_secs(300),
                )
                .unwrap(),
            )
            .await
            .unwrap()
            .uri()
            .to_owned();
        let payload = serde_json::json!({
            "RequestType": request_type,
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:rehearse-dev-migrate:live",
            "ResponseURL": url,
            "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/rehearse-dev/guid",
            "RequestId": format!("request-{key}"),
            "LogicalResourceId": "Migrations",
            "ResourceType": "Custom::Migrations",
            "ResourceProperties": {"ServiceToken": "x", "MigrationsVersion": "abc123"}
        });
        lambda_runtime::LambdaEvent::new(payload, Default::default())
    }

    async fn cfn_response(storage: &rehearse_storage::Storage, key: &str) -> Value {
        let object = storage.get(key).await.unwrap();
        serde_json::from_slice(&object.bytes).unwrap()
    }

    #[tokio::test]
    async fn a_deploy_migrates_and_reports_success_to_cloudformation() {
        let database = TestStack::get().empty_database().await;
        let url = database.url(Via::Direct).expose_secret().to_owned();
        let env = move |name: &str| (name == "DATABASE_URL").then(|| url.clone());
        let state = State::from_env(&env).unwrap();
        let storage = TestStack::get().storage().await;
        let key = format!("cfn/{}", uuid::Uuid::new_v4());

        let outcome = handler(&state, cfn_request(&storage, "Create", &key).await)
            .await
            .unwrap();
        let names = migration_names();
        assert_eq!(outcome.latest.as_ref(), names.last());
        let response = cfn_response(&storage, &key).await;
        assert_eq!(response["Status"], "SUCCESS", "{response}");
        assert_eq!(response["PhysicalResourceId"], "rehearse-migrations");
        assert_eq!(response["LogicalResourceId"], "Migrations");
        assert_eq!(response["RequestId"], format!("request-{key}"));
        assert_eq!(
            response["StackId"],
            "arn:aws:cloudformation:us-east-1:123456789012:stack/rehearse-dev/guid"
        );
        assert_eq!(response["Data"]["Latest"], names.last().unwrap().as_str());
        assert_eq!(response["Data"]["Applied"], names.join(","));
    }

    #[tokio::test]
    async fn deleting_the_stack_leaves_the_database_alone() {
        let database = TestStack::get().empty_database().await;
        let url = database.url(Via::Direct).expose_secret().to_owned();
        let env = move |name: &str| (name == "DATABASE_URL").then(|| url.clone());
        let state = State::from_env(&env).unwrap();
        let storage = TestStack::get().storage().await;
        let key = format!("cfn/{}", uuid::Uuid::new_v4());

        handler(&state, cfn_request(&storage, "Delete", &key).await)
            .await
            .unwrap();
        assert_eq!(cfn_response(&storage, &key).await["Status"], "SUCCESS");
        let client = database.client(Via::Direct).await;
        let tables: i64 = client
            .query_typed_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "a Delete must not migrate");
    }

    #[tokio::test]
    async fn a_failed_migration_is_reported_as_failed_without_the_database_url() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let env = move |name: &str| {
            (name == "DATABASE_URL")
                .then(|| format!("postgres://admin:hunter2@127.0.0.1:{closed}/x"))
        };
        let state = State::from_env(&env).unwrap();
        let storage = TestStack::get().storage().await;
        let key = format!("cfn/{}", uuid::Uuid::new_v4());

        let outcome = handler(&state, cfn_request(&storage, "Update", &key).await)
            .await
            .unwrap();
        assert!(!outcome.success);
        let response = cfn_response(&storage, &key).await;
        assert_eq!(response["Status"], "FAILED", "{response}");
        let reason = response["Reason"].as_str().unwrap();
        assert!(reason.starts_with("migration failed"), "{reason}");
        assert!(!reason.contains("hunter2"), "{reason}");
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
