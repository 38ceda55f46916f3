//! The function refuses to start without its embedding table, or with one from
//! another build: deployed, that is a missing or stale model layer, and
//! starting anyway would score every answer on words alone.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn start_with_table(table: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_answer-evaluate"))
        .env_clear()
        .env("REHEARSE_EMBEDDING_TABLE", table)
        // Nothing listens there: a start that got past the model would fail
        // later, on the runtime API, with another message.
        .env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9")
        .env("AWS_LAMBDA_FUNCTION_NAME", "answer-evaluate")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .output()
        .unwrap()
}

fn scratch(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "rehearse-answer-evaluate-{}-{name}",
        std::process::id()
    ));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The start failed, and its log (stdout, JSON) says `why`.
fn assert_refused(out: &Output, why: &str) {
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(log.contains(why), "{log}");
}

#[test]
fn a_missing_table_stops_the_start() {
    let out = start_with_table(std::path::Path::new("/nonexistent/static-minilm.bin"));
    assert_refused(
        &out,
        "embedding table /nonexistent/static-minilm.bin: No such file",
    );
}

#[test]
fn a_table_from_another_build_stops_the_start() {
    let mut table = std::fs::read(rehearse_embed::table_path()).unwrap();
    // One scale changed: the same shape, another distillation.
    table[20] ^= 0x01;
    let path = scratch("other.bin", &table);
    let out = start_with_table(&path);
    let _ = std::fs::remove_file(&path);
    assert_refused(&out, "is not the one this binary was built with");
}

#[test]
fn with_its_table_it_gets_past_the_model() {
    let out = start_with_table(&rehearse_embed::table_path());
    // With no configuration it stops at the next step, the environment it
    // reads after warming the scorer (DATABASE_URL), not on the model.
    assert!(!out.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("embedding"), "{all}");
    assert!(all.contains("DATABASE_URL"), "{all}");
}
