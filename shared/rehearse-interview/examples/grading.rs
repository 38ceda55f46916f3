//! Score the hand-graded answer set and print each answer's score next to its
//! grade, then the Spearman rank correlation between grades and scores.
//!
//! ```sh
//! cargo run -p rehearse-interview --example grading
//! cargo run -p rehearse-interview --example grading -- --verbose   # dimensions and feedback too
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use rehearse_interview::grading::{self, Grade};

const SET: &str = include_str!("../data/graded_answers.json");

fn main() -> ExitCode {
    let verbose = std::env::args().any(|a| a == "--verbose" || a == "-v");
    let scored = match grading::parse(SET).and_then(|items| grading::score_all(&items)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{:<24} {:<5} {:>5}  words", "answer", "grade", "score");
    for s in &scored {
        let grade = match s.item.grade {
            Grade::Good => "good",
            Grade::Fair => "fair",
            Grade::Poor => "poor",
        };
        println!(
            "{:<24} {:<5} {:>5.1}  {}",
            s.item.id,
            grade,
            s.score,
            s.item.answer.split_whitespace().count()
        );
        if verbose {
            let ctx = rehearse_interview::JobContext::new(
                &s.item.role,
                &s.item.level,
                "mixed",
                None,
                None,
            );
            if let Ok(ctx) = ctx
                && let Some(q) = grading::question_for(&s.item.question, &ctx)
            {
                let e = rehearse_interview::evaluate(&q, &s.item.answer, &ctx);
                let d = e.dimensions;
                println!(
                    "    rel {:.1} depth {:.1} struct {:.1} spec {:.1} comm {:.1}{}",
                    d.relevance,
                    d.depth,
                    d.structure,
                    d.specificity,
                    d.communication,
                    e.star
                        .map(|s| format!(
                            " STAR {}{}{}{}",
                            if s.situation { "S" } else { "-" },
                            if s.task { "T" } else { "-" },
                            if s.action { "A" } else { "-" },
                            if s.result { "R" } else { "-" }
                        ))
                        .unwrap_or_default()
                );
                println!("    feedback: {}", e.feedback);
            }
        }
    }
    for grade in [Grade::Good, Grade::Fair, Grade::Poor] {
        let xs: Vec<f32> = scored
            .iter()
            .filter(|s| s.item.grade == grade)
            .map(|s| s.score)
            .collect();
        if let (Some(min), Some(max)) = (
            xs.iter().copied().reduce(f32::min),
            xs.iter().copied().reduce(f32::max),
        ) {
            let mean = xs.iter().sum::<f32>() / xs.len() as f32;
            println!(
                "{grade:?}: {} answers, mean {mean:.2}, range {min:.1}..{max:.1}",
                xs.len()
            );
        }
    }
    match grading::agreement(&scored) {
        Some(rho) => {
            println!(
                "Spearman rank correlation: {rho:.3} over {} answers",
                scored.len()
            );
            if rho >= 0.7 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        None => {
            eprintln!("not enough variation to rank");
            ExitCode::FAILURE
        }
    }
}
