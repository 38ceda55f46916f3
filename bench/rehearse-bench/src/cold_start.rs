//! Cold starts of the functions' release binaries (a benchmark, not a timed
//! test; `bench/cold-start.sh` builds them and runs this).
//!
//! Each function runs as Lambda runs it: a fresh process of its binary under a
//! Runtime API (`load_lambda.rs`), with the configuration a deployment gives it
//! (the test harness's Postgres behind PgBouncer in transaction mode, its S3
//! server, a JWT secret; no `REHEARSE_SECRET_ARN`, so no Secrets Manager call).
//! Per cold run: init (spawn to the first `GET .../invocation/next`, what Lambda
//! reports as Init Duration), the first invocation (that `/next` to the
//! response), then `--warm` invocations one after another, and the process's
//! peak resident set (`VmHWM`) at the end. Runs go round-robin over the
//! functions, so a busy moment of the machine is shared out. Every figure is
//! set against a `lambda_http` hello world (`cold-start-hello`) built with the
//! same profile.
//!
//! The event is a real one from `events/<function>/<case>.json`: `anonymous`
//! where there is one (for a signed-in route, its 401), else the function's
//! ordinary case; `--case FUNCTION=CASE` picks another, `--also FUNCTION=CASE`
//! adds a row (`--also NAME@TAG=CASE`: the binary `NAME@TAG` from the bin dir,
//! e.g. an earlier build, with NAME's events, to compare builds within one
//! run). A signed-in case gets a freshly signed token for a new user on
//! every invocation.
//!
//! `--env NAME=VALUE` adds a variable to every function's environment.
//!
//! Usage: cold-start [--bin-dir DIR] [--runs 7] [--warm 50]
//!   [--case F=CASE]... [--also F=CASE]... [--env NAME=VALUE]... [FUNCTION...]

#![allow(clippy::print_stdout)]

#[path = "load_lambda.rs"]
#[allow(dead_code)]
mod lambda;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use rehearse_core::UserId;
use rehearse_testkit::tokens::{TEST_JWT_SECRET, claims, sign_hs256};
use rehearse_testkit::{TestStack, Via};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::lambda::{Fleet, Function, Outcome};

/// The baseline binary (bench/rehearse-bench/src/cold_start_hello.rs).
const HELLO: &str = "cold-start-hello";
/// Functions whose ordinary event is not `anonymous.json`.
const DEFAULT_CASES: [(&str, &str); 3] = [
    ("health-get", "root"),
    ("migrate", "deploy"),
    ("sweeper", "scheduled"),
];

#[derive(Debug)]
struct Args {
    bin_dir: PathBuf,
    runs: usize,
    warm: usize,
    cases: BTreeMap<String, String>,
    also: Vec<(String, String)>,
    env: Vec<(String, String)>,
    functions: Vec<String>,
}

fn args() -> Result<Args> {
    let root = rehearse_testkit::workspace_root();
    let mut a = Args {
        bin_dir: root.join("target/cold-start-bin"),
        runs: 7,
        warm: 50,
        cases: BTreeMap::new(),
        also: Vec::new(),
        env: Vec::new(),
        functions: Vec::new(),
    };
    let pair = |s: String| -> Result<(String, String)> {
        s.split_once('=')
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
            .with_context(|| format!("{s:?} is not FUNCTION=CASE"))
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--bin-dir" => a.bin_dir = PathBuf::from(value()?),
            "--runs" => a.runs = value()?.parse()?,
            "--warm" => a.warm = value()?.parse()?,
            "--case" => {
                let (f, c) = pair(value()?)?;
                a.cases.insert(f, c);
            }
            "--also" => a.also.push(pair(value()?)?),
            "--env" => a.env.push(pair(value()?)?),
            s if s.starts_with("--") => bail!("unknown argument {s}"),
            name => a.functions.push(name.to_owned()),
        }
    }
    if a.runs == 0 {
        bail!("--runs must be at least 1");
    }
    if a.functions.is_empty() {
        let mut all = Vec::new();
        for entry in std::fs::read_dir(root.join("functions"))? {
            let path = entry?.path();
            if path.join("Cargo.toml").exists()
                && let Some(name) = path.file_name().and_then(|n| n.to_str())
            {
                all.push(name.to_owned());
            }
        }
        all.sort();
        a.functions = all;
    }
    Ok(a)
}

