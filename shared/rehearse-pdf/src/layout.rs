//! From glyphs to lines in reading order: words from glyph gaps, lines from
//! baselines, and columns from a vertical gutter no line crosses.

use crate::Line;
use crate::interpret::{Glyph, Page};

/// A horizontal gap wider than this many ems between glyphs is a word space.
/// Kerning stays within a few hundredths of an em; tightly justified TeX lines
/// space words by as little as 0.15 em.
const WORD_GAP_EM: f32 = 0.1;
/// A word gap wider than this is a wide one (see `normalize::line`).
const WIDE_GAP_EM: f32 = 0.5;
/// In letter-spaced text, a gap this much wider than the tracking is a word space
/// (a space glyph is about a quarter of an em).
const TRACKED_WORD_EM: f32 = 0.15;
/// A gap wider than this many ems separates chunks (table cells, right-aligned dates,
/// or two columns); it is kept as a tab.
const CHUNK_GAP_EM: f32 = 1.4;

/// A run of glyphs on one baseline with no chunk-sized gap inside.
#[derive(Debug, Clone)]
struct Chunk {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    bold_chars: usize,
    chars: usize,
    /// A date, a place or a duration (see [`is_metadata`]), worked out once: the
    /// column searches ask about every chunk at every candidate gutter.
    meta: bool,
}

pub(crate) fn lay_out(page: Page, page_width: f32) -> Vec<Line> {
    let Page {
        mut glyphs,
        text: page_text,
    } = page;
    if glyphs.is_empty() {
        return Vec::new();
    }
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let chunks = chunks(glyphs, &page_text);
    let split = column_split(&chunks, page_width);
    let mut lines = Vec::new();
    match split {
        None => match band(&chunks, page_width) {
            Some(band) => {
                // Above the band, the band's columns left to right, then below it.
                let (above, rest): (Vec<&Chunk>, Vec<&Chunk>) =
                    chunks.iter().partition(|c| c.y < band.top);
                let (inside, below): (Vec<&Chunk>, Vec<&Chunk>) =
                    rest.into_iter().partition(|c| c.y <= band.bottom);
                lines.extend(lines_of(above, 0));
                for (i, column) in band.split(inside).into_iter().enumerate() {
                    lines.extend(lines_of(column, u8::try_from(i).unwrap_or(u8::MAX)));
                }
                lines.extend(lines_of(below, 0));
            }
            None => lines.extend(lines_of(chunks.iter().collect(), 0)),
        },
        Some(x) => {
            let (left, right): (Vec<&Chunk>, Vec<&Chunk>) = chunks.iter().partition(|c| c.x0 < x);
            lines.extend(lines_of(left, 0));
            lines.extend(lines_of(right, 1));
        }
    }
    lines
}

/// Group glyphs into baseline rows, then split each row at chunk-sized gaps.
fn chunks(glyphs: Vec<Glyph>, page_text: &str) -> Vec<Chunk> {
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if same_baseline(row, &g) => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut groups: Vec<Vec<Glyph>> = Vec::new();
        // Whether the last group still takes glyphs (no chunk-sized gap since).
        let mut open = false;
        let mut last_x1 = f32::MIN;
        for g in row {
            let em = g.size.max(1.0);
            let gap = g.x0 - last_x1;
            let x1 = g.x1;
            // Overprinted glyphs (fake bold, shadows) repeat what is already there.
            if open
                && gap < -0.3 * em
                && groups
                    .last()
                    .and_then(|c| c.last())
                    .is_some_and(|l| l.text(page_text) == g.text(page_text))
            {
                continue;
            }
            open &= gap <= CHUNK_GAP_EM * em;
            match groups.last_mut() {
                Some(c) if open => c.push(g),
                // A space after a chunk-sized gap starts nothing.
                _ if g.text(page_text).trim().is_empty() => {}
                _ => {
                    groups.push(vec![g]);
                    open = true;
                }
            }
            last_x1 = last_x1.max(x1);
        }
        out.extend(groups.iter().map(|g| chunk_of(g, page_text)));
    }
    out.retain(|c| !c.text.trim().is_empty());
    for c in &mut out {
        c.meta = is_metadata(&c.text);
    }
    out
}

