//! Verifying Supabase access tokens into an [`AuthUser`].
//!
//! Two kinds of keys, built once per cold start and shared by every request:
//! - HS256 with the project's shared secret (`SUPABASE_JWT_SECRET`, legacy projects);
//! - ES256/RS256 public keys from the project's JWKS, fetched from a URL that comes
//!   from configuration only (never from the token), cached for the life of the
//!   instance, and refetched on an unknown `kid` at most once a minute.
//!
//! The algorithm is the key's, never the token's alone: a token is checked with the
//! one key its header selects, and its `alg` must be that key's algorithm (so no
//! `none`, and no HS256 token "signed" with a public key). Then `exp`/`nbf` (small
//! leeway), `aud`, `iss` (when configured), `role = authenticated` and a UUID `sub`
//! (RFC 8725). This crate does no HTTP serving; `rehearse-http` maps [`AuthError`].

mod config;
pub mod crypto;
mod error;
mod jwks;

use std::sync::Arc;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rehearse_core::{AuthUser, UserId};
use secrecy::ExposeSecret;
use serde_json::{Map, Value};

pub use config::AuthConfig;
pub use error::AuthError;

use crate::jwks::Jwks;

/// The token verifier. Build it once per cold start; cheap to share.
#[derive(Debug)]
pub struct Verifier {
    hs256: Option<DecodingKey>,
    jwks: Option<Jwks>,
    validation_template: ValidationTemplate,
}

#[derive(Debug, Clone)]
struct ValidationTemplate {
    audiences: Vec<String>,
    issuer: Option<String>,
    leeway_secs: u64,
}

impl Verifier {
    pub fn new(config: &AuthConfig) -> Result<Self, AuthError> {
        crypto::install();
        let hs256 = config
            .hs256_secret
            .as_ref()
            .map(|s| DecodingKey::from_secret(s.expose_secret().as_bytes()));
        let jwks = config.jwks_url.clone().map(Jwks::new).transpose()?;
        Ok(Self {
            hs256,
            jwks,
            validation_template: ValidationTemplate {
                audiences: config.audiences.clone(),
                issuer: config.issuer.clone(),
                leeway_secs: config.leeway.as_secs(),
            },
        })
    }

    /// Whether any key is configured (an instance without keys rejects every token).
    pub fn is_configured(&self) -> bool {
        self.hs256.is_some() || self.jwks.is_some()
    }

    /// Verify the value of an `Authorization` header: `None` (no header) is
    /// anonymous; anything present must be a valid `Bearer` token.
    pub async fn authenticate(
        &self,
        authorization: Option<&str>,
    ) -> Result<Option<AuthUser>, AuthError> {
        match authorization {
            None => Ok(None),
            Some(value) => {
                let token = bearer_token(value)?;
                self.verify(token).await.map(Some)
            }
        }
    }

    /// Verify one compact JWS.
    pub async fn verify(&self, token: &str) -> Result<AuthUser, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Malformed)?;
        let (key_alg, key) = self.key_for(header.alg, header.kid.as_deref()).await?;
        if header.alg != key_alg {
            return Err(AuthError::AlgorithmMismatch);
        }
        let validation = self.validation(key_alg);
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(AuthError::from_jwt)?;
        user_from_claims(data.claims)
    }

    async fn key_for(
        &self,
        alg: Algorithm,
        kid: Option<&str>,
    ) -> Result<(Algorithm, Arc<DecodingKey>), AuthError> {
        match alg {
            // A shared-secret token: only ever checked against the configured secret,
            // whatever `kid` it names (a JWKS never supplies symmetric keys here).
            Algorithm::HS256 => match &self.hs256 {
                Some(key) => Ok((Algorithm::HS256, Arc::new(key.clone()))),
                None if self.jwks.is_some() => Err(AuthError::UnknownKey),
                None => Err(AuthError::NotConfigured),
            },
            Algorithm::ES256 | Algorithm::RS256 => {
                let jwks = self.jwks.as_ref().ok_or(if self.hs256.is_some() {
                    AuthError::UnknownKey
                } else {
                    AuthError::NotConfigured
                })?;
                let kid = kid.ok_or(AuthError::UnknownKey)?;
                jwks.key(kid).await
            }
            _ => Err(AuthError::UnsupportedAlgorithm),
        }
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let t = &self.validation_template;
        let mut v = Validation::new(alg);
        v.leeway = t.leeway_secs;
        v.validate_exp = true;
        v.validate_nbf = true;
        v.set_audience(&t.audiences);
        let mut required = vec!["exp", "sub", "aud"];
        if let Some(iss) = &t.issuer {
            v.set_issuer(&[iss]);
            required.push("iss");
        }
        v.set_required_spec_claims(&required);
        v
    }
}

/// The token of a `Bearer` credential (scheme case-insensitive, RFC 7235).
fn bearer_token(value: &str) -> Result<&str, AuthError> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::WrongScheme);
    }
    let token = rest.trim();
    if token.is_empty() {
        return Err(AuthError::EmptyToken);
    }
    Ok(token)
}

fn user_from_claims(claims: Map<String, Value>) -> Result<AuthUser, AuthError> {
    // Only end users: Supabase's `anon` key and `service_role` key are JWTs too,
    // and neither identifies a person.
    match claims.get("role").and_then(Value::as_str) {
        Some("authenticated") => {}
        other => return Err(AuthError::WrongRole(other.map(str::to_owned))),
    }
    let id: UserId = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or(AuthError::InvalidSubject)?
        .parse()
        .map_err(|_| AuthError::InvalidSubject)?;
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let email = text(claims.get("email"));
    let metadata = claims.get("user_metadata");
    let full_name = text(metadata.and_then(|m| m.get("full_name")))
        .or_else(|| text(metadata.and_then(|m| m.get("name"))));
    let claims_json = Value::Object(claims).to_string();
    Ok(AuthUser {
        id,
        email,
        full_name,
        claims: Arc::from(claims_json),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive_and_required() {
        assert_eq!(bearer_token("Bearer abc").unwrap(), "abc");
        assert_eq!(bearer_token("bearer   abc ").unwrap(), "abc");
        assert!(matches!(
            bearer_token("Basic dXNlcjpwYXNz"),
            Err(AuthError::WrongScheme)
        ));
        assert!(matches!(
            bearer_token("Bearer "),
            Err(AuthError::EmptyToken)
        ));
        assert!(matches!(bearer_token("Bearer"), Err(AuthError::EmptyToken)));
        assert!(matches!(
            bearer_token("abc.def.ghi"),
            Err(AuthError::WrongScheme)
        ));
    }

    #[test]
    fn claims_become_a_user_with_profile_hints() {
        let sub = "0b5d3c1e-8a6f-4f7e-9a51-2c7e1d9b3f40";
        let claims = serde_json::json!({
            "sub": sub, "role": "authenticated", "email": "ada@example.com",
            "user_metadata": { "name": "Ada L.", "full_name": " Ada Lovelace " }
        });
        let Value::Object(map) = claims else {
            unreachable!()
        };
        let user = user_from_claims(map).unwrap();
        assert_eq!(user.id.to_string(), sub);
        assert_eq!(user.email.as_deref(), Some("ada@example.com"));
        assert_eq!(user.full_name.as_deref(), Some("Ada Lovelace"));
        let back: Value = serde_json::from_str(&user.claims).unwrap();
        assert_eq!(back["sub"], sub);
    }
}
