//! What Supabase's Data API can do to Rehearse's data (migration V5), checked on
//! a database prepared the way Supabase prepares one (default grants to the API
//! roles, its `auth` schema, `authenticator`) and on plain Postgres: as `anon`,
//! and as `authenticated` with a user's claims set exactly as PostgREST sets them.
//!
//! Run with `--nocapture` to see the privilege matrix.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehearse_db::Type;
use rehearse_testkit::{TestDatabase, TestStack, Via};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;
use uuid::Uuid;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// Every table of ours, with the column that names its owner (if any).
const TABLES: [(&str, Option<&str>); 9] = [
    ("public.user_profiles", Some("id")),
    ("public.resumes", Some("user_id")),
    ("public.interview_sessions", Some("user_id")),
    ("public.interview_answers", Some("user_id")),
    ("public.interview_statistics", Some("user_id")),
    ("public.user_dashboards", Some("user_id")),
    ("public.storage_deletions", None),
    ("rehearse_private.request_quotas", None),
    ("rehearse_private.refinery_schema_history", None),
];

/// What a signed-in user may read through the Data API: their own rows of these.
const READABLE_BY_AUTHENTICATED: [&str; 6] = [
    "public.user_profiles",
    "public.resumes",
    "public.interview_sessions",
    "public.interview_answers",
    "public.interview_statistics",
    "public.user_dashboards",
];

const PRIVILEGES: [&str; 7] = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
];

async fn seed(client: &Client, owner: Uuid) {
    client
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id) VALUES ('{owner}');
             INSERT INTO resumes (user_id, file_name, storage_path)
                  VALUES ('{owner}', 'cv.pdf', 'users/{owner}/cv.pdf');
             WITH s AS (
                 INSERT INTO interview_sessions (user_id, target_role, experience_level, interview_type, mode, total_questions)
                 VALUES ('{owner}', 'Backend Engineer', 'mid', 'technical', 'conversational', 10)
                 RETURNING id)
             INSERT INTO interview_answers (session_id, user_id, question_number, question_text, category, difficulty, answer_text)
             SELECT id, '{owner}', 1, 'Tell me about yourself', 'behavioral', 'easy', 'I build things' FROM s;
             INSERT INTO interview_statistics (user_id, total_interviews) VALUES ('{owner}', 1);
             INSERT INTO storage_deletions (storage_path) VALUES ('users/{owner}/old.pdf');
             INSERT INTO rehearse_private.request_quotas (subject, bucket, window_start, window_end)
                  VALUES ('user:{owner}', 'interview', now(), now() + interval '1 hour');"
        ))
        .await
        .unwrap();
}

/// The statements a Data API caller could send to change `table`.
fn writes(table: &str, me: Uuid) -> Vec<String> {
    let insert = match table {
        "public.user_profiles" => format!("INSERT INTO {table} (id) VALUES ('{me}')"),
        "public.resumes" => {
            format!("INSERT INTO {table} (user_id, file_name) VALUES ('{me}', 'x.pdf')")
        }
        "public.interview_sessions" => format!(
            "INSERT INTO {table} (user_id, target_role, experience_level, interview_type, mode, total_questions)
             VALUES ('{me}', 'r', 'mid', 'technical', 'standard', 1)"
        ),
        "public.interview_answers" => format!(
            "INSERT INTO {table} (session_id, user_id, question_number, question_text, category, difficulty, score)
             SELECT id, '{me}', 2, 'q', 'technical', 'easy', 10 FROM public.interview_sessions LIMIT 1"
        ),
        "public.interview_statistics" => {
            format!("INSERT INTO {table} (user_id, best_score) VALUES ('{me}', 100)")
        }
        "public.user_dashboards" => {
            format!("INSERT INTO {table} (user_id, document) VALUES ('{me}', '{{}}')")
        }
        "public.storage_deletions" => format!("INSERT INTO {table} (storage_path) VALUES ('x')"),
        "rehearse_private.request_quotas" => format!(
            "INSERT INTO {table} (subject, bucket, window_start, window_end) VALUES ('x', 'y', now(), now())"
        ),
        _ => format!("INSERT INTO {table} (version, name) VALUES (999, 'x')"),
    };
    let column = match table {
        "public.interview_answers" => "score",
        "public.interview_statistics" => "best_score",
        "public.interview_sessions" => "current_question_index",
        "public.user_dashboards" => "document",
        "rehearse_private.request_quotas" => "hits",
        "rehearse_private.refinery_schema_history" => "name",
        "public.storage_deletions" => "attempts",
        _ => "updated_at",
    };
    vec![
        insert,
        format!("UPDATE {table} SET {column} = {column}"),
        format!("DELETE FROM {table}"),
        format!("TRUNCATE {table} CASCADE"),
    ]
}

