//! Access tokens for tests and local tooling: HS256 with a shared secret, and
//! ES256/RS256 with the test keys in `keys/`, whose JWKS a local server publishes.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lambda_http::Request;
use lambda_http::http::HeaderValue;
use lambda_http::http::header::AUTHORIZATION;
use rehearse_auth::AuthConfig;
use rehearse_core::UserId;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::TestStack;

/// The HS256 secret tests sign with (never used outside tests).
pub const TEST_JWT_SECRET: &str = "rehearse-test-only-hs256-secret-0123456789abcdef";
/// The issuer tests configure (as `$SUPABASE_URL/auth/v1`) and sign into their tokens.
pub const TEST_ISSUER: &str = "https://rehearse-test.supabase.co/auth/v1";
pub const ES256_KID: &str = "test-es256";
pub const RS256_KID: &str = "test-rs256";
pub const ES256_PRIVATE_PEM: &str = include_str!("../keys/es256-private.pem");
pub const ES256_PUBLIC_PEM: &str = include_str!("../keys/es256-public.pem");
pub const RS256_PRIVATE_PEM: &str = include_str!("../keys/rs256-private.pem");
pub const RS256_PUBLIC_PEM: &str = include_str!("../keys/rs256-public.pem");
pub const JWKS_JSON: &str = include_str!("../keys/jwks.json");

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The claims of a fresh Supabase access token for `user`, valid for an hour.
pub fn claims(user: UserId, email: &str) -> Value {
    let now = now();
    json!({
        "sub": user.to_string(),
        "aud": "authenticated",
        "iss": TEST_ISSUER,
        "role": "authenticated",
        "email": email,
        "iat": now,
        "exp": now + 3600,
        "aal": "aal1",
        "session_id": uuid::Uuid::new_v4().to_string(),
        "user_metadata": { "full_name": "Test User" },
        "app_metadata": { "provider": "email", "providers": ["email"] },
    })
}

/// `claims` signed with HS256 and `secret`.
pub fn sign_hs256(secret: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("JWT".into());
    sign(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("sign HS256: {e}"))
}

