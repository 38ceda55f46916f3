//! Blocks to pages: every line measured with the face it is drawn in, wrapped to
//! the text column (a word wider than the column is broken), and moved to a new
//! page when it would cross the bottom margin. The result is a plain list of
//! drawing operations per page, so the geometry can be checked without a PDF.

use crate::doc::{Bar, Block, Run, TrendRow};
use crate::pdf::fonts::{Face, Fonts};
use crate::text::{excerpt, score100};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

const INK: Rgb = Rgb(0x1f, 0x29, 0x37);
const MUTED: Rgb = Rgb(0x6b, 0x72, 0x80);
const ACCENT: Rgb = Rgb(0x25, 0x63, 0xeb);
const TRACK: Rgb = Rgb(0xe5, 0xe7, 0xeb);
const PANEL: Rgb = Rgb(0xf3, 0xf4, 0xf6);
const QUOTE_BAR: Rgb = Rgb(0xc7, 0xcc, 0xd4);
const QUOTE_INK: Rgb = Rgb(0x37, 0x41, 0x51);
const GRID: Rgb = Rgb(0xd1, 0xd5, 0xdb);

/// The colour of a score's share of its maximum (0–1): green, blue, amber, red
/// at the tier cut-offs.
pub(crate) fn score_colour(share: f32) -> Rgb {
    if share >= 0.8 {
        Rgb(0x16, 0xa3, 0x4a)
    } else if share >= 0.6 {
        ACCENT
    } else if share >= 0.4 {
        Rgb(0xd9, 0x77, 0x06)
    } else {
        Rgb(0xdc, 0x26, 0x26)
    }
}

/// A drawing operation, in points from the page's top-left corner (y grows down).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// `text` with its baseline starting at (`x`, `y`).
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb,
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        colour: Rgb,
    },
    Dot {
        x: f32,
        y: f32,
        r: f32,
        colour: Rgb,
    },
}

/// An entry of the PDF's outline (bookmarks).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bookmark {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// The laid-out document.
#[derive(Debug)]
pub(crate) struct Laid {
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Vec<Op>>,
    pub bookmarks: Vec<Bookmark>,
}

/// Page margins, in points.
pub(crate) const MARGIN_X: f32 = 56.0;
pub(crate) const MARGIN_TOP: f32 = 56.0;
pub(crate) const MARGIN_BOTTOM: f32 = 64.0;
/// The footer's baseline, from the page's bottom edge.
const FOOTER: f32 = 30.0;

const BODY: f32 = 10.0;
const LEADING: f32 = 14.0;
const BAR_ROW: f32 = 18.0;
const TREND_H: f32 = 150.0;
const SCORE_H: f32 = 66.0;

/// A piece of a laid-out line: text in one face, at an offset from the line start.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    text: String,
    bold: bool,
    x: f32,
}

struct Token<'a> {
    text: &'a str,
    bold: bool,
    space_before: bool,
    break_before: bool,
}