/// Run `sql` in a savepoint as the role the transaction has switched to;
/// `Err(code)` when the server refused it.
async fn attempt(tx: &tokio_postgres::Transaction<'_>, sql: &str) -> Result<u64, SqlState> {
    tx.batch_execute("SAVEPOINT attempt").await.unwrap();
    let outcome = tx.execute_typed(sql, &[]).await;
    tx.batch_execute("ROLLBACK TO SAVEPOINT attempt")
        .await
        .unwrap();
    outcome.map_err(|e| e.code().cloned().unwrap_or(SqlState::INTERNAL_ERROR))
}

/// Begin as PostgREST does for a request: the transaction-local claims (as one
/// JSON setting, PostgREST 10+) and role.
async fn begin_as_api<'a>(
    client: &'a mut Client,
    role: &str,
    sub: Option<Uuid>,
) -> tokio_postgres::Transaction<'a> {
    let tx = client.transaction().await.unwrap();
    let claims = match sub {
        Some(sub) => serde_json::json!({ "sub": sub, "role": role, "aud": "authenticated" }),
        None => serde_json::json!({ "role": role }),
    }
    .to_string();
    tx.query_typed(
        "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true),
                set_config('request.method', 'POST', true)",
        &[(&claims, Type::TEXT), (&role, Type::TEXT)],
    )
    .await
    .unwrap();
    tx
}

// The matrix is this test's report (`--nocapture`).
#[allow(clippy::print_stdout)]
async fn privilege_matrix(client: &Client, label: &str) -> Vec<(String, String, String, bool)> {
    let mut out = Vec::new();
    println!(
        "\nprivileges on the {label} database (t = table-wide, c = some columns only, - = none)"
    );
    println!(
        "{:<44} {:<14} {}",
        "table",
        "role",
        PRIVILEGES.map(|p| format!("{p:<10}")).join("")
    );
    for (table, _) in TABLES {
        for role in ["anon", "authenticated", "service_role", "rehearse_user"] {
            let mut cells = String::new();
            for privilege in PRIVILEGES {
                let row = client
                    .query_typed_one(
                        "SELECT has_table_privilege($1, $2, $3),
                                CASE WHEN $3 IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                                     THEN has_any_column_privilege($1, $2, $3)
                                     ELSE has_table_privilege($1, $2, $3) END",
                        &[
                            (&role, Type::TEXT),
                            (&table, Type::TEXT),
                            (&privilege, Type::TEXT),
                        ],
                    )
                    .await
                    .unwrap();
                let (whole, some): (bool, bool) = (row.get(0), row.get(1));
                let mark = if whole {
                    "t"
                } else if some {
                    "c"
                } else {
                    "-"
                };
                cells.push_str(&format!("{mark:<10}"));
                out.push((
                    table.to_owned(),
                    role.to_owned(),
                    privilege.to_owned(),
                    some,
                ));
            }
            println!("{table:<44} {role:<14} {cells}");
        }
    }
    out
}

