//! Section headings in any common wording, and splitting a resume's lines into sections.

use std::collections::HashMap;
use std::sync::LazyLock;

use rehearse_pdf::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Before the first heading: name, title, contact details.
    Header,
    Summary,
    Experience,
    Education,
    Skills,
    Projects,
    Certifications,
    Languages,
    Links,
    /// A section we do not structure (awards, interests, publications...).
    Other,
}

/// Headings by their normalised wording (lower case, `&` as `and`, no punctuation).
const HEADINGS: &[(&str, Section)] = &[
    ("summary", Section::Summary),
    ("professional summary", Section::Summary),
    ("career summary", Section::Summary),
    ("executive summary", Section::Summary),
    ("summary of qualifications", Section::Summary),
    ("qualifications summary", Section::Summary),
    ("profile", Section::Summary),
    ("professional profile", Section::Summary),
    ("personal profile", Section::Summary),
    ("about", Section::Summary),
    ("about me", Section::Summary),
    ("objective", Section::Summary),
    ("career objective", Section::Summary),
    ("professional objective", Section::Summary),
    ("personal statement", Section::Summary),
    ("overview", Section::Summary),
    ("introduction", Section::Summary),
    ("experience", Section::Experience),
    ("experiences", Section::Experience),
    ("work experience", Section::Experience),
    ("professional experience", Section::Experience),
    ("relevant experience", Section::Experience),
    ("industry experience", Section::Experience),
    ("employment", Section::Experience),
    ("employment history", Section::Experience),
    ("work history", Section::Experience),
    ("career history", Section::Experience),
    ("professional background", Section::Experience),
    ("work", Section::Experience),
    ("internships", Section::Experience),
    ("internship experience", Section::Experience),
    ("research experience", Section::Experience),
    ("teaching experience", Section::Experience),
    ("volunteer experience", Section::Experience),
    ("volunteering", Section::Experience),
    ("volunteer work", Section::Experience),
    ("leadership experience", Section::Experience),
    ("leadership", Section::Experience),
    ("involvement", Section::Experience),
    ("on campus involvement", Section::Experience),
    ("campus involvement", Section::Experience),
    ("activities", Section::Experience),
    ("extracurricular activities", Section::Experience),
    ("education", Section::Education),
    ("academic background", Section::Education),
    ("educational background", Section::Education),
    ("academics", Section::Education),
    ("academic qualifications", Section::Education),
    ("education and training", Section::Education),
    ("qualifications", Section::Education),
    ("skills", Section::Skills),
    ("skill", Section::Skills),
    ("technical skills", Section::Skills),
    ("key skills", Section::Skills),
    ("core skills", Section::Skills),
    ("hard skills", Section::Skills),
    ("skill set", Section::Skills),
    ("skillset", Section::Skills),
    ("core competencies", Section::Skills),
    ("competencies", Section::Skills),
    ("technologies", Section::Skills),
    ("tech stack", Section::Skills),
    ("technical proficiencies", Section::Skills),
    ("expertise", Section::Skills),
    ("areas of expertise", Section::Skills),
    ("skills and abilities", Section::Skills),
    ("skills and expertise", Section::Skills),
    ("skills and interests", Section::Skills),
    ("skills and awards", Section::Skills),
    ("skills and tools", Section::Skills),
    ("tools", Section::Skills),
    ("tools and technologies", Section::Skills),
    ("strengths", Section::Skills),
    ("projects", Section::Projects),
    ("project", Section::Projects),
    ("personal projects", Section::Projects),
    ("selected projects", Section::Projects),
    ("side projects", Section::Projects),
    ("academic projects", Section::Projects),
    ("key projects", Section::Projects),
    ("notable projects", Section::Projects),
    ("open source", Section::Projects),
    ("open source projects", Section::Projects),
    ("project experience", Section::Projects),
    ("certifications", Section::Certifications),
    ("certification", Section::Certifications),
    ("certificates", Section::Certifications),
    ("licenses", Section::Certifications),
    ("licenses and certifications", Section::Certifications),
    ("certifications and licenses", Section::Certifications),
    ("courses and certifications", Section::Certifications),
    ("certifications and training", Section::Certifications),
    ("languages", Section::Languages),
    ("language skills", Section::Languages),
    ("spoken languages", Section::Languages),
    ("links", Section::Links),
    ("profiles", Section::Links),
    ("online presence", Section::Links),
    ("social", Section::Links),
    ("contact", Section::Links),
    ("contact information", Section::Links),
    ("websites", Section::Links),
    // Chinese resumes.
    ("个人简介", Section::Summary),
    ("自我评价", Section::Summary),
    ("个人总结", Section::Summary),
    ("教育背景", Section::Education),
    ("教育经历", Section::Education),
    ("工作经历", Section::Experience),
    ("工作经验", Section::Experience),
    ("实习经历", Section::Experience),
    ("实习 项目经历", Section::Experience),
    ("工作 项目经历", Section::Experience),
    ("项目经历", Section::Projects),
    ("项目经验", Section::Projects),
    ("技能", Section::Skills),
    ("专业技能", Section::Skills),
    ("it 技能", Section::Skills),
    ("技能清单", Section::Skills),
    ("证书", Section::Certifications),
    ("语言能力", Section::Languages),
    ("获奖情况", Section::Other),
    ("荣誉奖项", Section::Other),
    ("其他", Section::Other),
    ("awards", Section::Other),
    ("honors", Section::Other),
    ("honours", Section::Other),
    ("honors and awards", Section::Other),
    ("awards and honors", Section::Other),
    ("honors awards", Section::Other),
    ("achievements", Section::Other),
    ("publications", Section::Other),
    ("interests", Section::Other),
    ("hobbies", Section::Other),
    ("hobbies and interests", Section::Other),
    ("references", Section::Other),
    ("courses", Section::Other),
    ("coursework", Section::Other),
    ("relevant coursework", Section::Other),
];

