//! Text clean-up shared by every extraction path.

use unicode_normalization::UnicodeNormalization;

/// NFKC (ligatures such as `ﬁ` become `fi`), soft hyphens removed, hyphen and dash
/// variants mapped to `-`, icon-font (private-use) glyphs, replacement characters
/// and controls dropped, spaces collapsed, letter-spaced runs (`S K I L L S`) closed up.
pub(crate) fn line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // NFKC leaves ASCII as it is: most lines need no normalisation pass.
    if raw.is_ascii() {
        raw.chars().for_each(|c| push_clean(&mut out, c));
    } else {
        raw.nfkc().for_each(|c| push_clean(&mut out, c));
    }
    // Two or more spaces mark a wider gap (see layout): a boundary that letter-spacing
    // repair must not close up.
    let segments: Vec<String> = out
        .split('\t')
        .map(|cell| {
            cell.split("  ")
                .map(|seg| collapse_letter_spacing(&collapse_spaces(seg)))
                .filter(|seg| !seg.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    segments.join("\t").trim_matches('\t').to_owned()
}

/// Append one normalised character of a line to `out`, mapped or dropped.
fn push_clean(out: &mut String, c: char) {
    // Word's "U+00AD U+2010" pairs would otherwise print as "--".
    if c_is_hyphen(c)
        && out.ends_with('-')
        && out.chars().rev().nth(1).is_some_and(char::is_alphanumeric)
    {
        return;
    }
    let c = match c {
        // Producers use U+00AD both for a real hyphen (LuaTeX, Word) and at a line-end
        // break; a hyphen at a line end is rejoined later either way.
        '\u{00AD}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}'
        | '\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2022}' | '\u{2023}' | '\u{25AA}' | '\u{25CF}' | '\u{25E6}' | '\u{2043}'
        | '\u{2219}' => '•',
        '\t' => '\t',
        c if is_icon_or_junk(c) => return,
        c if c.is_whitespace() => ' ',
        c => c,
    };
    out.push(c);
}

fn c_is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{00AD}' | '\u{2010}' | '\u{2011}')
}

/// Private-use code points (icon fonts such as FontAwesome), U+FFFD, controls and
/// zero-width characters carry no text.
pub(crate) fn is_icon_or_junk(c: char) -> bool {
    matches!(c,
        '\u{E000}'..='\u{F8FF}'
        | '\u{F0000}'..='\u{FFFFD}'
        | '\u{100000}'..='\u{10FFFD}'
        | '\u{FFFD}'
        | '\u{200B}'..='\u{200D}'
        // Pictographs, emoji and dingbats: contact-line icons, not text.
        | '\u{2190}'..='\u{21FF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{FEFF}')
        || (c.is_control() && c != '\t')
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = true;
    for c in s.chars() {
        if c == ' ' {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            if c == '\t' && out.ends_with(' ') {
                out.pop();
            }
            out.push(c);
            prev_space = c == '\t';
        }
    }
    out.trim().to_owned()
}

/// `S K I L L S` → `SKILLS`, `E X P E R I E N C E   &   W O R K` → `EXPERIENCE & WORK`:
/// a run of at least four single letters separated by single spaces is one word.
fn collapse_letter_spacing(s: &str) -> String {
    let tokens: Vec<&str> = s.split(' ').collect();
    let single = |t: &str| t.chars().count() == 1 && t.chars().all(char::is_alphanumeric);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j < tokens.len() && single(tokens[j]) {
            j += 1;
        }
        if j - i >= 4 {
            out.push(tokens[i..j].concat());
            i = j;
        } else {
            out.push(tokens[i].to_owned());
            i += 1;
        }
    }
    out.join(" ")
}

/// The share of a text's characters that are ordinary text (letters, digits,
/// punctuation, spaces) rather than junk: a low share means the decoding failed.
pub(crate) fn text_quality(s: &str) -> f32 {
    let mut total = 0usize;
    let mut good = 0usize;
    for c in s.chars() {
        if c == '\n' {
            continue;
        }
        total += 1;
        if c.is_alphanumeric()
            || c.is_whitespace()
            || c.is_ascii_punctuation()
            || "•–—€£'\"".contains(c)
        {
            good += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        good as f32 / total as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_dashes_soft_hyphens_and_icons() {
        assert_eq!(line("Ofﬁce ﬂow"), "Office flow");
        assert_eq!(line("high\u{00AD}impact"), "high-impact");
        assert_eq!(
            line("on\u{00AD}\u{2010}campus (909) 555\u{00AD}\u{2010}5555"),
            "on-campus (909) 555-5555"
        );
        assert_eq!(line("2019 \u{2013} 2021"), "2019 - 2021");
        assert_eq!(line("\u{F0E0} john@example.com"), "john@example.com");
        assert_eq!(line("a  \u{FFFD}  b"), "a b");
    }

    #[test]
    fn letter_spaced_headings_close_up() {
        assert_eq!(line("S K I L L S"), "SKILLS");
        assert_eq!(line("W O R K  E X P E R I E N C E"), "WORK EXPERIENCE");
        assert_eq!(line("Skills\tS Q L"), "Skills\tS Q L");
        // Short runs are ordinary text (initials, "a b c" lists stay).
        assert_eq!(line("J. R. R. Tolkien"), "J. R. R. Tolkien");
        assert_eq!(line("A B testing"), "A B testing");
    }

    #[test]
    fn quality_tells_text_from_gibberish() {
        assert!(text_quality("Senior Engineer at Acme, 2019-2021") > 0.95);
        assert!(text_quality("\u{FFFD}\u{FFFD}\u{0001}\u{0002}ab") < 0.5);
    }
}
