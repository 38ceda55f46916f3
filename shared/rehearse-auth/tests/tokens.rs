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