/// The headings' wordings without spaces (`workexperience`), for letter-spacing that
/// the extractor could not close up completely.
static SQUEEZED: LazyLock<HashMap<String, Section>> = LazyLock::new(|| {
    HEADINGS
        .iter()
        .map(|(h, s)| (h.chars().filter(|c| *c != ' ').collect(), *s))
        .collect()
});

/// `"WORK EXPERIENCE:"` → `"work experience"`; `"Skills & Awards"` → `"skills and awards"`.
/// Lower case, `&` as `and`, and the runs of letters and digits separated by single
/// spaces: white space, `/` and `-` separate, other marks vanish (`e.g.` is `eg`).
fn normalise(text: &str) -> String {
    fn push(out: &mut String, c: char, gap: &mut bool) {
        if *gap && !out.is_empty() {
            out.push(' ');
        }
        *gap = false;
        out.push(c);
    }
    let lowered = text.to_lowercase();
    let mut out = String::with_capacity(lowered.len());
    let mut gap = false;
    for c in lowered.chars() {
        if c == '&' {
            gap = true;
            for a in "and".chars() {
                push(&mut out, a, &mut gap);
            }
            gap = true;
        } else if c.is_whitespace() || c == '/' || c == '-' {
            gap = true;
        } else if c.is_alphanumeric() {
            push(&mut out, c, &mut gap);
        }
    }
    out
}

/// Each known wording's section (the first listed, where one repeats).
static BY_WORDING: LazyLock<HashMap<&'static str, Section>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for (h, s) in HEADINGS {
        map.entry(*h).or_insert(*s);
    }
    map
});

/// Whether `text` is the wording of a known section heading (`Education`, `SKILLS`).
pub fn is_known_heading(text: &str) -> bool {
    BY_WORDING.contains_key(normalise(text).as_str())
}

/// The section a line opens, if it is a heading. `body_size` is the document's
/// usual text size; unknown wordings count as (unstructured) headings only when
/// set clearly larger than the body.
pub fn heading(line: &Line, body_size: f32) -> Option<Section> {
    heading_sized(line, body_size, None, None, f32::INFINITY)
}

