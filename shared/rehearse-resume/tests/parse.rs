//! The structure parser on laid-out lines, as the extractor hands them over.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehearse_pdf::{Extracted, Line};
use rehearse_resume::{ExperienceLevel, YearMonth, parse_text};

fn line(text: &str, size: f32, bold: bool, x: f32, y: f32, column: u8) -> Line {
    Line {
        text: text.into(),
        x,
        y,
        size,
        bold,
        column,
    }
}

fn doc(spec: &[(&str, f32, bool, f32)]) -> Extracted {
    let lines = spec
        .iter()
        .enumerate()
        .map(|(i, (t, size, bold, x))| line(t, *size, *bold, *x, 40.0 + 14.0 * i as f32, 0))
        .collect();
    Extracted { pages: vec![lines] }
}

const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: Some(11),
};

#[test]
fn a_conventional_resume() {
    let r = parse_text(
        &doc(&[
            ("JANE Q. PUBLIC", 20.0, true, 72.0),
            ("Backend Engineer", 12.0, false, 72.0),
            (
                "jane.public@example.org | (555) 010-0199 | Austin, TX | github.com/janeq",
                10.0,
                false,
                72.0,
            ),
            ("PROFESSIONAL SUMMARY", 12.0, true, 72.0),
            (
                "Backend engineer who builds reliable payment systems in Rust and Go.",
                10.0,
                false,
                72.0,
            ),
            ("WORK EXPERIENCE", 12.0, true, 72.0),
            (
                "Senior Backend Engineer\tMar 2021 - Present",
                10.0,
                true,
                72.0,
            ),
            ("Paywise Inc. • Austin, TX", 10.0, false, 72.0),
            (
                "• Cut settlement latency by 40% with a Kafka pipeline",
                10.0,
                false,
                84.0,
            ),
            ("Software Engineer\tJun 2018 - Feb 2021", 10.0, true, 72.0),
            ("Ledgerly • Remote", 10.0, false, 72.0),
            (
                "• Built the reconciliation service in Go and PostgreSQL",
                10.0,
                false,
                84.0,
            ),
            ("EDUCATION", 12.0, true, 72.0),
            (
                "University of Texas at Austin\t2014 - 2018",
                10.0,
                true,
                72.0,
            ),
            ("B.S. in Computer Science, GPA: 3.8/4.0", 10.0, false, 72.0),
            ("SKILLS", 12.0, true, 72.0),
            ("Languages: Rust, Go, Python", 10.0, false, 72.0),
            (
                "Infrastructure: Kubernetes, Terraform, AWS",
                10.0,
                false,
                72.0,
            ),
            ("CERTIFICATIONS", 12.0, true, 72.0),
            (
                "• AWS Certified Solutions Architect - Associate (2022)",
                10.0,
                false,
                72.0,
            ),
        ]),
        TODAY,
    );
    assert_eq!(r.name.as_deref(), Some("Jane Q. Public"));
    assert_eq!(r.email.as_deref(), Some("jane.public@example.org"));
    assert_eq!(r.phone.as_deref(), Some("(555) 010-0199"));
    assert_eq!(r.location.as_deref(), Some("Austin, TX"));
    assert_eq!(r.links.github.as_deref(), Some("github.com/janeq"));
    assert!(
        r.summary
            .as_deref()
            .unwrap()
            .starts_with("Backend engineer who builds")
    );

    assert_eq!(r.experience.len(), 2);
    let first = &r.experience[0];
    assert_eq!(first.title.as_deref(), Some("Senior Backend Engineer"));
    assert_eq!(first.company.as_deref(), Some("Paywise Inc."));
    assert_eq!(first.location.as_deref(), Some("Austin, TX"));
    assert_eq!(first.start.as_deref(), Some("2021-03"));
    assert_eq!(first.end.as_deref(), Some("present"));
    assert_eq!(first.duration.as_deref(), Some("Mar 2021 - Present"));
    assert!(
        first
            .description
            .as_deref()
            .unwrap()
            .contains("settlement latency")
    );
    assert_eq!(r.experience[1].company.as_deref(), Some("Ledgerly"));

    assert_eq!(r.education.len(), 1);
    let edu = &r.education[0];
    assert_eq!(
        edu.institution.as_deref(),
        Some("University of Texas at Austin")
    );
    assert_eq!(edu.degree.as_deref(), Some("B.S."));
    assert_eq!(edu.field.as_deref(), Some("Computer Science"));
    assert_eq!(edu.gpa.as_deref(), Some("3.8/4.0"));
    assert_eq!(edu.year.as_deref(), Some("2018"));

    for skill in ["Rust", "Go", "Python", "Kubernetes", "Terraform", "AWS"] {
        assert!(
            r.skills.iter().any(|s| s == skill),
            "{skill} missing from {:?}",
            r.skills
        );
    }
    assert_eq!(
        r.certifications,
        vec!["AWS Certified Solutions Architect - Associate"]
    );

    // Jun 2018 – Nov 2026 without gaps: 8.5 years; not counted twice where ranges touch.
    assert_eq!(r.years_of_experience, Some(8.5));
    assert_eq!(r.experience_level, Some(ExperienceLevel::Senior));
}

#[test]
fn a_sidebar_layout_keeps_its_sections() {
    let mut lines = vec![
        line("Sam Rivera", 22.0, true, 30.0, 40.0, 0),
        line("EXPERIENCE", 12.0, true, 30.0, 90.0, 0),
        line(
            "Data Analyst\tJan 2023 - Present",
            10.0,
            true,
            30.0,
            104.0,
            0,
        ),
        line("Northwind Traders", 10.0, false, 30.0, 118.0, 0),
        line(
            "• Built dashboards in Tableau and SQL for 40 stores",
            10.0,
            false,
            40.0,
            132.0,
            0,
        ),
    ];
    lines.extend([
        line("sam@rivera.dev", 9.0, false, 400.0, 40.0, 1),
        line("SKILLS", 12.0, true, 400.0, 90.0, 1),
        line("SQL", 9.0, false, 400.0, 104.0, 1),
        line("Tableau", 9.0, false, 400.0, 118.0, 1),
        line("LANGUAGES", 12.0, true, 400.0, 140.0, 1),
        line("Spanish (Native)", 9.0, false, 400.0, 154.0, 1),
        line("English - C2", 9.0, false, 400.0, 168.0, 1),
    ]);
    let r = parse_text(&Extracted { pages: vec![lines] }, TODAY);
    assert_eq!(r.name.as_deref(), Some("Sam Rivera"));
    assert_eq!(r.email.as_deref(), Some("sam@rivera.dev"));
    assert_eq!(r.experience.len(), 1, "{:?}", r.experience);
    assert_eq!(
        r.experience[0].company.as_deref(),
        Some("Northwind Traders")
    );
    assert_eq!(r.languages, vec!["Spanish", "English"]);
    assert!(r.skills.iter().any(|s| s == "Tableau"));
    // Jan 2023 to Nov 2026.
    assert_eq!(r.years_of_experience, Some(3.9));
    assert_eq!(r.experience_level, Some(ExperienceLevel::Mid));
}

#[test]
fn nothing_recognisable_gives_an_empty_but_valid_resume() {
    let r = parse_text(
        &doc(&[(
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
            10.0,
            false,
            72.0,
        )]),
        TODAY,
    );
    assert!(r.name.is_none() && r.experience.is_empty() && r.education.is_empty());
    assert_eq!(r.experience_level, Some(ExperienceLevel::Entry));
}
