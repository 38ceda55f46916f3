//! Where a function's configuration comes from: the process environment, plus
//! the deployment's secrets.
//!
//! Deployed, secrets (`DATABASE_URL`, `SUPABASE_JWT_SECRET`, LLM keys...) are not
//! environment variables, which anyone allowed to read the function's
//! configuration could see: the template gives each function the ARN of one
//! Secrets Manager secret (`REHEARSE_SECRET_ARN`), a JSON object of name → value,
//! and [`load`] fetches it once per cold start, before the configuration is
//! validated. Locally nothing is set and the process environment is all there is.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_secretsmanager::config::timeout::TimeoutConfig;
use aws_sdk_secretsmanager::config::{BehaviorVersion, Region};
use rehearse_core::config::{self, ProcessEnv, Source};

/// The variable naming the secret (an ARN or a name).
pub const SECRET_ARN_VAR: &str = "REHEARSE_SECRET_ARN";

/// A cold start waits at most this long for the secret.
const FETCH_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("could not read secret {id}")]
    Fetch {
        id: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("secret {id} has no SecretString")]
    NoString { id: String },
    #[error("secret {id} must be a JSON object of strings: {reason}")]
    Format { id: String, reason: String },
}

/// Configuration variables: the base source (the process environment) first,
/// then the secret's values. A blank base value counts as unset, as everywhere
/// in [`rehearse_core::config`].
#[derive(Clone, Default)]
pub struct Env<S = ProcessEnv> {
    base: S,
    secret: HashMap<String, String>,
}

impl<S> std::fmt::Debug for Env<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The names only: the values are secrets.
        let mut names: Vec<&str> = self.secret.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Env")
            .field("secret_names", &names)
            .finish_non_exhaustive()
    }
}

impl<S: Source> Env<S> {
    pub fn new(base: S, secret: HashMap<String, String>) -> Self {
        Self { base, secret }
    }

    /// The names the secret provided.
    pub fn secret_names(&self) -> impl Iterator<Item = &str> {
        self.secret.keys().map(String::as_str)
    }
}

impl<S: Source> Source for Env<S> {
    fn get(&self, name: &str) -> Option<String> {
        self.base
            .get(name)
            .filter(|v| !v.trim().is_empty())
            .or_else(|| self.secret.get(name).cloned())
    }
}

/// The process environment, plus the secret named by `REHEARSE_SECRET_ARN`
/// when it is set (read with the function's own AWS credentials).
pub async fn load() -> Result<Env, SecretsError> {
    let Some(id) = config::optional(&ProcessEnv, SECRET_ARN_VAR) else {
        return Ok(Env::default());
    };
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(region_for(&id))
        .credentials_provider(rehearse_aws::EnvironmentCredentials::shared())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_timeout(FETCH_LIMIT)
                .build(),
        )
        // Secrets Manager is AWS: its certificates chain to Amazon's roots.
        .http_client(https_client(rehearse_aws::Trust::for_endpoint(None)))
        .build();
    let client = aws_sdk_secretsmanager::Client::from_conf(config);
    let secret = fetch(&client, &id).await?;
    tracing::info!(secret = %id, names = secret.len(), "configuration secret loaded");
    Ok(Env::new(ProcessEnv, secret))
}

/// The SDK's HTTPS client (see `rehearse_aws::https_client`).
pub use rehearse_aws::https_client;

/// The secret's region: the one its ARN names (`arn:aws:secretsmanager:<region>:...`),
/// else the function's own (`AWS_REGION`).
fn region_for(id: &str) -> Region {
    let named = id
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(2))
        .filter(|region| !region.is_empty());
    match named {
        Some(region) => Region::new(region.to_owned()),
        None => rehearse_aws::region_from_env(),
    }
}

/// The secret `id` as a map of names to values. Null or blank values are left
/// out (a key kept in the secret but not used, such as an LLM key).
pub async fn fetch(
    client: &aws_sdk_secretsmanager::Client,
    id: &str,
) -> Result<HashMap<String, String>, SecretsError> {
    let out = client
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .map_err(|e| SecretsError::Fetch {
            id: id.to_owned(),
            source: Box::new(e.into_service_error()),
        })?;
    let text = out
        .secret_string()
        .ok_or_else(|| SecretsError::NoString { id: id.to_owned() })?;
    parse(id, text)
}

fn parse(id: &str, text: &str) -> Result<HashMap<String, String>, SecretsError> {
    let format = |reason: String| SecretsError::Format {
        id: id.to_owned(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format(format!("not JSON ({e})")))?;
    let serde_json::Value::Object(fields) = value else {
        return Err(format("not a JSON object".to_owned()));
    };
    let mut out = HashMap::with_capacity(fields.len());
    for (name, value) in fields {
        match value {
            serde_json::Value::String(s) if !s.trim().is_empty() => {
                out.insert(name, s);
            }
            serde_json::Value::String(_) | serde_json::Value::Null => {}
            // Never echo the value: it may be a secret typed in the wrong shape.
            _ => return Err(format(format!("{name} is not a string"))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
