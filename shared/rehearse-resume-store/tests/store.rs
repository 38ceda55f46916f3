//! The resume lifecycle across a real bucket and a real Postgres (through
//! PgBouncer), with a resume built by hand: none of this needs the parser.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use rehearse_auth::Verifier;
use rehearse_core::{AuthUser, UserId};
use rehearse_db::Db;
use rehearse_http::Page;
use rehearse_resume::Resume;
use rehearse_resume_store::{PdfUpload, ResumeStoreError, delete, list, save};
use rehearse_storage::{Storage, StorageError};
use rehearse_testkit::tokens::{auth_config, token_for};
use rehearse_testkit::{TestDatabase, TestStack, Via};

const PDF: &[u8] = b"%PDF-1.4\n% stand-in body\n%%EOF\n";

struct Fixture {
    db: Db,
    storage: Storage,
    database: TestDatabase,
}

async fn fixture() -> Fixture {
    let database = TestStack::get().database().await;
    Fixture {
        db: database.db(Via::Pooler),
        storage: TestStack::get().storage().await,
        database,
    }
}

async fn signed_in(user: UserId) -> AuthUser {
    let verifier = Verifier::new(&auth_config(None)).unwrap();
    verifier
        .authenticate(Some(&format!("Bearer {}", token_for(user))))
        .await
        .unwrap()
        .unwrap()
}

fn upload(name: &str) -> PdfUpload {
    PdfUpload {
        file_name: name.to_owned(),
        bytes: Bytes::from_static(PDF),
    }
}

fn resume() -> Resume {
    Resume {
        name: Some("Ada Lovelace".into()),
        skills: vec!["Rust".into(), "SQL".into()],
        years_of_experience: Some(6.5),
        ..Resume::default()
    }
}

async fn objects(storage: &Storage) -> Vec<String> {
    let out = storage
        .sdk()
        .list_objects_v2()
        .bucket(storage.bucket())
        .send()
        .await
        .unwrap();
    out.contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

async fn count(database: &TestDatabase, sql: &str) -> i64 {
    database
        .client(Via::Direct)
        .await
        .query_typed_one(sql, &[])
        .await
        .unwrap()
        .get(0)
}

fn page(limit: u32, offset: u32) -> Page {
    Page { limit, offset }
}

#[tokio::test]
async fn save_list_download_delete() {
    let f = fixture().await;
    let ada = signed_in(UserId::new_random()).await;
    let stored = save(&f.db, &f.storage, &ada, &upload("Ada CV.pdf"), &resume())
        .await
        .unwrap();
    let key = stored.storage_path.clone().unwrap();
    assert!(key.starts_with(&format!("{}/", ada.id)), "{key}");
    assert!(key.ends_with("_Ada_CV.pdf"), "{key}");
    assert_eq!(stored.file_name, "Ada CV.pdf");
    assert_eq!(stored.file_size_bytes, Some(PDF.len() as i64));
    assert_eq!(stored.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(stored.skills, vec!["Rust", "SQL"]);
    assert_eq!(stored.experience_years, Some(6.5));
    assert_eq!(stored.parsed_json["name"], "Ada Lovelace");
    assert_eq!(objects(&f.storage).await, vec![key.clone()]);
    let object = f.storage.get(&key).await.unwrap();
    assert_eq!(object.content_type.as_deref(), Some("application/pdf"));

    let (views, total) = list(&f.db, &f.storage, &ada, page(20, 0)).await.unwrap();
    assert_eq!((views.len(), total), (1, 1));
    let url = views[0].file_url.clone().unwrap();
    let fetched = reqwest::get(&url).await.unwrap();
    assert!(fetched.status().is_success(), "{}", fetched.status());
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), PDF);
    // Presigned per read: never the same URL stored and handed out again.
    let (again, _) = list(&f.db, &f.storage, &ada, page(20, 0)).await.unwrap();
    assert!(again[0].file_url.is_some());

    delete(&f.db, &f.storage, &ada, stored.id).await.unwrap();
    assert!(matches!(
        f.storage.get(&key).await,
        Err(StorageError::NotFound { .. })
    ));
    assert_eq!(count(&f.database, "SELECT count(*) FROM resumes").await, 0);
    assert_eq!(
        count(&f.database, "SELECT count(*) FROM storage_deletions").await,
        0,
        "a completed delete leaves nothing queued"
    );
    let gone = delete(&f.db, &f.storage, &ada, stored.id)
        .await
        .unwrap_err();
    assert!(matches!(gone, ResumeStoreError::NotFound));
}

