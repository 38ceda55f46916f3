//! The verifier against real tokens: valid ones of each algorithm, a matrix of
//! hostile ones, and a JWKS endpoint served locally.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehearse_auth::{AuthError, Verifier};
use rehearse_core::UserId;
use rehearse_testkit::TestStack;
use rehearse_testkit::tokens::{
    ES256_KID, RS256_KID, TEST_JWT_SECRET, auth_config, claims, hostile_tokens, sign_es256,
    sign_hs256, sign_rs256,
};

fn verifier_with_jwks() -> (Verifier, rehearse_testkit::tokens::JwksServer) {
    let jwks = TestStack::get().jwks_server();
    (Verifier::new(&auth_config(Some(&jwks))).unwrap(), jwks)
}

#[tokio::test]
async fn valid_hs256_es256_and_rs256_tokens_are_accepted() {
    let (verifier, jwks) = verifier_with_jwks();
    let user = UserId::new_random();
    let c = claims(user, "ada@example.com");
    for token in [
        sign_hs256(TEST_JWT_SECRET, &c),
        sign_es256(ES256_KID, &c),
        sign_rs256(RS256_KID, &c),
    ] {
        let got = verifier.verify(&token).await.unwrap();
        assert_eq!(got.id, user);
        assert_eq!(got.email.as_deref(), Some("ada@example.com"));
        assert_eq!(got.full_name.as_deref(), Some("Test User"));
    }
    // Both asymmetric keys came from one fetch, cached across requests.
    assert_eq!(jwks.hits(), 1);
}

#[tokio::test]
async fn an_audience_array_containing_ours_is_accepted() {
    let verifier = Verifier::new(&auth_config(None)).unwrap();
    let user = UserId::new_random();
    let mut c = claims(user, "a@example.com");
    c["aud"] = serde_json::json!(["mobile", "authenticated"]);
    assert_eq!(
        verifier
            .verify(&sign_hs256(TEST_JWT_SECRET, &c))
            .await
            .unwrap()
            .id,
        user
    );
    c["aud"] = serde_json::json!(["mobile", "admin"]);
    assert!(matches!(
        verifier.verify(&sign_hs256(TEST_JWT_SECRET, &c)).await,
        Err(AuthError::WrongAudience)
    ));
}

#[tokio::test]
async fn clock_skew_within_the_leeway_is_tolerated() {
    let verifier = Verifier::new(&auth_config(None)).unwrap();
    let mut c = claims(UserId::new_random(), "a@example.com");
    let now = rehearse_testkit::tokens::now();
    c["exp"] = serde_json::json!(now - 10);
    c["nbf"] = serde_json::json!(now + 10);
    assert!(
        verifier
            .verify(&sign_hs256(TEST_JWT_SECRET, &c))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn every_hostile_token_is_rejected_with_its_code() {
    let (verifier, _jwks) = verifier_with_jwks();
    let cases = hostile_tokens(UserId::new_random());
    assert!(cases.len() >= 15);
    for case in cases {
        let err = verifier
            .authenticate(Some(&case.authorization))
            .await
            .expect_err(case.name);
        assert_eq!(err.code(), case.code, "{}: {err}", case.name);
        assert!(!err.is_server_side(), "{}: {err}", case.name);
    }
}

#[tokio::test]
async fn unknown_kids_refetch_the_jwks_at_most_once_a_minute() {
    let (verifier, jwks) = verifier_with_jwks();
    let c = claims(UserId::new_random(), "a@example.com");
    let forged: Vec<String> = (0..20)
        .map(|i| sign_es256(&format!("kid-{i}"), &c))
        .collect();
    // All twenty race for the cache at once.
    let results = futures_util::future::join_all(forged.iter().map(|t| verifier.verify(t))).await;
    for r in results {
        assert!(matches!(r, Err(AuthError::UnknownKey)), "{r:?}");
    }
    assert_eq!(
        jwks.hits(),
        1,
        "20 unknown kids fetched the JWKS more than once"
    );
    // A known kid is still served from the cache.
    assert!(verifier.verify(&sign_es256(ES256_KID, &c)).await.is_ok());
    assert_eq!(jwks.hits(), 1);
}

#[tokio::test]
async fn an_unreachable_jwks_is_a_server_side_failure_not_a_bad_token() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cfg = auth_config(None);
    cfg.jwks_url = Some(format!("http://127.0.0.1:{closed}/jwks.json"));
    let verifier = Verifier::new(&cfg).unwrap();
    let token = sign_es256(ES256_KID, &claims(UserId::new_random(), "a@example.com"));
    let err = verifier.verify(&token).await.unwrap_err();
    assert!(err.is_server_side(), "{err:?}");
    // HS256 tokens keep working while the JWKS is down.
    let hs = sign_hs256(
        TEST_JWT_SECRET,
        &claims(UserId::new_random(), "a@example.com"),
    );
    assert!(verifier.verify(&hs).await.is_ok());
}

#[tokio::test]
async fn no_header_is_anonymous_and_no_keys_is_server_side() {
    let verifier = Verifier::new(&auth_config(None)).unwrap();
    assert!(verifier.authenticate(None).await.unwrap().is_none());

    let mut cfg = auth_config(None);
    cfg.hs256_secret = None;
    let unconfigured = Verifier::new(&cfg).unwrap();
    let token = sign_hs256(
        TEST_JWT_SECRET,
        &claims(UserId::new_random(), "a@example.com"),
    );
    let err = unconfigured.verify(&token).await.unwrap_err();
    assert!(matches!(err, AuthError::NotConfigured));
    assert!(err.is_server_side());
}

/// A JWKS URL answering `response` (raw HTTP/1.1) to every request, or, with `None`,
/// accepting connections and never answering.
fn raw_jwks_endpoint(response: Option<Vec<u8>>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                match response {
                    Some(r) => {
                        let _ = socket.write_all(&r).await;
                    }
                    None => tokio::time::sleep(std::time::Duration::from_secs(30)).await,
                }
            });
        }
    });
    format!("http://127.0.0.1:{port}/jwks.json")
}

#[tokio::test]
async fn a_jwks_endpoint_that_redirects_floods_or_stalls_is_a_server_side_failure() {
    let redirect =
        b"HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:9/keys\r\ncontent-length: 0\r\n\r\n"
            .to_vec();
    let mut flood = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4194304\r\n\r\n{\"keys\":[".to_vec();
    flood.resize(4 * 1024 * 1024 + flood.len() - 9, b' ');
    for (what, response) in [
        ("redirect", Some(redirect)),
        ("4 MiB body", Some(flood)),
        ("no answer", None),
    ] {
        let mut cfg = auth_config(None);
        cfg.jwks_url = Some(raw_jwks_endpoint(response));
        let verifier = Verifier::new(&cfg).unwrap();
        let token = sign_es256(ES256_KID, &claims(UserId::new_random(), "a@example.com"));
        let started = std::time::Instant::now();
        let err = verifier.verify(&token).await.unwrap_err();
        assert!(
            matches!(err, AuthError::KeysUnavailable(_)),
            "{what}: {err:?}"
        );
        assert!(err.is_server_side(), "{what}");
        // The fetch gives up after its 3 s timeout, not the stalled server's 30 s.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{what}"
        );
    }
}
