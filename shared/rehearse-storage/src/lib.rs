//! Resume object storage for Rehearse, on S3 or any S3-compatible server.
//!
//! The bucket is private: objects go in and come out through this crate, and a
//! client only ever receives an expiring presigned GET URL. For local servers
//! (`S3_ENDPOINT`), path-style addressing is used, since they rarely resolve
//! `bucket.host` names.
//!
//! Knows nothing of HTTP or Lambda; `rehearse-http` maps [`StorageError`] to responses.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{BehaviorVersion, Region};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use rehearse_core::ConfigError;
use rehearse_core::config::{self, Source};

mod presign;

/// The SDK's HTTPS client (see `rehearse_aws::https_client`).
pub use rehearse_aws::{Trust, https_client};

/// The longest one storage call may take, retries included (a body read too).
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(5);

/// Where resumes are stored, read once per cold start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageConfig {
    /// `RESUME_BUCKET`
    pub bucket: String,
    /// `S3_ENDPOINT`: a local or third-party S3-compatible server; unset for AWS.
    pub endpoint: Option<String>,
    /// `S3_FORCE_PATH_STYLE`: defaults to true when an endpoint is set.
    pub force_path_style: bool,
    /// `AWS_REGION` (default `us-east-1`).
    pub region: String,
    /// `PRESIGN_TTL_SECONDS` (default 900: fifteen minutes).
    pub presign_ttl: Duration,
}

impl StorageConfig {
    pub const DEFAULT_PRESIGN_TTL: Duration = Duration::from_secs(15 * 60);

    /// The configuration, or `None` when `RESUME_BUCKET` is not set (storage disabled).
    pub fn from_env(env: &impl Source) -> Result<Option<Self>, ConfigError> {
        let Some(bucket) = config::optional(env, "RESUME_BUCKET") else {
            return Ok(None);
        };
        let endpoint = config::optional(env, "S3_ENDPOINT");
        if let Some(ep) = &endpoint
            && !(ep.starts_with("http://") || ep.starts_with("https://"))
        {
            return Err(ConfigError::Invalid {
                name: "S3_ENDPOINT",
                reason: format!("{ep:?} must start with http:// or https://"),
            });
        }
        let force_path_style = config::flag(env, "S3_FORCE_PATH_STYLE", endpoint.is_some())?;
        let region = config::optional(env, "AWS_REGION").unwrap_or_else(|| "us-east-1".to_owned());
        let ttl_secs: u64 = config::parsed_or(
            env,
            "PRESIGN_TTL_SECONDS",
            Self::DEFAULT_PRESIGN_TTL.as_secs(),
        )?;
        // SigV4 presigned URLs cannot outlive seven days.
        if !(1..=604_800).contains(&ttl_secs) {
            return Err(ConfigError::Invalid {
                name: "PRESIGN_TTL_SECONDS",
                reason: format!("{ttl_secs} is outside 1..=604800"),
            });
        }
        Ok(Some(Self {
            bucket,
            endpoint,
            force_path_style,
            region,
            presign_ttl: Duration::from_secs(ttl_secs),
        }))
    }

    /// Like [`StorageConfig::from_env`], for functions that cannot work without the bucket.
    pub fn require(env: &impl Source) -> Result<Self, ConfigError> {
        Self::from_env(env)?.ok_or(ConfigError::Missing {
            name: "RESUME_BUCKET",
        })
    }
}

