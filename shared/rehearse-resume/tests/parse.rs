//! The structure parser on laid-out lines, as the extractor hands them over.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehearse_pdf::{Extracted, Line, Link};
use rehearse_resume::{ExperienceLevel, YearMonth, parse_text};

fn line(text: &str, size: f32, bold: bool, x: f32, y: f32, column: u8) -> Line {
    Line {
        x1: x + text.chars().count() as f32 * size * 0.5,
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
    Extracted {
        pages: vec![lines],
        ..Extracted::default()
    }
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
    let r = parse_text(
        &Extracted {
            pages: vec![lines],
            ..Extracted::default()
        },
        TODAY,
    );
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

/// The sidebar CV of the issue: a rail on the left whose letter-spaced capitals come
/// before the name in reading order, Education and Languages in the rail, the name
/// in a large heading at the top of the main column, a link and a school that wrap.
fn designer_cv() -> Vec<Line> {
    let rail = |text: &str, size: f32, bold: bool, y: f32| line(text, size, bold, 25.5, y, 0);
    let main = |text: &str, size: f32, bold: bool, y: f32| line(text, size, bold, 204.1, y, 1);
    vec![
        rail("CONTACT", 9.0, true, 48.8),
        rail("ingrid.sorensen@posteo.dk", 9.5, false, 72.8),
        rail("+45 28 91 44 07", 9.5, false, 89.2),
        rail("Aarhus, Denmark", 9.5, false, 105.8),
        rail("LINKS", 9.0, true, 138.8),
        rail("dribbble.com/ingrid-sorensen-", 9.5, false, 162.8),
        rail("design", 9.5, false, 176.2),
        rail("EDUCATION", 9.0, true, 225.8),
        rail("Aarhus School of", 9.5, true, 249.8),
        rail("Architecture", 9.5, true, 263.2),
        rail("MA in Interaction Design", 9.5, false, 279.8),
        rail("Sep 2014 - Jan 2016", 9.5, false, 296.2),
        rail("Design School Kolding", 9.5, true, 313.5),
        rail("BA in Communication Design", 9.5, false, 330.0),
        rail("Aug 2011 - Jun 2014", 9.5, false, 346.5),
        rail("SKILLS", 9.0, true, 379.5),
        rail("Figma", 9.5, false, 403.5),
        rail("Design Systems", 9.5, false, 420.0),
        rail("Prototyping", 9.5, false, 453.8),
        rail("LANGUAGES", 9.0, true, 537.0),
        rail("Danish - native", 9.5, false, 561.0),
        rail("English - fluent (C2)", 9.5, false, 577.5),
        main("Ingrid Sørensen", 30.0, true, 66.0),
        main("Senior Product Designer", 12.0, false, 88.5),
        main("EXPERIENCE", 9.0, true, 208.5),
        main("Senior Product Designer", 10.5, true, 234.0),
        main("Nordlys Software, Aarhus, Denmark", 9.5, true, 248.2),
        main("Mar 2020 - Present", 9.0, false, 261.8),
        line(
            "Lead designer for the scheduling suite used by 1,200 clinics across the Nordics.",
            9.5,
            false,
            215.4,
            276.8,
            1,
        ),
        main("Product Designer", 10.5, true, 362.2),
        main("Vestas Wind Systems, Aarhus, Denmark", 9.5, true, 377.2),
        main("Feb 2016 - Feb 2020", 9.0, false, 390.0),
        main("RECOGNITION", 9.0, true, 538.5),
        main(
            "Danish Design Award 2022, shortlist (Fjord design system).",
            9.5,
            false,
            564.8,
        ),
    ]
}

#[test]
fn a_rail_before_the_name_leaves_name_education_and_languages_in_their_fields() {
    let r = parse_text(
        &Extracted {
            pages: vec![designer_cv()],
            ..Extracted::default()
        },
        TODAY,
    );
    assert_eq!(r.name.as_deref(), Some("Ingrid Sørensen"));
    assert_eq!(r.location.as_deref(), Some("Aarhus, Denmark"));
    assert_eq!(r.phone.as_deref(), Some("+45 28 91 44 07"));
    let schools: Vec<_> = r
        .education
        .iter()
        .map(|e| {
            (
                e.institution.as_deref(),
                e.degree.as_deref(),
                e.end.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        schools,
        vec![
            (
                Some("Aarhus School of Architecture"),
                Some("MA"),
                Some("2016-01")
            ),
            (Some("Design School Kolding"), Some("BA"), Some("2014-06")),
        ]
    );
    assert_eq!(r.languages, vec!["Danish", "English"]);
    // Only the rail's skills (and none of its schools, degrees, dates or languages).
    assert_eq!(r.skills, vec!["Figma", "Design Systems", "Prototyping"]);
    // The link that wraps in the narrow rail, whole.
    assert_eq!(
        r.links.portfolio.as_deref(),
        Some("dribbble.com/ingrid-sorensen-design")
    );
    // The company without its city and country, which are the job's location; the
    // recognition section is no job.
    let jobs: Vec<_> = r
        .experience
        .iter()
        .map(|e| {
            (
                e.title.as_deref(),
                e.company.as_deref(),
                e.location.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        jobs,
        vec![
            (
                Some("Senior Product Designer"),
                Some("Nordlys Software"),
                Some("Aarhus, Denmark")
            ),
            (
                Some("Product Designer"),
                Some("Vestas Wind Systems"),
                Some("Aarhus, Denmark")
            ),
        ]
    );
    // Feb 2016 to Nov 2026 without gaps.
    assert_eq!(r.years_of_experience, Some(10.8));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["years_of_experience"], serde_json::json!(10.8));
}

#[test]
fn an_icon_link_and_a_cut_link_take_their_annotations_targets() {
    let mut lines = designer_cv();
    // The wrapped line's second half is gone: only the annotation knows the rest.
    lines.retain(|l| l.text != "design");
    let at = lines.iter().position(|l| l.text == "EDUCATION").unwrap();
    lines.insert(at, line("Portfolio", 9.5, false, 25.5, 192.8, 0));
    let link = |uri: &str, y: f32| Link {
        uri: uri.into(),
        page: 0,
        x0: 25.0,
        y0: y - 9.0,
        x1: 160.0,
        y1: y + 2.0,
    };
    let r = parse_text(
        &Extracted {
            pages: vec![lines],
            links: vec![
                link("https://dribbble.com/ingrid-sorensen-design", 162.8),
                link("https://www.behance.net/ingridsorensen", 192.8),
                // A link inside a sentence of the main column is no profile.
                Link {
                    uri: "https://example.com/award".into(),
                    page: 0,
                    x0: 204.0,
                    y0: 556.0,
                    x1: 500.0,
                    y1: 567.0,
                },
            ],
        },
        TODAY,
    );
    assert_eq!(
        r.links.portfolio.as_deref(),
        Some("https://dribbble.com/ingrid-sorensen-design")
    );
    assert_eq!(
        r.links.other,
        vec!["https://www.behance.net/ingridsorensen"]
    );
}

#[test]
fn projects_keep_their_names_on_the_next_page() {
    // A three-page resume: the main column on the left ends page 1 with the projects'
    // heading, the rail on the right ends with languages; page 2 continues the main
    // column's projects, not the rail's languages.
    let page1 = vec![
        line("Wei Chen", 25.0, true, 40.0, 40.0, 0),
        line("EXPERIENCE", 12.0, true, 40.0, 80.0, 0),
        line(
            "Software Engineer\tAug 2015 - Jun 2017",
            10.0,
            true,
            40.0,
            96.0,
            0,
        ),
        line("Tableau Software, Seattle, WA", 10.0, false, 40.0, 110.0, 0),
        line(
            "• Worked on the query engine's cache layer in C++ for dashboards",
            10.0,
            false,
            48.0,
            124.0,
            0,
        ),
        line("PROJECTS", 12.0, true, 40.0, 700.0, 0),
        line("wei.chen.ml@gmail.com", 9.0, false, 420.0, 40.0, 1),
        line("SKILLS", 12.0, true, 420.0, 80.0, 1),
        line("Go", 9.0, false, 420.0, 96.0, 1),
        line("LANGUAGES", 12.0, true, 420.0, 120.0, 1),
        line("Mandarin (native)", 9.0, false, 420.0, 136.0, 1),
    ];
    let page2 = vec![
        line("Tidewater", 10.0, true, 40.0, 40.0, 0),
        line(
            "Open-source streaming feature pipeline for Kafka topics with exactly-once writes.",
            10.0,
            false,
            40.0,
            54.0,
            0,
        ),
        line("Go, Kafka, Redis", 9.0, false, 40.0, 68.0, 0),
        line("pg-shard-audit", 10.0, true, 40.0, 90.0, 0),
        line(
            "Finds cross-shard foreign keys in Citus clusters before a rebalance.",
            10.0,
            false,
            40.0,
            104.0,
            0,
        ),
    ];
    let r = parse_text(
        &Extracted {
            pages: vec![page1, page2],
            ..Extracted::default()
        },
        TODAY,
    );
    let names: Vec<_> = r.projects.iter().map(|p| p.title.as_deref()).collect();
    assert_eq!(names, vec![Some("Tidewater"), Some("pg-shard-audit")]);
    assert!(r.projects[0].tech.iter().any(|t| t == "Kafka"));
    assert_eq!(r.languages, vec!["Mandarin"]);
}
