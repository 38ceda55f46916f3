//! The dashboard's latency against a realistic history: seeds 1,000 users × 50
//! completed sessions × 10 answers (and 5 resumes each) into a throwaway
//! database of the test stack (Postgres behind PgBouncer in transaction mode, the
//! same harness the tests use), then times what the dashboard handler does after
//! token verification (one statement that becomes the user and reads, plus
//! presigning)
//! against a bare `SELECT 1` through the same pool, interleaved, and prints both
//! medians, their ratio and the `EXPLAIN ANALYZE` of each query.
//!
//! Usage: dashboard-latency [--runs N] [--warmup N] [--direct]

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rehearse_core::AuthUser;
use rehearse_db::{Db, Type, history, statistics};
use rehearse_storage::Storage;
use rehearse_testkit::{TestStack, Via};
use uuid::Uuid;

const USERS: i64 = 1_000;
const SESSIONS_PER_USER: i64 = 50;
const ANSWERS_PER_SESSION: i64 = 10;
const RESUMES_PER_USER: i64 = 5;
/// One thing to time.
#[derive(Debug, Clone, Copy)]
enum Probe {
    /// A bare `SELECT 1` through the pool.
    SelectOne,
    /// The whole dashboard as the handler computes it (statement, presigns,
    /// the response body serialised).
    Dashboard,
    /// The two-statement as-user message (role and id, then the statement;
    /// `Db::read_json_as_user`) around SELECT 1: what becoming the user costs
    /// in the form the route sent until migration V8.
    Wrapper,
    /// The dashboard statement alone, as the route sends it (its text,
    /// unparsed).
    Statement,
    /// Presigning five URLs.
    Presigns,
    /// What the handler does with the served text once it has it: split it,
    /// presign its resumes, serialize the response (no database).
    Process,
    /// Exploration: `sql` (`$user` = the caller's id) as one simple-protocol
    /// message, as the user (the as-user prefix) or not; rows unparsed.
    Raw(&'static str, bool),
}

/// A user's dashboard document as the database sends it, for [`Probe::Process`].
static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn probe(probe: Probe, user: &AuthUser, db: &Db, storage: &Storage) -> Result<Duration> {
    let t = Instant::now();
    match probe {
        Probe::SelectOne => {
            let client = db.client().await?;
            client.query_typed_one("SELECT 1", &[]).await?;
        }
        Probe::Dashboard => {
            std::hint::black_box(dashboard_body(user, db, storage).await?);
        }
        Probe::Wrapper => {
            db.read_json_as_user(
                user,
                "SELECT to_json(1) WHERE current_setting('role') = 'rehearse_user'",
            )
            .await?;
        }
        Probe::Statement => {
            history::dashboard_served(db, user).await?;
        }
        Probe::Process => {
            let text = DOCUMENT.get().context("no captured document")?;
            let body = rehearse_account_store::with_file_urls(text, storage).await?;
            std::hint::black_box(body.into_bytes());
        }
        Probe::Raw(sql, as_user) => {
            let id = user.id.to_string();
            let sql = sql.replace("$user", &format!("'{id}'::uuid"));
            let text = if as_user {
                format!(
                    "SELECT set_config('request.jwt.claim.sub', '{id}', true), \
                     set_config('role', 'rehearse_user', true); {sql}"
                )
            } else {
                sql
            };
            let client = db.client().await?;
            let m = client.simple_query(&text).await?;
            std::hint::black_box(m);
        }
        Probe::Presigns => {
            let keys: Vec<String> = (0..RESUMES_PER_USER)
                .map(|k| format!("{}/bench-{k}.pdf", user.id))
                .collect();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            std::hint::black_box(storage.presign_gets(&keys).await?);
        }
    }
    Ok(t.elapsed())
}

/// The response body the dashboard handler sends (after token verification).
async fn dashboard_body(user: &AuthUser, db: &Db, storage: &Storage) -> Result<Vec<u8>> {
    Ok(rehearse_account_store::dashboard(db, storage, user)
        .await?
        .into_bytes())
}

/// Time each probe once per run, rotating which goes first; samples sorted.
async fn measure<const N: usize>(
    probes: &[Probe; N],
    warmup: usize,
    runs: usize,
    users: &[AuthUser],
    db: &Db,
    storage: &Storage,
) -> Result<[Vec<Duration>; N]> {
    let mut samples: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(runs));
    for i in 0..warmup + runs {
        let Some(user) = users.get(i % users.len()) else {
            bail!("no user {i}");
        };
        for k in 0..N {
            let which = (i + k) % N;
            let Some(&p) = probes.get(which) else {
                bail!("no probe {which}");
            };
            let took = probe(p, user, db, storage).await?;
            if i >= warmup
                && let Some(v) = samples.get_mut(which)
            {
                v.push(took);
            }
        }
    }
    for v in &mut samples {
        v.sort_unstable();
    }
    Ok(samples)
}

