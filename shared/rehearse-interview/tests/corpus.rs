//! Interviews planned from real PDFs as the upload route parses them (the sidebar
//! and two-column CVs of `bench/corpus-sidebar/`, printed by Chromium,
//! LibreOffice, pdfTeX and reportlab): at least half of a ten-question interview
//! names the candidate's own material, and no question quotes a date, a school,
//! a spoken language or a country as something else.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use rehearse_interview::{JobContext, Resume, generate};

fn corpus() -> Vec<(String, Resume)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/corpus-sidebar");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 8,
        "{} PDFs in {}",
        files.len(),
        dir.display()
    );
    files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            let resume =
                rehearse_resume::parse_pdf(&bytes, &rehearse_resume::Limits::default()).unwrap();
            (
                f.file_name().unwrap().to_string_lossy().into_owned(),
                resume,
            )
        })
        .collect()
}

#[test]
fn interviews_on_parsed_sidebar_cvs_are_tailored_and_quote_nothing_doubtful() {
    let months = [
        "jan ", "feb ", "mar ", "apr ", "jun ", "jul ", "aug ", "sep ", "oct ", "nov ", "dec ",
    ];
    for (name, resume) in corpus() {
        let places: Vec<String> = resume
            .experience
            .iter()
            .filter_map(|e| e.location.as_deref())
            .flat_map(|l| {
                l.split(',')
                    .map(|p| p.trim().to_lowercase())
                    .collect::<Vec<_>>()
            })
            .filter(|p| p.len() > 2)
            .collect();
        let languages: Vec<String> = resume.languages.iter().map(|l| l.to_lowercase()).collect();
        for role in ["Backend Engineer", "Frontend Developer", "Data Scientist"] {
            for kind in ["technical", "mixed", "behavioral"] {
                for seed in 0..3u64 {
                    let ctx = JobContext::new(role, "3-5", kind, None, None).unwrap();
                    let qs = generate(&resume, &ctx, 10, seed);
                    let own = qs
                        .iter()
                        .filter(|q| rehearse_interview::names_own_material(q, &resume))
                        .count();
                    assert!(
                        own >= 5,
                        "{name}/{role}/{kind}/{seed}: {own} of 10: {:#?}",
                        qs.iter().map(|q| &q.text).collect::<Vec<_>>()
                    );
                    for q in generate(&resume, &ctx, 20, seed) {
                        let t = q.text.to_lowercase();
                        let label = format!("{name}/{role}/{kind}/{seed}: {}", q.text);
                        assert!(
                            !months
                                .iter()
                                .any(|m| t.contains(&format!("{m}20"))
                                    || t.contains(&format!("{m}19"))),
                            "{label}"
                        );
                        assert!(
                            !(1950..2040).any(|y| t.contains(&y.to_string())) || t.contains('"'),
                            "{label}"
                        );
                        // Outside an employer's own name ("University College Cork")
                        // and the candidate's quoted words ("...Turkish-locale strings").
                        let mut bare: String = t
                            .split('"')
                            .enumerate()
                            .filter(|(i, _)| i % 2 == 0)
                            .map(|(_, part)| part)
                            .collect();
                        for c in resume
                            .experience
                            .iter()
                            .filter_map(|e| e.company.as_deref())
                        {
                            bare = bare.replace(&c.to_lowercase(), "");
                        }
                        for l in &languages {
                            assert!(!bare.contains(l.as_str()), "{label}");
                        }
                        for p in &places {
                            assert!(!bare.contains(p.as_str()), "{label}");
                        }
                        // A school may be named where the question is about studies,
                        // or where it was the candidate's employer.
                        let employer = resume
                            .experience
                            .iter()
                            .filter_map(|e| e.company.as_deref())
                            .any(|c| t.contains(&c.to_lowercase()));
                        let studies = t.contains("studies") || t.contains("course") || employer;
                        for w in ["university", "academy", "college", "institute"] {
                            assert!(studies || !t.contains(w), "{label}");
                        }
                    }
                }
            }
        }
    }
}