/// How a document sets its known headings, when that is distinctive: in capitals
/// (often letter-spaced), at one size and weight, with space above. An unknown
/// wording set the same way (`RECOGNITION`, `TALKS`) is a heading too, even at body
/// size; an employer in bold capitals between entries has less space above it.
#[derive(Debug, Clone, Copy)]
struct HeadingStyle {
    size: f32,
    bold: bool,
    /// The usual space above a known heading (baseline to baseline).
    gap: f32,
}

impl HeadingStyle {
    /// The style most known headings share, if most are in capitals; `known` are the
    /// headings with the space above each.
    fn of(known: &[(&Line, f32)]) -> Option<Self> {
        let upper: Vec<&(&Line, f32)> = known
            .iter()
            .filter(|(l, _)| is_upper(l.text.split('\t').next().unwrap_or_default()))
            .collect();
        if upper.len() < 2 || upper.len() * 3 < known.len() * 2 {
            return None;
        }
        let mut styles: Vec<(i32, bool, usize)> = Vec::new();
        for (l, _) in &upper {
            let key = ((l.size * 2.0).round() as i32, l.bold);
            match styles.iter_mut().find(|(s, b, _)| (*s, *b) == key) {
                Some((_, _, n)) => *n += 1,
                None => styles.push((key.0, key.1, 1)),
            }
        }
        let (size, bold, _) = styles.into_iter().max_by_key(|(_, _, n)| *n)?;
        let mut gaps: Vec<f32> = upper
            .iter()
            .map(|(_, g)| *g)
            .filter(|g| g.is_finite())
            .collect();
        gaps.sort_by(f32::total_cmp);
        Some(Self {
            size: size as f32 / 2.0,
            bold,
            gap: gaps
                .get(gaps.len().saturating_sub(1) / 2)
                .copied()
                .unwrap_or(0.0),
        })
    }

    fn matches(&self, line: &Line, text: &str, gap_above: f32) -> bool {
        (line.size - self.size).abs() <= 0.6
            && line.bold == self.bold
            && is_upper(text)
            && text.split_whitespace().count() <= 4
            && gap_above >= self.gap * 0.8
    }
}

/// [`heading`], where an unknown wording must also be set about as large as the
/// document's known headings (`heading_size`), so that entry titles set a little
/// larger than the body are not taken for headings, or exactly like them (`style`).
fn heading_sized(
    line: &Line,
    body_size: f32,
    heading_size: Option<f32>,
    style: Option<HeadingStyle>,
    gap_above: f32,
) -> Option<Section> {
    let mut cells = line.text.split('\t');
    let first = cells.next()?.trim();
    // Most lines are far too long to be headings: no need to normalise them.
    if first.len() > 3 * 45 || first.chars().count() > 45 {
        return None;
    }
    // "Technical Skills: Go, Python" is a labelled list, not a heading; a row of
    // several headings side by side ("SUMMARY ⇥ EDUCATION") takes the first.
    for rest in cells {
        if !BY_WORDING.contains_key(normalise(rest).as_str()) {
            return None;
        }
    }
    let norm = normalise(first);
    let words = norm.split(' ').count();
    if norm.is_empty() || words > 5 || first.chars().count() > 45 {
        return None;
    }
    if first.ends_with('.') || first.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(s) = BY_WORDING.get(norm.as_str()) {
        return Some(*s);
    }
    let styled = line.bold || line.size > body_size * 1.12 || is_upper(first);
    if !styled {
        return None;
    }
    // Letter-spacing that the extractor could not close up completely
    // (`WORKEXPERIENCE`, `EDUC ATION`): the wording without its spaces.
    let squeezed: String = norm.chars().filter(|c| *c != ' ').collect();
    if let Some(s) = SQUEEZED.get(squeezed.as_str()) {
        return Some(*s);
    }
    // Longer wordings around a known noun: "Professional Work Experience", "Technical Skills Summary".
    let key = |noun: &str| norm.split(' ').any(|w| w == noun);
    let by_noun = if key("experience") || key("employment") {
        Some(Section::Experience)
    } else if key("education") {
        Some(Section::Education)
    } else if key("skills") || key("competencies") || key("technologies") {
        Some(Section::Skills)
    } else if key("projects") || key("project") {
        Some(Section::Projects)
    } else if key("certifications") || key("certificates") || key("licenses") {
        Some(Section::Certifications)
    } else if key("languages") {
        Some(Section::Languages)
    } else if key("summary") || key("objective") || key("profile") {
        Some(Section::Summary)
    } else {
        None
    };
    if by_noun.is_some() {
        return by_noun;
    }
    let big_enough =
        line.size > body_size * 1.15 && heading_size.is_none_or(|h| line.size >= h * 0.9);
    let styled_alike = style.is_some_and(|s| s.matches(line, first, gap_above));
    ((big_enough || styled_alike) && first.chars().next().is_some_and(char::is_uppercase))
        .then_some(Section::Other)
}

