//! Dates as resumes write them: `June 2018`, `Sep. 2023`, `06/2018`, `2018-06`,
//! `Summer 2022`, `2017`, and ranges of them ending in a date or `Present`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::LazyLock;

use regex_lite::Regex;

/// A month of a year; `month` is `None` when only the year is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: Option<u8>,
}

impl YearMonth {
    /// `YYYY-MM` or `YYYY`.
    pub fn render(&self) -> String {
        match self.month {
            Some(m) => format!("{:04}-{:02}", self.year, m),
            None => format!("{:04}", self.year),
        }
    }

    /// Months since year 0, taking a missing month as `default_month`.
    fn index(&self, default_month: u8) -> i32 {
        self.year * 12 + i32::from(self.month.unwrap_or(default_month)) - 1
    }

    /// The current month (UTC).
    pub fn now() -> Self {
        let now = time::OffsetDateTime::now_utc();
        Self {
            year: now.year(),
            month: Some(u8::from(now.month())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Date(YearMonth),
    Present,
}

/// A date range found in a line, with where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: Option<YearMonth>,
    pub end: Option<End>,
    /// Byte range of the match in the line, to cut it out.
    pub span: (usize, usize),
    pub text: String,
}

impl Found {
    pub fn start_str(&self) -> Option<String> {
        self.start.map(|d| d.render())
    }

    pub fn end_str(&self) -> Option<String> {
        self.end.map(|e| match e {
            End::Present => "present".to_owned(),
            End::Date(d) => d.render(),
        })
    }
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)\.?";
const PRESENT: &str =
    r"(?:present|current(?:ly)?|now|today|ongoing|till date|to date|至今|现在|今)";

/// One date. Its `\b`s are regex-lite's, ASCII: a year written against CJK text
/// (`经历2019年3月`) is a date, where the Unicode regex this replaced saw no word
/// boundary and no date; Latin letters against digits (`x2019`) are still none.
static DATE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?:\b(?:19|20)\d\d\s*年\s*(?:1[0-2]|0?[1-9])\s*月|\b{MONTH},?\s*(?:19|20)\d\d|\b(?:0?[1-9]|1[0-2])\s*[/.]\s*(?:19|20)\d\d\b|\b(?:19|20)\d\d\s*[/.-]\s*(?:0[1-9]|1[0-2])\b|\b(?:19|20)\d\d\b(?:\s+(?:1[0-2]|[1-9])\b)?)"
    )
});

static RANGE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let d = DATE.as_str();
    Regex::new(&format!(
        r"(?i)(?P<start>{d})\s*(?:-|–|—|~|,|\bto\b|\buntil\b|\bthrough\b)?\s*(?P<end>{d}|{PRESENT})"
    ))
    .ok()
});

static SINGLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let d = DATE.as_str();
    Regex::new(&format!(
        r"(?i)(?P<date>{d})(?:\s*(?:-|–|—|to)\s*(?P<present>{PRESENT}))?"
    ))
    .ok()
});

static OPEN_START: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let d = DATE.as_str();
    // "2017 -" at a line's end, or "2017 - Product Manager" at its start: the range's
    // end is on the next line (moderncv's date margin). "June 2017 - February" at the
    // end: the end's year wrapped onto the next line (the month is left after the span).
    Regex::new(&format!(
        r"(?i)(?:(?P<start>{d})\s*(?:-|–|—)\s*(?P<tail>{MONTH})?\s*$|^\s*(?P<lead>{d})\s*(?:-|–|—)\s+(?P<rest>[^\d\s]))"
    ))
    .ok()
});

/// The first date range (or single date) in `line`.
pub fn find(line: &str) -> Option<Found> {
    // The parse asks about the same line from several places (is it a description,
    // an entry's heading, a date cell...), a few lines apart: the last answers are
    // kept, per thread, as a search costs microseconds.
    thread_local! {
        static RECENT: RefCell<VecDeque<(String, Option<Found>)>> = const { RefCell::new(VecDeque::new()) };
    }
    const KEPT: usize = 8;
    let known = RECENT.with(|r| {
        let recent = r.try_borrow().ok()?;
        recent
            .iter()
            .find(|(l, _)| l == line)
            .map(|(_, f)| f.clone())
    });
    if let Some(found) = known {
        return found;
    }
    let found = search(line, true);
    RECENT.with(|r| {
        if let Ok(mut recent) = r.try_borrow_mut() {
            if recent.len() == KEPT {
                recent.pop_front();
            }
            recent.push_back((line.to_owned(), found.clone()));
        }
    });
    found
}