/// Tables big enough that a sequential scan on them is a finding.
const BIG_TABLES: [&str; 3] = ["interview_sessions", "interview_answers", "resumes"];

// The runtime the functions run on (see `rehearse_http::serve`): the handler's
// latency includes how its pooled connection's replies reach it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let mut runs = 1_000usize;
    let mut warmup = 100usize;
    let mut via = Via::Pooler;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().context("--runs needs a value")?.parse()?,
            "--warmup" => warmup = args.next().context("--warmup needs a value")?.parse()?,
            "--direct" => via = Via::Direct,
            other => bail!("unknown argument {other}"),
        }
    }
    if runs == 0 {
        bail!("--runs must be at least 1");
    }

    let database = TestStack::get().database().await;
    let storage = TestStack::get().storage().await;
    let setup = database.client(Via::Direct).await;
    let started = Instant::now();
    seed(&setup).await?;
    let db = database.db(via);
    let users = users(&setup).await?;
    let Some(first) = users.first() else {
        bail!("seeding created no users");
    };
    for user in &users {
        db.as_service(async |tx| statistics::recompute(tx, user.id).await)
            .await?;
    }
    setup.batch_execute("VACUUM ANALYZE").await?;
    println!(
        "seeded {USERS} users × {SESSIONS_PER_USER} sessions × {ANSWERS_PER_SESSION} answers \
         (+{RESUMES_PER_USER} resumes each) in {:.1}s; pool via {via:?}",
        started.elapsed().as_secs_f64()
    );

    let body: serde_json::Value =
        serde_json::from_slice(&dashboard_body(first, &db, &storage).await?)?;
    let urls = body["resumes"]
        .as_array()
        .map(|r| r.iter().filter(|r| r["file_url"].is_string()).count());
    if body["recent_sessions"].as_array().map(Vec::len) != Some(5) || urls != Some(5) {
        bail!("unexpected dashboard: {body}");
    }

    // Headline: the dashboard and SELECT 1, alternating which goes first, so
    // neither always runs right after the other's work (on two shared cores the
    // position alone moves a sub-millisecond median by tens of percent).
    let [select_one, dashboard] = measure(
        &[Probe::SelectOne, Probe::Dashboard],
        warmup,
        runs,
        &users,
        &db,
        &storage,
    )
    .await?;
    let [dm, sm] = [median(&dashboard), median(&select_one)];
    println!();
    println!("runs: {runs} (after {warmup} warm-up), users cycled, order alternated");
    println!(
        "dashboard handler (1 round trip as the user + 5 presigns + body): median {:>7.1} µs  p95 {:>7.1} µs",
        micros(dm),
        micros(p95(&dashboard))
    );
    println!(
        "SELECT 1 (same pool):                                              median {:>7.1} µs  p95 {:>7.1} µs",
        micros(sm),
        micros(p95(&select_one))
    );
    println!(
        "ratio dashboard / SELECT 1 (median): {:.2}×  (goal ≤ 1.5×)",
        dm.as_secs_f64() / sm.as_secs_f64()
    );

    // Where the time goes, measured the same way in a second pass.
    let document = history::dashboard_served(&db, first).await?;
    let document_bytes = document.len();
    DOCUMENT
        .set(document)
        .map_err(|_| anyhow::anyhow!("document captured twice"))?;
    let [s, wrapper, statement, presigns, process] = measure(
        &[
            Probe::SelectOne,
            Probe::Wrapper,
            Probe::Statement,
            Probe::Presigns,
            Probe::Process,
        ],
        warmup,
        runs,
        &users,
        &db,
        &storage,
    )
    .await?;
    println!(
        "breakdown (medians): SELECT 1 {:.1} µs | two-statement as-user message around SELECT 1 {:.1} µs | \
         dashboard statement {:.1} µs | 5 presigns {:.1} µs | \
         splice of 5 presigned URLs into the {document_bytes}-byte served text, no database {:.1} µs",
        micros(median(&s)),
        micros(median(&wrapper)),
        micros(median(&statement)),
        micros(median(&presigns)),
        micros(median(&process)),
    );

    if std::env::var_os("EXPLORE").is_some() {
        explore(warmup, runs, &users, &db, &storage, &setup).await?;
    }

    println!("\n== EXPLAIN ANALYZE: dashboard (as the user, row-level security on) ==");
    let plan = explain_as_user(&db, first, history::DASHBOARD_READ_SQL).await?;
    println!("{plan}");
    println!("\n-- the statement inside rehearse_dashboard_served_read --");
    let plan = explain_as_user(&db, first, history::DASHBOARD_LOOKUP_SQL).await?;
    println!("{plan}");
    let seq: Vec<&str> = BIG_TABLES
        .iter()
        .copied()
        .filter(|t| plan.contains(&format!("Seq Scan on {t}")))
        .collect();
    if seq.is_empty() {
        println!("sequential scans on the big tables: none");
    } else {
        println!("SEQUENTIAL SCANS on: {}", seq.join(", "));
    }
    println!("\n== EXPLAIN ANALYZE: SELECT 1 ==");
    let client = db.client().await?;
    for row in client.query_typed("EXPLAIN ANALYZE SELECT 1", &[]).await? {
        println!("{}", row.try_get::<_, String>(0)?);
    }

    let seq = history_plans(&database, first).await?;
    if seq > 0 {
        bail!("{seq} history statement(s) scan a big table sequentially");
    }
    Ok(())
}

