//! Reports built from realistic stored summaries (`tests/fixtures/`: a 10-question
//! session with a skip, an unreached question and hostile Markdown in an answer; a
//! 20-question session with long answers), rendered to both formats and read back:
//! the PDF with the project's own extractor, the Markdown with a CommonMark parser.

// Test helpers outside #[test] functions: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rehearse_report::{PageSize, Report, TrendPoint, render_markdown, render_pdf};
use serde_json::Value;
use time::macros::datetime;
use unicode_normalization::UnicodeNormalization;

const TEN: &str = include_str!("fixtures/session-10.json");
const TWENTY: &str = include_str!("fixtures/session-20.json");

const NAMES: [&str; 4] = [
    "Nguyễn Thị Lan",
    "Łukasz Wróblewski",
    "Γιώργος Παπαδόπουλος",
    "Дмитрий Иванов",
];

fn summary(raw: &str) -> Value {
    serde_json::from_str(raw).expect("the fixture is JSON")
}

fn report(raw: &str, candidate: &str) -> Report {
    Report::from_summary(&summary(raw), Vec::new())
        .expect("the fixture is a summary")
        .with_candidate_name(candidate)
}

fn trend() -> Vec<TrendPoint> {
    vec![
        TrendPoint::new(datetime!(2026-10-02 18:00 UTC), 41.5),
        TrendPoint::new(datetime!(2026-10-20 09:30 UTC), 55.0),
        TrendPoint::new(datetime!(2026-11-11 12:00 UTC), 58.2),
    ]
}

/// The PDF's text as the resume parser's extractor reads it (NFKC, dashes and
/// curly quotes folded the way it folds them).
fn pdf_text(pdf: &[u8]) -> rehearse_pdf::Extracted {
    let limits = rehearse_pdf::Limits {
        max_pages: 1000,
        ..rehearse_pdf::Limits::default()
    };
    rehearse_pdf::extract(pdf, &limits).expect("the report reads back")
}

/// Text compared without whitespace (a wrapped line is one string either way) and
/// with the extractor's folding.
fn squash(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            c => c,
        })
        .collect()
}