/// `claims` signed with the test EC key, naming `kid`.
pub fn sign_es256(kid: &str, claims: &Value) -> String {
    let key =
        EncodingKey::from_ec_pem(ES256_PRIVATE_PEM.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(kid.into());
    sign(&header, claims, &key).unwrap_or_else(|e| panic!("sign ES256: {e}"))
}

/// `claims` signed with the test RSA key, naming `kid`.
pub fn sign_rs256(kid: &str, claims: &Value) -> String {
    let key =
        EncodingKey::from_rsa_pem(RS256_PRIVATE_PEM.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    sign(&header, claims, &key).unwrap_or_else(|e| panic!("sign RS256: {e}"))
}

/// A token valid for `user` on a verifier built from [`auth_config`].
pub fn token_for(user: UserId) -> String {
    sign_hs256(
        TEST_JWT_SECRET,
        &claims(user, &format!("{user}@example.com")),
    )
}

/// `req` with `Authorization: Bearer <token>` (replacing any it had).
pub fn with_bearer(mut req: Request, token: &str) -> Request {
    let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap_or_else(|e| panic!("{e}"));
    req.headers_mut().insert(AUTHORIZATION, value);
    req
}

/// `req` with no Authorization header.
pub fn without_auth(mut req: Request) -> Request {
    req.headers_mut().remove(AUTHORIZATION);
    req
}

/// Verifier settings accepting [`TEST_JWT_SECRET`] and, when given, the JWKS server's keys.
pub fn auth_config(jwks: Option<&JwksServer>) -> AuthConfig {
    AuthConfig {
        hs256_secret: Some(SecretString::from(TEST_JWT_SECRET)),
        jwks_url: jwks.map(|j| j.url.clone()),
        issuer: Some(TEST_ISSUER.into()),
        audiences: vec!["authenticated".into()],
        leeway: std::time::Duration::from_secs(30),
    }
}

/// A local JWKS endpoint publishing the test keys, counting how often it is asked.
#[derive(Debug, Clone)]
pub struct JwksServer {
    pub url: String,
    hits: Arc<AtomicUsize>,
}

impl JwksServer {
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl TestStack {
    /// A new JWKS server (its own port and hit counter) serving [`JWKS_JSON`].
    pub fn jwks_server(&self) -> JwksServer {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind JWKS: {e}"));
        listener
            .set_nonblocking(true)
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        self.runtime().spawn(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((socket, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |_req| {
                        counter.fetch_add(1, Ordering::SeqCst);
                        async move {
                            Ok::<_, Infallible>(
                                hyper::Response::builder()
                                    .header("content-type", "application/json")
                                    .body(Full::new(Bytes::from_static(JWKS_JSON.as_bytes())))
                                    .unwrap_or_default(),
                            )
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        JwksServer {
            url: format!("http://127.0.0.1:{port}/auth/v1/.well-known/jwks.json"),
            hits,
        }
    }
}

/// One broken or hostile credential, as the `Authorization` header value a client
/// would send, and the `error.code` it must be rejected with.
#[derive(Debug, Clone)]
pub struct Hostile {
    pub name: &'static str,
    pub authorization: String,
    pub code: &'static str,
}

/// At least fifteen ways to fail authentication, for `user`. ES256/RS256 cases
/// expect a verifier that trusts the JWKS of [`JwksServer`] and [`TEST_ISSUER`].
pub fn hostile_tokens(user: UserId) -> Vec<Hostile> {
    use base64_url as b64;
    let base = claims(user, "mallory@example.com");
    let with = |patch: Value| {
        let mut c = base.clone();
        if let (Value::Object(c), Value::Object(p)) = (&mut c, patch) {
            for (k, v) in p {
                if v.is_null() {
                    c.remove(&k);
                } else {
                    c.insert(k, v);
                }
            }
        }
        c
    };
    let bearer = |t: String| format!("Bearer {t}");
    let hs = |c: &Value| bearer(sign_hs256(TEST_JWT_SECRET, c));
    let unsigned = {
        let header = b64::encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = b64::encode(base.to_string().as_bytes());
        bearer(format!("{header}.{payload}."))
    };
    // An HS256 token whose "secret" is a public key: the classic algorithm confusion.
    let hs_with_public_key = |pem: &str, kid: &str| {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid.into());
        bearer(
            sign(&header, &base, &EncodingKey::from_secret(pem.as_bytes()))
                .unwrap_or_else(|e| panic!("{e}")),
        )
    };
    // A genuine ES256 token whose payload was swapped after signing.
    let tampered = {
        let good = sign_es256(ES256_KID, &base);
        let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
        let forged = with(json!({ "sub": UserId::new_random().to_string() }));
        parts[1] = b64::encode(forged.to_string().as_bytes());
        bearer(parts.join("."))
    };
    // Signed with the RSA key but claiming to be the EC key's (kid/alg mismatch).
    let mismatched = {
        let key = EncodingKey::from_rsa_pem(RS256_PRIVATE_PEM.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(ES256_KID.into());
        bearer(sign(&header, &base, &key).unwrap_or_else(|e| panic!("{e}")))
    };
    let now = now();
    let h = |name, authorization, code| Hostile {
        name,
        authorization,
        code,
    };
    vec![
        h("alg none", unsigned, "token_invalid"),
        h(
            "HS256 signed with the RSA public key",
            hs_with_public_key(RS256_PUBLIC_PEM, RS256_KID),
            "token_invalid",
        ),
        h(
            "HS256 signed with the EC public key",
            hs_with_public_key(ES256_PUBLIC_PEM, ES256_KID),
            "token_invalid",
        ),
        h(
            "wrong signature",
            bearer(sign_hs256(
                "an-attackers-guess-at-the-secret-0123456789",
                &base,
            )),
            "token_invalid",
        ),
        h("payload tampered after signing", tampered, "token_invalid"),
        h(
            "RSA signature claiming the EC key",
            mismatched,
            "token_invalid",
        ),
        h(
            "expired",
            hs(&with(json!({ "exp": now - 3600, "iat": now - 7200 }))),
            "token_expired",
        ),
        h(
            "exp missing",
            hs(&with(json!({ "exp": null }))),
            "token_missing_claim",
        ),
        h(
            "nbf in the future",
            hs(&with(json!({ "nbf": now + 3600 }))),
            "token_not_yet_valid",
        ),
        h(
            "wrong aud",
            hs(&with(json!({ "aud": "another-api" }))),
            "token_wrong_audience",
        ),
        h(
            "aud missing",
            hs(&with(json!({ "aud": null }))),
            "token_wrong_audience",
        ),
        h(
            "wrong iss",
            hs(&with(json!({ "iss": "https://evil.supabase.co/auth/v1" }))),
            "token_wrong_issuer",
        ),
        h(
            "iss missing",
            hs(&with(json!({ "iss": null }))),
            "token_wrong_issuer",
        ),
        h(
            "role anon",
            hs(&with(json!({ "role": "anon" }))),
            "token_wrong_role",
        ),
        h(
            "role service_role",
            hs(&with(json!({ "role": "service_role" }))),
            "token_wrong_role",
        ),
        h(
            "role missing",
            hs(&with(json!({ "role": null }))),
            "token_wrong_role",
        ),
        h(
            "sub missing",
            hs(&with(json!({ "sub": null }))),
            "token_invalid_subject",
        ),
        h(
            "sub not a UUID",
            hs(&with(json!({ "sub": "admin" }))),
            "token_invalid_subject",
        ),
        h(
            "unknown kid",
            bearer(sign_es256("rotated-away", &base)),
            "token_unknown_key",
        ),
        h(
            "malformed token",
            "Bearer not-a-jwt".into(),
            "token_invalid",
        ),
        h(
            "malformed header segment",
            "Bearer e30K.e30K.sig".into(),
            "token_invalid",
        ),
        h(
            "Basic scheme",
            "Basic dXNlcjpwYXNzd29yZA==".into(),
            "invalid_authorization_header",
        ),
        h(
            "empty bearer",
            "Bearer ".into(),
            "invalid_authorization_header",
        ),
        h(
            "bare token without a scheme",
            sign_hs256(TEST_JWT_SECRET, &base),
            "invalid_authorization_header",
        ),
    ]
}

mod base64_url {
    use base64::Engine as _;

    /// Unpadded base64url (RFC 7515 §2), for hand-built hostile tokens.
    pub fn encode(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }
}

/// `jsonwebtoken::encode` with Rehearse's crypto provider installed (the one the
/// verifier uses; jsonwebtoken has no other backend here).
fn sign<T: serde::Serialize>(
    header: &Header,
    claims: &T,
    key: &EncodingKey,
) -> jsonwebtoken::errors::Result<String> {
    rehearse_auth::crypto::install();
    jsonwebtoken::encode(header, claims, key)
}
