//! The structure parser (`rehearse_resume::parse_text`) on arbitrary text, without
//! going through a PDF, which makes text-level bugs (slicing inside a character,
//! date arithmetic, regex edge cases) far quicker to reach.
//!
//! The input is read as UTF-8 (lossily) in a tiny layout notation, so that mutations
//! also vary the geometry the parser sees:
//! - a form feed (`\x0c`) starts a new page, a newline a new line;
//! - a line starting with `#` is a bold heading at 14pt (the `#` is dropped);
//! - a line starting with `|` is in the right-hand column at x = 320 (the `|` dropped);
//! - tabs are kept: the extractor uses them for wide gaps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehearse_pdf::{Extracted, Line};
use rehearse_resume::YearMonth;

/// A fixed "today", so that a finding reproduces on any day.
const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: Some(6),
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let pages = text
        .split('\x0c')
        .map(|page| {
            page.lines()
                .enumerate()
                .map(|(i, raw)| {
                    let (raw, bold, size) = match raw.strip_prefix('#') {
                        Some(rest) => (rest, true, 14.0),
                        None => (raw, false, 10.0),
                    };
                    let (raw, column, x) = match raw.strip_prefix('|') {
                        Some(rest) => (rest, 1, 320.0),
                        None => (raw, 0, 72.0),
                    };
                    Line {
                        x1: x + raw.chars().count() as f32 * 5.0,
                        text: raw.to_owned(),
                        x,
                        y: 72.0 + i as f32 * 12.0,
                        size,
                        bold,
                        column,
                    }
                })
                .collect()
        })
        .collect();
    let _ = rehearse_resume::parse_text(
        &Extracted {
            pages,
            ..Extracted::default()
        },
        TODAY,
    );
});
