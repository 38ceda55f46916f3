//! Plain-text helpers shared by both formats: cleaning what the candidate typed,
//! and the wording of labels, scores and dates.

use time::OffsetDateTime;
use time::macros::format_description;
use unicode_normalization::UnicodeNormalization;

/// The text as written, minus what no reader should receive: NFC (so `e` + a
/// combining accent is the one precomposed letter the font has), `\r\n` as `\n`,
/// tabs as spaces, and no control, zero-width or direction-override characters
/// (invisible, and an override would reorder the report's own text around it).
pub(crate) fn clean(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .nfc()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\u{2028}' | '\u{2029}' => Some('\n'),
            '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// [`clean`], on one line with single spaces (for headings, table cells, labels).
pub(crate) fn one_line(raw: &str) -> String {
    clean(raw).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The paragraphs of a cleaned multi-line text: blank lines separate them, single
/// line breaks inside a paragraph are kept.
pub(crate) fn paragraphs(raw: &str) -> Vec<String> {
    let text = clean(raw);
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

/// The first `max` characters of `text` on one line, with an ellipsis when cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let line = one_line(text);
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max).collect();
    // End on a word boundary when one is near.
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// `7.5/10`.
pub(crate) fn score10(s: f32) -> String {
    format!("{s:.1}/10")
}

/// `72/100` (one decimal only when there is one).
pub(crate) fn score100(s: f32) -> String {
    let r = (s * 10.0).round() / 10.0;
    if (r - r.round()).abs() < f32::EPSILON {
        format!("{r:.0}/100")
    } else {
        format!("{r:.1}/100")
    }
}

/// `5 December 2026, 14:03 UTC`.
pub(crate) fn date_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!(
        "[day padding:none] [month repr:long] [year], [hour]:[minute] UTC"
    ))
    .unwrap_or_else(|_| t.date().to_string())
}

/// `5 Dec 2026`.
pub(crate) fn short_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!(
        "[day padding:none] [month repr:short] [year]"
    ))
    .unwrap_or_else(|_| t.date().to_string())
}

/// `42 min`, `1 h 05 min`, `40 s`.
pub(crate) fn duration(seconds: u32) -> String {
    let minutes = (seconds + 30) / 60;
    if seconds < 60 {
        format!("{seconds} s")
    } else if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}

/// The level as the candidate chose it (`fresher`, `1-3`, `senior`...), in words.
pub(crate) fn level_label(raw: &str) -> String {
    let key = raw.trim().to_lowercase().replace(' ', "");
    let known = match key.as_str() {
        "fresher" | "entry" | "entrylevel" | "intern" | "student" | "graduate" | "0" | "0-1"
        | "new" => "Entry level",
        "junior" | "1-3" | "1-2" | "1-3years" | "associate" => "Junior (1–3 years)",
        "mid" | "midlevel" | "intermediate" | "3-5" | "3-5years" | "2-5" => "Mid-level (3–5 years)",
        "senior" | "5+" | "5+years" | "lead" | "staff" | "principal" | "expert" | "5-10"
        | "10+" => "Senior (5+ years)",
        _ => return one_line(raw),
    };
    known.to_owned()
}

/// `technical` → `Technical`, `hr_behavioral` → `Behavioral`...
pub(crate) fn interview_type_label(raw: &str) -> String {
    match raw.trim().to_lowercase().as_str() {
        "technical" | "tech" | "coding" => "Technical".to_owned(),
        "behavioral" | "behavioural" | "hr" | "hr/behavioral" | "hr_behavioral"
        | "hr-behavioral" | "culture" => "Behavioral".to_owned(),
        "mixed" | "general" | "both" => "Mixed (technical and behavioral)".to_owned(),
        _ => one_line(raw),
    }
}

/// `follow_up` → `Follow-up`, `technical` → `Technical`.
pub(crate) fn category_label(raw: &str) -> String {
    let line = one_line(&raw.replace('_', " "));
    let line = if line.eq_ignore_ascii_case("follow up") {
        "follow-up".to_owned()
    } else {
        line
    };
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Uncategorised".to_owned(),
    }
}

/// `easy` → `Easy`.
pub(crate) fn capitalized(raw: &str) -> String {
    let line = one_line(raw);
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_composes_accents_and_drops_invisible_characters() {
        let raw = "Nguye\u{0302}\u{0303}n\u{200B} \u{202E}Lan\r\n\tok\u{0007}";
        assert_eq!(clean(raw), "Nguyễn Lan\n ok");
    }

    #[test]
    fn paragraphs_split_on_blank_lines_and_keep_line_breaks() {
        let p = paragraphs("one\ntwo  words\n\n\n three \n");
        assert_eq!(p, vec!["one\ntwo words".to_owned(), "three".to_owned()]);
    }

    #[test]
    fn excerpt_cuts_on_a_word_with_an_ellipsis() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(
            excerpt("Tell me about a time you disagreed with a manager", 30),
            "Tell me about a time you…"
        );
    }

    #[test]
    fn scores_and_durations_read_naturally() {
        assert_eq!(score100(72.0), "72/100");
        assert_eq!(score100(72.25), "72.3/100");
        assert_eq!(score10(7.0), "7.0/10");
        assert_eq!(duration(40), "40 s");
        assert_eq!(duration(42 * 60 + 10), "42 min");
        assert_eq!(duration(65 * 60), "1 h 05 min");
    }

    #[test]
    fn labels_name_the_engine_values_and_keep_unknown_ones() {
        assert_eq!(level_label("3-5"), "Mid-level (3–5 years)");
        assert_eq!(level_label("Principal"), "Senior (5+ years)");
        assert_eq!(level_label("Trưởng nhóm"), "Trưởng nhóm");
        assert_eq!(interview_type_label("hr"), "Behavioral");
        assert_eq!(category_label("follow_up"), "Follow-up");
        assert_eq!(category_label("technical"), "Technical");
    }
}