pub(crate) struct Layout<'f> {
    fonts: &'f Fonts,
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
    bookmarks: Vec<Bookmark>,
    /// The top of the next line, on the last page.
    y: f32,
    footer_left: String,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts, (width, height): (f32, f32), footer_left: String) -> Self {
        Self {
            fonts,
            width,
            height,
            pages: vec![Vec::new()],
            bookmarks: Vec::new(),
            y: MARGIN_TOP,
            footer_left,
        }
    }

    fn left(&self) -> f32 {
        MARGIN_X
    }

    fn right(&self) -> f32 {
        self.width - MARGIN_X
    }

    fn column(&self) -> f32 {
        self.right() - self.left()
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN_BOTTOM
    }

    fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Start a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, h: f32) {
        if self.y > MARGIN_TOP {
            self.y += h;
        }
    }

    /// The baseline of a line of `size` text in a box of `leading`, whose top is `top`.
    fn baseline(&self, top: f32, size: f32, leading: f32) -> f32 {
        let face = &self.fonts.regular;
        let glyphs = (face.ascent + face.descent) * size;
        top + ((leading - glyphs) / 2.0).max(0.0) + face.ascent * size
    }

    /// Lay out `block`; `next` is the block after it, which a heading or a label
    /// is kept on the same page with.
    pub fn block(&mut self, block: &Block, next: Option<&Block>) {
        let keep = self.start_of(next);
        match block {
            Block::Title(t) => self.title(t),
            Block::Fields(fields) => {
                for (label, value) in fields {
                    let runs = [Run::strong(format!("{label}: ")), Run::plain(value.clone())];
                    self.paragraph(&runs, BODY, LEADING, INK, 0.0);
                }
                self.gap(8.0);
            }
            Block::Score {
                overall,
                tier,
                detail,
            } => self.score(*overall, tier, detail),
            Block::Heading {
                level,
                text,
                bookmark,
            } => self.heading(*level, text, bookmark.as_deref(), keep),
            Block::Paragraph(runs) => {
                let lines = self.wrap(runs, BODY, self.column());
                // A short lead-in ("Your answer", "Strengths") stays with what it introduces.
                if lines.len() <= 2 {
                    self.ensure(LEADING * lines.len() as f32 + keep);
                }
                self.draw_lines(&lines, BODY, LEADING, INK, self.left());
                self.gap(4.0);
            }
            Block::Bullets(items) => {
                for item in items {
                    self.bullet(item);
                }
                self.gap(4.0);
            }
            Block::Quote(paragraphs) => self.quote(paragraphs),
            Block::Note(t) => {
                self.paragraph(&[Run::plain(t.clone())], 9.5, 13.0, MUTED, 0.0);
                self.gap(4.0);
            }
            Block::Bars(bars) => self.bars(bars),
            Block::Trend { caption, rows } => self.trend(caption, rows),
        }
    }

    /// How much of `block` must fit for it to start on this page: a chart whole, a
    /// text block its first two lines.
    fn start_of(&self, block: Option<&Block>) -> f32 {
        match block {
            None => 0.0,
            Some(Block::Bars(bars)) => BAR_ROW * bars.len().min(12) as f32,
            Some(Block::Trend { caption, .. }) => {
                let lines = self.wrap(&[Run::plain(caption.clone())], BODY, self.column());
                TREND_H + LEADING * lines.len() as f32
            }
            Some(Block::Score { .. }) => SCORE_H + 8.0,
            Some(Block::Heading { .. }) => 40.0,
            // A lead-in paragraph keeps two lines of its own follower with it.
            Some(Block::Paragraph(_)) => 4.0 * LEADING,
            Some(_) => 2.0 * LEADING,
        }
    }

    fn title(&mut self, t: &str) {
        self.paragraph(&[Run::strong(t)], 20.0, 28.0, INK, 0.0);
        self.push(Op::Rect {
            x: self.left(),
            y: self.y + 2.0,
            w: 48.0,
            h: 3.0,
            colour: ACCENT,
        });
        self.y += 14.0;
    }

    fn heading(&mut self, level: u8, text: &str, bookmark: Option<&str>, keep: f32) {
        let (size, leading, before) = if level <= 2 {
            (14.0, 19.5, 14.0)
        } else {
            (11.5, 16.0, 8.0)
        };
        let lines = self.wrap(&[Run::strong(text)], size, self.column());
        // Keep the heading with the start of what follows.
        self.gap(before);
        self.ensure(leading * lines.len() as f32 + 8.0 + keep);
        if let Some(title) = bookmark {
            self.bookmarks.push(Bookmark {
                level,
                title: title.to_owned(),
                page: self.page_index(),
                y: self.y,
            });
        }
        self.draw_lines(&lines, size, leading, INK, self.left());
        if level <= 2 {
            self.push(Op::Rect {
                x: self.left(),
                y: self.y + 1.0,
                w: self.column(),
                h: 0.6,
                colour: GRID,
            });
            self.y += 6.0;
        } else {
            self.y += 2.0;
        }
    }

    fn paragraph(&mut self, runs: &[Run], size: f32, leading: f32, colour: Rgb, indent: f32) {
        let lines = self.wrap(runs, size, self.column() - indent);
        let x = self.left() + indent;
        self.draw_lines(&lines, size, leading, colour, x);
    }

    fn draw_lines(&mut self, lines: &[Vec<Piece>], size: f32, leading: f32, colour: Rgb, x: f32) {
        for line in lines {
            self.ensure(leading);
            let baseline = self.baseline(self.y, size, leading);
            for p in line {
                self.push(Op::Text {
                    x: x + p.x,
                    y: baseline,
                    size,
                    bold: p.bold,
                    colour,
                    text: p.text.clone(),
                });
            }
            self.y += leading;
        }
    }

    fn bullet(&mut self, runs: &[Run]) {
        const INDENT: f32 = 14.0;
        let lines = self.wrap(runs, BODY, self.column() - INDENT);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(LEADING);
            let baseline = self.baseline(self.y, BODY, LEADING);
            if i == 0 {
                self.push(Op::Text {
                    x: self.left() + 3.0,
                    y: baseline,
                    size: BODY,
                    bold: false,
                    colour: ACCENT,
                    text: "•".to_owned(),
                });
            }
            for p in line {
                self.push(Op::Text {
                    x: self.left() + INDENT + p.x,
                    y: baseline,
                    size: BODY,
                    bold: p.bold,
                    colour: INK,
                    text: p.text.clone(),
                });
            }
            self.y += LEADING;
        }
        self.y += 1.5;
    }

    /// The candidate's answer: indented, with a bar down its left side.
    fn quote(&mut self, paragraphs: &[String]) {
        const INDENT: f32 = 14.0;
        const SIZE: f32 = 9.5;
        const LEAD: f32 = 13.5;
        const BETWEEN: f32 = 5.0;
        for (i, p) in paragraphs.iter().enumerate() {
            let lines = self.wrap(&[Run::plain(p.clone())], SIZE, self.column() - INDENT);
            for (j, line) in lines.iter().enumerate() {
                let page_before = self.page_index();
                self.ensure(LEAD);
                // The gap between paragraphs carries the bar too, unless a page
                // break came in between.
                let top = if i > 0 && j == 0 && self.page_index() == page_before {
                    self.y - BETWEEN
                } else {
                    self.y
                };
                self.push(Op::Rect {
                    x: self.left() + 2.0,
                    y: top,
                    w: 2.5,
                    h: self.y + LEAD - top,
                    colour: QUOTE_BAR,
                });
                let baseline = self.baseline(self.y, SIZE, LEAD);
                for piece in line {
                    self.push(Op::Text {
                        x: self.left() + INDENT + piece.x,
                        y: baseline,
                        size: SIZE,
                        bold: piece.bold,
                        colour: QUOTE_INK,
                        text: piece.text.clone(),
                    });
                }
                self.y += LEAD;
            }
            if i + 1 < paragraphs.len() {
                self.y += BETWEEN;
            }
        }
        self.gap(6.0);
    }

    fn score(&mut self, overall: f32, tier: &str, detail: &str) {
        const H: f32 = SCORE_H;
        self.ensure(H + 8.0);
        let top = self.y;
        self.push(Op::Rect {
            x: self.left(),
            y: top,
            w: self.column(),
            h: H,
            colour: PANEL,
        });
        let colour = score_colour(overall / 100.0);
        self.push(Op::Rect {
            x: self.left(),
            y: top,
            w: 4.0,
            h: H,
            colour,
        });
        let number = score100(overall);
        let x = self.left() + 16.0;
        self.push(Op::Text {
            x,
            y: top + 36.0,
            size: 26.0,
            bold: true,
            colour,
            text: number.clone(),
        });
        let after = x + self.fonts.bold.width(&number, 26.0) + 14.0;
        let tier = fit(&self.fonts.bold, tier, 14.0, self.right() - 12.0 - after);
        self.push(Op::Text {
            x: after,
            y: top + 34.0,
            size: 14.0,
            bold: true,
            colour: INK,
            text: tier,
        });
        let detail = fit(&self.fonts.regular, detail, 9.5, self.right() - 12.0 - x);
        self.push(Op::Text {
            x,
            y: top + 54.0,
            size: 9.5,
            bold: false,
            colour: MUTED,
            text: detail,
        });
        self.y = top + H + 10.0;
    }

    /// A horizontal bar per row: label, track with the filled share, value.
    fn bars(&mut self, bars: &[Bar]) {
        const ROW: f32 = BAR_ROW;
        const SIZE: f32 = 9.5;
        const BAR: f32 = 9.0;
        let fonts = self.fonts;
        let regular = &fonts.regular;
        let value_w = bars
            .iter()
            .map(|b| fonts.bold.width(&b.shown, SIZE))
            .fold(0.0f32, f32::max)
            + 10.0;
        let label_w = (bars
            .iter()
            .map(|b| regular.width(&b.label, SIZE))
            .fold(0.0f32, f32::max)
            + 12.0)
            .min(self.column() * 0.4);
        let track_x = self.left() + label_w;
        let track_w = (self.column() - label_w - value_w).max(10.0);
        // A short chart moves to the next page whole.
        self.ensure((ROW * bars.len() as f32).min(ROW * 12.0));
        for b in bars {
            self.ensure(ROW);
            let baseline = self.baseline(self.y, SIZE, ROW);
            let label = fit(regular, &b.label, SIZE, label_w - 12.0);
            let share = if b.max > 0.0 && b.value.is_finite() {
                (b.value / b.max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let bar_y = self.y + (ROW - BAR) / 2.0;
            let shown_w = fonts.bold.width(&b.shown, SIZE);
            let ops = [
                Op::Text {
                    x: self.left(),
                    y: baseline,
                    size: SIZE,
                    bold: false,
                    colour: INK,
                    text: label,
                },
                Op::Rect {
                    x: track_x,
                    y: bar_y,
                    w: track_w,
                    h: BAR,
                    colour: TRACK,
                },
                Op::Rect {
                    x: track_x,
                    y: bar_y,
                    w: track_w * share,
                    h: BAR,
                    colour: score_colour(share),
                },
                Op::Text {
                    x: self.right() - shown_w,
                    y: baseline,
                    size: SIZE,
                    bold: true,
                    colour: INK,
                    text: b.shown.clone(),
                },
            ];
            for op in ops {
                self.push(op);
            }
            self.y += ROW;
        }
        self.gap(8.0);
    }

    /// A line chart of the overall score (0–100) per session, oldest first.
    fn trend(&mut self, caption: &str, rows: &[TrendRow]) {
        const H: f32 = TREND_H;
        const AXIS: f32 = 9.0;
        const LABEL: f32 = 7.5;
        let caption = self.wrap(&[Run::plain(caption)], BODY, self.column());
        self.ensure(H + LEADING * caption.len() as f32);
        self.draw_lines(&caption, BODY, LEADING, INK, self.left());
        let fonts = self.fonts;
        let regular = &fonts.regular;
        let bold = &fonts.bold;
        let plot_left = self.left() + 24.0;
        let plot_right = self.right() - 12.0;
        let plot_top = self.y + 14.0;
        let plot_bottom = self.y + H - 30.0;
        let y_of =
            |score: f32| plot_bottom - (score.clamp(0.0, 100.0) / 100.0) * (plot_bottom - plot_top);
        let mut ops = Vec::new();
        for tick in [0.0f32, 25.0, 50.0, 75.0, 100.0] {
            let y = y_of(tick);
            ops.push(Op::Line {
                points: vec![(plot_left, y), (plot_right, y)],
                width: 0.5,
                colour: GRID,
            });
            let label = format!("{tick:.0}");
            ops.push(Op::Text {
                x: plot_left - 5.0 - regular.width(&label, LABEL),
                y: y + LABEL * 0.35,
                size: LABEL,
                bold: false,
                colour: MUTED,
                text: label,
            });
        }
        let n = rows.len();
        let step = if n > 1 {
            (plot_right - plot_left - 24.0) / (n - 1) as f32
        } else {
            0.0
        };
        let x_of = |i: usize| {
            if n > 1 {
                plot_left + 12.0 + step * i as f32
            } else {
                (plot_left + plot_right) / 2.0
            }
        };
        let points: Vec<(f32, f32)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (x_of(i), y_of(r.score)))
            .collect();
        if points.len() > 1 {
            ops.push(Op::Line {
                points: points.clone(),
                width: 1.5,
                colour: ACCENT,
            });
        }
        // Date labels: every k-th, so they never overlap; the last always.
        let widest = rows
            .iter()
            .map(|r| regular.width(&r.date, LABEL))
            .fold(0.0f32, f32::max);
        let every = if n > 1 && step > 0.0 {
            ((widest + 6.0) / step).ceil().max(1.0) as usize
        } else {
            1
        };
        for (i, (r, (x, y))) in rows.iter().zip(&points).enumerate() {
            let colour = if r.current {
                score_colour(r.score / 100.0)
            } else {
                ACCENT
            };
            ops.push(Op::Dot {
                x: *x,
                y: *y,
                r: if r.current { 4.0 } else { 2.5 },
                colour,
            });
            let value = format!("{:.0}", r.score);
            let face = if r.current { bold } else { regular };
            let w = face.width(&value, AXIS);
            ops.push(Op::Text {
                x: x - w / 2.0,
                y: y - 6.0,
                size: AXIS,
                bold: r.current,
                colour: INK,
                text: value,
            });
            let last = i + 1 == n;
            if (n - 1 - i).is_multiple_of(every) || last {
                let w = regular.width(&r.date, LABEL);
                let lx = (x - w / 2.0).min(self.right() - w).max(self.left());
                ops.push(Op::Text {
                    x: lx,
                    y: plot_bottom + 14.0,
                    size: LABEL,
                    bold: r.current,
                    colour: if r.current { INK } else { MUTED },
                    text: r.date.clone(),
                });
            }
        }
        for op in ops {
            self.push(op);
        }
        self.y += H;
    }

    /// `runs` as lines no wider than `max`: words go whole onto the line while they
    /// fit; a word wider than `max` is broken between characters; a `\n` in a run
    /// starts a new line.
    fn wrap(&self, runs: &[Run], size: f32, max: f32) -> Vec<Vec<Piece>> {
        let mut tokens = Vec::new();
        let mut space = false;
        let mut newline = false;
        for run in runs {
            for (k, line) in run.text.split('\n').enumerate() {
                if k > 0 {
                    newline = true;
                    space = false;
                }
                for (j, word) in line.split(' ').enumerate() {
                    if j > 0 {
                        space = true;
                    }
                    if word.is_empty() {
                        continue;
                    }
                    tokens.push(Token {
                        text: word,
                        bold: run.strong,
                        space_before: space,
                        break_before: newline,
                    });
                    space = false;
                    newline = false;
                }
            }
        }

        let mut lines: Vec<Vec<Piece>> = Vec::new();
        let mut line: Vec<Piece> = Vec::new();
        let mut used = 0.0f32;
        for t in tokens {
            let face = self.fonts.face(t.bold);
            if t.break_before && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            let w = face.width(t.text, size);
            let space_w = if t.space_before && !line.is_empty() {
                face.width(" ", size)
            } else {
                0.0
            };
            if !line.is_empty() && used + space_w + w > max {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            if line.is_empty() && w > max {
                // Too wide for any line: break it where the column ends.
                let mut chunk = String::new();
                let mut chunk_w = 0.0f32;
                for c in t.text.chars() {
                    let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
                    if chunk_w + cw > max && !chunk.is_empty() {
                        lines.push(vec![Piece {
                            text: std::mem::take(&mut chunk),
                            bold: t.bold,
                            x: 0.0,
                        }]);
                        chunk_w = 0.0;
                    }
                    chunk.push(c);
                    chunk_w += cw;
                }
                line.push(Piece {
                    text: chunk,
                    bold: t.bold,
                    x: 0.0,
                });
                used = chunk_w;
                continue;
            }
            let space_w = if line.is_empty() { 0.0 } else { space_w };
            match line.last_mut() {
                Some(last) if last.bold == t.bold => {
                    if space_w > 0.0 {
                        last.text.push(' ');
                    }
                    last.text.push_str(t.text);
                }
                _ => {
                    // A new face: the space (if any) opens the new piece, so the
                    // text keeps it.
                    let mut text = String::new();
                    if space_w > 0.0 {
                        text.push(' ');
                    }
                    text.push_str(t.text);
                    line.push(Piece {
                        text,
                        bold: t.bold,
                        x: used,
                    });
                }
            }
            used += space_w + w;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The laid-out pages, each with its footer.
    pub fn finish(mut self) -> Laid {
        let total = self.pages.len();
        let fonts = self.fonts;
        let regular = &fonts.regular;
        let baseline = self.height - FOOTER;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let number = format!("Page {} of {total}", i + 1);
            let number_w = regular.width(&number, 7.5);
            let left = fit(
                regular,
                &self.footer_left,
                7.5,
                self.width - 2.0 * MARGIN_X - number_w - 16.0,
            );
            page.push(Op::Text {
                x: MARGIN_X,
                y: baseline,
                size: 7.5,
                bold: false,
                colour: MUTED,
                text: left,
            });
            page.push(Op::Text {
                x: self.width - MARGIN_X - number_w,
                y: baseline,
                size: 7.5,
                bold: false,
                colour: MUTED,
                text: number,
            });
        }
        Laid {
            width: self.width,
            height: self.height,
            pages: self.pages,
            bookmarks: self.bookmarks,
        }
    }
}

/// `text`, cut with an ellipsis to fit `max` points.
fn fit(face: &Face, text: &str, size: f32, max: f32) -> String {
    if face.width(text, size) <= max {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        let candidate = format!("{}…", chars[..n].iter().collect::<String>().trim_end());
        if face.width(&candidate, size) <= max {
            return candidate;
        }
        n -= 1;
    }
    String::new()
}

/// The footer's left text: the report and the role.
pub(crate) fn footer(role: &str) -> String {
    let role = excerpt(role, 80);
    if role.is_empty() {
        format!("Rehearse · {}", crate::doc::TITLE)
    } else {
        format!("Rehearse · {} · {role}", crate::doc::TITLE)
    }
}