/// The text of one chunk's glyphs, with a space wherever the gap is a word gap.
///
/// Letter-spaced text (`letter-spacing` in CSS, `\textls`, `charSpace`) puts a gap
/// after every glyph; then the usual gap between letters is the tracking, and only
/// a gap clearly wider than it separates words (`C O N TA C T` is `CONTACT`, even
/// where kerning pulls `T` and `A` closer).
fn chunk_of(glyphs: &[Glyph], page_text: &str) -> Chunk {
    let ink = |g: &Glyph| !g.text(page_text).trim().is_empty();
    let gap = |w: &[Glyph]| match w {
        [a, b] if ink(a) && ink(b) => Some((b.x0 - a.x1) / b.size.max(1.0)),
        _ => None,
    };
    // Most text is not letter-spaced: fewer than half its gaps are word-sized, and
    // the median need not be computed.
    let (wide, all) = glyphs
        .windows(2)
        .filter_map(gap)
        .fold((0usize, 0usize), |(w, n), g| {
            (w + usize::from(g > WORD_GAP_EM), n + 1)
        });
    let tracking = if all >= 3 && wide * 2 > all {
        let mut gaps: Vec<f32> = glyphs.windows(2).filter_map(gap).collect();
        gaps.sort_by(f32::total_cmp);
        gaps.get(gaps.len() / 2).copied().unwrap_or(0.0)
    } else {
        0.0
    };
    let (word_gap, wide_gap) = if tracking > WORD_GAP_EM {
        (tracking + TRACKED_WORD_EM, tracking + WIDE_GAP_EM)
    } else {
        (WORD_GAP_EM, WIDE_GAP_EM)
    };
    let mut chunk: Option<Chunk> = None;
    let mut last_x1 = f32::MIN;
    for g in glyphs {
        let em = g.size.max(1.0);
        let gap = g.x0 - last_x1;
        last_x1 = last_x1.max(g.x1);
        let Some(c) = chunk.as_mut() else {
            chunk = Some(Chunk {
                text: g.text(page_text).to_owned(),
                x0: g.x0,
                x1: g.x1,
                y: g.y,
                size: g.size,
                bold_chars: usize::from(g.bold),
                chars: 1,
                meta: false,
            });
            continue;
        };
        let text = g.text(page_text);
        let is_space = text.trim().is_empty();
        if gap > word_gap * em && !c.text.ends_with(' ') && !is_space {
            // A wide gap gets two spaces, so that normalisation can tell letter-spacing
            // (`S K I L L S`) from word spacing.
            c.text
                .push_str(if gap > wide_gap * em { "  " } else { " " });
        }
        if !(is_space && c.text.ends_with(' ')) {
            c.text.push_str(if is_space { " " } else { text });
        }
        c.x1 = c.x1.max(g.x1);
        c.size = c.size.max(g.size);
        c.chars += 1;
        c.bold_chars += usize::from(g.bold);
    }
    chunk.unwrap_or(Chunk {
        text: String::new(),
        x0: 0.0,
        x1: 0.0,
        y: 0.0,
        size: 0.0,
        bold_chars: 0,
        chars: 0,
        meta: false,
    })
}

fn same_baseline(row: &[Glyph], g: &Glyph) -> bool {
    let Some(first) = row.first() else {
        return false;
    };
    let tolerance = 0.35 * first.size.min(g.size).max(1.0);
    (g.y - first.y).abs() <= tolerance
}

/// The x of a vertical gutter splitting the page into two columns, if there is one:
/// few chunks cross it, and both sides hold a real share of the text (a column of
/// right-aligned dates is not a column of its own).
fn column_split(chunks: &[Chunk], page_width: f32) -> Option<f32> {
    if chunks.len() < 16 || page_width <= 0.0 {
        return None;
    }
    let chars = |c: &Chunk| c.text.chars().count();
    let total_chars: usize = chunks.iter().map(chars).sum();
    let mut best: Option<(usize, f32, usize)> = None;
    let mut x = page_width * 0.2;
    while x <= page_width * 0.8 {
        let crossing = chunks
            .iter()
            .filter(|c| c.x0 < x - 1.0 && c.x1 > x + 1.0)
            .count();
        if crossing * 100 <= chunks.len() * 4 {
            let left: Vec<&Chunk> = chunks.iter().filter(|c| c.x1 <= x + 1.0).collect();
            let right: Vec<&Chunk> = chunks.iter().filter(|c| c.x0 >= x - 1.0).collect();
            let side_ok = |side: &[&Chunk]| {
                let side_chars: usize = side.iter().map(|c| chars(c)).sum();
                side.len() >= 8 && side_chars * 100 >= total_chars * 8 && !mostly_dates(side)
            };
            if side_ok(&left) && side_ok(&right) {
                let balance = left.len().min(right.len());
                let better = match best {
                    None => true,
                    Some((c, _, b)) => crossing < c || (crossing == c && balance > b),
                };
                if better {
                    best = Some((crossing, x, balance));
                }
            }
        }
        x += 2.0;
    }
    best.map(|(_, x, _)| x)
}

