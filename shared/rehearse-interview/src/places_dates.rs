//! Countries and the words of dates: what a noisy parse hands over as an
//! employer, a name or a skill and never is one. Shared by the resume facts and
//! the skill filter.

pub(crate) const COUNTRIES: &[&str] = &[
    "usa",
    "us",
    "u.s.",
    "united states",
    "uk",
    "united kingdom",
    "india",
    "china",
    "korea",
    "s.korea",
    "south korea",
    "japan",
    "germany",
    "france",
    "canada",
    "australia",
    "singapore",
    "netherlands",
    "spain",
    "italy",
    "brazil",
    "mexico",
    "ireland",
    "sweden",
    "switzerland",
    "israel",
    "poland",
    "turkey",
    "türkiye",
    "remote",
    "taiwan",
    "vietnam",
    "indonesia",
    "nigeria",
    "kenya",
    "egypt",
    "pakistan",
    "bangladesh",
    "philippines",
    "uae",
    "denmark",
    "norway",
    "finland",
    "iceland",
    "austria",
    "belgium",
    "portugal",
    "greece",
    "czechia",
    "czech republic",
    "hungary",
    "romania",
    "ukraine",
    "estonia",
    "latvia",
    "lithuania",
    "new zealand",
    "south africa",
    "argentina",
    "chile",
    "colombia",
    "peru",
    "malaysia",
    "thailand",
    "hong kong",
    "saudi arabia",
    "qatar",
    "morocco",
    "usa.",
];

/// Whether `s` is a country (or "remote"): never a company, a skill or a topic.
pub(crate) fn is_place(s: &str) -> bool {
    COUNTRIES.contains(&s.trim().to_lowercase().as_str())
}

/// Month names and the words of a date range: a "name" made of them and years
/// is a date, and a "skill" containing one is not a skill.
pub(crate) const DATE_WORDS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "present",
    "current",
    "now",
    "today",
    "since",
    "to",
    "until",
];

/// Whether `s` is only a date or a date range ("Jan 2023", "2019 – Present",
/// "03/2021"): a parser that misplaces a date column can hand it over as a name.
pub(crate) fn is_date_like(s: &str) -> bool {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    !words.is_empty()
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && words.iter().all(|w| {
            DATE_WORDS.contains(&w.as_str())
                || (w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 4)
        })
}
