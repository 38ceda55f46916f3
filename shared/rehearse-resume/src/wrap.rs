//! Lines that a narrow column wrapped, joined again: a sidebar sets `Aarhus School of`
//! over `Architecture` and `Certified Kubernetes Administrator` over `(CKA), 2022`,
//! and each half alone is the wrong institution or certification.

use crate::sections::Placed;

/// Words that do not end a name or a title: a line ending in one was cut short.
const CONNECTORS: &[&str] = &[
    "of", "for", "and", "in", "on", "at", "to", "the", "&", "-", "+", "de", "da", "do", "di",
    "del", "della", "der", "des", "du", "la", "le", "y", "e", "et", "und", "für", "van", "von",
];

/// Bullets open an item of their own.
const BULLETS: &[char] = &['•', '*', '▪', '○', '◦', '➢', '►', '✓'];

/// A run of wrapped lines joined into one, with the first line's place and style.
#[derive(Debug, Clone)]
pub struct Joined {
    pub text: String,
    pub x: f32,
    pub bold: bool,
}

/// The lines of one section with wrapped lines joined to the line they continue.
///
/// A line continues the previous one when both are set alike (same left edge, size
/// and weight), directly below it (no paragraph gap), the next line is no date and
/// no contact detail, and the text says so: the previous line ends in a connector
/// (`of`, `for`, `-`) or the next one opens in lower case or with a bracket; or the
/// previous line was full (the next line's first word would not have fitted) and
/// either the section spaces its items wider than this step or the next line is a
/// word or two.
///
/// `all` is every placed line of the document (for the columns' right edges).
/// `by_fullness` allows the last rule: it suits lists of names (schools,
/// certifications), not a section where a short title may follow a full line of
/// description.
pub fn join(lines: &[&Placed], all: &[Placed], by_fullness: bool) -> Vec<Joined> {
    let mut out: Vec<Joined> = Vec::new();
    let mut previous: Option<&Placed> = None;
    for p in lines {
        let joins = previous.is_some_and(|a| continues(a, p, lines, all, by_fullness));
        match out.last_mut() {
            Some(last) if joins => {
                let text = p.line.text.trim();
                if last.text.ends_with('-')
                    && last
                        .text
                        .chars()
                        .rev()
                        .nth(1)
                        .is_some_and(char::is_alphabetic)
                    && text.chars().next().is_some_and(char::is_lowercase)
                {
                    // A word hyphenated at the line end: `Engineer-` + `ing`.
                    last.text.pop();
                } else {
                    last.text.push(' ');
                }
                last.text.push_str(text);
            }
            _ => out.push(Joined {
                text: p.line.text.clone(),
                x: p.line.x,
                bold: p.line.bold,
            }),
        }
        previous = Some(p);
    }
    out
}

fn continues(a: &Placed, b: &Placed, lines: &[&Placed], all: &[Placed], by_fullness: bool) -> bool {
    let (la, lb) = (a.line, b.line);
    let step = lb.y - la.y;
    // A line of cells (a date column beside the entry) continues in its last cell,
    // set in from the line's start.
    let under_last_cell = la.text.contains('\t') && lb.x > la.x + 20.0 && lb.x < la.x1;
    let alike = a.page == b.page
        && la.column == lb.column
        && (la.size - lb.size).abs() <= 0.3
        && la.bold == lb.bold
        && ((la.x - lb.x).abs() <= 2.0 && !la.text.contains('\t') || under_last_cell)
        && !lb.text.contains('\t');
    let next = lb.text.trim();
    let prev = la.text.trim();
    if !alike || step <= 0.0 || step > la.size * 1.6 || next.starts_with(BULLETS) {
        return false;
    }
    let last_word = prev.rsplit(' ').next().unwrap_or_default().to_lowercase();
    let told = CONNECTORS.contains(&last_word.as_str())
        || prev.ends_with([',', '-', '–', '/'])
        || next.starts_with(['(', '[', '&'])
        || next.chars().next().is_some_and(char::is_lowercase);
    let short = next.split_whitespace().count() <= 2;
    let full = !told && by_fullness && was_full(a, lb, all);
    if !told && !full {
        return false;
    }
    // The costlier checks last: no date or contact detail is a wrapped half.
    if crate::dates::is_only_date(next) || is_contact(next) || is_contact(prev) {
        return false;
    }
    if told {
        return true;
    }
    let wider_items = lines.windows(2).any(|w| {
        let (Some(x), Some(y)) = (w.first(), w.get(1)) else {
            return false;
        };
        x.page == a.page
            && x.line.column == la.column
            && (x.line.size - la.size).abs() <= 0.3
            && y.line.y - x.line.y > step + 0.6
            && y.line.y - x.line.y <= la.size * 2.6
    });
    wider_items || short
}