/// A band of the page set in columns above or below full-width text: the rail set
/// across the top of a CV (contact, education, languages side by side) above a single
/// main column. `top` and `bottom` are baselines; `gutters` split it left to right.
#[derive(Debug)]
struct Band {
    top: f32,
    bottom: f32,
    gutters: Vec<f32>,
}

impl Band {
    fn split<'c>(&self, chunks: Vec<&'c Chunk>) -> Vec<Vec<&'c Chunk>> {
        let mut columns: Vec<Vec<&Chunk>> = vec![Vec::new(); self.gutters.len() + 1];
        for c in chunks {
            let i = self.gutters.iter().filter(|g| c.x0 >= **g).count();
            if let Some(column) = columns.get_mut(i) {
                column.push(c);
            }
        }
        columns
    }
}

/// Rows of at least this many baselines make a band.
const MIN_BAND_ROWS: usize = 4;
/// Each column of a band holds text on at least this many baselines.
const MIN_BAND_COLUMN_ROWS: usize = 3;

/// The page's band of columns, if it has one (see [`Band`]): a run of consecutive
/// baselines that no chunk crosses at some x, with text on both sides on several
/// baselines, the sides no margin of dates, and an empty corridor between them.
fn band(chunks: &[Chunk], page_width: f32) -> Option<Band> {
    if chunks.len() < 12 || page_width <= 0.0 {
        return None;
    }
    let mut rows: Vec<Vec<&Chunk>> = Vec::new();
    let mut sorted: Vec<&Chunk> = chunks.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
    for c in sorted {
        match rows.last_mut() {
            Some(row)
                if row
                    .first()
                    .is_some_and(|f| (f.y - c.y).abs() <= 0.35 * f.size.min(c.size).max(1.0)) =>
            {
                row.push(c)
            }
            _ => rows.push(vec![c]),
        }
    }
    // A band is set apart by white space above and below it, wider than a line step.
    let mut steps: Vec<f32> = rows
        .windows(2)
        .filter_map(|w| Some(w.get(1)?.first()?.y - w.first()?.first()?.y))
        .collect();
    steps.sort_by(f32::total_cmp);
    let typical = steps.get(steps.len() / 2).copied().unwrap_or(12.0);
    let apart = |i: usize| {
        let (Some(a), Some(b)) = (rows.get(i), rows.get(i + 1)) else {
            return true;
        };
        let (Some(a), Some(b)) = (a.first(), b.first()) else {
            return true;
        };
        b.y - a.y > typical * 2.2
    };
    let mut best: Option<(usize, usize)> = None;
    let mut x = page_width * 0.15;
    while x <= page_width * 0.85 {
        let crosses = |row: &Vec<&Chunk>| row.iter().any(|c| c.x0 < x - 1.0 && c.x1 > x + 1.0);
        let mut start = 0;
        while start < rows.len() {
            let mut end = start;
            while end < rows.len() && rows.get(end).is_some_and(|r| !crosses(r)) {
                end += 1;
                if apart(end - 1) {
                    break;
                }
            }
            if end - start >= MIN_BAND_ROWS
                && best.is_none_or(|(s, e)| end - start > e - s)
                && let Some(run) = rows.get(start..end)
                && band_sides_ok(run, x)
            {
                best = Some((start, end));
            }
            start = end.max(start + 1);
        }
        x += 2.0;
    }
    let (start, end) = best?;
    let run = rows.get(start..end)?;
    let top = run.first()?.first()?.y;
    let bottom = run.last()?.first()?.y;
    // Every corridor through the band is a gutter (two make three columns): the runs
    // of x that no chunk of the band crosses, each checked once at its middle.
    let mut gutters: Vec<f32> = Vec::new();
    let mut corridor: Option<(f32, f32)> = None;
    let mut x = page_width * 0.15;
    while x <= page_width * 0.85 + 2.0 {
        let clear = x <= page_width * 0.85
            && run
                .iter()
                .all(|r| !r.iter().any(|c| c.x0 < x - 1.0 && c.x1 > x + 1.0));
        match (clear, corridor) {
            (true, None) => corridor = Some((x, x)),
            (true, Some((a, _))) => corridor = Some((a, x)),
            (false, Some((a, b))) => {
                if band_sides_ok(run, (a + b) / 2.0) {
                    gutters.push((a + b) / 2.0);
                }
                corridor = None;
            }
            (false, None) => {}
        }
        x += 2.0;
    }
    if gutters.is_empty() {
        return None;
    }
    Some(Band {
        top,
        bottom,
        gutters,
    })
}

