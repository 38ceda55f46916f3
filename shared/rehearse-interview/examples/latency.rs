//! What scoring costs: the cold initialisation a scoring function pays for the
//! embedding model (and what the scorer derives from it), and the warm time to
//! score a 200-word answer, p50 and p99. Not a timed test: a report, compared in
//! one run with the engine as it was before semantic scoring (`bench/scoring.sh`
//! builds that one from git and runs the same measurement on it).
//!
//! `cargo run --release -p rehearse-interview --example latency` prints the
//! report; with `--init-once` it is the
//! child it spawns for each cold measurement (a fresh process each time, so the
//! model's pages are mapped and the tables built from nothing).

use std::process::Command;
use std::time::{Duration, Instant};

use rehearse_interview::{Category, Difficulty, JobContext, Question};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const ANSWER_200_WORDS: &str = "At my last company I owned the checkout service, a Python \
    monolith that fell over at peak load every Black Friday. My task was to keep p99 latency \
    under 200 ms while traffic tripled. I started by profiling production with sampling \
    traces and found that two thirds of the time went to a pricing call that hit Postgres \
    eleven times per request. I rewrote the pricing path to load the catalogue once per \
    request, added a read-through cache in Redis with a five minute TTL and explicit \
    invalidation when merchandisers changed prices, and moved the fraud check to an \
    asynchronous queue with a fallback rule for timeouts. I was careful about the trade-off: \
    caching prices risks charging a stale price, so we versioned every price and rejected \
    orders whose version was older than the cart's. We rolled it out behind a feature flag to \
    five percent of traffic, watched error budgets for a week, then went to one hundred \
    percent. As a result p99 dropped from 900 ms to 120 ms, database CPU fell by sixty \
    percent, and Black Friday ran without a single incident. The lesson I took away is to \
    measure before optimising: my first guess, the template rendering, was only four percent \
    of the time.";

fn question() -> Question {
    Question {
        id: "q1".into(),
        number: 1,
        text: "Tell me about a time you improved the performance of a service.".into(),
        category: Category::Behavioral,
        difficulty: Difficulty::Medium,
        topic: String::new(),
        follow_up_of: None,
        expects_star: true,
        keywords: Vec::new(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[allow(clippy::print_stdout)]
fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--init-once") {
        // The child: time warm-up plus the first answer scored, print them.
        let start = Instant::now();
        rehearse_interview::warm_up()?; // WARM_UP
        let init = start.elapsed();
        let ctx = JobContext::new("Backend Engineer", "3-5", "mixed", None, None)?;
        let first = Instant::now();
        let _ = rehearse_interview::evaluate(&question(), ANSWER_200_WORDS, &ctx);
        println!("{} {}", init.as_nanos(), first.elapsed().as_nanos());
        // (The engine before semantic scoring had no warm-up: its lazy tables
        // are built by the first answer, which is reported next to this one.)
        return Ok(());
    }
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let words = ANSWER_200_WORDS.split_whitespace().count();

    // Cold: fresh processes.
    let exe = std::env::current_exe()?;
    let mut inits = Vec::new();
    let mut firsts = Vec::new();
    let mut spawns = Vec::new();
    for _ in 0..9 {
        let t = Instant::now();
        let out = Command::new(&exe).arg("--init-once").output()?;
        spawns.push(t.elapsed());
        let text = String::from_utf8_lossy(&out.stdout);
        let mut it = text
            .split_whitespace()
            .filter_map(|v| v.parse::<u64>().ok());
        inits.push(Duration::from_nanos(it.next().unwrap_or_default()));
        firsts.push(Duration::from_nanos(it.next().unwrap_or_default()));
    }
    inits.sort();
    firsts.sort();
    spawns.sort();

    // Warm: this process.
    rehearse_interview::warm_up()?; // WARM_UP
    let ctx = JobContext::new("Backend Engineer", "3-5", "mixed", None, None)?;
    let q = question();
    for _ in 0..10 {
        let _ = rehearse_interview::evaluate(&q, ANSWER_200_WORDS, &ctx);
    }
    let mut warm = Vec::with_capacity(runs);
    let mut score = 0.0;
    for _ in 0..runs {
        let t = Instant::now();
        let e = rehearse_interview::evaluate(&q, ANSWER_200_WORDS, &ctx);
        warm.push(t.elapsed());
        score = e.score;
    }
    warm.sort();
    println!(
        "{:<34} {:>10.3} ms (median of {}; max {:.3})",
        "cold init (warm_up)",
        ms(percentile(&inits, 0.5)),
        inits.len(),
        ms(inits.last().copied().unwrap_or_default())
    );
    println!(
        "{:<34} {:>10.3} ms",
        "first answer after init",
        ms(percentile(&firsts, 0.5))
    );
    let mut totals: Vec<Duration> = inits.iter().zip(&firsts).map(|(a, b)| *a + *b).collect();
    totals.sort();
    println!(
        "{:<34} {:>10.3} ms",
        "init + first answer",
        ms(percentile(&totals, 0.5))
    );
    println!(
        "{:<34} {:>10.3} ms",
        "process spawn→exit (whole child)",
        ms(percentile(&spawns, 0.5))
    );
    println!(
        "{:<34} {:>10.3} ms p50, {:.3} ms p99 ({runs} runs, {words} words, score {score})",
        "warm scoring",
        ms(percentile(&warm, 0.5)),
        ms(percentile(&warm, 0.99)),
    );
    Ok(())
}