async fn check(database: &TestDatabase, label: &str) {
    let stack = TestStack::get();
    let mut owner = database.client(Via::Direct).await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    seed(&owner, alice).await;
    seed(&owner, bob).await;

    // The grants, table by table.
    for (table, role, privilege, granted) in privilege_matrix(&owner, label).await {
        let allowed = match (role.as_str(), privilege.as_str()) {
            ("anon", _) => false,
            ("authenticated", "SELECT") => READABLE_BY_AUTHENTICATED.contains(&table.as_str()),
            ("authenticated", _) => false,
            _ => continue,
        };
        assert_eq!(granted, allowed, "{label}: {role} {privilege} on {table}");
    }

    // And tried, as the Data API would: every write on every table fails for
    // both roles; anon reads nothing; a user reads only their own rows.
    for (role, sub) in [("anon", None), ("authenticated", Some(alice))] {
        let tx = begin_as_api(&mut owner, role, sub).await;
        for (table, owner_column) in TABLES {
            for sql in writes(table, alice) {
                assert_eq!(
                    attempt(&tx, &sql).await,
                    Err(SqlState::INSUFFICIENT_PRIVILEGE),
                    "{label}: {role} ran {sql}"
                );
            }
            let column = owner_column.unwrap_or("1");
            let read = format!("SELECT {column} FROM {table}");
            let readable = role == "authenticated" && READABLE_BY_AUTHENTICATED.contains(&table);
            if !readable {
                assert_eq!(
                    attempt(&tx, &read).await,
                    Err(SqlState::INSUFFICIENT_PRIVILEGE),
                    "{label}: {role} ran {read}"
                );
                continue;
            }
            let owners: Vec<Uuid> = tx
                .query_typed(&read, &[])
                .await
                .unwrap_or_else(|e| panic!("{label}: {role} {read}: {e}"))
                .iter()
                .map(|r| r.get(0))
                .collect();
            assert_eq!(owners, vec![alice], "{label}: {role} reads {table}");
        }
        if role == "authenticated" {
            // The live plan (with each question's answer key) and the engine's
            // notes stay with the functions.
            for column in ["questions", "engine_state"] {
                let sql = format!("SELECT {column} FROM public.interview_sessions");
                assert_eq!(
                    attempt(&tx, &sql).await,
                    Err(SqlState::INSUFFICIENT_PRIVILEGE),
                    "{label}: {sql}"
                );
            }
        }
        // None of our functions is callable through `/rpc`.
        let callable: Vec<String> = tx
            .query_typed(
                "SELECT p.oid::regprocedure::text FROM pg_proc p
                   JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname IN ('public', 'rehearse_private')
                    AND has_function_privilege(current_user, p.oid, 'EXECUTE')",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(callable.is_empty(), "{label}: {role} may call {callable:?}");
        tx.rollback().await.unwrap();
    }

    // SECURITY DEFINER functions run only as triggers: not even PUBLIC (and so
    // not the functions' own user role) may call them.
    let definers: Vec<(String, bool)> = owner
        .query_typed(
            "SELECT p.oid::regprocedure::text, has_function_privilege('rehearse_user', p.oid, 'EXECUTE')
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND p.prosecdef",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(definers.len() >= 3, "{definers:?}");
    for (function, callable) in definers {
        assert!(!callable, "{label}: {function} is callable");
    }

    // PostgREST logs in as `authenticator` and may become anon or authenticated,
    // never the functions' role.
    let authenticator = stack.client_as(database, "authenticator").await;
    authenticator.batch_execute("SET ROLE anon").await.unwrap();
    let refused = authenticator
        .batch_execute("SET ROLE rehearse_user")
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "{refused}"
    );
    let member: bool = owner
        .query_typed_one(
            "SELECT pg_has_role('authenticator', 'rehearse_user', 'MEMBER')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!member);
}

#[tokio::test]
async fn on_a_supabase_shaped_database_the_api_roles_can_write_nothing_and_anon_read_nothing() {
    let database = TestStack::get().database().await;
    // The preparation really granted the API roles everything by default: a
    // table created now is theirs, unless made by the role that ran V5.
    let client = database.client(Via::Direct).await;
    let defaults: i64 = client
        .query_typed_one(
            "SELECT count(*) FROM pg_default_acl d JOIN pg_roles r ON r.oid = d.defaclrole
              WHERE r.rolname = 'postgres' AND array_to_string(d.defaclacl, ',') LIKE '%anon=%'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        defaults, 0,
        "V5 revokes the migrating role's default grants"
    );
    let supabase_auth: bool = client
        .query_typed_one(
            "SELECT pg_get_userbyid(nspowner) = 'supabase_auth_admin' FROM pg_namespace WHERE nspname = 'auth'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(supabase_auth, "the auth schema is Supabase's, not ours");
    check(&database, "Supabase-shaped").await;
}

#[tokio::test]
async fn on_plain_postgres_the_same_holds() {
    let database = TestStack::get().plain_database().await;
    check(&database, "plain").await;
}

/// Supabase's database linter (splinter), the checks that concern us: every
/// table the Data API exposes has row-level security, and a policy for each API
/// role that has any privilege on it.
#[tokio::test]
async fn every_exposed_table_has_row_level_security_and_policies_for_the_roles_that_can_reach_it() {
    let database = TestStack::get().database().await;
    let client = database.client(Via::Direct).await;
    let rows = client
        .query_typed(
            "SELECT c.relname, c.relrowsecurity,
                    r.rolname,
                    (has_any_column_privilege(r.rolname, c.oid, 'SELECT,INSERT,UPDATE')
                     OR has_table_privilege(r.rolname, c.oid, 'DELETE')) AS reach,
                    EXISTS (SELECT 1 FROM pg_policy p
                             WHERE p.polrelid = c.oid AND r.oid = ANY (p.polroles)) AS policy
               FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN pg_roles r
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                AND r.rolname IN ('anon', 'authenticated')",
            &[],
        )
        .await
        .unwrap();
    assert!(rows.len() >= 14, "{} rows", rows.len());
    for row in rows {
        let (table, rls, role, reach, policy): (String, bool, String, bool, bool) =
            (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
        assert!(rls, "{table} has no row-level security");
        assert!(!reach || policy, "{role} reaches {table} with no policy");
    }
    // The migration history is not in an exposed schema.
    let exposed: Option<String> = client
        .query_typed_one(
            "SELECT to_regclass('public.refinery_schema_history')::text",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(exposed, None);
}

/// Splinter's `function_search_path_mutable`, for what matters: every
/// SECURITY DEFINER function of ours pins its `search_path`, so a caller's
/// path cannot redirect what runs with the owner's rights. The SECURITY
/// INVOKER ones do not, on purpose: a SET clause stops the planner inlining
/// the SQL ones (the row-level security policies call `caller_id()` on every
/// row) and costs every call a configuration save and restore; they run with
/// the caller's own rights, qualify every name, and no API role may call them.
/// (Splinter's `unindexed_foreign_keys` is `db.rs`'s
/// `every_user_id_and_foreign_key_column_is_indexed`.)
#[tokio::test]
async fn security_definer_functions_pin_their_search_path() {
    let database = TestStack::get().database().await;
    let client = database.client(Via::Direct).await;
    let mutable = client
        .query_typed(
            "SELECT p.oid::regprocedure::text
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname IN ('public', 'rehearse_private') AND p.prosecdef
                AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) setting
                                 WHERE setting LIKE 'search_path=%')",
            &[],
        )
        .await
        .unwrap();
    let mutable: Vec<String> = mutable.iter().map(|row| row.get(0)).collect();
    assert!(
        mutable.is_empty(),
        "SECURITY DEFINER functions without a fixed search_path: {mutable:?}"
    );
    let definers: i64 = client
        .query_typed_one(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND p.prosecdef",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        definers >= 3,
        "{definers} SECURITY DEFINER functions: the query looks at nothing"
    );
}

/// A database migrated by an older release keeps its history in `public`:
/// the next migration moves it (rows and all) and applies only what is new.
#[tokio::test]
async fn a_history_kept_in_public_by_an_older_release_is_moved_out_of_it() {
    let database = TestStack::get().empty_database().await;
    let url = database.url(Via::Direct);
    let mut client = database.client(Via::Direct).await;
    // What the release before V5 did: refinery's default table, in `public`.
    let old = embedded::migrations::runner()
        .set_target(refinery::Target::Version(4))
        .run_async(&mut client)
        .await
        .unwrap();
    assert_eq!(old.applied_migrations().len(), 4);
    let report = rehearse_db::migrate(&url).await.unwrap();
    assert_eq!(
        report.applied.first().map(String::as_str),
        Some("V5__close_the_data_api")
    );
    assert!(
        report
            .applied
            .iter()
            .all(|m| !["V1__", "V2__", "V3__", "V4__"]
                .iter()
                .any(|v| m.starts_with(v))),
        "re-applied {:?}",
        report.applied
    );
    let (public, private): (Option<String>, i64) = {
        let row = client
            .query_typed_one(
                "SELECT to_regclass('public.refinery_schema_history')::text,
                        (SELECT count(*) FROM rehearse_private.refinery_schema_history)",
                &[],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(public, None);
    assert!(private >= 5, "{private} rows");
}
