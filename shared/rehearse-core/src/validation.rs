/// A request value that is well-formed JSON but not acceptable (answered 422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// For optional fields where "absent" (keep) and `null` (clear) differ:
/// `#[serde(default, deserialize_with = "rehearse_core::validation::present")]`
/// on an `Option<Option<T>>` gives `None` when absent, `Some(None)` for `null`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
