//! Against a local stand-in for Secrets Manager that speaks its wire protocol
//! (AWS JSON 1.1: `POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`),
//! since the real service cannot run here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

use super::*;

/// What the stand-in saw of each request.
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    authorization: String,
    secret_id: String,
}

struct FakeSecretsManager {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeSecretsManager {
    async fn start(secrets: HashMap<&'static str, &'static str>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let secrets = Arc::new(secrets);
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (secrets, log) = (secrets.clone(), log.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let (secrets, log) = (secrets.clone(), log.clone());
                            async move {
                                let header = |name: &str| {
                                    req.headers()
                                        .get(name)
                                        .and_then(|v| v.to_str().ok())
                                        .unwrap_or_default()
                                        .to_owned()
                                };
                                let (target, authorization) =
                                    (header("x-amz-target"), header("authorization"));
                                let body = req.into_body().collect().await?.to_bytes();
                                let body: serde_json::Value =
                                    serde_json::from_slice(&body).unwrap_or_default();
                                let secret_id =
                                    body["SecretId"].as_str().unwrap_or_default().to_owned();
                                log.lock().unwrap().push(Seen {
                                    target,
                                    authorization,
                                    secret_id: secret_id.clone(),
                                });
                                let (status, reply) = match secrets.get(secret_id.as_str()) {
                                    Some(text) => (
                                        200,
                                        serde_json::json!({
                                            "ARN": format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:{secret_id}-AbCdEf"),
                                            "Name": secret_id,
                                            "SecretString": text,
                                            "VersionId": "v1",
                                            "VersionStages": ["AWSCURRENT"],
                                            "CreatedDate": 1.7e9
                                        }),
                                    ),
                                    None => (
                                        400,
                                        serde_json::json!({
                                            "__type": "ResourceNotFoundException",
                                            "message": "Secrets Manager can't find the specified secret."
                                        }),
                                    ),
                                };
                                Ok::<_, hyper::Error>(
                                    hyper::Response::builder()
                                        .status(status)
                                        .header("content-type", "application/x-amz-json-1.1")
                                        .body(Full::new(Bytes::from(reply.to_string())))
                                        .unwrap(),
                                )
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { url, seen }
    }

    fn client(&self) -> aws_sdk_secretsmanager::Client {
        let config = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_sdk_secretsmanager::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
                "AKIDTEST", "secret", None, None, "test",
            ))
            .endpoint_url(&self.url)
            .http_client(https_client(rehearse_aws::Trust::for_endpoint(Some(
                &self.url,
            ))))
            .build();
        aws_sdk_secretsmanager::Client::from_conf(config)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn the_secret_is_fetched_signed_and_its_blank_values_are_left_out() {
    let fake = FakeSecretsManager::start(HashMap::from([(
        "rehearse/dev",
        r#"{"DATABASE_URL": "postgres://app:pw@pooler:6543/postgres?sslmode=require",
            "SUPABASE_JWT_SECRET": "0123456789abcdef0123456789abcdef",
            "LLM_API_KEY": "", "STT_API_KEY": null}"#,
    )]))
    .await;
    let secret = fetch(&fake.client(), "rehearse/dev").await.unwrap();
    let mut names: Vec<&str> = secret.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["DATABASE_URL", "SUPABASE_JWT_SECRET"]);
    assert_eq!(
        secret["DATABASE_URL"],
        "postgres://app:pw@pooler:6543/postgres?sslmode=require"
    );

    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].target, "secretsmanager.GetSecretValue");
    assert_eq!(seen[0].secret_id, "rehearse/dev");
    assert!(
        seen[0]
            .authorization
            .starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
        "{:?}",
        seen[0].authorization
    );
}

#[tokio::test]
async fn a_missing_or_malformed_secret_fails_without_echoing_values() {
    let fake = FakeSecretsManager::start(HashMap::from([
        ("list", r#"["postgres://a"]"#),
        (
            "number",
            r#"{"DATABASE_POOL_SIZE": 4, "SUPABASE_JWT_SECRET": "s3cr3t"}"#,
        ),
        ("text", "postgres://not-json"),
    ]))
    .await;
    let client = fake.client();
    assert!(matches!(
        fetch(&client, "absent").await,
        Err(SecretsError::Fetch { .. })
    ));
    for id in ["list", "number", "text"] {
        let err = fetch(&client, id).await.unwrap_err();
        assert!(matches!(err, SecretsError::Format { .. }), "{id}: {err:?}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("postgres://") && !shown.contains("s3cr3t"),
            "{shown}"
        );
    }
}

#[test]
fn the_environment_wins_over_the_secret_unless_blank() {
    let base = |name: &str| match name {
        "DATABASE_URL" => Some("postgres://local".to_owned()),
        "SUPABASE_JWT_SECRET" => Some("  ".to_owned()),
        _ => None,
    };
    let env = Env::new(
        base,
        HashMap::from([
            ("DATABASE_URL".to_owned(), "postgres://deployed".to_owned()),
            (
                "SUPABASE_JWT_SECRET".to_owned(),
                "from-the-secret".to_owned(),
            ),
            ("LLM_API_KEY".to_owned(), "sk-live".to_owned()),
        ]),
    );
    assert_eq!(env.get("DATABASE_URL").as_deref(), Some("postgres://local"));
    assert_eq!(
        env.get("SUPABASE_JWT_SECRET").as_deref(),
        Some("from-the-secret")
    );
    assert_eq!(env.get("LLM_API_KEY").as_deref(), Some("sk-live"));
    assert_eq!(env.get("UNSET"), None);
    let shown = format!("{env:?}");
    assert!(shown.contains("LLM_API_KEY"), "{shown}");
    assert!(
        !shown.contains("sk-live") && !shown.contains("deployed"),
        "{shown}"
    );
}

#[test]
fn an_arn_names_the_secrets_region() {
    assert_eq!(
        region_for("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rehearse-abc").as_ref(),
        "eu-west-2"
    );
    assert_eq!(
        region_for("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x").as_ref(),
        "cn-north-1"
    );
    // A bare name is in the function's own region.
    assert_eq!(
        region_for("rehearse/app").as_ref(),
        rehearse_aws::region_from_env().as_ref()
    );
}
