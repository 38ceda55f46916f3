//! The report as CommonMark (with GitHub's tables). Every piece of text that came
//! from the session is escaped, so an answer containing `# heading`, `*`, `|`,
//! backticks, `<script>` or `[link](…)` renders as the characters the candidate
//! typed and adds no markup, HTML, link or image.

use std::fmt::Write as _;

use crate::doc::{self, Bar, Block, Run, TrendRow};
use crate::model::Report;
use crate::text::score100;

/// The report as Markdown.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    for block in doc::build(report) {
        block_md(&mut out, &block);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn block_md(out: &mut String, block: &Block) {
    match block {
        Block::Title(t) => {
            let _ = writeln!(out, "# {}\n", escape(t));
        }
        Block::Fields(fields) => {
            // A backslash at the end of a line is CommonMark's hard line break.
            let lines: Vec<String> = fields
                .iter()
                .map(|(l, v)| format!("**{}:** {}", escape(l), escape(v)))
                .collect();
            let _ = writeln!(out, "{}\n", lines.join("\\\n"));
        }
        Block::Score {
            overall,
            tier,
            detail,
        } => {
            let _ = writeln!(
                out,
                "## Overall score: {} — {}\n\n{}\n",
                score100(*overall),
                escape(tier),
                escape(detail)
            );
        }
        Block::Heading { level, text, .. } => {
            let hashes = "#".repeat(usize::from((*level).clamp(2, 6)));
            let _ = writeln!(out, "{hashes} {}\n", escape(text));
        }
        Block::Paragraph(runs) => {
            let _ = writeln!(out, "{}\n", runs_md(runs));
        }
        Block::Bullets(items) => {
            for item in items {
                let _ = writeln!(out, "- {}", runs_md(item).replace('\n', "\n  "));
            }
            out.push('\n');
        }
        Block::Quote(paragraphs) => {
            let body: Vec<String> = paragraphs
                .iter()
                .map(|p| {
                    p.lines()
                        .map(|l| format!("> {}", escape(l)))
                        .collect::<Vec<_>>()
                        // Keep the candidate's line breaks (hard breaks).
                        .join("\\\n")
                })
                .collect();
            let _ = writeln!(out, "{}\n", body.join("\n>\n"));
        }
        Block::Note(t) => {
            let _ = writeln!(out, "*{}*\n", escape(t));
        }
        Block::Bars(bars) => bars_md(out, bars),
        Block::Trend { caption, rows } => {
            let _ = writeln!(out, "{}\n", escape(caption));
            trend_md(out, rows);
        }
    }
}

fn runs_md(runs: &[Run]) -> String {
    let mut s = String::new();
    for (i, r) in runs.iter().enumerate() {
        let line_start = i == 0;
        if r.strong {
            // Emphasis delimiters only work against non-space text: keep the
            // run's surrounding spaces outside them.
            let inner = r.text.trim();
            if inner.is_empty() {
                s.push_str(&escape_from(&r.text, line_start));
                continue;
            }
            let lead = if line_start {
                ""
            } else {
                &r.text[..r.text.len() - r.text.trim_start().len()]
            };
            let trail = &r.text[r.text.trim_end().len()..];
            let _ = write!(s, "{lead}**{}**{trail}", escape_from(inner, false));
        } else {
            s.push_str(&escape_from(&r.text, line_start));
        }
    }
    s
}

/// The bars as a fixed-width text chart in a fenced code block (code is never
/// parsed as Markdown; the fence is longer than any backtick run in a label, so no
/// label can close it).
fn bars_md(out: &mut String, bars: &[Bar]) {
    let width = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<String> = bars
        .iter()
        .map(|b| {
            let pad = width - b.label.chars().count();
            format!(
                "{}{}  {}  {}",
                b.label,
                " ".repeat(pad),
                text_bar(b.value, b.max, 20),
                b.shown
            )
        })
        .collect();
    fenced(out, &lines);
}

/// The trend as a sparkline, then a table.
fn trend_md(out: &mut String, rows: &[TrendRow]) {
    let spark: String = rows.iter().map(|r| spark(r.score)).collect();
    fenced(
        out,
        &[format!(
            "{spark}   {} → {}",
            rows.first().map(|r| score100(r.score)).unwrap_or_default(),
            rows.last().map(|r| score100(r.score)).unwrap_or_default()
        )],
    );
    out.push_str("| Session | Overall score | |\n|---|---:|---|\n");
    for r in rows {
        let date = if r.current {
            format!("**{} (this session)**", escape(&r.date))
        } else {
            escape(&r.date)
        };
        let _ = writeln!(
            out,
            "| {date} | {} | {} |",
            score100(r.score),
            text_bar(r.score, 100.0, 10)
        );
    }
    out.push('\n');
}