/// Everything that can go wrong talking to the bucket.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object {key} not found")]
    NotFound { key: String },
    /// [`Storage::put_new`] found the key taken.
    #[error("object {key} already exists")]
    AlreadyExists { key: String },
    #[error("storage request {operation} failed")]
    Request {
        operation: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("storage did not answer within {0:?}")]
    Timeout(Duration),
    /// The server could not be reached or could not serve (refused, reset, timed
    /// out, 5xx, throttling): worth retrying later.
    #[error("storage is unavailable ({operation})")]
    Unavailable {
        operation: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("could not presign a URL")]
    Presign(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StorageError {
    fn request<E>(operation: &'static str, e: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Self::Request {
            operation,
            source: Box::new(e),
        }
    }

    /// An SDK call's failure, told apart: the server unreachable or not serving
    /// is [`StorageError::Unavailable`]; anything else (a refused request) is
    /// [`StorageError::Request`].
    fn from_sdk<E>(operation: &'static str, e: SdkError<E, HttpResponse>) -> Self
    where
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        let unavailable = match &e {
            SdkError::TimeoutError(_)
            | SdkError::DispatchFailure(_)
            | SdkError::ResponseError(_) => true,
            SdkError::ServiceError(ctx) => {
                let status = ctx.raw().status().as_u16();
                status >= 500
                    || status == 429
                    || matches!(
                        ctx.err().code(),
                        Some("SlowDown" | "Throttling" | "ThrottlingException" | "RequestTimeout")
                    )
            }
            _ => false,
        };
        if unavailable {
            Self::Unavailable {
                operation,
                source: Box::new(e),
            }
        } else {
            Self::request(operation, e)
        }
    }

    /// Whether retrying later may succeed (the server was unreachable or busy).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable { .. } | Self::Timeout(_))
    }
}

/// An object read back from the bucket.
#[derive(Debug, Clone)]
pub struct StoredObject {
    pub bytes: Bytes,
    pub content_type: Option<String>,
}

/// The resume bucket. Cheap to clone (clones share the client); build it once
/// per cold start.
///
/// The S3 client is built on first use, not with the `Storage`: building one
/// loads the platform's TLS root certificates (the SDK's HTTPS client does it
/// when a client is created), which was most of what the SDK added to a cold
/// start (measured: bench/cold-start.sh, docs/build.md). Presigning needs only
/// the credentials, so a function that only presigns (the dashboard, the
/// resume list, the upload URL) never builds the client at all. A function
/// whose every request reaches the bucket builds it up front with
/// [`Storage::build_client_now`].
#[derive(Debug, Clone)]
pub struct Storage {
    client: Arc<OnceLock<aws_sdk_s3::Client>>,
    config: aws_sdk_s3::Config,
    bucket: String,
    presigner: presign::Presigner,
}