/// [`find`], skipping the patterns that cannot match `line` when `skip` is set (the
/// tests check that skipping changes nothing).
fn search(line: &str, skip: bool) -> Option<Found> {
    // Every date the patterns know has a year `19dd` or `20dd`: most lines have none,
    // and need not go through three capturing regexes. A range needs a second year or
    // a word for the present, an open start a dash; a line without them skips that
    // pattern (regex-lite's searches cost a resume's parse more than its reading).
    let years = years(line);
    if skip && years == 0 {
        return None;
    }
    // RANGE and SINGLE start with a date, so the search may start where the first
    // one could: it costs as much per character before it as per character of it.
    let from = if skip { earliest_date(line) } else { 0 };
    let range = if !skip || years >= 2 || may_say_present(line) {
        RANGE.as_ref().and_then(|r| r.captures_at(line, from))
    } else {
        None
    };
    if let Some(c) = range {
        let m = c.get(0)?;
        let start = c.name("start").and_then(|s| parse_date(s.as_str()));
        let end_text = c.name("end")?.as_str();
        let end = if is_present(end_text) {
            Some(End::Present)
        } else {
            parse_date(end_text).map(End::Date)
        };
        if start.is_some() && end.is_some() {
            return Some(Found {
                start,
                end,
                span: (m.start(), m.end()),
                text: m.as_str().trim().to_owned(),
            });
        }
    }
    let open_start = if !skip || line.contains(['-', '–', '—']) {
        OPEN_START.as_ref().and_then(|r| r.captures(line))
    } else {
        None
    };
    if let Some(c) = open_start {
        let m = c.get(0)?;
        let start = c.name("start").or(c.name("lead"))?;
        // The span stops before the text that follows the dash.
        let end = c
            .name("rest")
            .or(c.name("tail"))
            .map_or(m.end(), |r| r.start());
        return Some(Found {
            start: parse_date(start.as_str()),
            end: None,
            span: (m.start(), end),
            text: line[m.start()..end].trim().to_owned(),
        });
    }
    let c = SINGLE.as_ref().and_then(|r| r.captures_at(line, from))?;
    let m = c.get(0)?;
    let date = parse_date(c.name("date")?.as_str())?;
    let present = c.name("present").is_some();
    Some(Found {
        start: present.then_some(date),
        end: Some(if present {
            End::Present
        } else {
            End::Date(date)
        }),
        span: (m.start(), m.end()),
        text: m.as_str().trim().to_owned(),
    })
}

/// `19dd` or `20dd` in ASCII digits: the year every date pattern holds.
fn is_year(w: &[u8]) -> bool {
    matches!(w, [b'1', b'9', c, d] | [b'2', b'0', c, d] if c.is_ascii_digit() && d.is_ascii_digit())
}

/// How many places in `line` hold `19` or `20` and two more ASCII digits (the year
/// of every date pattern; overlapping ones count twice, which only errs towards
/// searching).
fn years(line: &str) -> usize {
    line.as_bytes().windows(4).filter(|w| is_year(w)).count()
}

/// The first byte of `line` a date can start at: the first year, less the month's
/// name or number and the spaces, `.`, `,` and `/` that may come before it (`Sept.,
/// 2019`, `06 / 2016`); 0 without a year. Every date pattern holds a year, and a
/// later year's date cannot start earlier. `captures_at` still sees the bytes before
/// it for `\b`.
fn earliest_date(line: &str) -> usize {
    let bytes = line.as_bytes();
    let Some(mut at) = bytes.windows(4).position(is_year) else {
        return 0;
    };
    // Only ASCII bytes are stepped over, so `at` stays on a character boundary.
    while at > 0
        && matches!(
            bytes[at - 1],
            b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' ' | b',' | b'.' | b'/'
        )
    {
        at -= 1;
    }
    while at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
        at -= 1;
    }
    at
}