fn is_upper(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 3
}

/// The body text size: the size most characters are set in.
pub fn body_size(lines: &[&Line]) -> f32 {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for l in lines {
        let key = (l.size * 2.0).round() as i32;
        let n = l.text.chars().count();
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => *c += n,
            None => counts.push((key, n)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(k, _)| k as f32 / 2.0)
        .unwrap_or(10.0)
}

/// The pages without their furniture: page numbers, and running headers or footers
/// repeated on several pages ("John Doe - 2/3", "February 10, 2026 · Résumé").
pub fn without_furniture(pages: &[Vec<Line>]) -> Vec<Vec<Line>> {
    // Digits are ignored so "2/3" and "3/3" footers match; each key is computed once
    // (this runs on every line of every resume).
    let key = |l: &Line| -> String {
        l.text
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut seen: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
    let keys: Vec<Vec<String>> = pages.iter().map(|p| p.iter().map(key).collect()).collect();
    if pages.len() >= 2 {
        for (page_no, page) in pages.iter().enumerate() {
            for (line, k) in page.iter().zip(&keys[page_no]) {
                seen.entry(k.clone()).or_default().push((page_no, line.y));
            }
        }
    }
    let repeated = |k: &str, y: f32| -> bool {
        let Some(places) = seen.get(k) else {
            return false;
        };
        let mut pages_with: Vec<usize> = places
            .iter()
            .filter(|(_, oy)| (oy - y).abs() < 4.0)
            .map(|(p, _)| *p)
            .collect();
        pages_with.dedup();
        pages_with.len() >= 2
    };
    pages
        .iter()
        .zip(&keys)
        .map(|(page, page_keys)| {
            page.iter()
                .zip(page_keys)
                .filter(|(l, k)| !is_page_number(&l.text) && !repeated(k, l.y))
                .map(|(l, _)| l.clone())
                .collect()
        })
        .collect()
}

fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    // A year alone (a date column wrapped `Aug 2018 - Mar` over `2021`) is no page.
    if t.len() == 4 && t.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y)) {
        return false;
    }
    let t = t.strip_prefix("page").unwrap_or(&t).trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.split(|c: char| c == '/' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .all(|w| w == "of" || w.chars().all(|c| c.is_ascii_digit()))
}

/// A line with the section it belongs to.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    pub line: &'a Line,
    pub section: Section,
    /// Index of the page.
    pub page: usize,
}

/// Where a column stands: its section, whether a real heading has opened one in it
/// yet, and its horizontal extent (to continue it on the next page).
#[derive(Debug, Clone, Copy)]
struct ColumnState {
    section: Section,
    seen_heading: bool,
    x0: f32,
    x1: f32,
}

/// The horizontal extent of `column` on `page`.
fn extent(page: &[Line], column: u8) -> (f32, f32) {
    page.iter()
        .filter(|l| l.column == column)
        .fold((f32::MAX, f32::MIN), |(a, b), l| {
            (a.min(l.x), b.max(l.x1.max(l.x)))
        })
}

