//! The dashboard's latency against a realistic history: seeds 1,000 users × 50
//! completed sessions × 10 answers (and 5 resumes each) into a throwaway
//! database of the test stack (Postgres behind PgBouncer in transaction mode, the
//! same harness the tests use), then times what the dashboard handler does after
//! token verification (one pipelined statement as the user, plus presigning)
//! against a bare `SELECT 1` through the same pool, interleaved, and prints both
//! medians, their ratio and the `EXPLAIN ANALYZE` of each query.
//!
//! Usage: dashboard-latency [--runs N] [--warmup N] [--direct]

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rehearse_core::AuthUser;
use rehearse_db::{Db, Type, history, statistics};
use rehearse_testkit::{TestStack, Via};
use uuid::Uuid;

const USERS: i64 = 1_000;
const SESSIONS_PER_USER: i64 = 50;
const ANSWERS_PER_SESSION: i64 = 10;
const RESUMES_PER_USER: i64 = 5;
/// Tables big enough that a sequential scan on them is a finding.
const BIG_TABLES: [&str; 3] = ["interview_sessions", "interview_answers", "resumes"];

#[tokio::main]
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

    let mut dashboard = Vec::with_capacity(runs);
    let mut select_one = Vec::with_capacity(runs);
    for i in 0..warmup + runs {
        let Some(user) = users.get(i % users.len()) else {
            bail!("no user {i}");
        };
        let t = Instant::now();
        let board = rehearse_resume_store::dashboard(&db, &storage, user).await?;
        let d = t.elapsed();
        if board["recent_sessions"].as_array().map(Vec::len) != Some(5) {
            bail!("unexpected dashboard: {board}");
        }
        let t = Instant::now();
        let client = db.client().await?;
        client.query_typed_one("SELECT 1", &[]).await?;
        drop(client);
        let s = t.elapsed();
        if i >= warmup {
            dashboard.push(d);
            select_one.push(s);
        }
    }
    let (dm, sm) = (median(&mut dashboard), median(&mut select_one));
    println!();
    println!("runs: {runs} (after {warmup} warm-up), users cycled");
    println!(
        "dashboard (1 statement, pipelined as the user, + 5 presigns): median {:>8.1} µs  p95 {:>8.1} µs",
        micros(dm),
        micros(p95(&dashboard))
    );
    println!(
        "SELECT 1  (same pool):                                         median {:>8.1} µs  p95 {:>8.1} µs",
        micros(sm),
        micros(p95(&select_one))
    );
    println!(
        "ratio dashboard / SELECT 1 (median): {:.2}×  (goal ≤ 1.5×)",
        dm.as_secs_f64() / sm.as_secs_f64()
    );

    println!("\n== EXPLAIN ANALYZE: dashboard (as the user, row-level security on) ==");
    let plan = explain_as_user(&db, first, &history::dashboard_sql()).await?;
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
    Ok(())
}

async fn seed(client: &tokio_postgres::Client) -> Result<()> {
    client
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id, email)
               SELECT gen_random_uuid(), 'user' || g || '@example.com' FROM generate_series(1, {USERS}) g;
             INSERT INTO resumes (user_id, file_name, storage_path, file_size_bytes, content_type,
                                  parsed_json, skills, created_at)
               SELECT p.id, 'cv' || g || '.pdf', p.id || '/' || g || '_cv.pdf', 48213,
                      'application/pdf', jsonb_build_object('name', p.email), '{{Rust,SQL}}',
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
    let explained = format!("EXPLAIN (ANALYZE, BUFFERS) {sql}");
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

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Of samples already sorted by [`median`].
fn p95(sorted: &[Duration]) -> Duration {
    sorted
        .get(sorted.len() * 95 / 100)
        .copied()
        .unwrap_or_default()
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
