//! The report as PDF, written with krilla.
//!
//! Why krilla: it embeds TrueType fonts as CID fonts *subset* to the glyphs used
//! (one report embeds tens of kilobytes of font, not the whole face) and writes a
//! ToUnicode map for every glyph, so a reader's copy/paste, search and text
//! extraction (ours included: `rehearse-pdf` reads the report back in the tests)
//! get the exact text, diacritics, Greek and Cyrillic included. It draws vector
//! paths for the charts, compresses content streams, and is maintained as the PDF
//! backend of Typst. The alternatives were weaker on exactly that: `pdf-writer` is
//! the low-level layer krilla builds on (fonts, subsetting and CMaps by hand);
//! `genpdf` is unmaintained and sits on an old `printpdf`; `printpdf` can subset
//! but brings a larger tree for less control over glyph placement.

mod fonts;
mod layout;

use std::str::FromStr;

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;

use crate::doc;
use crate::error::ReportError;
use crate::model::Report;
use fonts::Fonts;
use layout::{Bookmark, Layout};
pub(crate) use layout::{Laid, Op, Rgb};

/// The paper the PDF is laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PageSize {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 8.5 × 11 in.
    Letter,
}

impl PageSize {
    /// Width and height in points (1/72 in).
    pub fn points(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.276, 841.89),
            Self::Letter => (612.0, 792.0),
        }
    }
}

/// `a4` or `letter` (any case; `us-letter` too), as a query parameter would give it.
impl FromStr for PageSize {
    type Err = ReportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Self::A4),
            "letter" | "us-letter" | "usletter" | "us_letter" => Ok(Self::Letter),
            _ => Err(ReportError::PageSize(s.chars().take(40).collect())),
        }
    }
}

/// The report as a PDF on `page` paper.
pub fn render_pdf(report: &Report, page: PageSize) -> Result<Vec<u8>, ReportError> {
    let fonts = Fonts::load()?;
    let laid = lay_out(report, page, &fonts);
    write(report, &laid, &fonts)
}

/// The report's pages as drawing operations (what `render_pdf` draws).
pub(crate) fn lay_out(report: &Report, page: PageSize, fonts: &Fonts) -> Laid {
    let mut layout = Layout::new(fonts, page.points(), layout::footer(&report.target_role));
    let blocks = doc::build(report);
    for (i, block) in blocks.iter().enumerate() {
        layout.block(block, blocks.get(i + 1));
    }
    layout.finish()
}

fn write(report: &Report, laid: &Laid, fonts: &Fonts) -> Result<Vec<u8>, ReportError> {
    let mut document = Document::new();
    let mut metadata = Metadata::new()
        .title(title(report))
        .language("en".to_owned())
        .creator("Rehearse".to_owned());
    if let Some(name) = report.candidate_name.as_deref() {
        metadata = metadata.authors(vec![crate::text::one_line(name)]);
    }
    document.set_metadata(metadata);
    let settings = PageSettings::from_wh(laid.width, laid.height)
        .ok_or_else(|| ReportError::Pdf("the page size is not positive".to_owned()))?;
    for ops in &laid.pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op, fonts);
        }
        surface.finish();
        page.finish();
    }
    document.set_outline(outline(&laid.bookmarks));
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

fn title(report: &Report) -> String {
    let role = crate::text::one_line(&report.target_role);
    if role.is_empty() {
        doc::TITLE.to_owned()
    } else {
        format!("{} — {role}", doc::TITLE)
    }
}

fn fill(colour: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn draw(surface: &mut Surface<'_>, op: &Op, fonts: &Fonts) {
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text,
        } => {
            let face = fonts.face(*bold);
            surface.set_fill(Some(fill(*colour)));
            surface.set_stroke(None);
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &face.glyphs(text),
                face.font.clone(),
                text,
                *size,
                false,
            );
        }
        Op::Rect { x, y, w, h, colour } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_fill(Some(fill(*colour)));
                surface.set_stroke(None);
                surface.draw_path(&path);
            }
        }
        Op::Line {
            points,
            width,
            colour,
        } => {
            let mut path = PathBuilder::new();
            for (i, (px, py)) in points.iter().enumerate() {
                if i == 0 {
                    path.move_to(*px, *py);
                } else {
                    path.line_to(*px, *py);
                }
            }
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                    width: *width,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Dot { x, y, r, colour } => {
            // A circle from four cubic Béziers (k = 4/3 · (√2 − 1)).
            const K: f32 = 0.552_284_8;
            let (x, y, r) = (*x, *y, *r);
            let k = K * r;
            let mut path = PathBuilder::new();
            path.move_to(x + r, y);
            path.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
            path.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
            path.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
            path.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
            path.close();
            if let Some(path) = path.finish() {
                surface.set_fill(Some(fill(*colour)));
                surface.set_stroke(None);
                surface.draw_path(&path);
            }
        }
    }
}