fn fenced(out: &mut String, lines: &[String]) {
    let longest = lines.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}text");
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "{fence}\n");
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for x in s.chars() {
        if x == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// `██████░░░░` with `cells` cells, in eighths for the partial cell.
fn text_bar(value: f32, max: f32, cells: usize) -> String {
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let share = if max > 0.0 && value.is_finite() {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let eighths = (share * (cells * 8) as f32).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s = "█".repeat(full);
    let mut used = full;
    if part > 0 {
        s.push(PARTS[part - 1]);
        used += 1;
    }
    s.push_str(&"░".repeat(cells.saturating_sub(used)));
    s
}

/// One sparkline character for a 0–100 score.
fn spark(score: f32) -> char {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let i = ((score.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize;
    LEVELS[i.min(7)]
}

/// `text` as literal Markdown text, at the start of a line.
///
/// Every ASCII punctuation character that means something to CommonMark, GitHub's
/// extensions (tables, strikethrough, math) or HTML is backslash-escaped
/// (CommonMark allows a backslash before any ASCII punctuation), so no emphasis,
/// code, link, image, HTML, entity or table cell can start. What only means
/// something at the start of a line (`-`, `+`, `=`, `1.` lists, indented code) is
/// escaped there, and the line's leading spaces are dropped; trailing spaces before
/// a line break are dropped too (two of them would be a hard break).
pub(crate) fn escape(text: &str) -> String {
    escape_from(text, true)
}

/// [`escape`] for text that may continue a line (a run after another run).
fn escape_from(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len() - 1;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let starts = i > 0 || line_start;
        let line = if starts { line.trim_start() } else { line };
        let line = if i < last { line.trim_end() } else { line };
        escape_line(&mut out, line, starts);
    }
    out
}

fn escape_line(out: &mut String, line: &str, line_start: bool) {
    // An ordered-list marker: digits then `.` or `)` at the start of the line.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let list_marker = line_start
        && digits > 0
        && digits <= 9
        && line[digits..].starts_with(['.', ')'])
        && line[digits + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
    for (i, c) in line.char_indices() {
        let at_start = line_start && i == 0;
        let escape = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '$' | '&' | '#'
        ) || (at_start && matches!(c, '-' | '+' | '='))
            || (list_marker && i == digits);
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_is_escaped() {
        assert_eq!(
            escape("**bold** _it_ `code` <b>x</b> [a](b) | a & b ~~s~~ $x$"),
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\<b\\>x\\</b\\> \\[a\\](b) \\| a \\& b \\~\\~s\\~\\~ \\$x\\$"
        );
    }

    #[test]
    fn line_start_markup_is_escaped() {
        assert_eq!(
            escape("# h\n- item\n+ item\n1. one\n2) two\n    code\n==="),
            "\\# h\n\\- item\n\\+ item\n1\\. one\n2\\) two\ncode\n\\==="
        );
        // Not a list marker: left alone.
        assert_eq!(
            escape("3.5 million users, 2-3 days"),
            "3.5 million users, 2-3 days"
        );
    }

    #[test]
    fn runs_keep_the_spaces_between_them() {
        let runs = [Run::strong("Score 7.0/10"), Run::plain(" · Technical")];
        assert_eq!(runs_md(&runs), "**Score 7.0/10** · Technical");
        let runs = [Run::strong("Feedback: "), Run::plain("- fine")];
        assert_eq!(runs_md(&runs), "**Feedback:** - fine");
    }

    #[test]
    fn text_bars_fill_in_eighths() {
        assert_eq!(text_bar(10.0, 10.0, 4), "████");
        assert_eq!(text_bar(0.0, 10.0, 4), "░░░░");
        assert_eq!(text_bar(5.0, 10.0, 4), "██░░");
        assert_eq!(text_bar(5.5, 10.0, 4), "██▎░");
        assert_eq!(text_bar(f32::NAN, 10.0, 2), "░░");
    }

    #[test]
    fn a_fence_outlasts_any_backtick_run_inside() {
        let mut out = String::new();
        fenced(&mut out, &["a ```` b".to_owned()]);
        assert!(out.starts_with("`````text\n"));
        assert!(out.ends_with("\n`````\n\n"));
    }
}
