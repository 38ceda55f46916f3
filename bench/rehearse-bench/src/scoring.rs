//! How well the engine's scores agree with an independent graded set.
//!
//! The set lives in `bench/scoring/graded-*.{dev,test}.jsonl`: answers to
//! interview questions in six categories and a dozen roles, each graded 0–10 with
//! a one-line rationale by a grader who saw only the grade anchors and the
//! questions, never the engine or its scores. The `.test` files are the held-out
//! split: the engine is never tuned on them, and this program prints only their
//! aggregate figures (per-item output is for the dev split).
//!
//! Every answer goes through the same request validation as
//! the `answer-evaluate` function (question text, category and difficulty as
//! metadata, the job context from the item's role and level), so the figures are
//! what a client of the route would see.
//!
//! Usage: `bench/scoring.sh [--split dev|test|all] [--verbose]`.

// A report: printing is its job.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rehearse_session_store::requests::EvaluateRequest;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
struct Item {
    id: String,
    category: String,
    role: String,
    level: String,
    #[serde(default)]
    difficulty: Option<String>,
    question: String,
    answer: String,
    grade: f64,
    #[serde(default)]
    rationale: String,
}

#[derive(Debug)]
struct Scored {
    item: Item,
    score: f64,
    /// The dimensions and signals behind the score (dev split, `--verbose`).
    detail: String,
}

fn load(dir: &Path, split: &str) -> anyhow::Result<Vec<Item>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("graded-") && n.ends_with(&format!(".{split}.jsonl"))
            })
        })
        .collect();
    files.sort();
    let mut items = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let item: Item =
                serde_json::from_str(line).with_context(|| format!("{}:{}", f.display(), i + 1))?;
            items.push(item);
        }
    }
    Ok(items)
}

fn score(item: &Item) -> anyhow::Result<(f64, String)> {
    let body = serde_json::json!({
        "question": item.question,
        "answer": item.answer,
        "job_context": {
            "target_role": item.role,
            "experience_level": item.level,
            "interview_type": "mixed",
        },
        "question_metadata": {
            "category": item.category,
            "difficulty": item.difficulty,
        },
    });
    let req: EvaluateRequest = serde_json::from_value(body)?;
    let (question, answer, context) = req
        .validate()
        .map_err(|e| anyhow::anyhow!("{}: refused: {e:?}", item.id))?;
    let e = rehearse_interview::evaluate(&question, &answer, &context);
    let d = &e.dimensions;
    let detail = format!(
        "rel={} dep={} str={} spe={} com={} w={} {}",
        d.relevance,
        d.depth,
        d.structure,
        d.specificity,
        d.communication,
        e.word_count,
        rehearse_interview::semantic_signals(&question, &answer)
    );
    Ok((f64::from(e.score), detail))
}

/// Ranks with ties given their average rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            r[*k] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    if a.len() < 2 {
        return f64::NAN;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        return f64::NAN;
    }
    cov / (va.sqrt() * vb.sqrt())
}

fn spearman(s: &[&Scored]) -> f64 {
    let g: Vec<f64> = s.iter().map(|x| x.item.grade).collect();
    let e: Vec<f64> = s.iter().map(|x| x.score).collect();
    pearson(&ranks(&g), &ranks(&e))
}

fn mae(s: &[&Scored]) -> f64 {
    s.iter()
        .map(|x| (x.score - x.item.grade).abs())
        .sum::<f64>()
        / s.len().max(1) as f64
}

fn line(label: &str, s: &[&Scored]) -> String {
    format!(
        "  {label:<22} n={:>3}  spearman={:>6.3}  mae={:>5.2}",
        s.len(),
        spearman(s),
        mae(s)
    )
}

fn report(split: &str, scored: &[Scored]) -> bool {
    let all: Vec<&Scored> = scored.iter().collect();
    println!("split {split}: {} answers", all.len());
    println!("{}", line("overall", &all));
    let mut by_cat: BTreeMap<&str, Vec<&Scored>> = BTreeMap::new();
    for s in &all {
        by_cat.entry(s.item.category.as_str()).or_default().push(s);
    }
    let mut pass = true;
    let overall = spearman(&all);
    pass &= overall >= 0.85;
    for (cat, v) in &by_cat {
        println!("{}", line(&format!("category {cat}"), v));
        pass &= spearman(v) >= 0.7;
    }
    for (label, lo, hi) in [
        ("grades 0-3", 0.0, 3.0),
        ("grades 4-6", 4.0, 6.0),
        ("grades 7-10", 7.0, 10.0),
    ] {
        let v: Vec<&Scored> = all
            .iter()
            .copied()
            .filter(|s| (lo..=hi).contains(&s.item.grade))
            .collect();
        let mean = v.iter().map(|s| s.score).sum::<f64>() / v.len().max(1) as f64;
        println!("{}  mean score={mean:.2}", line(label, &v));
    }
    let high_low: Vec<&&Scored> = all
        .iter()
        .filter(|s| s.item.grade >= 8.0 && s.score < 5.0)
        .collect();
    let low_high: Vec<&&Scored> = all
        .iter()
        .filter(|s| s.item.grade <= 2.0 && s.score > 5.0)
        .collect();
    println!("  graded >= 8 scored < 5: {}", high_low.len());
    println!("  graded <= 2 scored > 5: {}", low_high.len());
    pass &= high_low.is_empty() && low_high.is_empty();
    println!(
        "  bars (spearman >= 0.85 overall, >= 0.7 per category, no >=8 below 5, no <=2 above 5): {}",
        if pass { "PASS" } else { "FAIL" }
    );
    pass
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .map_or("all", String::as_str);
    let dir = PathBuf::from(std::env::var("GRADED_DIR").unwrap_or_else(|_| "bench/scoring".into()));
    let splits: &[&str] = match split {
        "dev" => &["dev"],
        "test" => &["test"],
        "all" => &["dev", "test"],
        other => bail!("unknown split {other:?} (dev, test or all)"),
    };
    for split in splits {
        let items = load(&dir, split)?;
        if items.is_empty() {
            bail!("no graded answers for split {split} in {}", dir.display());
        }
        let mut scored = Vec::new();
        for item in items {
            let (score, detail) = score(&item)?;
            scored.push(Scored {
                item,
                score,
                detail,
            });
        }
        if verbose && *split == "dev" {
            scored.sort_by(|a, b| (a.score - a.item.grade).total_cmp(&(b.score - b.item.grade)));
            for s in &scored {
                println!(
                    "{:>5.1} {:>4.1} {:+5.1} {} [{}] {} | {}\n        {}",
                    s.item.grade,
                    s.score,
                    s.score - s.item.grade,
                    s.item.id,
                    s.item.category,
                    s.item.question.chars().take(60).collect::<String>(),
                    s.item.rationale,
                    s.detail
                );
            }
        }
        report(split, &scored);
        println!();
    }
    Ok(())
}