/// Whether `a` ran to its column's right edge: the first word of `b` would not have
/// fitted after it.
fn was_full(a: &Placed, b: &rehearse_pdf::Line, all: &[Placed]) -> bool {
    let right = all
        .iter()
        .filter(|p| p.page == a.page && p.line.column == a.line.column)
        .map(|p| p.line.x1)
        .fold(a.line.x1, f32::max);
    let a = a.line;
    let chars = b.text.chars().count().max(1) as f32;
    let first = b.text.split_whitespace().next().unwrap_or_default();
    let first_width = (b.x1 - b.x).max(0.0) * first.chars().count() as f32 / chars;
    a.x1 + first_width + a.size * 0.25 > right
}

/// An email address, a phone number or a link: never part of a wrapped name.
fn is_contact(text: &str) -> bool {
    text.contains('@') || crate::contact::phone(text).is_some() || crate::contact::has_url(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sections::Section;
    use rehearse_pdf::Line;

    fn line(text: &str, y: f32, x1: f32, bold: bool) -> Line {
        Line {
            text: text.into(),
            x: 400.0,
            x1,
            y,
            size: 9.5,
            bold,
            column: 1,
        }
    }

    fn joined(lines: &[Line], by_fullness: bool) -> Vec<String> {
        let placed: Vec<Placed> = lines
            .iter()
            .map(|line| Placed {
                line,
                section: Section::Education,
                page: 0,
            })
            .collect();
        let refs: Vec<&Placed> = placed.iter().collect();
        join(&refs, &placed, by_fullness)
            .into_iter()
            .map(|j| j.text)
            .collect()
    }

    #[test]
    fn a_name_wrapped_in_a_narrow_column_is_one_again() {
        let lines = [
            line("Instituto Tecnológico de Buenos", 100.0, 560.0, true),
            line("Aires", 112.0, 425.0, true),
            line("B.Sc. in Computer Engineering", 126.0, 530.0, false),
            line("2011 - 2016", 140.0, 450.0, false),
            line("Aarhus School of", 160.0, 480.0, true),
            line("Architecture", 172.0, 465.0, true),
        ];
        assert_eq!(
            joined(&lines, true),
            [
                "Instituto Tecnológico de Buenos Aires",
                "B.Sc. in Computer Engineering",
                "2011 - 2016",
                "Aarhus School of Architecture",
            ]
        );
        // Without the fullness rule only what the text says joins ("of").
        assert_eq!(joined(&lines, false).len(), 5);
    }

    #[test]
    fn list_items_contact_details_and_hyphenation() {
        // Items one step apart, however long: no wrap.
        let items = [
            line(
                "HashiCorp Certified: Terraform Associate",
                100.0,
                560.0,
                false,
            ),
            line(
                "Google Cloud Professional Cloud Architect",
                112.0,
                558.0,
                false,
            ),
            line("Certified Kubernetes Administrator", 124.0, 520.0, false),
        ];
        assert_eq!(joined(&items, true).len(), 3);
        // Contact details never join, even after a full line.
        let contact = [
            line("ingrid.sorensen@posteo.dk", 100.0, 560.0, false),
            line("+45 28 91 44 07", 112.0, 470.0, false),
            line("Aarhus, Denmark", 130.0, 470.0, false),
        ];
        assert_eq!(joined(&contact, true).len(), 3);
        let hyphen = [
            line("MSc Computer Science and Engineer-", 100.0, 560.0, false),
            line("ing", 112.0, 415.0, false),
        ];
        assert_eq!(
            joined(&hyphen, true),
            ["MSc Computer Science and Engineering"]
        );
    }
}
