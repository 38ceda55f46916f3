//! rehearse-db against a real Postgres, directly and through PgBouncer in
//! transaction mode.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use rehearse_db::{Db, DbConfig, DbError, Type, migrate};
use rehearse_testkit::{TestStack, Via};
use secrecy::SecretString;
use uuid::Uuid;

const TABLES: [&str; 6] = [
    "user_profiles",
    "resumes",
    "interview_sessions",
    "interview_answers",
    "interview_statistics",
    "user_dashboards",
];

/// The files of `migrations/` as `(version, "V<n>__<name>", SQL)`, in version
/// order: what a fresh database gets, read from the directory itself so that
/// adding a migration needs no edit here.
fn migration_files() -> Vec<(u32, String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files: Vec<(u32, String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let stem = path.file_name()?.to_str()?.strip_suffix(".sql")?.to_owned();
            let version = stem.strip_prefix('V')?.split_once("__")?.0.parse().ok()?;
            Some((version, stem, std::fs::read_to_string(&path).unwrap()))
        })
        .collect();
    files.sort_by_key(|(version, _, _)| *version);
    assert!(files.len() >= 2, "no migrations in {}", dir.display());
    files
}

fn migration_names() -> Vec<String> {
    migration_files()
        .into_iter()
        .map(|(_, name, _)| name)
        .collect()
}

#[tokio::test]
async fn migrations_apply_to_an_empty_database_then_reapply_as_a_no_op() {
    let db = TestStack::get().empty_database().await;
    let first = migrate(&db.url(Via::Direct)).await.unwrap();
    let names = migration_names();
    assert_eq!(first.applied, names);
    assert_eq!(first.latest.as_ref(), names.last());

    let second = migrate(&db.url(Via::Direct)).await.unwrap();
    assert!(second.applied.is_empty(), "re-applied {:?}", second.applied);
    assert_eq!(second.latest, first.latest);
}

#[tokio::test]
async fn concurrent_migrations_apply_each_file_once() {
    let db = TestStack::get().empty_database().await;
    let url = db.url(Via::Direct);
    let (a, b) = tokio::join!(migrate(&url), migrate(&url));
    let mut applied = a.unwrap().applied;
    applied.extend(b.unwrap().applied);
    assert_eq!(applied, migration_names());
}

#[tokio::test]
async fn the_five_tables_have_row_level_security_and_owner_policies() {
    let db = TestStack::get().database().await;
    let client = db.client(Via::Direct).await;
    for table in TABLES {
        let rows = client
            .query_typed(
                "SELECT c.relrowsecurity, count(p.polname)
                   FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                   LEFT JOIN pg_policy p ON p.polrelid = c.oid
                  WHERE c.relname = $1
                  GROUP BY c.relrowsecurity",
                &[(&table, Type::TEXT)],
            )
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{table} is missing");
        let rls: bool = rows[0].get(0);
        let policies: i64 = rows[0].get(1);
        assert!(rls, "{table} has row-level security off");
        assert!(policies >= 1, "{table} has no policy");
    }
}

#[tokio::test]
async fn every_user_id_and_foreign_key_column_is_indexed() {
    let db = TestStack::get().database().await;
    let client = db.client(Via::Direct).await;
    // Foreign-key columns (and user_id columns) that are not the leading column of any index.
    let rows = client
        .simple_query(
            "SELECT c.relname || '.' || a.attname
               FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
              WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                AND (a.attname = 'user_id' OR EXISTS (
                      SELECT 1 FROM pg_constraint k
                       WHERE k.conrelid = c.oid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)))
                AND NOT EXISTS (
                      SELECT 1 FROM pg_index i
                       WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum)",
        )
        .await
        .unwrap();
    let unindexed: Vec<String> = rows
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
            _ => None,
        })
        .collect();
    assert!(unindexed.is_empty(), "unindexed: {unindexed:?}");
}

#[tokio::test]
async fn a_row_round_trips_directly_and_through_the_pooler() {
    let database = TestStack::get().database().await;
    for via in Via::BOTH {
        let db = database.db(via);
        let client = db.client().await.unwrap();
        let user = Uuid::new_v4();
        let email = format!("{via:?}@example.com");
        client
            .query_typed(
                "INSERT INTO user_profiles (id, email, full_name) VALUES ($1, $2, $3)",
                &[
                    (&user, Type::UUID),
                    (&email, Type::TEXT),
                    (&"Ada", Type::TEXT),
                ],
            )
            .await
            .unwrap();
        let row = client
            .query_typed_one(
                "SELECT email, full_name, created_at = updated_at FROM user_profiles WHERE id = $1",
                &[(&user, Type::UUID)],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), email);
        assert_eq!(row.get::<_, String>(1), "Ada");
        assert!(row.get::<_, bool>(2));
    }
}