/// For every line, the space above it: its baseline's distance from the line before
/// it in its column (infinite for a column's first line on a page).
fn gaps_above(pages: &[Vec<Line>]) -> Vec<Vec<f32>> {
    pages
        .iter()
        .map(|page| {
            let mut last: Vec<(u8, f32)> = Vec::new();
            page.iter()
                .map(|l| match last.iter_mut().find(|(c, _)| *c == l.column) {
                    Some((_, y)) => {
                        let gap = l.y - *y;
                        *y = l.y;
                        if gap > 0.0 { gap } else { f32::INFINITY }
                    }
                    None => {
                        last.push((l.column, l.y));
                        f32::INFINITY
                    }
                })
                .collect()
        })
        .collect()
}

/// The previous page's column that a column at `x0..x1` continues: the one it
/// overlaps most (a main column that runs on after the sidebar ended), else the
/// nearest.
fn continued(previous: &[ColumnState], x0: f32, x1: f32) -> Option<ColumnState> {
    let overlap = |c: &ColumnState| (x1.min(c.x1) - x0.max(c.x0)).max(0.0);
    let distance = |c: &ColumnState| ((x0 + x1) / 2.0 - (c.x0 + c.x1) / 2.0).abs();
    previous.iter().copied().max_by(|a, b| {
        overlap(a)
            .total_cmp(&overlap(b))
            .then(distance(b).total_cmp(&distance(a)))
    })
}

/// The name line: the largest text on the first page, when it reads as a name. It
/// is never a heading, however large (a sidebar's headings come before it in
/// reading order, so "an unknown heading after a real one" would otherwise take it).
fn name_line(pages: &[Vec<Line>]) -> Option<&Line> {
    let first = pages.first()?;
    let largest = first.iter().map(|l| l.size).fold(0.0, f32::max);
    first.iter().find(|l| {
        let text = l.text.split('\t').next().unwrap_or_default();
        l.size >= largest - 0.01 && crate::contact::looks_like_name(text) && !is_known_heading(text)
    })
}

