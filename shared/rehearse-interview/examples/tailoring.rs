//! How much of an interview is about the candidate: for every PDF in a folder
//! (default: the public corpus beside the checkout, plus any folder given), parse
//! it as the upload route does, plan 10-question interviews for three roles and
//! three interview types over a few seeds, and print per resume the share of
//! questions that name the candidate's own material (an employer, a project, a
//! listed skill or technology), the questions that quote something doubtful (a
//! date, a school outside a question about studies, a spoken language, a
//! country), and the overall share.
//!
//! `cargo run --release -p rehearse-interview --example tailoring -- [DIR...]`

use std::path::PathBuf;

use rehearse_interview::{JobContext, Question, generate};

const ROLES: &[&str] = &["Backend Engineer", "Frontend Developer", "Data Scientist"];
const TYPES: &[&str] = &["technical", "mixed", "behavioral"];
const SEEDS: u64 = 4;

fn doubtful(q: &Question) -> Option<&'static str> {
    let t = q.text.to_lowercase();
    let studies = t.contains("studies") || t.contains("course");
    if (1950..2040).any(|y| t.contains(&y.to_string())) && !t.contains('"') {
        return Some("a year");
    }
    if !studies
        && ["academy", "college", "institute"]
            .iter()
            .any(|w| t.contains(w))
    {
        return Some("a school");
    }
    if [
        "danish", "english", "german", "french", "spanish", "mandarin",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        return Some("a spoken language");
    }
    None
}

#[allow(clippy::print_stdout)]
fn main() {
    let mut dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        dirs.push(PathBuf::from("../shared/corpus/resumes/public"));
    }
    let limits = rehearse_resume::Limits::default();
    let (mut own_total, mut all_total, mut junk_total) = (0usize, 0usize, 0usize);
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("{}: cannot read", dir.display());
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        files.sort();
        for f in files {
            let Ok(bytes) = std::fs::read(&f) else {
                continue;
            };
            let resume = match rehearse_resume::parse_pdf(&bytes, &limits) {
                Ok(r) => r,
                Err(e) => {
                    println!("{}: unreadable ({e})", f.display());
                    continue;
                }
            };
            let (mut own, mut all, mut junk) = (0, 0, Vec::new());
            for role in ROLES {
                for kind in TYPES {
                    let Ok(ctx) = JobContext::new(role, "3-5", kind, None, None) else {
                        continue;
                    };
                    for seed in 0..SEEDS {
                        for q in generate(&resume, &ctx, 10, seed) {
                            all += 1;
                            own += usize::from(rehearse_interview::names_own_material(&q, &resume));
                            if let Some(why) = doubtful(&q) {
                                junk.push(format!("{why}: {}", q.text));
                            }
                        }
                    }
                }
            }
            println!(
                "{:<48} own {:>5.1}%  doubtful {}",
                f.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                100.0 * own as f64 / all.max(1) as f64,
                junk.len()
            );
            junk.sort();
            junk.dedup();
            for j in junk.iter().take(5) {
                println!("    {j}");
            }
            own_total += own;
            all_total += all;
            junk_total += junk.len();
        }
    }
    println!(
        "overall: {:.1}% of {all_total} questions name the candidate's own material; {junk_total} doubtful",
        100.0 * own_total as f64 / all_total.max(1) as f64
    );
}
