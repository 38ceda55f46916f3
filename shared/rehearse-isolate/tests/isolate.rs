//! The isolation guarantees, with this test binary re-run as the worker: the test
//! `worker` below is the child when `REHEARSE_ISOLATE_WORKER` is set, and plays
//! the parser that `ISOLATE_TEST_MODE` names.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::{Duration, Instant};

use rehearse_isolate::{
    IsolateConfig, IsolateError, Isolator, PdfError, Resume, WorkerCommand,
    run_worker_if_requested_with,
};

fn sample() -> Resume {
    Resume {
        name: Some("Ada Lovelace".into()),
        email: Some("ada@example.com".into()),
        skills: vec!["Rust".into(), "SQL".into()],
        years_of_experience: Some(4.5),
        ..Resume::default()
    }
}

fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth as u8; 4096]);
    if depth == 0 {
        0
    } else {
        recurse(depth - 1).wrapping_add(u64::from(frame[0]))
    }
}

/// Not a test: the worker, which `WorkerCommand::test_harness` runs in the child
/// with the environment variable set. A normal run skips it (it would do nothing).
#[test]
#[ignore = "the isolated worker's entry point, run in the child by the tests below"]
fn worker() {
    run_worker_if_requested_with(|bytes, limits| {
        let mode = std::env::var("ISOLATE_TEST_MODE").unwrap_or_default();
        match mode.as_str() {
            "echo" => {
                let mut r = sample();
                r.summary = Some(String::from_utf8_lossy(bytes).into_owned());
                Ok(r)
            }
            "encrypted" => Err(PdfError::Encrypted),
            "hog" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 32 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "hang" => {
                std::thread::sleep(Duration::from_secs(600));
                Ok(sample())
            }
            "spin" => loop {
                std::hint::black_box(0u64);
            },
            "recurse" => {
                std::hint::black_box(recurse(u64::MAX));
                Ok(sample())
            }
            "panic" => panic!("secret resume text"),
            "garbage" => {
                let mut out = std::io::stdout();
                out.write_all(b"{\"ok\": \"not a frame\"}\n").unwrap();
                out.flush().unwrap();
                std::process::exit(0)
            }
            "real" => rehearse_resume::parse_pdf(bytes, limits),
            other => panic!("unknown ISOLATE_TEST_MODE {other:?}"),
        }
    });
}

fn isolator(mode: &str, config: IsolateConfig) -> Isolator {
    let command = WorkerCommand::test_harness(module_path!(), "worker")
        .unwrap()
        .env("ISOLATE_TEST_MODE", mode);
    Isolator::new(command, config)
}

fn quick() -> IsolateConfig {
    IsolateConfig {
        timeout: Duration::from_secs(20),
        memory_limit_bytes: 256 * 1024 * 1024,
        cpu_limit_seconds: 20,
        ..IsolateConfig::default()
    }
}

fn assert_unreadable(result: Result<Resume, IsolateError>) {
    match result {
        Err(IsolateError::Pdf(PdfError::Unreadable(detail))) => assert!(!detail.is_empty()),
        other => panic!("expected pdf_unreadable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_parse_round_trips_through_the_worker() {
    let resume = isolator("echo", quick())
        .parse(b"%PDF-1.7 hello")
        .await
        .unwrap();
    let mut expected = sample();
    expected.summary = Some("%PDF-1.7 hello".into());
    assert_eq!(resume, expected);
}

#[tokio::test]
async fn parser_errors_keep_their_code() {
    let err = isolator("encrypted", quick())
        .parse(b"%PDF-1.7")
        .await
        .unwrap_err();
    assert!(
        matches!(err, IsolateError::Pdf(PdfError::Encrypted)),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_real_parser_runs_in_the_worker() {
    // Whatever the parser makes of a stub, it answers as a parser (a 4xx code), not
    // as a broken worker.
    let err = isolator("real", quick())
        .parse(b"%PDF-1.4\n%%EOF\n")
        .await
        .unwrap_err();
    assert!(matches!(err, IsolateError::Pdf(_)), "{err:?}");
}

#[tokio::test]
async fn a_worker_allocating_without_bound_dies_alone() {
    let hog = isolator("hog", quick());
    let started = Instant::now();
    assert_unreadable(hog.parse(b"%PDF-1.7").await);
    assert!(started.elapsed() < Duration::from_secs(15));
    // This process is unharmed and keeps serving.
    let after = isolator("echo", quick())
        .parse(b"%PDF-1.7 again")
        .await
        .unwrap();
    assert_eq!(after.name.as_deref(), Some("Ada Lovelace"));
}

/// This process's children whose environment holds `marker` (the worker cannot
/// write a pid file: its file-size limit is zero).
fn children_with(marker: &str) -> Vec<u32> {
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // "pid (comm) state ppid ...": comm may hold spaces, so split after its ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let marked = environ
            .split(|b| *b == 0)
            .any(|var| var == marker.as_bytes());
        if ppid == Some(me) && marked {
            found.push(pid);
        }
    }
    found
}

#[tokio::test]
async fn a_hanging_worker_is_killed_at_the_timeout() {
    let marker = format!("ISOLATE_TEST_MARK={}", std::process::id());
    let (name, value) = marker.split_once('=').unwrap();
    let config = IsolateConfig {
        timeout: Duration::from_secs(1),
        ..quick()
    };
    let command = WorkerCommand::test_harness(module_path!(), "worker")
        .unwrap()
        .env("ISOLATE_TEST_MODE", "hang")
        .env(name, value);
    let isolator = Isolator::new(command, config);
    let started = Instant::now();
    let watch = async {
        // Find the worker while it hangs.
        tokio::time::sleep(Duration::from_millis(500)).await;
        children_with(&marker)
    };
    let (result, seen) = tokio::join!(isolator.parse(b"%PDF-1.7"), watch);
    let took = started.elapsed();
    assert_unreadable(result);
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(seen.len(), 1, "the hanging worker was not found: {seen:?}");
    for pid in seen {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "worker {pid} outlived its timeout"
        );
    }
}

#[tokio::test]
async fn a_spinning_worker_is_stopped_by_its_cpu_limit() {
    let config = IsolateConfig {
        timeout: Duration::from_secs(30),
        cpu_limit_seconds: 1,
        ..quick()
    };
    let started = Instant::now();
    assert_unreadable(isolator("spin", config).parse(b"%PDF-1.7").await);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn stack_overflow_panic_and_garbage_are_unreadable() {
    for mode in ["recurse", "panic", "garbage"] {
        assert_unreadable(isolator(mode, quick()).parse(b"%PDF-1.7").await);
    }
}

#[tokio::test]
async fn a_missing_worker_program_is_our_error() {
    let command = WorkerCommand::new("/nonexistent/rehearse-worker");
    let err = Isolator::new(command, quick())
        .parse(b"%PDF-1.7")
        .await
        .unwrap_err();
    assert!(matches!(err, IsolateError::Worker(_)), "{err:?}");
}

#[tokio::test]
async fn oversized_input_is_refused_before_spawning() {
    let mut config = quick();
    config.limits.max_bytes = 8;
    let err = isolator("echo", config)
        .parse(b"%PDF-1.7 too long")
        .await
        .unwrap_err();
    assert!(
        matches!(err, IsolateError::Pdf(PdfError::TooLarge { limit: 8 })),
        "{err:?}"
    );
}