/// Sections at the top level, the questions under theirs.
fn outline(bookmarks: &[Bookmark]) -> Outline {
    let mut outline = Outline::new();
    let mut section: Option<OutlineNode> = None;
    for b in bookmarks {
        let node = OutlineNode::new(
            b.title.clone(),
            XyzDestination::new(b.page, Point::from_xy(0.0, b.y)),
        );
        if b.level <= 2 {
            if let Some(done) = section.take() {
                outline.push_child(done);
            }
            section = Some(node);
        } else if let Some(parent) = section.as_mut() {
            parent.push_child(node);
        } else {
            outline.push_child(node);
        }
    }
    if let Some(done) = section {
        outline.push_child(done);
    }
    outline
}

#[cfg(test)]
mod tests {
    use super::*;
    use layout::{MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X};

    fn fixture(raw: &str) -> Report {
        let summary: serde_json::Value = serde_json::from_str(raw).expect("fixture");
        let trend = (1..=14)
            .map(|i| {
                crate::TrendPoint::new(
                    time::macros::datetime!(2026-01-01 12:00 UTC) + time::Duration::days(i * 9),
                    (i as f32 * 7.3) % 100.0,
                )
            })
            .collect();
        Report::from_summary(&summary, trend)
            .expect("summary")
            .with_candidate_name("Γιώργος Παπαδόπουλος")
    }

    /// Every operation of every page lies inside the margins (the footer inside
    /// the bottom margin), for both paper sizes.
    #[test]
    fn nothing_is_drawn_outside_the_margins_on_either_paper() {
        let fonts = Fonts::load().expect("fonts");
        const EPS: f32 = 0.01;
        for raw in [
            include_str!("../../tests/fixtures/session-10.json"),
            include_str!("../../tests/fixtures/session-20.json"),
        ] {
            let report = fixture(raw);
            for page in [PageSize::A4, PageSize::Letter] {
                let laid = lay_out(&report, page, &fonts);
                let (w, h) = page.points();
                assert_eq!((laid.width, laid.height), (w, h));
                let (left, right) = (MARGIN_X - EPS, w - MARGIN_X + EPS);
                let (top, bottom) = (MARGIN_TOP - EPS, h - MARGIN_BOTTOM + EPS);
                for (n, ops) in laid.pages.iter().enumerate() {
                    for op in ops {
                        let inside = match op {
                            Op::Text {
                                x,
                                y,
                                size,
                                bold,
                                text,
                                ..
                            } => {
                                let face = fonts.face(*bold);
                                let footer = *y > bottom;
                                *x >= left
                                    && x + face.width(text, *size) <= right
                                    && y - face.ascent * size >= top
                                    && (footer || y + face.descent * size <= bottom)
                                    && y + face.descent * size <= h - 20.0
                            }
                            Op::Rect {
                                x, y, w: rw, h: rh, ..
                            } => *x >= left && x + rw <= right && *y >= top && y + rh <= bottom,
                            Op::Line { points, .. } => points.iter().all(|(px, py)| {
                                *px >= left && *px <= right && *py >= top && *py <= bottom
                            }),
                            Op::Dot { x, y, r, .. } => {
                                x - r >= left && x + r <= right && y - r >= top && y + r <= bottom
                            }
                        };
                        assert!(inside, "{page:?} page {}: {op:?} is outside", n + 1);
                    }
                }
                for b in &laid.bookmarks {
                    assert!(b.page < laid.pages.len());
                }
            }
        }
    }

    #[test]
    fn long_words_and_long_lines_are_broken_to_the_column() {
        let fonts = Fonts::load().expect("fonts");
        let mut report = fixture(include_str!("../../tests/fixtures/session-10.json"));
        let long_word = "Wróblewski".repeat(40);
        if let Some(a) = report.answers.first_mut() {
            a.answer_text = Some(format!("{long_word} and {}", "word ".repeat(400)));
            a.question = format!("Why {long_word}?");
        }
        report.target_role = "Архитектор ".repeat(30);
        let laid = lay_out(&report, PageSize::Letter, &fonts);
        let right = 612.0 - MARGIN_X + 0.01;
        for op in laid.pages.iter().flatten() {
            if let Op::Text {
                x,
                size,
                bold,
                text,
                ..
            } = op
            {
                assert!(x + fonts.face(*bold).width(text, *size) <= right, "{text}");
            }
        }
        // The broken word is all there, in pieces.
        let drawn: String = laid
            .pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(drawn.contains(&"Wróblewski".repeat(3)));
    }

    #[test]
    fn the_outline_nests_questions_under_their_section() {
        let fonts = Fonts::load().expect("fonts");
        let laid = lay_out(
            &fixture(include_str!("../../tests/fixtures/session-10.json")),
            PageSize::A4,
            &fonts,
        );
        let titles: Vec<(u8, &str)> = laid
            .bookmarks
            .iter()
            .map(|b| (b.level, b.title.as_str()))
            .collect();
        assert!(titles.contains(&(2, "Question by question")));
        assert!(titles.iter().any(|(l, t)| *l == 3 && t.starts_with("Q1. ")));
        assert!(titles.contains(&(3, "Not reached")));
    }
}
