use rehearse_core::config::Source;
use rehearse_http::{Backend, Quotas};
use rehearse_isolate::{IsolateConfig, Isolator};
use rehearse_storage::{Storage, StorageConfig};

/// What an upload route needs, built once per cold start: the pool and token
/// verifier, the bucket, and the isolated parser (whose limits include
/// `MAX_UPLOAD_BYTES`). Fails the cold start naming any missing variable.
#[derive(Debug)]
pub struct UploadState {
    pub backend: Backend,
    pub storage: Storage,
    pub parser: Isolator,
    /// Parsing is the costliest request there is: it has a budget per caller.
    pub quotas: Quotas,
}

impl UploadState {
    pub async fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        let backend = Backend::from_env(env)?;
        let parser = Isolator::for_current_exe(IsolateConfig::from_env(env)?)?;
        let storage = Storage::new(&StorageConfig::require(env)?).await;
        Ok(Self {
            backend,
            storage,
            parser,
            quotas: Quotas::from_env(env)?,
        })
    }

    /// The largest PDF accepted (`MAX_UPLOAD_BYTES`).
    pub fn max_upload_bytes(&self) -> usize {
        self.parser.config().limits.max_bytes
    }
}
