//! The project's published signing keys, fetched from configuration's URL and cached.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};

use crate::AuthError;

/// How often an unknown `kid` may trigger a refetch (a forged `kid` must not turn
/// every request into a request to the identity provider).
const REFETCH_INTERVAL: Duration = Duration::from_secs(60);
const FETCH_TIMEOUT: Duration = Duration::from_secs(3);
/// A project's JWKS is a few keys, a few kilobytes; anything far larger is not one.
const MAX_JWKS_BYTES: usize = 1 << 20;

/// The JWKS client: hyper's, with rustls on *ring* trusting the Web PKI roots. It is
/// what reqwest would build, without reqwest (a tenth of a megabyte of every zip):
/// hyper, hyper-util and hyper-rustls are linked anyway for the AWS SDK.
type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Empty<bytes::Bytes>,
>;

type Key = (Algorithm, Arc<DecodingKey>);

#[derive(Debug)]
pub(crate) struct Jwks {
    url: String,
    http: HttpClient,
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
        let unavailable = |e: rustls::Error| AuthError::KeysUnavailable(Box::new(e));
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        // *ring*, the one provider the workspace links, named rather than taken from a
        // process-wide default.
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(unavailable)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        // `http://` is only ever a local URL: configuration refuses it elsewhere.
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        // hyper follows no redirects: the JWKS URL is configuration, a redirect elsewhere is not.
        let http =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
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
        let body = tokio::time::timeout(FETCH_TIMEOUT, self.get())
            .await
            .map_err(|_| AuthError::KeysUnavailable("fetching the JWKS timed out".into()))??;
        let set: JwkSet =
            serde_json::from_slice(&body).map_err(|e| AuthError::KeysUnavailable(Box::new(e)))?;
        Ok(usable_keys(&set))
    }

    /// The body of a successful GET of the JWKS URL, at most [`MAX_JWKS_BYTES`].
    async fn get(&self) -> Result<bytes::Bytes, AuthError> {
        let unavailable =
            |e: Box<dyn std::error::Error + Send + Sync>| AuthError::KeysUnavailable(e);
        let uri: http::Uri = self.url.parse().map_err(|e| unavailable(Box::new(e)))?;
        let resp = self
            .http
            .get(uri)
            .await
            .map_err(|e| unavailable(Box::new(e)))?;
        if !resp.status().is_success() {
            return Err(unavailable(
                format!("the JWKS URL answered {}", resp.status()).into(),
            ));
        }
        let body = http_body_util::Limited::new(resp.into_body(), MAX_JWKS_BYTES)
            .collect()
            .await
            .map_err(unavailable)?;
        Ok(body.to_bytes())
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
