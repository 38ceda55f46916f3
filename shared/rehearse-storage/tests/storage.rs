//! rehearse-storage against a real, signature-checking S3-compatible server.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use rehearse_storage::{Storage, StorageError};
use rehearse_testkit::TestStack;

const PDF: &[u8] = b"%PDF-1.7\n% a tiny stand-in body\n%%EOF\n";

#[tokio::test]
async fn an_object_round_trips() {
    let storage = TestStack::get().storage().await;
    let key = "user-1/1700000000000_resume.pdf";
    storage
        .put(key, Bytes::from_static(PDF), "application/pdf")
        .await
        .unwrap();
    let got = storage.get(key).await.unwrap();
    assert_eq!(got.bytes.as_ref(), PDF);
    assert_eq!(got.content_type.as_deref(), Some("application/pdf"));

    storage.delete(key).await.unwrap();
    assert!(matches!(
        storage.get(key).await,
        Err(StorageError::NotFound { .. })
    ));
    // Deleting again is not an error, so retried deletions are safe.
    storage.delete(key).await.unwrap();
}

#[tokio::test]
async fn put_new_never_overwrites_an_existing_object() {
    let storage = TestStack::get().storage().await;
    let key = "user-1/1700000000000_resume.pdf";
    storage
        .put_new(key, Bytes::from_static(PDF), "application/pdf")
        .await
        .unwrap();
    let second = storage
        .put_new(
            key,
            Bytes::from_static(b"%PDF-1.7 other"),
            "application/pdf",
        )
        .await;
    assert!(
        matches!(second, Err(StorageError::AlreadyExists { .. })),
        "{second:?}"
    );
    assert_eq!(storage.get(key).await.unwrap().bytes.as_ref(), PDF);
}

#[tokio::test]
async fn a_presigned_url_downloads_the_object_and_a_tampered_one_does_not() {
    let storage = TestStack::get().storage().await;
    let key = "user-2/1700000000001_cv.pdf";
    storage
        .put(key, Bytes::from_static(PDF), "application/pdf")
        .await
        .unwrap();
    let url = storage.presign_get(key).await.unwrap();
    assert!(url.contains("X-Amz-Signature="), "{url}");
    assert!(url.contains("X-Amz-Expires=900"), "{url}");

    let http = reqwest::Client::new();
    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), PDF);

    let other_key = url.replace("1700000000001_cv.pdf", "1700000000002_cv.pdf");
    storage
        .put(
            "user-2/1700000000002_cv.pdf",
            Bytes::from_static(PDF),
            "application/pdf",
        )
        .await
        .unwrap();
    let resp = http.get(&other_key).send().await.unwrap();
    assert_eq!(
        resp.status(),
        403,
        "a URL signed for one key opened another"
    );

    // Signed together, each URL opens its own object.
    let third = "user-2/1700000000003_cv.pdf";
    let other: &[u8] = b"%PDF-1.7 third";
    storage
        .put(third, Bytes::from_static(other), "application/pdf")
        .await
        .unwrap();
    let urls = storage
        .presign_gets(&[third, key, "user-2/missing.pdf"])
        .await
        .unwrap();
    assert_eq!(urls.len(), 3);
    for (url, want) in urls.iter().zip([Some(other), Some(PDF), None]) {
        let resp = http.get(url).send().await.unwrap();
        match want {
            Some(bytes) => {
                assert_eq!(resp.status(), 200, "{url}");
                assert_eq!(resp.bytes().await.unwrap().as_ref(), bytes, "{url}");
            }
            None => assert_eq!(resp.status(), 404, "{url}"),
        }
    }
    assert!(storage.presign_gets(&[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_bucket_check_tells_a_reachable_bucket_from_a_missing_one() {
    let stack = TestStack::get();
    let storage = stack.storage().await;
    storage.check(Duration::from_secs(1)).await.unwrap();

    let missing = Storage::from_sdk_config(
        &stack.storage_config("no-such-bucket"),
        &TestStack::sdk_config(),
    );
    assert!(missing.check(Duration::from_secs(1)).await.is_err());
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let stack = TestStack::get();
    let good = stack.storage().await;
    let forged = aws_types::SdkConfig::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(
            aws_sdk_s3::config::Credentials::new(
                "rehearse-test",
                "wrong-secret",
                None,
                None,
                "test",
            ),
        ))
        .build();
    let bad = Storage::from_sdk_config(&stack.storage_config(good.bucket()), &forged);
    let err = bad
        .put("k", Bytes::from_static(PDF), "application/pdf")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StorageError::Request {
                operation: "PutObject",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreachable_server_fails_the_check_within_its_limit() {
    let stack = TestStack::get();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cfg = stack.storage_config("resumes");
    cfg.endpoint = Some(format!("http://127.0.0.1:{port}"));
    let storage = Storage::from_sdk_config(&cfg, &TestStack::sdk_config());
    let started = std::time::Instant::now();
    assert!(storage.check(Duration::from_secs(1)).await.is_err());
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn a_presigned_url_stops_working_when_it_expires() {
    let stack = TestStack::get();
    let storage = stack.storage().await;
    let key = "user-3/1700000000003_cv.pdf";
    storage
        .put(key, Bytes::from_static(PDF), "application/pdf")
        .await
        .unwrap();
    let mut cfg = stack.storage_config(storage.bucket());
    cfg.presign_ttl = Duration::from_secs(1);
    let short = Storage::from_sdk_config(&cfg, &TestStack::sdk_config());
    let url = short.presign_get(key).await.unwrap();
    assert!(url.contains("X-Amz-Expires=1&"), "{url}");
    let http = reqwest::Client::new();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(http.get(&url).send().await.unwrap().status(), 403);
}
