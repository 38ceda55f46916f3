use rehearse_auth::{AuthConfig, Verifier};
use rehearse_core::config::Source;
use rehearse_db::{Db, DbConfig};
use rehearse_storage::{Storage, StorageConfig};

/// What a signed-in route needs, built once per cold start: the pool and the
/// token verifier. Fails the cold start, naming the variable, when either is
/// not configured.
#[derive(Debug)]
pub struct Backend {
    pub db: Db,
    pub auth: Verifier,
}

impl Backend {
    pub fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        let db = Db::new(&DbConfig::require(env)?)?;
        let auth = Verifier::new(&AuthConfig::require(env)?)?;
        Ok(Self { db, auth })
    }
}

/// What a route that also reaches the bucket needs (listing, deleting, the
/// dashboard): the backend and the bucket client.
#[derive(Debug)]
pub struct StoreState {
    pub backend: Backend,
    pub storage: Storage,
}

impl StoreState {
    pub async fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        let backend = Backend::from_env(env)?;
        let storage = Storage::new(&StorageConfig::require(env)?);
        Ok(Self { backend, storage })
    }
}
