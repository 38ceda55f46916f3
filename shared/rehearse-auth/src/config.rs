use std::time::Duration;

use rehearse_core::ConfigError;
use rehearse_core::config::{self, Source};
use secrecy::{ExposeSecret, SecretString};

/// Where verification keys come from, read once per cold start.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// `SUPABASE_JWT_SECRET`: the legacy HS256 shared secret.
    pub hs256_secret: Option<SecretString>,
    /// `SUPABASE_JWKS_URL`, else `$SUPABASE_URL/auth/v1/.well-known/jwks.json`.
    pub jwks_url: Option<String>,
    /// `$SUPABASE_URL/auth/v1` when `SUPABASE_URL` is set; tokens must carry it as `iss`.
    pub issuer: Option<String>,
    /// `JWT_AUDIENCE` (comma-separated; default `authenticated`).
    pub audiences: Vec<String>,
    /// `JWT_LEEWAY_SECONDS` (default 30, at most 300): clock skew allowed on `exp`/`nbf`.
    pub leeway: Duration,
}

impl AuthConfig {
    /// RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits).
    pub const MIN_SECRET_BYTES: usize = 32;

    pub fn from_env(env: &impl Source) -> Result<Self, ConfigError> {
        let hs256_secret = config::optional_secret(env, "SUPABASE_JWT_SECRET");
        if let Some(s) = &hs256_secret
            && s.expose_secret().len() < Self::MIN_SECRET_BYTES
        {
            return Err(ConfigError::Invalid {
                name: "SUPABASE_JWT_SECRET",
                reason: format!("must be at least {} bytes long", Self::MIN_SECRET_BYTES),
            });
        }
        let base =
            config::optional(env, "SUPABASE_URL").map(|u| u.trim_end_matches('/').to_owned());
        if let Some(b) = &base {
            check_url("SUPABASE_URL", b)?;
        }
        let jwks_url = match config::optional(env, "SUPABASE_JWKS_URL") {
            Some(u) => Some(u),
            None => base
                .as_ref()
                .map(|b| format!("{b}/auth/v1/.well-known/jwks.json")),
        };
        if let Some(u) = &jwks_url {
            check_url("SUPABASE_JWKS_URL", u)?;
        }
        let audiences: Vec<String> = config::optional(env, "JWT_AUDIENCE")
            .unwrap_or_else(|| "authenticated".to_owned())
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        if audiences.is_empty() {
            return Err(ConfigError::Invalid {
                name: "JWT_AUDIENCE",
                reason: "names no audience".into(),
            });
        }
        let leeway: u64 = config::parsed_or(env, "JWT_LEEWAY_SECONDS", 30)?;
        if leeway > 300 {
            return Err(ConfigError::Invalid {
                name: "JWT_LEEWAY_SECONDS",
                reason: format!("{leeway} is over 300"),
            });
        }
        Ok(Self {
            hs256_secret,
            jwks_url,
            issuer: base.map(|b| format!("{b}/auth/v1")),
            audiences,
            leeway: Duration::from_secs(leeway),
        })
    }

    /// Like [`AuthConfig::from_env`], for functions whose every route needs a signed-in user.
    pub fn require(env: &impl Source) -> Result<Self, ConfigError> {
        let cfg = Self::from_env(env)?;
        if cfg.hs256_secret.is_none() && cfg.jwks_url.is_none() {
            return Err(ConfigError::Missing {
                name: "SUPABASE_JWT_SECRET (or SUPABASE_URL / SUPABASE_JWKS_URL)",
            });
        }
        Ok(cfg)
    }
}

/// Keys are only fetched over HTTPS, except from this machine (local stacks, tests).
fn check_url(name: &'static str, raw: &str) -> Result<(), ConfigError> {
    let url = url::Url::parse(raw).map_err(|e| ConfigError::Invalid {
        name,
        reason: format!("{raw:?} is not a URL: {e}"),
    })?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        _ => Err(ConfigError::Invalid {
            name,
            reason: format!("{raw:?} must be an https:// URL"),
        }),
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
    fn supabase_url_gives_issuer_and_jwks() {
        let cfg =
            AuthConfig::from_env(&env(&[("SUPABASE_URL", "https://abc.supabase.co/")])).unwrap();
        assert_eq!(
            cfg.issuer.as_deref(),
            Some("https://abc.supabase.co/auth/v1")
        );
        assert_eq!(
            cfg.jwks_url.as_deref(),
            Some("https://abc.supabase.co/auth/v1/.well-known/jwks.json")
        );
        assert_eq!(cfg.audiences, vec!["authenticated"]);
        assert_eq!(cfg.leeway, Duration::from_secs(30));
    }

    #[test]
    fn rejects_weak_secrets_plain_http_keys_and_nothing_at_all() {
        assert!(AuthConfig::from_env(&env(&[("SUPABASE_JWT_SECRET", "short")])).is_err());
        assert!(
            AuthConfig::from_env(&env(&[(
                "SUPABASE_JWKS_URL",
                "http://keys.example.com/jwks"
            )]))
            .is_err()
        );
        assert!(
            AuthConfig::from_env(&env(&[("SUPABASE_JWKS_URL", "http://127.0.0.1:9/jwks")])).is_ok()
        );
        assert!(AuthConfig::require(&env(&[])).is_err());
        assert!(AuthConfig::from_env(&env(&[])).is_ok());
    }

    #[test]
    fn audience_list_is_comma_separated() {
        let cfg = AuthConfig::from_env(&env(&[("JWT_AUDIENCE", "authenticated, mobile")])).unwrap();
        assert_eq!(cfg.audiences, vec!["authenticated", "mobile"]);
    }
}