/// One row of the table: a binary and the event it is invoked with.
#[derive(Debug)]
struct Spec {
    label: String,
    binary: &'static str,
    case: String,
    event: Value,
    signed_in: bool,
}

impl Spec {
    fn new(binary: &str, event_of: &str, case: &str, label: String) -> Result<Self> {
        let path = rehearse_testkit::events_dir()
            .join(event_of)
            .join(format!("{case}.json"));
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("read {}", path.display()))?;
        let event: Value = serde_json::from_str(&text)?;
        let signed_in = event["headers"]["authorization"].is_string();
        Ok(Self {
            label,
            binary: Box::leak(binary.to_owned().into_boxed_str()),
            case: case.to_owned(),
            event,
            signed_in,
        })
    }

    /// The event to send: signed-in cases carry a fresh token for a new user.
    fn event(&self) -> Result<Bytes> {
        let mut e = self.event.clone();
        if self.signed_in {
            let user = UserId::from_uuid(uuid::Uuid::new_v4());
            let token = sign_hs256(TEST_JWT_SECRET, &claims(user, "cold-start@example.com"));
            e["headers"]["authorization"] = json!(format!("Bearer {token}"));
        }
        Ok(Bytes::from(serde_json::to_vec(&e)?))
    }
}

/// What one cold run measured.
#[derive(Debug)]
struct Run {
    init: Duration,
    first: Duration,
    warm: Vec<Duration>,
    rss_kib: u64,
    statuses: Vec<String>,
}

fn status(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Response { status, .. } => status.to_string(),
        Outcome::FunctionError(_) => "error".into(),
        Outcome::Timeout => "timeout".into(),
    }
}

