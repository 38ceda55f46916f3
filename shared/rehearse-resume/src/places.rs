//! Place names that end a location: countries, US states and Canadian provinces,
//! and the words for where work happens (`Remote`). `Nordlys Software, Aarhus,
//! Denmark` is a company and a place only if `Denmark` is known to be one.

/// Countries and territories, lower case, with their common short forms.
const COUNTRIES: &[&str] = &[
    "afghanistan",
    "albania",
    "algeria",
    "andorra",
    "angola",
    "argentina",
    "armenia",
    "australia",
    "austria",
    "azerbaijan",
    "bahamas",
    "bahrain",
    "bangladesh",
    "barbados",
    "belarus",
    "belgium",
    "belize",
    "benin",
    "bhutan",
    "bolivia",
    "bosnia and herzegovina",
    "botswana",
    "brazil",
    "brunei",
    "bulgaria",
    "burkina faso",
    "burundi",
    "cambodia",
    "cameroon",
    "canada",
    "cape verde",
    "chad",
    "chile",
    "china",
    "colombia",
    "congo",
    "costa rica",
    "croatia",
    "cuba",
    "cyprus",
    "czechia",
    "czech republic",
    "denmark",
    "djibouti",
    "dominican republic",
    "ecuador",
    "egypt",
    "el salvador",
    "estonia",
    "eswatini",
    "ethiopia",
    "fiji",
    "finland",
    "france",
    "gabon",
    "gambia",
    "georgia",
    "germany",
    "ghana",
    "greece",
    "guatemala",
    "guinea",
    "guyana",
    "haiti",
    "honduras",
    "hong kong",
    "hungary",
    "iceland",
    "india",
    "indonesia",
    "iran",
    "iraq",
    "ireland",
    "israel",
    "italy",
    "ivory coast",
    "jamaica",
    "japan",
    "jordan",
    "kazakhstan",
    "kenya",
    "kosovo",
    "kuwait",
    "kyrgyzstan",
    "laos",
    "latvia",
    "lebanon",
    "lesotho",
    "liberia",
    "libya",
    "liechtenstein",
    "lithuania",
    "luxembourg",
    "macau",
    "madagascar",
    "malawi",
    "malaysia",
    "maldives",
    "mali",
    "malta",
    "mauritania",
    "mauritius",
    "mexico",
    "moldova",
    "monaco",
    "mongolia",
    "montenegro",
    "morocco",
    "mozambique",
    "myanmar",
    "namibia",
    "nepal",
    "netherlands",
    "the netherlands",
    "new zealand",
    "nicaragua",
    "niger",
    "nigeria",
    "north korea",
    "north macedonia",
    "norway",
    "oman",
    "pakistan",
    "palestine",
    "panama",
    "papua new guinea",
    "paraguay",
    "peru",
    "philippines",
    "poland",
    "portugal",
    "puerto rico",
    "qatar",
    "romania",
    "russia",
    "rwanda",
    "saudi arabia",
    "senegal",
    "serbia",
    "seychelles",
    "sierra leone",
    "singapore",
    "slovakia",
    "slovenia",
    "somalia",
    "south africa",
    "south korea",
    "republic of korea",
    "korea",
    "s.korea",
    "south sudan",
    "spain",
    "sri lanka",
    "sudan",
    "suriname",
    "sweden",
    "switzerland",
    "syria",
    "taiwan",
    "tajikistan",
    "tanzania",
    "thailand",
    "togo",
    "trinidad and tobago",
    "tunisia",
    "turkey",
    "türkiye",
    "turkmenistan",
    "uganda",
    "ukraine",
    "united arab emirates",
    "uae",
    "united kingdom",
    "uk",
    "u.k.",
    "great britain",
    "england",
    "scotland",
    "wales",
    "northern ireland",
    "united states",
    "united states of america",
    "usa",
    "u.s.a.",
    "u.s.a",
    "us",
    "u.s.",
    "america",
    "uruguay",
    "uzbekistan",
    "venezuela",
    "vietnam",
    "viet nam",
    "yemen",
    "zambia",
    "zimbabwe",
];

/// US states and Canadian provinces, lower case (their two-letter codes are caught
/// by shape: two capitals).
const REGIONS: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "new hampshire",
    "new jersey",
    "new mexico",
    "new york",
    "north carolina",
    "north dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "rhode island",
    "south carolina",
    "south dakota",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "west virginia",
    "wisconsin",
    "wyoming",
    "district of columbia",
    "ontario",
    "quebec",
    "british columbia",
    "alberta",
    "manitoba",
    "saskatchewan",
    "nova scotia",
    "new brunswick",
    "newfoundland and labrador",
    "bavaria",
    "catalonia",
    "lombardy",
];

/// Where the work happens, in place of a city.
const WORK_MODES: &[&str] = &["remote", "hybrid", "on-site", "onsite", "worldwide"];

/// Chinese cities that resumes glue to a company name (`黑科技公司上海`).
const CJK_CITIES: &[&str] = &[
    "北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津", "重庆", "苏州",
    "香港", "台北", "厦门", "长沙",
];

/// Whether `s` is a country, a state or province (name or two-letter code), or a
/// work mode: what ends a location.
pub fn is_region_or_country(s: &str) -> bool {
    let t = s.trim();
    let lower = t.to_lowercase();
    (t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()))
        || COUNTRIES.contains(&lower.as_str())
        || REGIONS.contains(&lower.as_str())
        || WORK_MODES.contains(&lower.as_str())
}

/// A state, province or country that ends `s` after other words (`FLAG Inc.
/// California`): (the words before it, the place).
pub fn trailing_region(s: &str) -> Option<(&str, &str)> {
    let t = s.trim();
    let words = t.split_whitespace().count();
    for take in [3, 2, 1] {
        if words <= take {
            continue;
        }
        let cut = t
            .char_indices()
            .filter(|(_, c)| c.is_whitespace())
            .map(|(i, _)| i)
            .rev()
            .nth(take - 1)?;
        let (before, place) = (t[..cut].trim(), t[cut..].trim());
        let lower = place.to_lowercase();
        if COUNTRIES.contains(&lower.as_str()) || REGIONS.contains(&lower.as_str()) {
            return Some((before, place));
        }
    }
    None
}

/// A Chinese city glued to the end of a name: (the name, the city).
pub fn trailing_cjk_city(s: &str) -> Option<(&str, &str)> {
    let t = s.trim();
    CJK_CITIES.iter().find_map(|city| {
        let before = t.strip_suffix(city)?;
        (before.chars().count() >= 2 && before.chars().all(crate::contact::is_cjk))
            .then(|| (before, &t[before.len()..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_states_and_codes_end_locations() {
        for place in [
            "Denmark",
            "Nigeria",
            "CA",
            "California",
            "S.Korea",
            "Remote",
            "UK",
        ] {
            assert!(is_region_or_country(place), "{place}");
        }
        for not in ["Aarhus", "Software", "Inc.", "Ca"] {
            assert!(!is_region_or_country(not), "{not}");
        }
    }

    #[test]
    fn places_glued_to_names() {
        assert_eq!(
            trailing_region("FLAG Inc. California"),
            Some(("FLAG Inc.", "California"))
        );
        assert_eq!(
            trailing_region("Acme New Zealand"),
            Some(("Acme", "New Zealand"))
        );
        assert_eq!(trailing_region("California"), None);
        assert_eq!(trailing_region("Nordlys Software"), None);
        assert_eq!(
            trailing_cjk_city("黑科技公司上海"),
            Some(("黑科技公司", "上海"))
        );
        assert_eq!(trailing_cjk_city("上海"), None);
    }
}