/// What [`history_plans`] runs.
#[derive(Debug, Clone, Copy)]
enum HistoryQuery {
    DashboardRead,
    DocumentRebuild,
    Statistics,
    List,
    ListFiltered,
    Detail,
    DeleteSession,
    DeleteAccount,
}

/// Tables whose sequential scan is a finding in the history plans: the three
/// big ones and the per-user tables read by primary key.
const HISTORY_TABLES: [&str; 6] = [
    "interview_sessions",
    "interview_answers",
    "resumes",
    "interview_statistics",
    "user_dashboards",
    "user_profiles",
];

/// The plan of every statement each history route runs, nested ones included
/// (inside the SQL and PL/pgSQL functions, the foreign-key cascades and the
/// deferred dashboard triggers, which a plain `EXPLAIN` of the outer statement
/// does not show): `auto_explain` with `log_nested_statements`, its output sent
/// to this connection as notices. Each query runs as the user, row-level
/// security on, in a transaction that is rolled back (the deletions fire their
/// deferred triggers first). Prints each statement's access paths and returns
/// how many plans scan a table of [`HISTORY_TABLES`] sequentially.
async fn history_plans(
    database: &rehearse_testkit::TestDatabase,
    user: &AuthUser,
) -> Result<usize> {
    use secrecy::ExposeSecret;
    use std::sync::{Arc, Mutex};

    let (mut client, mut connection) = tokio_postgres::connect(
        database.url(Via::Direct).expose_secret(),
        tokio_postgres::NoTls,
    )
    .await?;
    let notices: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&notices);
    tokio::spawn(async move {
        while let Some(Ok(message)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            if let tokio_postgres::AsyncMessage::Notice(n) = message
                && let Ok(mut v) = sink.lock()
            {
                v.push(n.message().to_owned());
            }
        }
    });
    client
        .batch_execute(
            "LOAD 'auto_explain';
             SET auto_explain.log_min_duration = 0;
             SET auto_explain.log_nested_statements = on;
             SET auto_explain.log_analyze = on;
             SET auto_explain.log_timing = off;
             SET auto_explain.log_level = notice;
             SET client_min_messages = notice;",
        )
        .await
        .context("loading auto_explain")?;
    let session: Uuid = client
        .query_typed_one(
            "SELECT id FROM interview_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1",
            &[(&user.id, Type::UUID)],
        )
        .await?
        .try_get(0)?;
    let session = rehearse_core::SessionId::from(session);
    let filtered = history::SessionFilter {
        status: Some("completed".into()),
        target_role: Some("Data Engineer".into()),
    };

    println!(
        "\n== Plans of every history statement (auto_explain, nested statements included; \
         as the user, rolled back) =="
    );
    let mut seq_scans = 0;
    use HistoryQuery as Q;
    for (name, query) in [
        ("dashboard-get (the read)", Q::DashboardRead),
        (
            "dashboard document rebuild (what the triggers run)",
            Q::DocumentRebuild,
        ),
        ("statistics-get", Q::Statistics),
        ("session-history-list", Q::List),
        (
            "session-history-list ?status=completed&target_role=...",
            Q::ListFiltered,
        ),
        ("session-history-get", Q::Detail),
        (
            "session-history-delete (statistics recompute, dashboard trigger)",
            Q::DeleteSession,
        ),
        (
            "account-delete (cascades, dashboard triggers)",
            Q::DeleteAccount,
        ),
    ] {
        let tx = client.transaction().await?;
        tx.query_typed(
            rehearse_db::BECOME_USER_SQL,
            &[(&&*user.claims, Type::TEXT)],
        )
        .await?;
        if let Ok(mut v) = notices.lock() {
            v.clear();
        }
        let none = history::SessionFilter::default();
        match query {
            Q::DashboardRead => {
                let sql = history::DASHBOARD_READ_SQL.replace("$user", "$1");
                tx.query_typed(&sql, &[(&user.id, Type::UUID)]).await?;
            }
            Q::DocumentRebuild => {
                history::dashboard_recomputed(&tx, user.id).await?;
            }
            Q::Statistics => {
                statistics::view(&tx, user.id).await?;
            }
            Q::List => {
                history::list_sessions(&tx, user.id, &none, 20, 0).await?;
            }
            Q::ListFiltered => {
                history::list_sessions(&tx, user.id, &filtered, 20, 0).await?;
            }
            Q::Detail => {
                history::session_detail(&tx, user.id, session).await?;
            }
            Q::DeleteSession => {
                history::delete_session(&tx, user.id, session).await?;
                tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE").await?;
            }
            Q::DeleteAccount => {
                history::delete_account(&tx, user.id).await?;
                tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE").await?;
            }
        }
        tx.rollback().await?;
        let plans = notices.lock().map(|v| v.clone()).unwrap_or_default();
        // The set_config statement's own plan is not the route's.
        let plans: Vec<&String> = plans.iter().filter(|p| !p.contains("set_config")).collect();
        let mut paths: Vec<String> = Vec::new();
        let mut seq: Vec<String> = Vec::new();
        for plan in &plans {
            for line in plan.lines().map(str::trim) {
                let line = line.trim_start_matches("->").trim();
                let path = line.split("  (").next().unwrap_or(line);
                if path.contains(" Scan ") && !paths.iter().any(|p| p == path) {
                    paths.push(path.to_owned());
                }
                for t in HISTORY_TABLES {
                    if path.starts_with(&format!("Seq Scan on {t}")) && !seq.iter().any(|s| s == t)
                    {
                        seq.push(t.to_owned());
                    }
                }
            }
        }
        println!("\n{name}: {} statement(s)", plans.len());
        for p in &paths {
            println!("    {p}");
        }
        if seq.is_empty() {
            println!("  sequential scans on the history tables: none");
        } else {
            seq_scans += 1;
            println!("  SEQUENTIAL SCANS on: {}", seq.join(", "));
        }
    }
    Ok(seq_scans)
}

