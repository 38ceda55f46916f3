//! The stored dashboard document as the route serves it, without building a
//! `serde_json::Value` tree of it.
//!
//! Parsing the ~8 KB document into a `Value` (an allocation per string and a
//! B-tree per object) and serialising that again cost about as much as the
//! database read itself (`bench/dashboard.sh`). Only the resumes change on the
//! way out (each `storage_path` becomes a presigned `file_url`), so the top
//! level is read as members whose values stay unparsed JSON text
//! ([`RawValue`]: validated, copied once), the `resumes` array one level
//! deeper, and everything else is written back as the database sent it.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::{RawValue, to_raw_value};

/// The text is not a JSON object (or a resume in it is not one).
#[derive(Debug)]
pub(crate) struct Invalid;

type Members = BTreeMap<String, Box<RawValue>>;

/// The dashboard as the route serves it: the stored document's top-level
/// members, their values as the database wrote them, its resumes' keys
/// replaced by URLs.
#[derive(Debug)]
pub struct Dashboard {
    members: Members,
}

impl Dashboard {
    /// Read the top level of `text` (the values are checked, not built).
    pub(crate) fn parse(text: &str) -> Result<Self, Invalid> {
        let members = serde_json::from_str(text).map_err(|_| Invalid)?;
        Ok(Self { members })
    }

    /// The resumes, each with its `storage_path` taken out: `Some` when it is
    /// a string, `None` otherwise (absent, null, ...).
    pub(crate) fn take_resume_paths(&mut self) -> Result<Resumes, Invalid> {
        let Some(raw) = self.members.remove("resumes") else {
            return Ok(Resumes(None));
        };
        let items: Vec<Members> = serde_json::from_str(raw.get()).map_err(|_| Invalid)?;
        Ok(Resumes(Some(
            items
                .into_iter()
                .map(|mut fields| {
                    let path = fields
                        .remove("storage_path")
                        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
                    (fields, path)
                })
                .collect(),
        )))
    }

    /// Put the resumes back (if the document had them), each with `file_url`
    /// set to the matching entry of `urls` (`null` for a `None` or when `urls`
    /// runs out).
    pub(crate) fn set_resumes(
        &mut self,
        resumes: Resumes,
        urls: Vec<Option<String>>,
    ) -> Result<(), Invalid> {
        let Some(resumes) = resumes.0 else {
            return Ok(());
        };
        let mut urls = urls.into_iter();
        let items: Vec<Members> = resumes
            .into_iter()
            .map(|(mut fields, _)| {
                let url = urls.next().flatten().map_or(Value::Null, Value::String);
                fields.insert(
                    "file_url".to_owned(),
                    to_raw_value(&url).map_err(|_| Invalid)?,
                );
                Ok(fields)
            })
            .collect::<Result<_, Invalid>>()?;
        let raw = to_raw_value(&items).map_err(|_| Invalid)?;
        self.members.insert("resumes".to_owned(), raw);
        Ok(())
    }

    /// Set a top-level member (replacing one of that name).
    pub fn insert(&mut self, key: &str, value: &Value) {
        // Serialising a `Value` to text cannot fail (its keys are strings).
        if let Ok(raw) = to_raw_value(value) {
            self.members.insert(key.to_owned(), raw);
        }
    }

    /// A top-level member as a `Value` (tests and the benchmark's checks).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.members
            .get(key)
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }
}

impl Serialize for Dashboard {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.members.serialize(serializer)
    }
}

/// The document's resumes (other fields unparsed) and their storage paths;
/// `None` when the document has no `resumes` member.
pub(crate) struct Resumes(Option<Vec<(Members, Option<String>)>>);

impl Resumes {
    pub(crate) fn paths(&self) -> impl Iterator<Item = Option<&str>> {
        self.0.iter().flatten().map(|(_, path)| path.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> Value {
        let mut board = Dashboard::parse(text).expect("parses");
        let resumes = board.take_resume_paths().expect("resumes parse");
        let urls = resumes
            .paths()
            .map(|p| p.map(|p| format!("https://bucket/{p}?sig")))
            .collect();
        board.set_resumes(resumes, urls).expect("sets");
        board.insert("success", &Value::Bool(true));
        serde_json::to_value(&board).expect("serialises")
    }

    #[test]
    fn resumes_get_urls_in_place_of_keys_and_the_rest_is_untouched() {
        let text = r#"{"statistics" : {"average_score" : 7.50, "total" : 3},
            "recent_sessions" : [{"id" : "s1", "title" : "Caf\u00e9 \"x\""}],
            "resumes" : [{"id" : "r1", "storage_path" : "u/1_cv.pdf", "name" : "Łukasz"},
                         {"id" : "r2", "storage_path" : null}]}"#;
        let out = render(text);
        let expected: Value = serde_json::from_str(text).unwrap();
        assert_eq!(out["statistics"], expected["statistics"]);
        assert_eq!(out["recent_sessions"], expected["recent_sessions"]);
        assert_eq!(out["success"], Value::Bool(true));
        let resumes = out["resumes"].as_array().unwrap();
        assert_eq!(resumes[0]["file_url"], "https://bucket/u/1_cv.pdf?sig");
        assert_eq!(resumes[0]["name"], "Łukasz");
        assert!(resumes[0].get("storage_path").is_none());
        assert_eq!(resumes[1]["file_url"], Value::Null);
        assert!(resumes[1].get("storage_path").is_none());
    }

    #[test]
    fn a_document_without_resumes_renders_without_them() {
        let out = render(r#"{"statistics" : null}"#);
        assert_eq!(
            out,
            serde_json::json!({"statistics": null, "success": true})
        );
    }

    #[test]
    fn what_is_not_an_object_of_json_is_refused() {
        for text in ["", "[]", "{\"a\": }", "{\"a\": \"\u{1}\"}", "{\"a\": 1} x"] {
            assert!(Dashboard::parse(text).is_err(), "{text:?}");
        }
        let mut board = Dashboard::parse(r#"{"resumes": [1, 2]}"#).unwrap();
        assert!(board.take_resume_paths().is_err());
    }
}
