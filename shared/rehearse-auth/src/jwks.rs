//! The project's published signing keys, fetched from configuration's URL and cached.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};

use crate::AuthError;

/// How often an unknown `kid` may trigger a refetch (a forged `kid` must not turn
/// every request into a request to the identity provider).
const REFETCH_INTERVAL: Duration = Duration::from_secs(60);
const FETCH_TIMEOUT: Duration = Duration::from_secs(3);

type Key = (Algorithm, Arc<DecodingKey>);

#[derive(Debug)]
pub(crate) struct Jwks {
    url: String,
    http: reqwest::Client,
    cache: RwLock<Cache>,
    /// One fetch at a time; the others wait for it and read its result.
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Cache {
    keys: HashMap<String, Key>,
    last_fetch: Option<Instant>,
}

impl Jwks {
    pub fn new(url: String) -> Result<Self, AuthError> {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            // The JWKS URL is configuration; a redirect elsewhere is not.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AuthError::KeysUnavailable(Box::new(e)))?;
        Ok(Self {
            url,
            http,
            cache: RwLock::new(Cache::default()),
            fetching: tokio::sync::Mutex::new(()),
        })
    }

    pub async fn key(&self, kid: &str) -> Result<Key, AuthError> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let _one_at_a_time = self.fetching.lock().await;
        // Another request may have fetched while this one waited.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let recently = self
            .cache
            .read()
            .map(|c| c.last_fetch.is_some_and(|t| t.elapsed() < REFETCH_INTERVAL))
            .unwrap_or(false);
        if recently {
            return Err(AuthError::UnknownKey);
        }
        let fetched = self.fetch().await;
        let mut cache = self.cache.write().map_err(|_| AuthError::UnknownKey)?;
        cache.last_fetch = Some(Instant::now());
        match fetched {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "fetched the JWKS");
                cache.keys = keys;
            }
            Err(e) => {
                tracing::error!(error = %e, "could not fetch the JWKS");
                // Keep the keys we had: a flaky identity provider must not sign everyone out.
                return Err(e);
            }
        }
        cache.keys.get(kid).cloned().ok_or(AuthError::UnknownKey)
    }

    fn cached(&self, kid: &str) -> Option<Key> {
        self.cache.read().ok()?.keys.get(kid).cloned()
    }

    async fn fetch(&self) -> Result<HashMap<String, Key>, AuthError> {
        let unavailable =
            |e: Box<dyn std::error::Error + Send + Sync>| AuthError::KeysUnavailable(e);
        let resp = self
            .http
            .get(&self.url)
            .send()
            .await
            .map_err(|e| unavailable(Box::new(e)))?
            .error_for_status()
            .map_err(|e| unavailable(Box::new(e)))?;
        let set: JwkSet = resp.json().await.map_err(|e| unavailable(Box::new(e)))?;
        Ok(usable_keys(&set))
    }
}

/// The asymmetric signature keys of a set, each with the one algorithm it may verify.
/// Symmetric (`oct`) keys, encryption keys and keys without a `kid` are ignored.
fn usable_keys(set: &JwkSet) -> HashMap<String, Key> {
    let mut out = HashMap::new();
    for jwk in &set.keys {
        let Some(kid) = jwk.common.key_id.clone() else {
            continue;
        };
        if matches!(
            jwk.common.public_key_use,
            Some(jsonwebtoken::jwk::PublicKeyUse::Encryption)
        ) {
            continue;
        }
        let alg = match (&jwk.algorithm, jwk.common.key_algorithm) {
            (AlgorithmParameters::EllipticCurve(p), None | Some(KeyAlgorithm::ES256))
                if p.curve == EllipticCurve::P256 =>
            {
                Algorithm::ES256
            }
            (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
            _ => continue,
        };
        if let Ok(key) = DecodingKey::from_jwk(jwk) {
            out.insert(kid, (alg, Arc::new(key)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_signature_keys_and_drops_symmetric_and_unnamed_ones() {
        let set: JwkSet = serde_json::from_value(serde_json::json!({ "keys": [
            { "kty": "EC", "crv": "P-256", "kid": "ec", "alg": "ES256",
              "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
              "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
            { "kty": "oct", "kid": "hmac", "k": "c2VjcmV0" },
            { "kty": "EC", "crv": "P-256",
              "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
              "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
            { "kty": "EC", "crv": "P-256", "kid": "wrong-alg", "alg": "ES384",
              "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
              "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }
        ]}))
        .unwrap();
        let keys = usable_keys(&set);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys["ec"].0, Algorithm::ES256);
    }
}
