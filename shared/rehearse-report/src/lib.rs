//! A finished interview session's feedback report, for the candidate to keep and
//! share: as Markdown and as PDF, with the same content — the interview (role,
//! level, type, company, date), the overall score and tier, scores per dimension
//! and per question category (with a bar chart), the score trend over the user's
//! earlier sessions when given (a line chart in the PDF, a sparkline and table in
//! Markdown), the three things to practise next with concrete advice, and every
//! question with the candidate's answer, its score, strengths, improvements and the
//! quoted evidence (skipped and unreached questions marked as such).
//!
//! Pure: a stored summary (`serde_json::Value`) in, a `String` or PDF bytes out.
//! No I/O, no Lambda, no database; it must not depend on any crate that has them.
//! The route (`GET /api/db/sessions/{session_id}/report`) reads the session and
//! the trend, then calls [`Report::from_summary`] and [`render_markdown`] or
//! [`render_pdf`].
//!
//! The PDF is written with `krilla` (fonts embedded as subset CID fonts with
//! ToUnicode maps, so the text extracts exactly; see the `pdf` module for the
//! comparison with the alternatives), in Noto Sans Regular and Bold from the
//! `notosans` crate (SIL Open Font License 1.1, which allows embedding; Latin
//! including Vietnamese and Polish, Greek, Cyrillic), compiled into the binary so
//! the build and the function need nothing else.
//!
//! ```ignore
//! let report = Report::from_summary(&summary, trend)?.with_candidate_name("Nguyễn Thị Lan");
//! let markdown: String = render_markdown(&report);
//! let pdf: Vec<u8> = render_pdf(&report, PageSize::Letter)?;
//! ```

mod advice;
mod doc;
mod error;
mod markdown;
mod model;
mod pdf;
mod text;

pub use advice::{PracticeItem, practice_plan};
pub use error::ReportError;
pub use markdown::render_markdown;
pub use model::{
    Answer, Dimension, Dimensions, Evaluation, Improvement, Report, Star, TrendPoint, tier,
};
pub use pdf::{PageSize, render_pdf};

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

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

    /// The two formats say the same things: every text of the report's blocks is in
    /// the Markdown as rendered and in the PDF as extracted.
    #[test]
    fn markdown_and_pdf_carry_the_same_content() {
        let summary: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/session-10.json"))
                .expect("fixture");
        let trend = vec![
            TrendPoint::new(time::macros::datetime!(2026-09-01 10:00 UTC), 38.0),
            TrendPoint::new(time::macros::datetime!(2026-10-15 10:00 UTC), 51.0),
        ];
        let report = Report::from_summary(&summary, trend)
            .expect("summary")
            .with_candidate_name("Дмитрий Иванов");

        let md = render_markdown(&report);
        let mut shown = String::new();
        // GitHub's flavour: tables, strikethrough, math, task lists, footnotes.
        let options = pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_MATH
            | pulldown_cmark::Options::ENABLE_TASKLISTS
            | pulldown_cmark::Options::ENABLE_FOOTNOTES;
        for event in pulldown_cmark::Parser::new_ext(&md, options) {
            if let pulldown_cmark::Event::Text(t) = event {
                shown.push_str(&t);
            }
        }
        let shown = squash(&shown);
        let pdf = render_pdf(&report, PageSize::A4).expect("renders");
        let limits = rehearse_pdf::Limits {
            max_pages: 1000,
            ..rehearse_pdf::Limits::default()
        };
        // Without the footers, which interrupt a text that runs across a page break.
        let extracted: String = rehearse_pdf::extract(&pdf, &limits)
            .expect("reads")
            .lines()
            .filter(|l| !l.text.starts_with("Rehearse · "))
            .map(|l| l.text.clone())
            .collect();
        let extracted = squash(&extracted);

        let texts = doc::texts(&doc::build(&report));
        assert!(texts.len() > 100);
        for t in texts {
            let t = squash(&t);
            assert!(shown.contains(&t), "not in the Markdown: {t}");
            assert!(extracted.contains(&t), "not in the PDF: {t}");
        }
    }
}
