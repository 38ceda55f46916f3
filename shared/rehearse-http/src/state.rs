use rehearse_auth::{AuthConfig, Verifier};
use rehearse_core::config::Source;
use rehearse_db::{Db, DbConfig};

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