/// A real parsed resume, as the upload route stores it: the dashboard carries
/// five of them, so their size is part of what is measured.
fn sample_parsed_resume() -> Result<serde_json::Value> {
    let pdf = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/resumes/public/resume-matcher-modern-two-column.pdf");
    let bytes = std::fs::read(&pdf).with_context(|| format!("reading {}", pdf.display()))?;
    let resume = rehearse_resume::parse_pdf(&bytes, &rehearse_resume::Limits::default())
        .map_err(|e| anyhow::anyhow!("parsing {}: {e:?}", pdf.display()))?;
    Ok(serde_json::to_value(resume)?)
}

async fn seed(client: &tokio_postgres::Client) -> Result<()> {
    let parsed = sample_parsed_resume()?;
    println!(
        "each resume carries a real parsed resume of {} bytes of JSON",
        parsed.to_string().len()
    );
    client
        .batch_execute("CREATE TABLE bench_sample (parsed jsonb)")
        .await?;
    client
        .execute_typed(
            "INSERT INTO bench_sample VALUES ($1)",
            &[(&parsed, Type::JSONB)],
        )
        .await?;
    client
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id, email)
               SELECT gen_random_uuid(), 'user' || g || '@example.com' FROM generate_series(1, {USERS}) g;
             INSERT INTO resumes (user_id, file_name, storage_path, file_size_bytes, content_type,
                                  parsed_json, skills, created_at)
               SELECT p.id, 'cv' || g || '.pdf', p.id || '/' || g || '_cv.pdf', 48213,
                      'application/pdf', (SELECT parsed FROM bench_sample), '{{Rust,SQL}}',
                      now() - g * interval '1 week'
                 FROM user_profiles p, generate_series(1, {RESUMES_PER_USER}) g;
             INSERT INTO interview_sessions
                 (user_id, target_role, experience_level, interview_type, mode, status,
                  total_questions, current_question_index, questions_answered, questions_skipped,
                  started_at, created_at, completed_at, total_time_seconds, average_score,
                  overall_score, performance_tier, summary)
               SELECT p.id, (ARRAY['Backend Engineer', 'Data Engineer', 'SRE'])[1 + g % 3],
                      'mid', 'technical', 'conversational', 'completed', {ANSWERS_PER_SESSION},
                      {ANSWERS_PER_SESSION}, {ANSWERS_PER_SESSION} - 1, 1,
                      now() - g * interval '1 day', now() - g * interval '1 day',
                      now() - g * interval '1 day' + interval '20 minutes', 1200,
                      (5 + g % 5)::numeric, (50 + g % 50)::numeric, 'good', '{{}}'::jsonb
                 FROM user_profiles p, generate_series(1, {SESSIONS_PER_USER}) g;
             INSERT INTO interview_answers
                 (session_id, user_id, question_number, question_text, category, difficulty,
                  answer_text, is_skipped, word_count, score, evaluation_summary)
               SELECT s.id, s.user_id, q, 'Question ' || q,
                      (ARRAY['technical', 'behavioral', 'system_design'])[1 + q % 3], 'medium',
                      CASE WHEN q < {ANSWERS_PER_SESSION} THEN 'An answer of some length.' END,
                      q = {ANSWERS_PER_SESSION}, 5,
                      CASE WHEN q < {ANSWERS_PER_SESSION} THEN (3 + q % 7)::numeric END,
                      'Feedback.'
                 FROM interview_sessions s, generate_series(1, {ANSWERS_PER_SESSION}) q;"
        ))
        .await
        .context("seeding")?;
    Ok(())
}