/// Assign every non-heading line to its section, in reading order. Each column keeps
/// its own section: a sidebar's headings do not end the main column's, and on the
/// next page a column continues the section of the column it runs on from. A
/// column's lines above its first heading on the first page belong to the header
/// (contact details beside the name).
pub fn split<'a>(pages: &'a [Vec<Line>]) -> Vec<Placed<'a>> {
    let all: Vec<&Line> = pages.iter().flatten().collect();
    let body = body_size(&all);
    let gaps = gaps_above(pages);
    let known_lines: Vec<(&Line, f32)> = pages
        .iter()
        .zip(&gaps)
        .flat_map(|(page, gaps)| page.iter().zip(gaps.iter().copied()))
        .filter(|(l, _)| heading(l, body).is_some_and(|s| s != Section::Other))
        .collect();
    let mut known: Vec<f32> = known_lines.iter().map(|(l, _)| l.size).collect();
    known.sort_by(f32::total_cmp);
    let heading_size = known.get(known.len() / 2).copied();
    let style = HeadingStyle::of(&known_lines);
    let name = name_line(pages);
    let mut out = Vec::new();
    let mut previous: Vec<ColumnState> = Vec::new();
    for (page_no, (page, gaps)) in pages.iter().zip(&gaps).enumerate() {
        let mut columns: Vec<(u8, ColumnState)> = Vec::new();
        for (line, gap_above) in page.iter().zip(gaps.iter().copied()) {
            let at = match columns.iter().position(|(c, _)| *c == line.column) {
                Some(at) => at,
                None => {
                    let (x0, x1) = extent(page, line.column);
                    let start = continued(&previous, x0, x1).unwrap_or(ColumnState {
                        section: Section::Header,
                        seen_heading: false,
                        x0,
                        x1,
                    });
                    columns.push((line.column, ColumnState { x0, x1, ..start }));
                    columns.len() - 1
                }
            };
            let Some((_, state)) = columns.get_mut(at) else {
                continue;
            };
            let is_name = name.is_some_and(|n| std::ptr::eq(n, line));
            if !is_name
                && let Some(section) = heading_sized(line, body, heading_size, style, gap_above)
            {
                // An unknown heading only ends a section once real sections have begun
                // in this column, so a large name or job title at the top is not taken
                // for one.
                if section != Section::Other || state.seen_heading {
                    state.section = section;
                    state.seen_heading = true;
                    continue;
                }
            }
            out.push(Placed {
                line,
                section: state.section,
                page: page_no,
            });
        }
        if !columns.is_empty() {
            previous = columns.into_iter().map(|(_, s)| s).collect();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, size: f32, bold: bool) -> Line {
        Line {
            text: text.into(),
            size,
            bold,
            ..Line::default()
        }
    }

    #[test]
    fn normalise_keeps_words_and_drops_marks() {
        assert_eq!(normalise("Skills & Tools"), "skills and tools");
        assert_eq!(normalise("  Work/Life -- Balance: "), "work life balance");
        assert_eq!(normalise("e.g. Self-Taught (C++)"), "eg self taught c");
        assert_eq!(normalise("ÉDUCATION\tCOMPÉTENCES"), "éducation compétences");
        assert_eq!(normalise("&"), "and");
        assert_eq!(normalise(" - / "), "");
    }

    #[test]
    fn headings_in_any_common_wording() {
        for (text, section) in [
            ("WORK EXPERIENCE", Section::Experience),
            ("Professional Experience:", Section::Experience),
            ("Skills & Awards", Section::Skills),
            ("EDUCATION", Section::Education),
            ("Licenses & Certifications", Section::Certifications),
            ("ON CAMPUS INVOLVEMENT", Section::Experience),
            ("About Me", Section::Summary),
            ("HONORS/AWARDS", Section::Other),
        ] {
            assert_eq!(
                heading(&line(text, 10.0, false), 10.0),
                Some(section),
                "{text}"
            );
        }
    }

    #[test]
    fn body_lines_and_labelled_lists_are_not_headings() {
        for text in [
            "Experienced Python developer with a passion for solving problems",
            "Technical Skills:\tGo, Python, Node.js",
            "Skills.",
            "Software Engineer",
        ] {
            assert_eq!(heading(&line(text, 10.0, false), 10.0), None, "{text}");
        }
    }

    #[test]
    fn an_unknown_wording_set_like_the_headings_is_one_but_an_employer_in_capitals_is_not() {
        let at = |text: &str, size: f32, bold: bool, y: f32| Line {
            y,
            ..line(text, size, bold)
        };
        let page = vec![
            at("Jane Doe", 20.0, true, 40.0),
            at("EXPERIENCE", 9.0, true, 100.0),
            at("Designer", 9.5, false, 114.0),
            at("• Drew things for clients", 9.5, false, 128.0),
            at("ACME", 9.0, true, 142.0),
            at("• Drew more things", 9.5, false, 156.0),
            at("EDUCATION", 9.0, true, 200.0),
            at("Aarhus School of Architecture", 9.5, false, 214.0),
            at("RECOGNITION", 9.0, true, 260.0),
            at("Danish Design Award 2022", 9.5, false, 274.0),
        ];
        let pages = vec![page];
        let placed = split(&pages);
        let section_of = |text: &str| {
            placed
                .iter()
                .find(|p| p.line.text == text)
                .map(|p| p.section)
        };
        assert_eq!(section_of("ACME"), Some(Section::Experience));
        assert_eq!(section_of("• Drew more things"), Some(Section::Experience));
        assert_eq!(section_of("RECOGNITION"), None, "a heading is not placed");
        assert_eq!(section_of("Danish Design Award 2022"), Some(Section::Other));
    }

    #[test]
    fn styled_wordings_around_a_known_noun() {
        assert_eq!(
            heading(&line("Professional Work Experience", 14.0, true), 10.0),
            Some(Section::Experience)
        );
        assert_eq!(
            heading(&line("A Day Of My Life", 17.0, true), 10.0),
            Some(Section::Other)
        );
        assert_eq!(heading(&line("A Day Of My Life", 10.0, false), 10.0), None);
    }
}