fn questions(raw: &str) -> Vec<String> {
    summary(raw)["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["question"].as_str().expect("question").to_owned())
        .collect()
}

fn assert_pdf_reads_back(raw: &str, candidate: &str, page: PageSize) -> Vec<u8> {
    let report = report(raw, candidate);
    let pdf = render_pdf(&report, page).expect("renders");
    assert!(pdf.starts_with(b"%PDF-"));
    let extracted = pdf_text(&pdf);
    let text = squash(&extracted.text());

    for q in questions(raw) {
        assert!(
            text.contains(&squash(&q)),
            "question missing from the PDF: {q}"
        );
    }
    let overall = format!(
        "{}/100",
        summary(raw)["overall_score"].as_f64().expect("score")
    );
    assert!(text.contains(&squash(&overall)), "no {overall} in the PDF");
    assert!(
        text.contains(&squash(candidate)),
        "no {candidate} in the PDF"
    );
    for name in NAMES {
        assert!(text.contains(&squash(name)), "no {name} in the PDF");
    }
    let role = summary(raw)["target_role"]
        .as_str()
        .expect("role")
        .to_owned();
    assert!(text.contains(&squash(&role)), "no role {role} in the PDF");
    let company = summary(raw)["company"]
        .as_str()
        .expect("company")
        .to_owned();
    assert!(text.contains(&squash(&company)), "no company {company}");

    // Nothing off the page: every line the extractor found lies inside it.
    let (w, h) = page.points();
    for line in extracted.lines() {
        assert!(
            line.x >= 0.0 && line.x1 <= w && line.y >= 0.0 && line.y <= h,
            "line off the {page:?} page: {line:?}"
        );
    }
    pdf
}

#[test]
fn ten_question_report_reads_back_on_a4_and_letter() {
    let a4 = assert_pdf_reads_back(TEN, "Nguyễn Thị Lan", PageSize::A4);
    let letter = assert_pdf_reads_back(TEN, "Nguyễn Thị Lan", PageSize::Letter);
    assert_ne!(a4, letter, "the page size changes the document");
}

#[test]
fn twenty_question_report_reads_back_on_a4_and_letter() {
    assert_pdf_reads_back(TWENTY, "Łukasz Wróblewski", PageSize::A4);
    assert_pdf_reads_back(TWENTY, "Łukasz Wróblewski", PageSize::Letter);
}

#[test]
fn twenty_long_answers_stay_under_two_megabytes() {
    let answers: usize = summary(TWENTY)["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["answer_text"].as_str())
        .map(str::len)
        .sum();
    assert!(
        answers > 90_000,
        "the fixture's answers are long ({answers} bytes)"
    );
    for page in [PageSize::A4, PageSize::Letter] {
        let r20 = report(TWENTY, "Łukasz Wróblewski");
        let pdf20 = render_pdf(&r20, page).expect("renders");
        let pdf10 = render_pdf(&report(TEN, "Nguyễn Thị Lan"), page).expect("renders");
        eprintln!(
            "{page:?}: 10 questions {} bytes, 20 questions {} bytes",
            pdf10.len(),
            pdf20.len()
        );
        assert!(pdf20.len() < 2 * 1024 * 1024, "{} bytes", pdf20.len());
        // Subset fonts: far below the two full faces (about 400 kB).
        assert!(pdf10.len() < 150 * 1024, "{} bytes", pdf10.len());
    }
}

#[test]
fn skipped_and_unreached_questions_are_marked() {
    let r = report(TEN, "Nguyễn Thị Lan");
    let md = render_markdown(&r);
    assert!(md.contains("**Skipped — not scored**"));
    assert!(md.contains("Q10 was not reached"));
    let text = squash(&pdf_text(&render_pdf(&r, PageSize::A4).expect("renders")).text());
    assert!(text.contains(&squash("Skipped - not scored")));
    assert!(text.contains(&squash("Q10 was not reached before the session ended")));
}

#[test]
fn the_trend_is_drawn_when_earlier_sessions_are_given() {
    let r = Report::from_summary(&summary(TEN), trend())
        .expect("summary")
        .with_candidate_name("Nguyễn Thị Lan");
    let md = render_markdown(&r);
    assert!(md.contains("## Your progress"));
    assert!(md.contains("▄▅▅▅   41.5/100 → 63.2/100"), "sparkline: {md}");
    assert!(md.contains("| 2 Oct 2026 | 41.5/100 |"));
    assert!(
        md.contains("**28 Nov 2026 \\(this session\\)**")
            || md.contains("**28 Nov 2026 (this session)**")
    );
    let text = squash(&pdf_text(&render_pdf(&r, PageSize::Letter).expect("renders")).text());
    assert!(text.contains(&squash("Your progress")));
    assert!(text.contains(&squash("2 Oct 2026")));
    assert!(text.contains(&squash("28 Nov 2026")));

    let without = render_markdown(&report(TEN, "Nguyễn Thị Lan"));
    assert!(!without.contains("Your progress"));
}

#[test]
fn markdown_carries_the_whole_report() {
    let r = report(TWENTY, "Łukasz Wróblewski");
    let md = render_markdown(&r);
    let plain = markdown_text(&md);
    for q in questions(TWENTY) {
        assert!(
            squash(&plain).contains(&squash(&q)),
            "question missing: {q}"
        );
    }
    for needle in [
        "Overall score: 63.9/100 — Good",
        "Łukasz Wróblewski",
        "Разработчик платформы данных (Data Platform Engineer)",
        "Γιώργος & Συνεργάτες Α.Ε.",
        "Senior (5+ years)",
        "Top three things to practise",
        "Scores by dimension",
        "Scores by question category",
        "Evidence quoted from your answer",
    ] {
        assert!(plain.contains(needle), "missing {needle:?}");
    }
    // The dimension chart is a text bar chart.
    assert!(md.contains("Relevance      "), "{md}");
    assert!(md.contains('█') && md.contains('░'));
}

/// The text a CommonMark renderer would show.
fn markdown_text(md: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

#[test]
fn hostile_markdown_in_an_answer_renders_as_written_and_injects_nothing() {
    let r = report(TEN, "Nguyễn Thị Lan");
    let md = render_markdown(&r);
    let hostile = summary(TEN)["answers"][3]["answer_text"]
        .as_str()
        .expect("answer 4")
        .to_owned();
    assert!(hostile.contains("<script>"));

    // Inside the answer's block quote: only text, breaks and the quote itself.
    let mut in_quote = 0;
    let mut quoted = String::new();
    let mut quotes_seen = 0;
    let mut headings = Vec::new();
    let mut heading = None::<String>;
    for event in Parser::new_ext(&md, options()) {
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => panic!("HTML in the Markdown: {event:?}"),
            Event::InlineMath(_) | Event::DisplayMath(_) => panic!("math: {event:?}"),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                panic!("a link or image: {event:?}")
            }
            Event::Start(Tag::Table(_)) => panic!("a table from user text"),
            Event::Start(Tag::BlockQuote(_)) => {
                in_quote += 1;
                quotes_seen += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => in_quote -= 1,
            Event::Start(Tag::Heading { level, .. }) => {
                assert!(*level != HeadingLevel::H1 || headings.is_empty());
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Text(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(t);
                }
                if in_quote > 0 && quotes_seen == 4 {
                    quoted.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_quote > 0 && quotes_seen == 4 => {
                quoted.push('\n');
            }
            Event::End(TagEnd::Paragraph) if in_quote > 0 && quotes_seen == 4 => {
                quoted.push('\n');
            }
            Event::Start(t) if in_quote > 0 => {
                assert!(
                    matches!(t, Tag::Paragraph),
                    "markup inside an answer: {t:?}"
                );
            }
            _ => {}
        }
    }
    // The fourth quote is the fourth answered question's answer (Q4).
    let normalize = |s: &str| {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(normalize(&quoted), normalize(&hostile));
    // Every heading is one the report wrote, none from an answer.
    assert!(
        headings.iter().all(|h| !h.contains("I am not a heading")),
        "{headings:?}"
    );
    assert!(headings.iter().any(|h| h.starts_with("Q4. ")));
}

#[test]
fn a_sparse_or_old_summary_still_renders() {
    let sparse = serde_json::json!({
        "target_role": null,
        "answers": [
            {"question_number": 1, "question": "What is Rust's ownership model?", "answer_text": "Each value has one owner.", "score": 6.5},
            {"question_number": 2, "question": "Anything else?", "is_skipped": true, "evaluation": null}
        ]
    });
    let r = Report::from_summary(&sparse, Vec::new()).expect("lenient");
    assert_eq!(r.average_score, 6.5);
    assert_eq!(r.performance_tier, "Good");
    let md = render_markdown(&r);
    assert!(md.contains("What is Rust's ownership model?"));
    let pdf = render_pdf(&r, PageSize::A4).expect("renders");
    let text = squash(&pdf_text(&pdf).text());
    assert!(text.contains(&squash("What is Rust's ownership model?")));

    let empty = Report::from_summary(&serde_json::json!({}), Vec::new()).expect("lenient");
    assert!(render_markdown(&empty).starts_with("# Interview feedback report"));
    render_pdf(&empty, PageSize::Letter).expect("renders");

    assert!(Report::from_summary(&serde_json::json!([1, 2]), Vec::new()).is_err());
    assert!(Report::from_summary(&serde_json::json!({"answers": "nope"}), Vec::new()).is_err());
}

#[test]
fn page_sizes_parse_from_a_query_parameter() {
    assert_eq!("a4".parse::<PageSize>().expect("a4"), PageSize::A4);
    assert_eq!(
        "Letter".parse::<PageSize>().expect("letter"),
        PageSize::Letter
    );
    assert!("legal".parse::<PageSize>().is_err());
}