impl Storage {
    /// Build from the configuration and the function's credentials in its
    /// environment (the Lambda role's; `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` locally, see `rehearse-aws`). Cheap: the S3
    /// client is built when first needed.
    pub fn new(cfg: &StorageConfig) -> Self {
        let shared = aws_types::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(cfg.region.clone()))
            .credentials_provider(rehearse_aws::EnvironmentCredentials::shared())
            .http_client(https_client(Trust::for_endpoint(cfg.endpoint.as_deref())))
            .build();
        Self::from_sdk_config(cfg, &shared)
    }

    /// Build from an already loaded SDK configuration (tests pass static
    /// credentials). Its HTTP client is used if it has one, [`https_client`]
    /// otherwise. The S3 client itself is built on first use.
    pub fn from_sdk_config(cfg: &StorageConfig, shared: &aws_types::SdkConfig) -> Self {
        let mut builder = aws_sdk_s3::config::Builder::from(shared);
        if shared.http_client().is_none() {
            builder =
                builder.http_client(https_client(Trust::for_endpoint(cfg.endpoint.as_deref())));
        }
        builder = builder
            .region(Region::new(cfg.region.clone()))
            .force_path_style(cfg.force_path_style)
            // Bounded so a hung server costs a request at most OPERATION_TIMEOUT
            // (a 503), never the function's whole timeout; an attempt's own bound
            // leaves room for the SDK's retry of a transient failure inside it.
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(2))
                    .operation_attempt_timeout(Duration::from_millis(2_400))
                    .operation_timeout(OPERATION_TIMEOUT)
                    .build(),
            );
        if let Some(endpoint) = &cfg.endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Self {
            client: Arc::new(OnceLock::new()),
            config: builder.build(),
            bucket: cfg.bucket.clone(),
            presigner: presign::Presigner::new(cfg, shared.credentials_provider()),
        }
    }

    /// Build the S3 client now rather than on first use: for a function whose
    /// every request reaches the bucket (the health check), where deferring it
    /// would only move the cost into the first request.
    #[must_use]
    pub fn build_client_now(self) -> Self {
        self.client();
        self
    }

    fn client(&self) -> &aws_sdk_s3::Client {
        self.client
            .get_or_init(|| aws_sdk_s3::Client::from_conf(self.config.clone()))
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The underlying SDK client, for tooling (e.g. creating the local bucket).
    pub fn sdk(&self) -> &aws_sdk_s3::Client {
        self.client()
    }

    pub async fn put(
        &self,
        key: &str,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.client()
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| StorageError::from_sdk("PutObject", e))?;
        Ok(())
    }

    /// Like [`Storage::put`], but only if no object has `key` yet (`If-None-Match: *`):
    /// two uploads racing for one key never overwrite each other, the loser gets
    /// [`StorageError::AlreadyExists`] and can pick another key.
    pub async fn put_new(
        &self,
        key: &str,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.client()
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .if_none_match("*")
            .content_type(content_type)
            .content_length(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| {
                // 412: the key exists. 409: a concurrent conditional write to it is
                // still in flight (S3 says retry; for us, the key is taken either way).
                let taken = e
                    .raw_response()
                    .is_some_and(|r| matches!(r.status().as_u16(), 409 | 412));
                if taken {
                    StorageError::AlreadyExists {
                        key: key.to_owned(),
                    }
                } else {
                    StorageError::from_sdk("PutObject", e)
                }
            })?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<StoredObject, StorageError> {
        // The SDK's operation timeout ends at the response's headers; the body
        // is read under the same bound here.
        let read = async {
            let out = self
                .client()
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| {
                    if matches!(
                        e.as_service_error(),
                        Some(aws_sdk_s3::operation::get_object::GetObjectError::NoSuchKey(_))
                    ) {
                        StorageError::NotFound {
                            key: key.to_owned(),
                        }
                    } else {
                        StorageError::from_sdk("GetObject", e)
                    }
                })?;
            let content_type = out.content_type().map(str::to_owned);
            let bytes = out
                .body
                .collect()
                .await
                .map_err(|e| StorageError::Unavailable {
                    operation: "GetObject",
                    source: Box::new(e),
                })?
                .into_bytes();
            Ok(StoredObject {
                bytes,
                content_type,
            })
        };
        tokio::time::timeout(OPERATION_TIMEOUT, read)
            .await
            .map_err(|_| StorageError::Timeout(OPERATION_TIMEOUT))?
    }

    /// Delete an object. Deleting a missing object succeeds (S3 semantics), so a
    /// retried deletion is harmless.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.client()
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| StorageError::from_sdk("DeleteObject", e))?;
        Ok(())
    }

    /// A GET URL for `key` that expires after the configured TTL.
    pub async fn presign_get(&self, key: &str) -> Result<String, StorageError> {
        self.presigner.presign_get(key).await
    }

    /// A GET URL for each of `keys`, in order, as [`Storage::presign_get`]
    /// would sign them one by one in the same second: the credentials, the
    /// date and the day's signing key are looked up once for all of them.
    pub async fn presign_gets(&self, keys: &[&str]) -> Result<Vec<String>, StorageError> {
        self.presigner.presign_gets(keys).await
    }

    /// A PUT URL for a client to upload `key` directly, valid for `ttl`. Its
    /// signature covers `Content-Type` and `Content-Length`, so the bucket
    /// itself refuses a body of another size or type (the size was checked
    /// against our limit before signing).
    pub async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        ttl: Duration,
    ) -> Result<String, StorageError> {
        let length = content_length.to_string();
        self.presigner
            .presign_put(
                key,
                &[("content-type", content_type), ("content-length", &length)],
                ttl,
            )
            .await
    }

    /// The size in bytes of the object `key`, `None` when there is none.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, StorageError> {
        let head = self
            .client()
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send();
        match tokio::time::timeout(OPERATION_TIMEOUT, head)
            .await
            .map_err(|_| StorageError::Timeout(OPERATION_TIMEOUT))?
        {
            Ok(out) => Ok(Some(
                out.content_length()
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or_default(),
            )),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(aws_sdk_s3::operation::head_object::HeadObjectError::NotFound(_))
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(StorageError::from_sdk("HeadObject", e)),
        }
    }

    /// The keys under `prefix`, at most `limit` of them, in key order.
    pub async fn keys_under(&self, prefix: &str, limit: i32) -> Result<Vec<String>, StorageError> {
        let list = self
            .client()
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .max_keys(limit)
            .send();
        let out = tokio::time::timeout(OPERATION_TIMEOUT, list)
            .await
            .map_err(|_| StorageError::Timeout(OPERATION_TIMEOUT))?
            .map_err(|e| StorageError::from_sdk("ListObjectsV2", e))?;
        Ok(out
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect())
    }

    /// Whether the bucket exists and these credentials reach it (`HeadBucket`),
    /// failing after `limit` however the server misbehaves.
    pub async fn check(&self, limit: Duration) -> Result<(), StorageError> {
        let head = self.client().head_bucket().bucket(&self.bucket).send();
        tokio::time::timeout(limit, head)
            .await
            .map_err(|_| StorageError::Timeout(limit))?
            .map_err(|e| StorageError::from_sdk("HeadBucket", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Source {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn s3_clients_build_their_tls_with_either_trust_store() {
        // Building the client builds its HTTPS connector (the SDK does it at
        // client start-up), which parses the trust store; the SDK panics on a
        // certificate it cannot parse. Explicit here: which one
        // `Trust::for_endpoint` picks depends on the environment.
        for trust in [Trust::AmazonTrustServices, Trust::System] {
            let config = aws_sdk_s3::config::Builder::new()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .http_client(https_client(trust))
                .build();
            let _client = aws_sdk_s3::Client::from_conf(config);
        }
    }

    #[test]
    fn no_bucket_means_disabled() {
        assert_eq!(StorageConfig::from_env(&env(&[])).unwrap(), None);
        assert!(StorageConfig::require(&env(&[])).is_err());
    }

    #[test]
    fn an_endpoint_implies_path_style_unless_overridden() {
        let local = StorageConfig::from_env(&env(&[
            ("RESUME_BUCKET", "resumes"),
            ("S3_ENDPOINT", "http://127.0.0.1:9100"),
        ]))
        .unwrap()
        .unwrap();
        assert!(local.force_path_style);
        assert_eq!(local.presign_ttl, StorageConfig::DEFAULT_PRESIGN_TTL);

        let aws = StorageConfig::from_env(&env(&[("RESUME_BUCKET", "resumes")]))
            .unwrap()
            .unwrap();
        assert!(!aws.force_path_style);
        assert_eq!(aws.region, "us-east-1");

        let vhost = StorageConfig::from_env(&env(&[
            ("RESUME_BUCKET", "resumes"),
            ("S3_ENDPOINT", "https://s3.example.test"),
            ("S3_FORCE_PATH_STYLE", "false"),
        ]))
        .unwrap()
        .unwrap();
        assert!(!vhost.force_path_style);
    }

    #[test]
    fn rejects_bad_endpoint_and_ttl() {
        assert!(
            StorageConfig::from_env(&env(&[
                ("RESUME_BUCKET", "b"),
                ("S3_ENDPOINT", "127.0.0.1:9000")
            ]))
            .is_err()
        );
        assert!(
            StorageConfig::from_env(&env(&[
                ("RESUME_BUCKET", "b"),
                ("PRESIGN_TTL_SECONDS", "999999999")
            ]))
            .is_err()
        );
    }

    fn static_credentials(key: &str) -> aws_credential_types::Credentials {
        aws_credential_types::Credentials::new(key, "secret", None, None, "test")
    }

    fn local_config() -> StorageConfig {
        StorageConfig::from_env(&env(&[
            ("RESUME_BUCKET", "resumes"),
            ("S3_ENDPOINT", "http://127.0.0.1:9"),
        ]))
        .unwrap()
        .unwrap()
    }

    #[tokio::test]
    async fn the_client_is_built_on_first_use_and_presigning_never_builds_it() {
        let shared = aws_types::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(static_credentials(
                    "AKID",
                )),
            )
            .build();
        let storage = Storage::from_sdk_config(&local_config(), &shared);
        let url = storage.presign_get("user/resume.pdf").await.unwrap();
        assert!(
            url.starts_with("http://127.0.0.1:9/resumes/user/resume.pdf?"),
            "{url}"
        );
        assert!(storage.client.get().is_none());

        let clone = storage.clone();
        let _ = storage.sdk();
        assert!(clone.client.get().is_some(), "clones share the client");
    }

    #[tokio::test]
    async fn build_client_now_builds_it_up_front() {
        let storage = Storage::new(&local_config());
        assert!(storage.client.get().is_none());
        assert!(storage.build_client_now().client.get().is_some());
    }
}
