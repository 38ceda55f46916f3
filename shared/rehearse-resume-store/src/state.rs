use rehearse_core::config::Source;
use rehearse_http::{Backend, Quotas, StoreState};
use rehearse_isolate::{IsolateConfig, Isolator};
use rehearse_storage::{Storage, StorageConfig};

use crate::DirectUploads;

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
        let storage = Storage::new(&StorageConfig::require(env)?);
        Ok(Self {
            backend,
            storage,
            parser,
            quotas: Quotas::from_env(env)?,
        })
    }

    /// The state of the route that parses direct uploads from the bucket: the
    /// same isolation and limits, but for files up to `MAX_DIRECT_UPLOAD_BYTES`.
    pub async fn for_direct_uploads_from_env(
        env: &impl Source,
    ) -> Result<Self, lambda_http::Error> {
        let mut config = IsolateConfig::from_env(env)?;
        let max = DirectUploads::from_env(env)?.max_bytes;
        config.limits.max_bytes = usize::try_from(max)?;
        let backend = Backend::from_env(env)?;
        let storage = Storage::new(&StorageConfig::require(env)?);
        Ok(Self {
            backend,
            storage,
            parser: Isolator::for_current_exe(config)?,
            quotas: Quotas::from_env(env)?,
        })
    }

    /// The largest PDF accepted (`MAX_UPLOAD_BYTES`).
    pub fn max_upload_bytes(&self) -> usize {
        self.parser.config().limits.max_bytes
    }
}

/// What the route handing out direct-upload URLs needs: the backend and
/// bucket, the limits of direct uploads, and the budget (one URL, at most one
/// parse).
#[derive(Debug)]
pub struct DirectUploadState {
    pub store: StoreState,
    pub direct: DirectUploads,
    pub quotas: Quotas,
}

impl DirectUploadState {
    pub async fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        Ok(Self {
            store: StoreState::from_env(env).await?,
            direct: DirectUploads::from_env(env)?,
            quotas: Quotas::from_env(env)?,
        })
    }
}