/// Both sides of `x` in these rows hold text on enough baselines, neither is a margin
/// of dates, and an empty corridor of at least an em separates them.
fn band_sides_ok(rows: &[Vec<&Chunk>], x: f32) -> bool {
    let left: Vec<&Chunk> = rows
        .iter()
        .flatten()
        .copied()
        .filter(|c| c.x1 <= x + 1.0)
        .collect();
    let right: Vec<&Chunk> = rows
        .iter()
        .flatten()
        .copied()
        .filter(|c| c.x0 >= x - 1.0)
        .collect();
    let rows_with =
        |side: &dyn Fn(&Chunk) -> bool| rows.iter().filter(|r| r.iter().any(|c| side(c))).count();
    let left_rows = rows_with(&|c: &Chunk| c.x1 <= x + 1.0);
    let right_rows = rows_with(&|c: &Chunk| c.x0 >= x - 1.0);
    let corridor = right.iter().map(|c| c.x0).fold(f32::MAX, f32::min)
        - left.iter().map(|c| c.x1).fold(f32::MIN, f32::max);
    let em = rows
        .iter()
        .flatten()
        .map(|c| c.size)
        .fold(0.0, f32::max)
        .max(1.0);
    // The cheap tests first: the dates test reads every chunk's text.
    left_rows >= MIN_BAND_COLUMN_ROWS
        && right_rows >= MIN_BAND_COLUMN_ROWS
        && corridor >= em
        && !mostly_dates(&left)
        && !mostly_dates(&right)
}

/// A margin of dates, places and durations (moderncv's left column, rendercv's
/// right-aligned "Sept 2018 - May 2023 / Princeton, NJ") belongs to the entries
/// beside it, not a column to read on its own.
fn mostly_dates(side: &[&Chunk]) -> bool {
    let meta = side.iter().filter(|c| c.meta).count();
    meta * 100 >= side.len() * 50
}

fn is_metadata(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    if words == 0 || t.chars().count() > 40 {
        return false;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let lower = t.to_lowercase();
    let dated = digits >= 4;
    let duration = digits >= 1 && (lower.contains("month") || lower.contains("year"));
    // "Princeton, NJ", "Istanbul, Türkiye": a short place.
    let place = words <= 4
        && t.matches(',').count() == 1
        && t.chars().next().is_some_and(char::is_uppercase);
    dated || duration || place
}

fn lines_of(mut chunks: Vec<&Chunk>, column: u8) -> Vec<Line> {
    chunks.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<&Chunk>> = Vec::new();
    for c in chunks {
        match rows.last_mut() {
            Some(row)
                if row
                    .first()
                    .is_some_and(|f| (f.y - c.y).abs() <= 0.35 * f.size.min(c.size).max(1.0)) =>
            {
                row.push(c)
            }
            _ => rows.push(vec![c]),
        }
    }
    rows.into_iter()
        .filter_map(|mut row| {
            row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let first = row.first()?;
            let text = row
                .iter()
                .map(|c| c.text.trim())
                .collect::<Vec<_>>()
                .join("\t");
            let chars: usize = row.iter().map(|c| c.chars).sum();
            let bold: usize = row.iter().map(|c| c.bold_chars).sum();
            let size = row.iter().map(|c| c.size).fold(0.0, f32::max);
            let x1 = row.iter().map(|c| c.x1).fold(first.x1, f32::max);
            Some(Line {
                text,
                x: first.x0,
                x1,
                y: first.y,
                size,
                bold: bold * 2 > chars,
                column,
            })
        })
        .collect()
}
