//! From glyphs to lines in reading order: words from glyph gaps, lines from
//! baselines, and columns from a vertical gutter no line crosses.

use crate::Line;
use crate::interpret::Glyph;

/// A horizontal gap wider than this many ems between glyphs is a word space.
/// Kerning stays within a few hundredths of an em; tightly justified TeX lines
/// space words by as little as 0.15 em.
const WORD_GAP_EM: f32 = 0.1;
/// A word gap wider than this is a wide one (see `normalize::line`).
const WIDE_GAP_EM: f32 = 0.5;
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
}

pub(crate) fn lay_out(mut glyphs: Vec<Glyph>, page_width: f32) -> Vec<Line> {
    if glyphs.is_empty() {
        return Vec::new();
    }
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let chunks = chunks(glyphs);
    let split = column_split(&chunks, page_width);
    let mut lines = Vec::new();
    match split {
        None => lines.extend(lines_of(chunks.iter().collect(), 0)),
        Some(x) => {
            let (left, right): (Vec<&Chunk>, Vec<&Chunk>) = chunks.iter().partition(|c| c.x0 < x);
            lines.extend(lines_of(left, 0));
            lines.extend(lines_of(right, 1));
        }
    }
    lines
}

/// Group glyphs into baseline rows, then split each row at chunk-sized gaps.
fn chunks(glyphs: Vec<Glyph>) -> Vec<Chunk> {
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
        let mut current: Option<Chunk> = None;
        let mut last_x1 = f32::MIN;
        for g in row {
            let em = g.size.max(1.0);
            let gap = g.x0 - last_x1;
            // Overprinted glyphs (fake bold, shadows) repeat what is already there.
            if let Some(c) = &current
                && gap < -0.3 * em
                && c.text.ends_with(g.text.as_str())
            {
                continue;
            }
            match current.as_mut() {
                Some(c) if gap <= CHUNK_GAP_EM * em => {
                    let is_space = g.text.trim().is_empty();
                    if gap > WORD_GAP_EM * em && !c.text.ends_with(' ') && !is_space {
                        // A wide gap gets two spaces, so that normalisation can tell
                        // letter-spacing (`S K I L L S`) from word spacing.
                        c.text
                            .push_str(if gap > WIDE_GAP_EM * em { "  " } else { " " });
                    }
                    if !(is_space && c.text.ends_with(' ')) {
                        c.text.push_str(if is_space { " " } else { &g.text });
                    }
                    c.x1 = c.x1.max(g.x1);
                    c.size = c.size.max(g.size);
                    c.chars += 1;
                    c.bold_chars += usize::from(g.bold);
                }
                _ => {
                    if let Some(done) = current.take() {
                        out.push(done);
                    }
                    if g.text.trim().is_empty() {
                        last_x1 = g.x1;
                        continue;
                    }
                    current = Some(Chunk {
                        text: g.text.clone(),
                        x0: g.x0,
                        x1: g.x1,
                        y: g.y,
                        size: g.size,
                        bold_chars: usize::from(g.bold),
                        chars: 1,
                    });
                }
            }
            last_x1 = last_x1.max(g.x1);
        }
        if let Some(done) = current {
            out.push(done);
        }
    }
    out.retain(|c| !c.text.trim().is_empty());
    out
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

/// A margin of dates, places and durations (moderncv's left column, rendercv's
/// right-aligned "Sept 2018 - May 2023 / Princeton, NJ") belongs to the entries
/// beside it, not a column to read on its own.
fn mostly_dates(side: &[&Chunk]) -> bool {
    let meta = side.iter().filter(|c| is_metadata(&c.text)).count();
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
            Some(Line {
                text,
                x: first.x0,
                y: first.y,
                size,
                bold: bold * 2 > chars,
                column,
            })
        })
        .collect()
}