async fn users(client: &tokio_postgres::Client) -> Result<Vec<AuthUser>> {
    let rows = client
        .query_typed("SELECT id FROM user_profiles ORDER BY id", &[])
        .await?;
    rows.iter()
        .map(|r| {
            let id: Uuid = r.try_get(0)?;
            Ok(AuthUser {
                id: id.into(),
                email: None,
                full_name: None,
                claims: serde_json::json!({ "sub": id, "role": "authenticated" })
                    .to_string()
                    .into(),
            })
        })
        .collect()
}

/// `EXPLAIN ANALYZE` of `sql` (user bound as `$1`) in a transaction as `user`.
async fn explain_as_user(db: &Db, user: &AuthUser, sql: &str) -> Result<String> {
    let explained = format!("EXPLAIN (ANALYZE, BUFFERS) {}", sql.replace("$user", "$1"));
    let lines = db
        .as_user(user, async |tx| {
            let rows = tx
                .query_typed(&explained, &[(&user.id, Type::UUID)])
                .await?;
            rows.iter()
                .map(|r| r.try_get::<_, String>(0).map_err(Into::into))
                .collect::<Result<Vec<_>, rehearse_db::DbError>>()
        })
        .await?;
    Ok(lines.join("\n"))
}

fn median(samples: &[Duration]) -> Duration {
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Of samples sorted by [`measure`].
fn p95(sorted: &[Duration]) -> Duration {
    sorted
        .get(sorted.len() * 95 / 100)
        .copied()
        .unwrap_or_default()
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

async fn explore(
    warmup: usize,
    runs: usize,
    users: &[AuthUser],
    db: &Db,
    storage: &Storage,
    setup: &tokio_postgres::Client,
) -> Result<()> {
    setup
        .batch_execute(
            "CREATE FUNCTION public.bench_read(uid uuid) RETURNS json LANGUAGE plpgsql STABLE AS
               $f$ BEGIN RETURN (SELECT d.document FROM public.user_dashboards d WHERE d.user_id = uid); END $f$;
             CREATE FUNCTION public.bench_read_small(uid uuid) RETURNS timestamptz LANGUAGE plpgsql STABLE AS
               $f$ BEGIN RETURN (SELECT d.refreshed_at FROM public.user_dashboards d WHERE d.user_id = uid); END $f$;
             CREATE FUNCTION public.bench_noop(uid uuid) RETURNS int LANGUAGE plpgsql STABLE AS
               $f$ BEGIN RETURN 1; END $f$;
             CREATE TABLE public.bench_norls AS SELECT user_id, refreshed_at FROM public.user_dashboards;
             ALTER TABLE public.bench_norls ADD PRIMARY KEY (user_id);
             GRANT SELECT ON public.bench_norls TO rehearse_user;
             CREATE TABLE public.bench_plainrls AS SELECT user_id, refreshed_at FROM public.user_dashboards;
             ALTER TABLE public.bench_plainrls ADD PRIMARY KEY (user_id);
             GRANT SELECT ON public.bench_plainrls TO rehearse_user;
             ALTER TABLE public.bench_plainrls ENABLE ROW LEVEL SECURITY;
             CREATE POLICY p ON public.bench_plainrls FOR SELECT TO rehearse_user
               USING (user_id = (select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid));
             ANALYZE public.bench_norls, public.bench_plainrls;
             CREATE TABLE public.bench_compact (user_id uuid PRIMARY KEY, document json NOT NULL)
               WITH (toast_tuple_target = 8160);
             GRANT SELECT ON public.bench_compact TO rehearse_user;
             ALTER TABLE public.bench_compact ENABLE ROW LEVEL SECURITY;
             CREATE POLICY p ON public.bench_compact FOR SELECT TO rehearse_user
               USING ((select rehearse_private.caller_id()) = user_id);
             CREATE FUNCTION public.bench_read_compact(uid uuid) RETURNS json LANGUAGE plpgsql STABLE AS
               $f$ BEGIN RETURN (SELECT d.document FROM public.bench_compact d WHERE d.user_id = uid); END $f$;",
        )
        .await?;
    // Whitespace-free JSON: the document as serde_json would write it.
    setup
        .batch_execute(
            "INSERT INTO public.bench_compact
               SELECT user_id, regexp_replace(document::jsonb::text, '(\"[^\"]*\")|\\s+', '\\1', 'g')::json
               FROM public.user_dashboards",
        )
        .await?;
    setup
        .batch_execute(
            "CREATE TABLE public.bench_lz4 (user_id uuid PRIMARY KEY, document json COMPRESSION lz4 NOT NULL)
               WITH (toast_tuple_target = 8160);
             CREATE TABLE public.bench_ext (user_id uuid PRIMARY KEY, document json NOT NULL);
             ALTER TABLE public.bench_ext ALTER COLUMN document SET STORAGE EXTERNAL;
             INSERT INTO public.bench_lz4 SELECT user_id, document::text::json FROM public.user_dashboards;
             INSERT INTO public.bench_ext SELECT user_id, document::text::json FROM public.user_dashboards;
             GRANT SELECT ON public.bench_lz4, public.bench_ext TO rehearse_user;
             ALTER TABLE public.bench_lz4 ENABLE ROW LEVEL SECURITY;
             ALTER TABLE public.bench_ext ENABLE ROW LEVEL SECURITY;
             CREATE POLICY p ON public.bench_lz4 FOR SELECT TO rehearse_user
               USING ((select rehearse_private.caller_id()) = user_id);
             CREATE POLICY p ON public.bench_ext FOR SELECT TO rehearse_user
               USING ((select rehearse_private.caller_id()) = user_id);
             CREATE FUNCTION public.bench_read_lz4(uid uuid) RETURNS json LANGUAGE plpgsql STABLE AS
               $f$ BEGIN RETURN (SELECT d.document FROM public.bench_lz4 d WHERE d.user_id = uid); END $f$;
             CREATE FUNCTION public.bench_read_ext(uid uuid) RETURNS json LANGUAGE plpgsql STABLE AS
               $f$ BEGIN RETURN (SELECT d.document FROM public.bench_ext d WHERE d.user_id = uid); END $f$;
",
        )
        .await?;
    setup
        .batch_execute("VACUUM ANALYZE public.bench_compact, public.bench_lz4, public.bench_ext")
        .await?;
    const SMALL: &str =
        "SELECT d.refreshed_at FROM public.user_dashboards d WHERE d.user_id = $user";
    const DOC: &str = "SELECT d.document FROM public.user_dashboards d WHERE d.user_id = $user";
    const FN_DOC: &str = "SELECT public.bench_read($user)";
    const FN_SMALL: &str = "SELECT public.bench_read_small($user)";
    const FN_NOOP: &str = "SELECT public.bench_noop($user)";
    const ONE: &str = "SELECT 1";
    let probes = [
        Probe::Raw(ONE, false),
        Probe::Raw(ONE, true),
        Probe::Raw(FN_NOOP, true),
        Probe::Raw(FN_SMALL, true),
        Probe::Raw(FN_DOC, true),
        Probe::Raw("SELECT public.bench_read_compact($user)", true),
        Probe::Raw("SELECT public.bench_read_lz4($user)", true),
        Probe::Raw("SELECT public.bench_read_ext($user)", true),
        Probe::Raw(SMALL, true),
        Probe::Raw(DOC, true),
        Probe::Raw("SELECT repeat('x', 4000)", false),
        Probe::Raw("SELECT repeat('x', 7744)", false),
    ];
    let names = [
        "SELECT 1 simple",
        "as-user SELECT 1",
        "as-user plpgsql noop",
        "as-user plpgsql small",
        "as-user plpgsql doc (pglz)",
        "as-user plpgsql compact doc",
        "as-user plpgsql lz4 doc",
        "as-user plpgsql external doc",
        "as-user PK small col",
        "as-user PK doc",
        "repeat 4000",
        "repeat 7744",
    ];
    let sizes = setup
        .query_typed_one(
            "SELECT avg(pg_column_size(document))::float8, avg(octet_length(document::text))::float8 FROM bench_lz4",
            &[],
        )
        .await?;
    println!(
        "explore: stored size {:?} text {:?}",
        sizes.get::<_, f64>(0),
        sizes.get::<_, f64>(1)
    );
    let samples = measure(&probes, warmup, runs, users, db, storage).await?;
    for (n, s) in names.iter().zip(samples.iter()) {
        println!("explore: {n:<28} median {:>7.1} µs", micros(median(s)));
    }
    Ok(())
}