#[tokio::test]
async fn many_concurrent_typed_queries_succeed_through_the_pooler() {
    // Named prepared statements fail intermittently behind a transaction pooler
    // ("prepared statement s0 already exists"); query_typed must never.
    let database = TestStack::get().database().await;
    let db = database.db(Via::Pooler);
    let mut tasks = Vec::new();
    for i in 0..40i32 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let client = db.client().await?;
            for j in 0..5i32 {
                let row = client
                    .query_typed_one(
                        "SELECT $1::int4 * $2::int4",
                        &[(&i, Type::INT4), (&j, Type::INT4)],
                    )
                    .await?;
                assert_eq!(row.get::<_, i32>(0), i * j);
            }
            Ok::<_, DbError>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn row_level_security_limits_an_unfiltered_query_to_the_callers_rows() {
    let database = TestStack::get().database().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let setup = database.client(Via::Direct).await;
    for user in [alice, bob] {
        setup
            .query_typed(
                "INSERT INTO user_profiles (id) VALUES ($1)",
                &[(&user, Type::UUID)],
            )
            .await
            .unwrap();
        for n in 0..2 {
            setup
                .query_typed(
                    "INSERT INTO resumes (user_id, file_name) VALUES ($1, $2)",
                    &[(&user, Type::UUID), (&format!("cv{n}.pdf"), Type::TEXT)],
                )
                .await
                .unwrap();
        }
    }
    for via in Via::BOTH {
        let db = database.db(via);
        let mut client = db.client().await.unwrap();
        let tx = client.transaction().await.unwrap();
        let claims = serde_json::json!({ "sub": alice, "role": "authenticated" }).to_string();
        tx.query_typed(
            "SELECT set_config('request.jwt.claims', $1, true)",
            &[(&claims, Type::TEXT)],
        )
        .await
        .unwrap();
        tx.batch_execute("SET LOCAL ROLE rehearse_user")
            .await
            .unwrap();
        let owners: Vec<Uuid> = tx
            .query_typed("SELECT user_id FROM resumes", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(owners, vec![alice, alice], "via {via:?}");
        // Writing a row for someone else is refused by the policy's WITH CHECK.
        let forged = tx
            .query_typed(
                "INSERT INTO resumes (user_id, file_name) VALUES ($1, 'x.pdf')",
                &[(&bob, Type::UUID)],
            )
            .await;
        assert!(
            forged.is_err(),
            "via {via:?}: inserted a row as another user"
        );
        drop(tx);

        // The settings were transaction-local: the next transaction on the same
        // (pooled) connection is the connection's own role again, with no claims.
        let row = client
            .query_typed_one(
                "SELECT current_user::text, rehearse_private.caller_id()",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), "postgres");
        assert_eq!(row.get::<_, Option<Uuid>>(1), None);
    }
}

#[tokio::test]
async fn updated_at_moves_on_update() {
    let database = TestStack::get().database().await;
    let client = database.client(Via::Direct).await;
    let user = Uuid::new_v4();
    client
        .query_typed(
            "INSERT INTO user_profiles (id) VALUES ($1)",
            &[(&user, Type::UUID)],
        )
        .await
        .unwrap();
    let row = client
        .query_typed_one(
            "UPDATE user_profiles SET full_name = 'B', created_at = now() - interval '1 hour'
              WHERE id = $1 RETURNING updated_at > created_at",
            &[(&user, Type::UUID)],
        )
        .await
        .unwrap();
    assert!(row.get::<_, bool>(0));
}

#[tokio::test]
async fn deleting_a_resume_queues_its_object_even_as_the_user() {
    let database = TestStack::get().database().await;
    let user = Uuid::new_v4();
    let path = format!("{user}/1700000000000_cv.pdf");
    let mut client = database.client(Via::Pooler).await;
    client
        .query_typed(
            "INSERT INTO user_profiles (id) VALUES ($1)",
            &[(&user, Type::UUID)],
        )
        .await
        .unwrap();
    client
        .query_typed(
            "INSERT INTO resumes (user_id, file_name, storage_path) VALUES ($1, 'cv.pdf', $2)",
            &[(&user, Type::UUID), (&path, Type::TEXT)],
        )
        .await
        .unwrap();
    let tx = client.transaction().await.unwrap();
    let claims = serde_json::json!({ "sub": user }).to_string();
    tx.query_typed(
        "SELECT set_config('request.jwt.claims', $1, true)",
        &[(&claims, Type::TEXT)],
    )
    .await
    .unwrap();
    tx.batch_execute("SET LOCAL ROLE rehearse_user")
        .await
        .unwrap();
    let deleted = tx.execute_typed("DELETE FROM resumes", &[]).await.unwrap();
    assert_eq!(deleted, 1);
    // The user's role cannot read the queue itself.
    assert!(
        tx.query_typed("SELECT 1 FROM storage_deletions", &[])
            .await
            .is_err()
    );
    drop(tx); // rolled back: the deletion and its queue entry go together
    let queued: i64 = client
        .query_typed_one("SELECT count(*) FROM storage_deletions", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(queued, 0);

    client
        .query_typed(
            "DELETE FROM resumes WHERE user_id = $1",
            &[(&user, Type::UUID)],
        )
        .await
        .unwrap();
    let queued: Vec<String> = client
        .query_typed("SELECT storage_path FROM storage_deletions", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(queued, vec![path]);
}

#[tokio::test]
async fn a_refused_connection_fails_the_ping_quickly() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = Db::new(&DbConfig {
        url: SecretString::from(format!("postgres://u@127.0.0.1:{port}/x")),
        pool_size: 1,
        connect_timeout: Duration::from_secs(5),
        transaction_timeout: Duration::from_secs(5),
    })
    .unwrap();
    let started = Instant::now();
    let err = db.ping(Duration::from_secs(1)).await.unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn a_server_that_never_answers_fails_the_ping_at_its_limit() {
    // Accepts TCP connections and then says nothing, like a hung or black-holed server.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let db = Db::new(&DbConfig {
        url: SecretString::from(format!("postgres://u@127.0.0.1:{port}/x")),
        pool_size: 1,
        connect_timeout: Duration::from_secs(30),
        transaction_timeout: Duration::from_secs(30),
    })
    .unwrap();
    let started = Instant::now();
    let err = db.ping(Duration::from_millis(800)).await.unwrap_err();
    assert!(matches!(err, DbError::Timeout(_)), "{err:?}");
    assert!(err.is_unavailable());
    assert!(started.elapsed() < Duration::from_millis(1500));
    silent.abort();
}

fn user(id: Uuid, email: &str) -> rehearse_core::AuthUser {
    rehearse_core::AuthUser {
        id: id.into(),
        email: Some(email.to_owned()),
        full_name: Some("From Token".to_owned()),
        claims: serde_json::json!({ "sub": id, "role": "authenticated", "email": email })
            .to_string()
            .into(),
    }
}

/// The next pooled connections (three, so a pooler's other server connection
/// is seen too) run as the login again, with no caller id left set.
async fn assert_pooled_connections_are_the_login(db: &Db, via: Via) {
    for _ in 0..3 {
        let row = db
            .client()
            .await
            .unwrap()
            .query_typed_one(
                "SELECT current_user::text, current_setting('request.jwt.claim.sub', true)",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), "postgres", "via {via:?}");
        assert_eq!(row.get::<_, Option<String>>(1).unwrap_or_default(), "");
    }
}

