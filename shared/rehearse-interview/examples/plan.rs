//! Print the questions the engine plans for a parsed resume.
//!
//! ```sh
//! cargo run -q -p rehearse-dev -- parse resume.pdf > /tmp/resume.json
//! cargo run -q -p rehearse-interview --example plan -- /tmp/resume.json "Backend Engineer" 3-5 mixed 10 42
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use rehearse_interview::{JobContext, Resume, generate};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.to_owned());
    let resume: Resume = match std::fs::read_to_string(arg(0, "")) {
        Ok(json) => match serde_json::from_str(&json) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("not a resume JSON: {e}");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => Resume::default(),
    };
    let ctx = match JobContext::new(
        &arg(1, "Software Engineer"),
        &arg(2, "3-5"),
        &arg(3, "mixed"),
        None,
        None,
    ) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let n: u8 = arg(4, "10").parse().unwrap_or(10);
    let seed: u64 = arg(5, "1").parse().unwrap_or(1);
    println!(
        "family: {}",
        rehearse_interview::role_family(&ctx.target_role)
    );
    for q in generate(&resume, &ctx, n, seed) {
        println!(
            "{:>2}. [{} / {} / {}{}] {}",
            q.number,
            q.category.as_str(),
            q.difficulty.as_str(),
            q.topic,
            if q.expects_star { " / STAR" } else { "" },
            q.text
        );
    }
    ExitCode::SUCCESS
}