/// Whether `line` may hold one of `PRESENT`'s words, ignoring ASCII case.
fn may_say_present(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    [
        "present",
        "current",
        "now",
        "today",
        "ongoing",
        "till date",
        "to date",
        "今",
        "现在",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Whether the line is nothing but a date or range (a margin date in moderncv, a
/// right-aligned date cell).
pub fn is_only_date(line: &str) -> bool {
    find(line)
        .is_some_and(|f| line[..f.span.0].trim().is_empty() && line[f.span.1..].trim().is_empty())
}

pub fn is_present(s: &str) -> bool {
    let s = s.trim().to_ascii_lowercase();
    [
        "present",
        "current",
        "currently",
        "now",
        "today",
        "ongoing",
        "till date",
        "to date",
        "至今",
        "现在",
        "今",
    ]
    .contains(&s.as_str())
}

fn parse_date(s: &str) -> Option<YearMonth> {
    let lower = s.trim().to_ascii_lowercase();
    // Anything else separates numbers (`2015年3月` is 2015 and 3).
    let digits: String = lower
        .chars()
        .map(|c| {
            if c.is_ascii_digit() || "/.-".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let parts: Vec<&str> = digits
        .split(|c: char| c.is_whitespace() || "/.-".contains(c))
        .filter(|p| !p.is_empty())
        .collect();
    let year_pos = parts.iter().position(|p| p.len() == 4)?;
    let year: i32 = parts.get(year_pos)?.parse().ok()?;
    let mut month = month_from_name(&lower);
    if month.is_none() {
        // Numeric month before (06/2018) or after (2018-06, "2015 3") the year.
        let other = if year_pos == 0 {
            parts.get(1)
        } else {
            parts.get(year_pos - 1)
        };
        month = other
            .and_then(|m| m.parse::<u8>().ok())
            .filter(|m| (1..=12).contains(m));
    }
    Some(YearMonth { year, month })
}

/// The month a word names (`Mar`, `March`, `Sept.`), if it is only a month name.
pub fn month_of(word: &str) -> Option<u8> {
    let w = word.trim().trim_end_matches('.').to_ascii_lowercase();
    let month = month_from_name(&w)?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let ok =
        (3..=9).contains(&w.len()) && full.iter().any(|f| f.starts_with(w.as_str())) || w == "sept";
    ok.then_some(month)
}

fn month_from_name(s: &str) -> Option<u8> {
    const NAMES: [(&str, u8); 16] = [
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
        // Seasons as the month they start in (academic conventions).
        ("spring", 3),
        ("summer", 6),
        ("fall", 9),
        ("autumn", 9),
    ];
    let word: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if word.starts_with("winter") {
        return Some(12);
    }
    NAMES
        .iter()
        .find(|(n, _)| word.starts_with(n))
        .map(|(_, m)| *m)
}

/// Years covered by the ranges, overlaps counted once, to one decimal. A range
/// without an end is taken to end where it starts; `Present` ends at `today`.
pub fn total_years(ranges: &[(Option<YearMonth>, Option<End>)], today: YearMonth) -> Option<f32> {
    let mut spans: Vec<(i32, i32)> = ranges
        .iter()
        .filter_map(|(start, end)| {
            let start = (*start)?;
            let end = match end {
                Some(End::Present) => today,
                Some(End::Date(d)) => *d,
                None => start,
            };
            // A bare year starts in January and ends in December.
            let (s, e) = (start.index(1), end.index(12).min(today.index(12)));
            (e >= s).then_some((s, e + 1))
        })
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut months = 0;
    let mut current = spans[0];
    for &(s, e) in &spans[1..] {
        if s <= current.1 {
            current.1 = current.1.max(e);
        } else {
            months += current.1 - current.0;
            current = (s, e);
        }
    }
    months += current.1 - current.0;
    Some((months as f32 / 12.0 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(line: &str) -> (Option<String>, Option<String>) {
        let f = find(line).unwrap_or_else(|| panic!("no date in {line:?}"));
        (f.start_str(), f.end_str())
    }

    #[test]
    fn common_formats() {
        assert_eq!(
            range("June 2018 - Present"),
            (Some("2018-06".into()), Some("present".into()))
        );
        assert_eq!(
            range("Sep. 2023 - Mar. 2024"),
            (Some("2023-09".into()), Some("2024-03".into()))
        );
        assert_eq!(
            range("Jan 2023 – Present"),
            (Some("2023-01".into()), Some("present".into()))
        );
        assert_eq!(
            range("06/2016 to 05/2018"),
            (Some("2016-06".into()), Some("2018-05".into()))
        );
        assert_eq!(
            range("2012 - 2017"),
            (Some("2012".into()), Some("2017".into()))
        );
        assert_eq!(
            range("Fall 2013 - Spring 2014"),
            (Some("2013-09".into()), Some("2014-03".into()))
        );
        assert_eq!(
            range("Expected Graduation: June 2016"),
            (None, Some("2016-06".into()))
        );
        assert_eq!(
            range("2015 3 - 2015 5"),
            (Some("2015-03".into()), Some("2015-05".into()))
        );
        assert_eq!(range("Summer 2022"), (None, Some("2022-06".into())));
        assert_eq!(
            range("July 2012 - Ongoing"),
            (Some("2012-07".into()), Some("present".into()))
        );
        assert_eq!(range("2017 -"), (Some("2017".into()), None));
        assert_eq!(
            range("Madrid, Spain · June 2017 - February"),
            (Some("2017-06".into()), None)
        );
        assert_eq!(
            range("2015 年 3 月 - 2015 年 5 月"),
            (Some("2015-03".into()), Some("2015-05".into()))
        );
        assert_eq!(
            range("2015年3月-2015年5月"),
            (Some("2015-03".into()), Some("2015-05".into()))
        );
        assert_eq!(
            range("Summer 2013, 2014"),
            (Some("2013-06".into()), Some("2014".into()))
        );
        assert_eq!(
            range("2014 年 6 月 - 至今"),
            (Some("2014-06".into()), Some("present".into()))
        );
        assert_eq!(
            range("2017 - Product Manager, Google"),
            (Some("2017".into()), None)
        );
        assert_eq!(
            range("Sep. 2023 Mar. 2024"),
            (Some("2023-09".into()), Some("2024-03".into()))
        );
    }

    /// Skipping the patterns a line cannot match finds what running all of them
    /// finds, on every line of up to three of these pieces, with and without spaces.
    #[test]
    fn skipping_patterns_changes_nothing() {
        let pieces = [
            "June 2018",
            "2018",
            "Sep.",
            "06/2016",
            "2015 年 3 月",
            "Present",
            "NOW",
            "till date",
            "至今",
            "今",
            "-",
            "–",
            "—",
            "to",
            ",",
            "~",
            "Engineer",
            "1999",
            "February",
            "x20201",
            "2015 3",
            "Sept.,",
            "06 /",
            "12.",
            "at",
            "\t",
            "Jan2019",
        ];
        let mut lines = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| {
                    pieces
                        .iter()
                        .flat_map(move |p| [format!("{l} {p}"), format!("{l}{p}")])
                })
                .collect();
            lines.extend(longer);
        }
        assert!(lines.len() > 160_000, "{}", lines.len());
        for line in &lines {
            assert_eq!(search(line, true), search(line, false), "{line:?}");
        }
    }

    #[test]
    fn years_against_cjk_text_are_dates_and_against_latin_letters_not() {
        assert_eq!(
            range("经历2019年3月-2021年5月"),
            (Some("2019-03".into()), Some("2021-05".into()))
        );
        assert!(find("build x2019y").is_none());
    }

    #[test]
    fn only_dates() {
        assert!(is_only_date("Jun 2021 - Dec 2022"));
        assert!(!is_only_date("Software Engineer, Jun 2021 - Dec 2022"));
    }

    #[test]
    fn overlapping_ranges_count_once() {
        let d = |y, m| {
            Some(YearMonth {
                year: y,
                month: Some(m),
            })
        };
        let today = YearMonth {
            year: 2026,
            month: Some(11),
        };
        let years = total_years(
            &[
                (d(2018, 6), Some(End::Present)),
                (
                    d(2016, 7),
                    Some(End::Date(YearMonth {
                        year: 2018,
                        month: Some(6),
                    })),
                ),
                (
                    d(2019, 1),
                    Some(End::Date(YearMonth {
                        year: 2020,
                        month: Some(1),
                    })),
                ),
            ],
            today,
        );
        assert_eq!(years, Some(10.4));
    }
}
