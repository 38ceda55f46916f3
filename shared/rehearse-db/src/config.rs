use std::time::Duration;

use rehearse_core::ConfigError;
use rehearse_core::config::{self, Source};
use secrecy::SecretString;

/// How to reach Postgres, read once per cold start.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `DATABASE_URL`: a libpq-style URL; `sslmode=require|verify-ca|verify-full` turns TLS on.
    pub url: SecretString,
    /// `DATABASE_POOL_SIZE`: connections one Lambda instance may hold (default 2: an
    /// instance serves one request at a time, and Postgres does not scale out).
    pub pool_size: usize,
    /// How long to wait for a connection before failing the request.
    pub connect_timeout: Duration,
    /// `DATABASE_TRANSACTION_TIMEOUT_MS` (default 5000): the longest one
    /// transaction (or one-message read) may take, from taking a connection to
    /// its commit, so a hung server costs a request this much, not the
    /// function's whole timeout.
    pub transaction_timeout: Duration,
}

impl DbConfig {
    pub const DEFAULT_POOL_SIZE: usize = 2;

    /// The configuration, or `None` when `DATABASE_URL` is not set (the health
    /// route reports the database as `disabled` then).
    pub fn from_env(env: &impl Source) -> Result<Option<Self>, ConfigError> {
        let Some(url) = config::optional(env, "DATABASE_URL") else {
            return Ok(None);
        };
        let pool_size = config::parsed_or(env, "DATABASE_POOL_SIZE", Self::DEFAULT_POOL_SIZE)?;
        if !(1..=50).contains(&pool_size) {
            return Err(ConfigError::Invalid {
                name: "DATABASE_POOL_SIZE",
                reason: format!("{pool_size} is outside 1..=50"),
            });
        }
        let connect_timeout_ms: u64 = config::parsed_or(env, "DATABASE_CONNECT_TIMEOUT_MS", 5_000)?;
        let transaction_timeout_ms: u64 =
            config::parsed_or(env, "DATABASE_TRANSACTION_TIMEOUT_MS", 5_000)?;
        if !(100..=600_000).contains(&transaction_timeout_ms) {
            return Err(ConfigError::Invalid {
                name: "DATABASE_TRANSACTION_TIMEOUT_MS",
                reason: format!("{transaction_timeout_ms} is outside 100..=600000"),
            });
        }
        let cfg = Self {
            url: SecretString::from(url),
            pool_size,
            connect_timeout: Duration::from_millis(connect_timeout_ms),
            transaction_timeout: Duration::from_millis(transaction_timeout_ms),
        };
        // Parse now so a malformed URL fails the cold start, not the first request.
        crate::tls::ConnectSettings::parse(&cfg.url).map_err(|e| ConfigError::Invalid {
            name: "DATABASE_URL",
            reason: e.to_string(),
        })?;
        Ok(Some(cfg))
    }

    /// Like [`DbConfig::from_env`], for functions that cannot work without a database.
    pub fn require(env: &impl Source) -> Result<Self, ConfigError> {
        Self::from_env(env)?.ok_or(ConfigError::Missing {
            name: "DATABASE_URL",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(url: &'static str, size: &'static str) -> impl Source {
        move |name: &str| match name {
            "DATABASE_URL" => Some(url.to_owned()),
            "DATABASE_POOL_SIZE" => Some(size.to_owned()),
            _ => None,
        }
    }

    #[test]
    fn unset_url_means_disabled() {
        let none = |_: &str| None::<String>;
        assert!(DbConfig::from_env(&none).unwrap().is_none());
        assert_eq!(
            DbConfig::require(&none).unwrap_err(),
            ConfigError::Missing {
                name: "DATABASE_URL"
            }
        );
    }

    #[test]
    fn pool_size_is_validated() {
        let cfg = DbConfig::from_env(&env("postgres://u@h/db", "3"))
            .unwrap()
            .unwrap();
        assert_eq!(cfg.pool_size, 3);
        assert!(DbConfig::from_env(&env("postgres://u@h/db", "0")).is_err());
        assert!(DbConfig::from_env(&env("postgres://u@h/db", "two")).is_err());
    }

    #[test]
    fn malformed_url_fails_at_start_without_echoing_it() {
        let err = DbConfig::from_env(&env("postgres://u:hunter2@h/db?sslmode=sometimes", "2"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("DATABASE_URL"), "{err}");
        assert!(!err.contains("hunter2"), "the password leaked into {err}");
    }
}