/// One row per table for `owner`, inserted as the connection's own role (as the
/// finalize step and the sweeper do).
async fn seed_everything(client: &tokio_postgres::Client, owner: Uuid) {
    client
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id) VALUES ('{owner}');
             INSERT INTO resumes (id, user_id, file_name) VALUES (gen_random_uuid(), '{owner}', 'cv.pdf');
             WITH s AS (
                 INSERT INTO interview_sessions (user_id, target_role, experience_level, interview_type, mode, total_questions)
                 VALUES ('{owner}', 'Backend Engineer', 'mid', 'technical', 'conversational', 10)
                 RETURNING id)
             INSERT INTO interview_answers (session_id, user_id, question_number, question_text, category, difficulty, answer_text)
             SELECT id, '{owner}', 1, 'Tell me about yourself', 'behavioral', 'easy', 'I build things' FROM s;
             INSERT INTO interview_statistics (user_id, total_interviews) VALUES ('{owner}', 1);"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn as_a_user_an_unfiltered_select_on_each_table_returns_only_their_rows() {
    let database = TestStack::get().database().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let setup = database.client(Via::Direct).await;
    seed_everything(&setup, alice).await;
    seed_everything(&setup, bob).await;

    for via in Via::BOTH {
        let db = database.db(via);
        let mut client = db.client().await.unwrap();
        let tx = rehearse_db::begin_as_user(&mut client, &user(alice, "alice@example.com"))
            .await
            .unwrap();
        let role: String = tx
            .query_typed_one("SELECT current_user::text", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(role, "rehearse_user");
        for (table, owner_column) in [
            ("user_profiles", "id"),
            ("resumes", "user_id"),
            ("interview_sessions", "user_id"),
            ("interview_answers", "user_id"),
            ("interview_statistics", "user_id"),
            ("user_dashboards", "user_id"),
        ] {
            let owners: Vec<Uuid> = tx
                .query_typed(&format!("SELECT {owner_column} FROM {table}"), &[])
                .await
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            assert_eq!(owners, vec![alice], "{table} via {via:?}");
        }
        // Bob's rows cannot be changed either, even by id.
        let touched = tx
            .execute_typed(
                "UPDATE interview_sessions SET target_role = 'pwned' WHERE user_id = $1",
                &[(&bob, Type::UUID)],
            )
            .await
            .unwrap();
        assert_eq!(touched, 0, "via {via:?}");
        // The dashboard read model is written by triggers only.
        let err = tx
            .execute_typed(
                "UPDATE user_dashboards SET document = '{}' WHERE user_id = $1",
                &[(&alice, Type::UUID)],
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "via {via:?}"
        );
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn a_first_write_creates_the_profile_from_the_token_and_never_overwrites_user_edits() {
    use rehearse_core::profile::ProfileChanges;
    let database = TestStack::get().database().await;
    let db = database.db(Via::Pooler);
    let id = Uuid::new_v4();
    let ada = user(id, "ada@example.com");

    let mut client = db.client().await.unwrap();
    let tx = rehearse_db::begin_user_write(&mut client, &ada)
        .await
        .unwrap();
    let created = rehearse_db::profiles::get(&tx, ada.id)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(created.email.as_deref(), Some("ada@example.com"));
    assert_eq!(created.full_name.as_deref(), Some("From Token"));

    let changes = ProfileChanges {
        full_name: Some(Some("Ada Lovelace".into())),
        phone: Some(Some("+44 20 7946 0958".into())),
        experience_level: Some(Some("senior".into())),
        ..Default::default()
    };
    let tx = rehearse_db::begin_as_user(&mut client, &ada).await.unwrap();
    let first = rehearse_db::profiles::upsert(&tx, &ada, &changes)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(first.full_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(first.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(first.experience_level.as_deref(), Some("senior"));

    // The same write again changes nothing, not even updated_at; a later
    // first-write elsewhere does not put the token's name back.
    let tx = rehearse_db::begin_user_write(&mut client, &ada)
        .await
        .unwrap();
    let second = rehearse_db::profiles::upsert(&tx, &ada, &changes)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(second, first);

    let clear = ProfileChanges {
        phone: Some(None),
        ..Default::default()
    };
    let tx = rehearse_db::begin_as_user(&mut client, &ada).await.unwrap();
    let cleared = rehearse_db::profiles::upsert(&tx, &ada, &clear)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(cleared.phone, None);
    assert_eq!(cleared.full_name.as_deref(), Some("Ada Lovelace"));
}

fn new_resume<'a>(
    path: Option<&'a str>,
    parsed: &'a serde_json::Value,
    skills: &'a [String],
) -> rehearse_db::resumes::NewResume<'a> {
    rehearse_db::resumes::NewResume {
        file_name: "Ada CV.pdf",
        storage_path: path,
        file_size_bytes: path.map(|_| 1234),
        content_type: path.map(|_| "application/pdf"),
        parsed_json: parsed,
        skills,
        experience_years: Some(4.25),
    }
}

#[tokio::test]
async fn resumes_insert_list_get_delete_as_the_user_through_the_pooler() {
    use rehearse_db::resumes;
    let database = TestStack::get().database().await;
    let db = database.db(Via::Pooler);
    let ada = user(Uuid::new_v4(), "ada@example.com");
    let parsed = serde_json::json!({ "name": "Ada", "skills": ["Rust"] });
    let skills = vec!["Rust".to_owned(), "SQL".to_owned()];
    let path = format!("{}/1700000000000_ada.pdf", ada.id);

    let first = db
        .write_as(&ada, async |tx| {
            resumes::insert(tx, ada.id, &new_resume(Some(&path), &parsed, &skills)).await
        })
        .await
        .unwrap();
    assert_eq!(first.user_id, ada.id);
    assert_eq!(first.storage_path.as_deref(), Some(path.as_str()));
    assert_eq!(first.parsed_json, parsed);
    assert_eq!(first.skills, skills);
    assert_eq!(first.experience_years, Some(4.3), "stored to one decimal");
    let second = db
        .write_as(&ada, async |tx| {
            resumes::insert(tx, ada.id, &new_resume(None, &parsed, &[])).await
        })
        .await
        .unwrap();
    assert_eq!(second.storage_path, None);

    let page = db
        .as_user(&ada, async |tx| resumes::list(tx, ada.id, 1, 0).await)
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.resumes.len(), 1);
    assert_eq!(page.resumes[0].id, second.id, "newest first");
    let past_the_end = db
        .as_user(&ada, async |tx| resumes::list(tx, ada.id, 10, 5).await)
        .await
        .unwrap();
    assert_eq!((past_the_end.resumes.len(), past_the_end.total), (0, 2));

    let got = db
        .as_user(&ada, async |tx| resumes::get(tx, ada.id, first.id).await)
        .await
        .unwrap();
    assert_eq!(got.as_ref(), Some(&first));

    // Someone else sees, and deletes, nothing of Ada's, even naming her rows.
    let bob = user(Uuid::new_v4(), "bob@example.com");
    let bob_page = db
        .as_user(&bob, async |tx| resumes::list(tx, bob.id, 100, 0).await)
        .await
        .unwrap();
    assert_eq!((bob_page.resumes.len(), bob_page.total), (0, 0));
    let bob_get = db
        .as_user(&bob, async |tx| resumes::get(tx, bob.id, first.id).await)
        .await
        .unwrap();
    assert_eq!(bob_get, None);
    let bob_delete = db
        .as_user(&bob, async |tx| resumes::delete(tx, bob.id, first.id).await)
        .await
        .unwrap();
    assert_eq!(bob_delete, None);

    let deleted = db
        .as_user(&ada, async |tx| resumes::delete(tx, ada.id, first.id).await)
        .await
        .unwrap();
    assert_eq!(
        deleted,
        Some(resumes::Deleted {
            storage_path: Some(path.clone())
        })
    );
    let again = db
        .as_user(&ada, async |tx| resumes::delete(tx, ada.id, first.id).await)
        .await
        .unwrap();
    assert_eq!(again, None);

    // The trigger queued the object; the service role records a failure, then forgets it.
    use rehearse_db::storage_deletions;
    assert!(
        db.as_service(async |tx| storage_deletions::is_queued(tx, &path).await)
            .await
            .unwrap()
    );
    db.as_service(async |tx| storage_deletions::record_failure(tx, &path, "timeout").await)
        .await
        .unwrap();
    let client = database.client(Via::Direct).await;
    let row = client
        .query_typed_one(
            "SELECT attempts, last_error FROM storage_deletions WHERE storage_path = $1",
            &[(&path, Type::TEXT)],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 1);
    assert_eq!(row.get::<_, Option<String>>(1).as_deref(), Some("timeout"));
    assert!(
        db.as_service(async |tx| storage_deletions::forget(tx, &path).await)
            .await
            .unwrap()
    );
    assert!(
        !db.as_service(async |tx| storage_deletions::is_queued(tx, &path).await)
            .await
            .unwrap()
    );
    // A user's transaction cannot touch the queue.
    let err = db
        .as_user(&ada, async |tx| storage_deletions::enqueue(tx, "x").await)
        .await
        .unwrap_err();
    assert!(!err.is_unavailable(), "{err:?}");
}

#[tokio::test]
async fn through_as_user_an_unfiltered_history_query_returns_only_the_callers_rows() {
    let database = TestStack::get().database().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let setup = database.client(Via::Direct).await;
    seed_everything(&setup, alice).await;
    seed_everything(&setup, bob).await;
    let ada = user(alice, "alice@example.com");
    for via in Via::BOTH {
        // The same path the history routes take (`Db::as_user`), with the
        // `user_id` filter deliberately left out: row-level security alone.
        let (sessions, answers, statistics) = database
            .db(via)
            .as_user(&ada, async |tx| {
                let owners = async |sql: &str| -> Result<Vec<Uuid>, DbError> {
                    Ok(tx
                        .query_typed(sql, &[])
                        .await?
                        .iter()
                        .map(|r| r.get(0))
                        .collect())
                };
                Ok((
                    owners("SELECT user_id FROM interview_sessions ORDER BY created_at DESC").await?,
                    owners("SELECT a.user_id FROM interview_answers a JOIN interview_sessions s ON s.id = a.session_id").await?,
                    owners("SELECT user_id FROM interview_statistics").await?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(sessions, vec![alice], "via {via:?}");
        assert_eq!(answers, vec![alice], "via {via:?}");
        assert_eq!(statistics, vec![alice], "via {via:?}");
        // And the history functions given Bob's id as Alice see nothing of his.
        let bobs = database
            .db(via)
            .as_user(&ada, async |tx| {
                rehearse_db::history::list_sessions(
                    tx,
                    bob.into(),
                    &rehearse_db::history::SessionFilter::default(),
                    100,
                    0,
                )
                .await
            })
            .await
            .unwrap();
        assert_eq!(bobs.total, 0, "via {via:?}");
    }
}

#[tokio::test]
async fn the_one_message_user_read_runs_under_row_level_security_and_leaves_nothing_behind() {
    let database = TestStack::get().database().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let setup = database.client(Via::Direct).await;
    seed_everything(&setup, alice).await;
    seed_everything(&setup, bob).await;
    let ada = user(alice, "alice@example.com");
    for via in Via::BOTH {
        let db = database.db(via);
        // Unfiltered on purpose: only row-level security limits it.
        let seen = db
            .read_json_as_user(
                &ada,
                "SELECT json_build_object('owners', array_agg(user_id), 'me', current_user,
                                          'uid', rehearse_private.caller_id(), 'asked', $user)
                   FROM interview_sessions
                  WHERE current_setting('role') = 'rehearse_user'",
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seen["owners"], serde_json::json!([alice]), "via {via:?}");
        assert_eq!(seen["me"], "rehearse_user");
        assert_eq!(seen["uid"], alice.to_string());
        assert_eq!(seen["asked"], alice.to_string());
        let board = rehearse_db::history::dashboard(&db, &ada).await.unwrap();
        assert_eq!(board["recent_sessions"].as_array().unwrap().len(), 1);
        assert_eq!(board["statistics"]["total_interviews"], 1);
        assert_eq!(board["resumes"].as_array().unwrap().len(), 1);
        // The release before V7 reads the document through V6's function: it
        // still answers, with the same document.
        let previous = db
            .read_json_as_user(
                &ada,
                "SELECT public.rehearse_dashboard_read($user)
                  WHERE current_setting('role') = 'rehearse_user'",
            )
            .await
            .unwrap();
        assert_eq!(previous.as_ref(), Some(&board), "via {via:?}");
        // The read model is readable as its owner only.
        let others = db
            .read_json_as_user(
                &ada,
                "SELECT json_agg(user_id) FROM user_dashboards
                  WHERE current_setting('role') = 'rehearse_user'",
            )
            .await
            .unwrap();
        assert_eq!(others, Some(serde_json::json!([alice])), "via {via:?}");
        // A failing statement is an error, and nothing outlives the message.
        let failed = db
            .read_json_as_user(
                &ada,
                "SELECT to_json(1 / 0) WHERE current_setting('role') = 'rehearse_user'",
            )
            .await;
        assert!(failed.is_err(), "via {via:?}");
        assert_pooled_connections_are_the_login(&db, via).await;
    }
}

/// The dashboard's one-statement read (migration V8) switches to the user
/// itself: it returns the user's own served text (their rows only, as V7's
/// read under row-level security), leaves neither the role nor the caller's
/// id behind on the pooled connection, and no role but the connection's own
/// login may call it, `rehearse_user` included (it would otherwise switch to
/// any user).
#[tokio::test]
async fn the_one_statement_dashboard_read_switches_to_the_user_and_back() {
    let database = TestStack::get().database().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let setup = database.client(Via::Direct).await;
    seed_everything(&setup, alice).await;
    seed_everything(&setup, bob).await;
    let stored: String = setup
        .query_typed_one(
            "SELECT served FROM public.user_dashboards WHERE user_id = $1",
            &[(&alice, Type::UUID)],
        )
        .await
        .unwrap()
        .get(0);
    let ada = user(alice, "alice@example.com");
    let nobody = user(Uuid::new_v4(), "nobody@example.com");
    for via in Via::BOTH {
        let db = database.db(via);
        let served = rehearse_db::history::dashboard_served(&db, &ada)
            .await
            .unwrap();
        assert_eq!(served, stored, "via {via:?}");
        // The two-statement read of the release before gives the same text.
        let before = db
            .read_text_as_user(
                &ada,
                "SELECT public.rehearse_dashboard_served_read($user)
                  WHERE current_setting('role') = 'rehearse_user'",
            )
            .await
            .unwrap();
        assert_eq!(before.as_deref(), Some(stored.as_str()), "via {via:?}");
        // A user without a row gets the empty dashboard computed on the spot.
        let empty = rehearse_db::history::dashboard_served(&db, &nobody)
            .await
            .unwrap();
        assert!(empty.contains("\"total_resumes\": 0"), "{empty}");
        assert_pooled_connections_are_the_login(&db, via).await;
        // As the user, the switch is refused: nobody but the login may call it.
        let refused = db
            .read_text_as_user(
                &ada,
                "SELECT rehearse_private.dashboard_served_as($user)
                  WHERE current_setting('role') = 'rehearse_user'",
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, DbError::Query(e) if e.code() == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)),
            "{refused:?}"
        );
    }
    // has_function_privilege counts what PUBLIC is granted too (a function's
    // default, until revoked).
    for role in ["rehearse_user", "anon", "authenticated"] {
        let may: bool = setup
            .query_typed_one(
                "SELECT has_function_privilege($1, 'rehearse_private.dashboard_served_as(uuid)', 'EXECUTE')",
                &[(&role, Type::TEXT)],
            )
            .await
            .unwrap()
            .get(0);
        assert!(!may, "{role} may call the switching read");
    }
}

// --- The seed document's field names (migration V4 and history.rs) ------------

/// A session of `owner` with `total_time_seconds` = `seconds`, as the history
/// routes show it.
async fn session_json(
    client: &tokio_postgres::Client,
    owner: Uuid,
    seconds: Option<i32>,
) -> serde_json::Value {
    client
        .query_typed_one(
            "INSERT INTO interview_sessions AS s
                 (user_id, target_role, experience_level, interview_type, mode, total_questions,
                  total_time_seconds)
             VALUES ($1, 'Backend Engineer', 'mid', 'technical', 'standard', 10, $2)
             RETURNING public.rehearse_session_json(s)",
            &[(&owner, Type::UUID), (&seconds, Type::INT4)],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn duration_minutes_rounds_to_the_nearest_minute_and_is_null_without_a_duration() {
    let database = TestStack::get().database().await;
    let client = database.client(Via::Direct).await;
    let owner = Uuid::new_v4();
    client
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id) VALUES ('{owner}')"
        ))
        .await
        .unwrap();
    for (seconds, minutes) in [
        (None, None),
        (Some(0), Some(0)),
        (Some(29), Some(0)),
        (Some(30), Some(1)),
        (Some(89), Some(1)),
        (Some(90), Some(2)),
        (Some(1_799), Some(30)),
        (Some(i32::MAX), Some(35_791_394)),
    ] {
        let session = session_json(&client, owner, seconds).await;
        assert_eq!(
            session["duration_minutes"],
            serde_json::json!(minutes),
            "{seconds:?} s: {session}"
        );
        assert_eq!(session["total_time_seconds"], serde_json::json!(seconds));
        assert_eq!(session["job_role"], "Backend Engineer");
        assert_eq!(session["job_role"], session["target_role"]);
    }
}

#[tokio::test]
async fn the_seed_names_repeat_their_originals_in_every_history_shape() {
    let database = TestStack::get().database().await;
    let client = database.client(Via::Direct).await;
    let owner = Uuid::new_v4();
    seed_everything(&client, owner).await;
    client
        .batch_execute(&format!(
            "UPDATE interview_statistics
                SET average_overall_score = 72.5, best_score = 80,
                    last_interview_at = '2026-03-04 05:06:07.891+00'
              WHERE user_id = '{owner}';
             UPDATE resumes SET file_size_bytes = 4242 WHERE user_id = '{owner}';
             UPDATE interview_sessions SET total_time_seconds = 600 WHERE user_id = '{owner}';"
        ))
        .await
        .unwrap();

    // The statistics route's shape.
    let stats: serde_json::Value = client
        .query_typed_one(
            "SELECT public.rehearse_statistics_json($1)",
            &[(&owner, Type::UUID)],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(stats["total_sessions"], stats["total_interviews"]);
    assert_eq!(stats["average_score"], 72.5);
    assert_eq!(stats["average_score"], stats["average_overall_score"]);
    assert_eq!(stats["last_activity_at"], stats["last_interview_at"]);
    let at = stats["last_activity_at"].as_str().unwrap();
    let parsed = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{at} is not RFC 3339: {e}"));
    assert_eq!(parsed.unix_timestamp(), 1_772_600_767, "{at}");

    // The dashboard document the triggers stored equals the one computed now,
    // and carries the seed names.
    let row = client
        .query_typed_one(
            "SELECT d.document::jsonb, public.rehearse_dashboard_document($1)
               FROM user_dashboards d WHERE d.user_id = $1",
            &[(&owner, Type::UUID)],
        )
        .await
        .unwrap();
    let (stored, computed): (serde_json::Value, serde_json::Value) = (row.get(0), row.get(1));
    assert_eq!(stored, computed);
    assert_eq!(stored["statistics"], stats);
    let session = &stored["recent_sessions"][0];
    assert_eq!(session["job_role"], session["target_role"]);
    assert_eq!(session["duration_minutes"], 10);
    let resume = &stored["resumes"][0];
    assert_eq!(resume["file_size_bytes"], 4242);
    assert_eq!(resume["file_size_bytes"], resume["file_size"]);

    // The session detail (its answers' JSON is built in history.rs).
    let ada = user(owner, "owner@example.com");
    let session_id: Uuid = client
        .query_typed_one(
            "SELECT id FROM interview_sessions WHERE user_id = $1",
            &[(&owner, Type::UUID)],
        )
        .await
        .unwrap()
        .get(0);
    let detail = database
        .db(Via::Pooler)
        .as_user(&ada, async |tx| {
            rehearse_db::history::session_detail(tx, owner.into(), session_id.into()).await
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail["job_role"], "Backend Engineer");
    assert_eq!(detail["duration_minutes"], 10);
    let answer = &detail["answers"][0];
    assert_eq!(answer["question_order"], 1);
    assert_eq!(answer["question_order"], answer["question_number"]);
    assert_eq!(answer["question_type"], "behavioral");
    assert_eq!(answer["question_type"], answer["category"]);
    assert_eq!(answer["question_text"], "Tell me about yourself");
    assert_eq!(answer["answer_text"], "I build things");
}

#[tokio::test]
async fn the_seed_names_migration_rebuilds_the_documents_stored_before_it() {
    let database = TestStack::get().empty_database().await;
    let client = database.client(Via::Direct).await;
    let files = migration_files();
    let (before, from): (Vec<_>, Vec<_>) = files.iter().partition(|(version, _, _)| *version < 4);
    let Some((_, name, seed_names_sql)) = from.first() else {
        panic!("no V4 migration");
    };
    assert_eq!(name, "V4__seed_field_aliases");
    for (_, name, sql) in &before {
        client
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let owner = Uuid::new_v4();
    seed_everything(&client, owner).await;
    let stored = async || -> serde_json::Value {
        client
            .query_typed_one(
                "SELECT document::jsonb FROM user_dashboards WHERE user_id = $1",
                &[(&owner, Type::UUID)],
            )
            .await
            .unwrap()
            .get(0)
    };
    let old = stored().await;
    assert!(old["recent_sessions"][0].get("job_role").is_none(), "{old}");

    client.batch_execute(seed_names_sql).await.unwrap();
    let new = stored().await;
    let computed: serde_json::Value = client
        .query_typed_one(
            "SELECT public.rehearse_dashboard_document($1)",
            &[(&owner, Type::UUID)],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(new, computed);
    assert_eq!(new["recent_sessions"][0]["job_role"], "Backend Engineer");
    assert!(new["statistics"].get("last_activity_at").is_some(), "{new}");
    assert!(new["resumes"][0].get("file_size_bytes").is_some(), "{new}");
}

/// A connection the server ends under a transaction (a restart, a failover, an
/// administrator): nothing was committed, so the transaction runs once more on a
/// fresh connection and lands exactly once.
#[tokio::test]
async fn a_transaction_whose_connection_is_ended_before_commit_runs_again_once() {
    let database = TestStack::get().database().await;
    let db = database.db(Via::Direct);
    let attempts = std::sync::atomic::AtomicU32::new(0);
    let owner = Uuid::new_v4();
    let inserted = db
        .as_service(async |tx| {
            tx.execute_typed(
                "INSERT INTO user_profiles (id) VALUES ($1)",
                &[(&owner, Type::UUID)],
            )
            .await?;
            if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                // The server ends this very connection (SQLSTATE 57P01).
                tx.query_typed("SELECT pg_terminate_backend(pg_backend_pid())", &[])
                    .await?;
            }
            Ok(1)
        })
        .await
        .unwrap();
    assert_eq!(inserted, 1);
    assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 2);
    let rows: i64 = database
        .client(Via::Direct)
        .await
        .query_typed_one(
            "SELECT count(*) FROM user_profiles WHERE id = $1",
            &[(&owner, Type::UUID)],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);

    // A failure that is not a broken connection is not retried.
    let attempts = std::sync::atomic::AtomicU32::new(0);
    let err = db
        .as_service(async |tx| {
            attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tx.query_typed("SELECT 1 / 0", &[]).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(!err.is_unavailable(), "{err:?}");
    assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 1);
}

// --- The served dashboard text (migration V7) ----------------------------------

/// `rehearse_dashboard_served` writes the response body with each resume's key
/// between U+0001 marks: with the keys replaced by JSON strings it is the
/// document with `success`, each resume's `storage_path` gone and a `file_url`
/// (the key, or null) in its place, whatever the strings hold.
#[tokio::test]
async fn the_served_dashboard_is_the_document_with_file_urls_in_place_of_keys() {
    use serde_json::{Value, json};
    let database = TestStack::get().database().await;
    let client = database.client(Via::Direct).await;
    let awkward = "Ł \"quoted\" \\ back \u{1}\u{7f} tab\t ✓";
    let documents = [
        json!({"statistics": {"average_score": 7.5, "total": 3}, "recent_sessions": [],
               "resumes": [{"id": "r1", "file_name": awkward, "storage_path": "u/1_cv.pdf"},
                           {"id": "r2", "storage_path": null},
                           {"storage_path": "u/only.pdf"},
                           {"id": "r4", "storage_path": format!("u/{}", '\u{1}')},
                           {"id": "r5"},
                           {"id": "r6", "storage_path": ""},
                           {"id": "r7", "file_url": "stale", "storage_path": "u/7.pdf"},
                           {"file_url": "stale"}],
               "total_resumes": 8}),
        json!({"statistics": null, "resumes": []}),
        json!({"resumes": [{"id": "r1", "storage_path": "a/b.pdf"}]}),
        json!({"statistics": {"note": awkward}}),
        json!({}),
    ];
    for document in documents {
        let served: String = client
            .query_typed_one(
                "SELECT public.rehearse_dashboard_served($1::text::json)",
                &[(&document.to_string(), Type::TEXT)],
            )
            .await
            .unwrap()
            .get(0);
        // One `file_url` member per resume, written once (a stale one replaced).
        let resumes = document["resumes"].as_array().map_or(0, Vec::len);
        assert_eq!(
            served.matches("\"file_url\": ").count(),
            resumes,
            "{served:?}"
        );
        let pieces: Vec<&str> = served.split('\u{1}').collect();
        assert_eq!(pieces.len() % 2, 1, "{served:?}");
        let body: String = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if i % 2 == 0 {
                    (*p).to_owned()
                } else {
                    Value::from(format!("url:{p}")).to_string()
                }
            })
            .collect();
        let body: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {served:?}"));

        let mut expected = document.clone();
        expected["success"] = json!(true);
        if let Some(resumes) = expected.get_mut("resumes").and_then(Value::as_array_mut) {
            for resume in resumes {
                let url = match resume
                    .as_object_mut()
                    .and_then(|r| r.remove("storage_path"))
                {
                    Some(Value::String(key)) if !key.is_empty() && !key.contains('\u{1}') => {
                        json!(format!("url:{key}"))
                    }
                    _ => Value::Null,
                };
                resume["file_url"] = url;
            }
        }
        assert_eq!(body, expected, "{served:?}");
    }
}