#[tokio::test]
async fn another_user_can_neither_list_nor_delete_it() {
    let f = fixture().await;
    let ada = signed_in(UserId::new_random()).await;
    let bob = signed_in(UserId::new_random()).await;
    let stored = save(&f.db, &f.storage, &ada, &upload("cv.pdf"), &resume())
        .await
        .unwrap();
    let (views, total) = list(&f.db, &f.storage, &bob, page(20, 0)).await.unwrap();
    assert_eq!((views.len(), total), (0, 0));
    let e = delete(&f.db, &f.storage, &bob, stored.id)
        .await
        .unwrap_err();
    assert!(matches!(e, ResumeStoreError::NotFound), "{e:?}");
    assert_eq!(count(&f.database, "SELECT count(*) FROM resumes").await, 1);
    assert_eq!(objects(&f.storage).await.len(), 1);
}

#[tokio::test]
async fn a_failed_row_insert_leaves_no_object() {
    let f = fixture().await;
    f.database
        .client(Via::Direct)
        .await
        .batch_execute(
            "CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql
                 AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$;
             CREATE TRIGGER fail_insert BEFORE INSERT ON resumes
                 FOR EACH ROW EXECUTE FUNCTION fail_insert();",
        )
        .await
        .unwrap();
    let ada = signed_in(UserId::new_random()).await;
    let e = save(&f.db, &f.storage, &ada, &upload("cv.pdf"), &resume())
        .await
        .unwrap_err();
    assert_eq!(rehearse_http::ApiError::from(e).code(), "internal_error");
    assert!(objects(&f.storage).await.is_empty());
    assert_eq!(count(&f.database, "SELECT count(*) FROM resumes").await, 0);
}

#[tokio::test]
async fn a_failed_object_delete_is_queued_and_still_a_delete() {
    let f = fixture().await;
    let ada = signed_in(UserId::new_random()).await;
    let stored = save(&f.db, &f.storage, &ada, &upload("cv.pdf"), &resume())
        .await
        .unwrap();
    let key = stored.storage_path.clone().unwrap();
    // The same server, but a bucket that does not exist: every delete fails.
    let broken = Storage::from_sdk_config(
        &TestStack::get().storage_config("no-such-bucket"),
        &TestStack::sdk_config(),
    );
    delete(&f.db, &broken, &ada, stored.id).await.unwrap();
    assert_eq!(count(&f.database, "SELECT count(*) FROM resumes").await, 0);
    let row = f
        .database
        .client(Via::Direct)
        .await
        .query_typed_one(
            "SELECT storage_path, attempts, last_error FROM storage_deletions",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), key);
    assert_eq!(row.get::<_, i32>(1), 1);
    assert!(row.get::<_, Option<String>>(2).is_some());
    // The object is still there for the sweeper to remove.
    assert!(f.storage.get(&key).await.is_ok());
}

#[tokio::test]
async fn listing_pages_newest_first_with_the_real_total() {
    let f = fixture().await;
    let ada = signed_in(UserId::new_random()).await;
    let mut ids = Vec::new();
    for name in ["one.pdf", "two.pdf", "three.pdf"] {
        let stored = save(&f.db, &f.storage, &ada, &upload(name), &resume())
            .await
            .unwrap();
        ids.push(stored.id);
    }
    let (first, total) = list(&f.db, &f.storage, &ada, page(2, 0)).await.unwrap();
    assert_eq!(total, 3);
    assert_eq!(
        first.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![ids[2], ids[1]]
    );
    let (rest, total) = list(&f.db, &f.storage, &ada, page(2, 2)).await.unwrap();
    assert_eq!((rest.len(), total), (1, 3));
    assert_eq!(rest[0].id, ids[0]);
    assert_eq!(rest[0].file_name, "one.pdf");
}
