//! The dashboard response as the database keeps it, with the presigned URLs
//! spliced in: no JSON is parsed or built on the way out.
//!
//! `user_dashboards.served` (migration V7) is the response body already
//! written, `{"success": true, "resumes": [...], ...}`, each resume's
//! `"file_url": ` followed by its storage key between two U+0001 marks (or by
//! `null`). U+0001 cannot occur anywhere else: Postgres escapes control
//! characters inside JSON strings, and the migration leaves out a key holding
//! one. So the text splits on the mark into literal JSON and keys, alternately,
//! and each key is replaced by its URL as a JSON string. Parsing the ~8 KB
//! document and writing it again (as until V6) cost about as much as the
//! database's whole share of the request above `SELECT 1` (`bench/dashboard.sh`).

/// Where a storage key starts and ends in the served text.
const KEY_MARK: char = '\u{1}';

/// The served text is not what migration V7 writes (an odd number of marks,
/// or not an object).
#[derive(Debug)]
pub(crate) struct Invalid;

/// The served text, split: literal JSON at even positions, storage keys at odd.
#[derive(Debug)]
pub(crate) struct Served<'a> {
    pieces: Vec<&'a str>,
}

impl<'a> Served<'a> {
    pub(crate) fn split(text: &'a str) -> Result<Self, Invalid> {
        let pieces: Vec<&str> = text.split(KEY_MARK).collect();
        let object = text.starts_with('{') && text.ends_with('}');
        if !object || pieces.len().is_multiple_of(2) {
            return Err(Invalid);
        }
        Ok(Self { pieces })
    }

    /// The resumes' storage keys, in the order their URLs go in.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.pieces.iter().skip(1).step_by(2).copied()
    }

    /// The response body: every key replaced by the matching URL of `urls` as
    /// a JSON string (`null` once `urls` runs out).
    pub(crate) fn with_urls(&self, urls: &[String]) -> String {
        let literal: usize = self.pieces.iter().step_by(2).map(|p| p.len()).sum();
        let signed: usize = urls.iter().map(|u| u.len() + 2).sum();
        let mut out = String::with_capacity(literal + signed);
        let mut urls = urls.iter();
        for (i, piece) in self.pieces.iter().enumerate() {
            if i % 2 == 0 {
                out.push_str(piece);
            } else {
                // A `str` always serialises; `null` would only mean a bug here.
                match urls.next().and_then(|url| serde_json::to_string(url).ok()) {
                    Some(url) => out.push_str(&url),
                    None => out.push_str("null"),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn render(text: &str) -> Value {
        let served = Served::split(text).expect("splits");
        let urls: Vec<String> = served
            .keys()
            .map(|k| format!("https://bucket/{k}?sig"))
            .collect();
        serde_json::from_str(&served.with_urls(&urls)).expect("the body is JSON")
    }

    #[test]
    fn keys_become_urls_and_the_rest_is_untouched() {
        let text = "{\"success\": true, \"resumes\": [{\"id\": \"r1\", \"name\": \"Łukasz \\u0001\", \
                    \"file_url\": \u{1}u/1_cv.pdf\u{1}}, {\"id\": \"r2\", \"file_url\": null}], \
                    \"statistics\": {\"average_score\": 7.50}}";
        let out = render(text);
        assert_eq!(out["success"], true);
        assert_eq!(out["statistics"]["average_score"], 7.5);
        let resumes = out["resumes"].as_array().unwrap();
        assert_eq!(resumes[0]["file_url"], "https://bucket/u/1_cv.pdf?sig");
        assert_eq!(resumes[0]["name"], "Łukasz \u{1}");
        assert_eq!(resumes[1]["file_url"], Value::Null);
    }

    #[test]
    fn a_document_without_resumes_is_served_as_it_is() {
        let text = "{\"success\": true, \"statistics\": null}";
        assert_eq!(Served::split(text).unwrap().with_urls(&[]), text);
    }

    #[test]
    fn urls_are_written_as_json_strings() {
        let served = Served::split("{\"file_url\": \u{1}k\u{1}}").unwrap();
        let out = served.with_urls(&["a\"b\\c\u{2}".to_owned()]);
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["file_url"], "a\"b\\c\u{2}");
        assert_eq!(served.with_urls(&[]), "{\"file_url\": null}");
    }

    #[test]
    fn what_migration_v7_does_not_write_is_refused() {
        for text in ["", "[]", "{\"a\": \u{1}k}", "{\"a\": 1} x", "\u{1}{}"] {
            assert!(Served::split(text).is_err(), "{text:?}");
        }
    }
}