async fn cold_run(spec: &Spec, base: &Fleet, warm: usize) -> Result<Run> {
    let (stop, shutdown) = watch::channel(false);
    let fleet = Fleet {
        shutdown,
        ..base.clone()
    };
    let function = Function::start(spec.binary, &fleet).await?;
    let (outcome, _) = function.invoke(spec.event()?).await;
    let answered = Instant::now();
    let mut statuses = vec![status(&outcome)];
    let (spawned, polled) = function
        .first_init()
        .with_context(|| format!("{} never polled /next", spec.label))?;
    let mut times = Vec::with_capacity(warm);
    for _ in 0..warm {
        let event = spec.event()?;
        let started = Instant::now();
        let (outcome, _) = function.invoke(event).await;
        times.push(started.elapsed());
        statuses.push(status(&outcome));
    }
    let rss_kib = function.peak_rss_kib();
    let _ = stop.send(true);
    function.stop_instances().await;
    Ok(Run {
        init: polled.saturating_duration_since(spawned),
        first: answered.saturating_duration_since(polled),
        warm: times,
        rss_kib,
        statuses,
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Debug)]
struct Row {
    init: f64,
    first: f64,
    p50: f64,
    p99: f64,
    rss_mib: f64,
    statuses: String,
}

fn summarize(runs: &[Run]) -> Row {
    let mut warm: Vec<f64> = runs
        .iter()
        .flat_map(|r| r.warm.iter().copied().map(ms))
        .collect();
    warm.sort_by(f64::total_cmp);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for s in runs.iter().flat_map(|r| &r.statuses) {
        *seen.entry(s).or_default() += 1;
    }
    Row {
        init: median(runs.iter().map(|r| ms(r.init)).collect()),
        first: median(runs.iter().map(|r| ms(r.first)).collect()),
        p50: percentile(&warm, 50.0),
        p99: percentile(&warm, 99.0),
        rss_mib: median(runs.iter().map(|r| r.rss_kib as f64 / 1024.0).collect()),
        statuses: seen.keys().copied().collect::<Vec<_>>().join("/"),
    }
}

async fn environment() -> Result<Vec<(String, String)>> {
    use aws_credential_types::provider::ProvideCredentials;
    let stack = TestStack::get();
    let db = stack.database().await;
    let storage = stack.storage().await;
    let creds = TestStack::sdk_config()
        .credentials_provider()
        .context("no S3 credentials")?
        .provide_credentials()
        .await?;
    let mut env: Vec<(String, String)> = [
        ("DATABASE_URL", db.url(Via::Pooler).expose_secret()),
        ("MIGRATE_DATABASE_URL", db.url(Via::Direct).expose_secret()),
        ("DATABASE_POOL_SIZE", "2"),
        ("SUPABASE_JWT_SECRET", TEST_JWT_SECRET),
        ("JWT_AUDIENCE", "authenticated"),
        ("RESUME_BUCKET", storage.bucket()),
        ("S3_ENDPOINT", stack.s3_endpoint()),
        ("S3_FORCE_PATH_STYLE", "true"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", creds.access_key_id()),
        ("AWS_SECRET_ACCESS_KEY", creds.secret_access_key()),
        ("REHEARSE_STAGE", "cold-start"),
        // The production log format and level (JSON, info), into a file.
        ("RUST_LOG", "info"),
        ("TZ", ":UTC"),
        ("LANG", "en_US.UTF-8"),
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    // Quotas are counted (a database write, as deployed) but never refuse:
    // every warm invocation comes from the same address.
    for bucket in ["INTERVIEW", "RESUME", "EVALUATE", "GENERATE", "SPEECH"] {
        for who in ["ANONYMOUS", "USER"] {
            env.push((format!("RATE_LIMIT_{bucket}_{who}"), "1000000".into()));
        }
    }
    Ok(env)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let a = args()?;
    let log_dir = std::env::temp_dir().join(format!("rehearse-cold-start-{}", std::process::id()));
    std::fs::create_dir_all(&log_dir)?;
    let (_never, shutdown) = watch::channel(false);
    let mut env = environment().await?;
    env.extend(a.env.iter().cloned());
    let base = Fleet {
        bin_dir: a.bin_dir.clone(),
        log_dir: log_dir.clone(),
        env,
        cap: 1,
        timeout: Duration::from_secs(30),
        shutdown,
    };

    let mut specs = vec![Spec::new(
        HELLO,
        "health-get",
        "root",
        "hello (lambda_http)".into(),
    )?];
    for f in &a.functions {
        let case = a.cases.get(f).cloned().unwrap_or_else(|| {
            DEFAULT_CASES
                .iter()
                .find(|(name, _)| name == f)
                .map_or("anonymous", |(_, c)| c)
                .to_owned()
        });
        specs.push(Spec::new(f, f, &case, f.clone())?);
    }
    for (f, case) in &a.also {
        // `name@tag` is another build of `name` (a binary of that name in the
        // bin dir) with `name`'s events: before/after rows of one run.
        let events = f.split_once('@').map_or(f.as_str(), |(name, _)| name);
        specs.push(Spec::new(f, events, case, format!("{f} ({case})"))?);
    }

    eprintln!(
        "cold-start: {} rows x {} cold runs, {} warm invocations each; binaries from {}; logs in {}",
        specs.len(),
        a.runs,
        a.warm,
        a.bin_dir.display(),
        log_dir.display()
    );
    let mut runs: Vec<Vec<Run>> = specs.iter().map(|_| Vec::new()).collect();
    for round in 0..a.runs {
        for (spec, done) in specs.iter().zip(runs.iter_mut()) {
            done.push(cold_run(spec, &base, a.warm).await?);
        }
        eprintln!("cold-start: round {}/{} done", round + 1, a.runs);
    }

    let rows: Vec<Row> = runs.iter().map(|r| summarize(r)).collect();
    let hello = &rows[0];
    println!(
        "Cold starts: release builds, medians of {} cold runs; warm p50/p99 over {} invocations \
         ({} a run); RSS = peak resident set (VmHWM) after the warm invocations. Goals: \
         init <= 2x the hello's, RSS <= 3x.\n",
        a.runs,
        a.runs * a.warm,
        a.warm
    );
    println!(
        "| function | event | status | init ms | x hello | first invoke ms | warm p50 / p99 ms | RSS MiB | x hello |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|");
    for (spec, row) in specs.iter().zip(&rows) {
        let init_x = row.init / hello.init;
        let rss_x = row.rss_mib / hello.rss_mib;
        let flag = |x: f64, goal: f64| if x > goal { " over" } else { "" };
        println!(
            "| {} | {} | {} | {:.2} | {:.2}{} | {:.2} | {:.2} / {:.2} | {:.1} | {:.2}{} |",
            spec.label,
            spec.case,
            row.statuses,
            row.init,
            init_x,
            flag(init_x, 2.0),
            row.first,
            row.p50,
            row.p99,
            row.rss_mib,
            rss_x,
            flag(rss_x, 3.0),
        );
    }
    Ok(())
}
