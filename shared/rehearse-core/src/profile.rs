//! A user's profile: what a client may change, validated.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::UserId;
use crate::validation::{ValidationError, present};

/// A stored profile, as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub id: UserId,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub experience_level: Option<String>,
    pub avatar_url: Option<String>,
    /// `None` for a user who has never written anything (nothing stored yet).
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// The body of `POST /api/db/profile`. A field left out is kept as it is; `null`
/// or an empty string clears it. Anything else in the body (a `user_id`, say) is
/// ignored: identity comes from the token.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileUpdateRequest {
    #[serde(default, deserialize_with = "present")]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub experience_level: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub avatar_url: Option<Option<String>>,
}

/// One field's change: `None` keeps it, `Some(None)` clears it, `Some(Some(v))` sets it.
pub type Change = Option<Option<String>>;

/// Validated profile changes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ProfileChanges {
    pub full_name: Change,
    pub email: Change,
    pub phone: Change,
    pub experience_level: Change,
    pub avatar_url: Change,
}

impl TryFrom<ProfileUpdateRequest> for ProfileChanges {
    type Error = ValidationError;

    fn try_from(req: ProfileUpdateRequest) -> Result<Self, Self::Error> {
        Ok(Self {
            full_name: field(req.full_name, "full_name", 200, |_| Ok(()))?,
            email: field(req.email, "email", 320, check_email)?,
            phone: field(req.phone, "phone", 40, check_phone)?,
            experience_level: field(req.experience_level, "experience_level", 40, |_| Ok(()))?,
            avatar_url: field(req.avatar_url, "avatar_url", 2048, check_url)?,
        })
    }
}

fn field(
    change: Change,
    name: &'static str,
    max_chars: usize,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Change, ValidationError> {
    let Some(value) = change else { return Ok(None) };
    let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(Some(None));
    };
    if value.chars().count() > max_chars {
        return Err(ValidationError::new(
            name,
            format!("must be at most {max_chars} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new(
            name,
            "must not contain control characters",
        ));
    }
    check(&value).map_err(|m| ValidationError::new(name, m))?;
    Ok(Some(Some(value)))
}

fn check_email(v: &str) -> Result<(), String> {
    let ok = v.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !v.contains(char::is_whitespace)
        && v.matches('@').count() == 1;
    if ok {
        Ok(())
    } else {
        Err("is not an email address".into())
    }
}

fn check_phone(v: &str) -> Result<(), String> {
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if allowed && (5..=20).contains(&digits) {
        Ok(())
    } else {
        Err("is not a phone number".into())
    }
}

fn check_url(v: &str) -> Result<(), String> {
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => Ok(()),
        _ => Err("must be an http(s) URL".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<ProfileChanges, ValidationError> {
        ProfileChanges::try_from(serde_json::from_str::<ProfileUpdateRequest>(json).unwrap())
    }

    #[test]
    fn absent_keeps_null_and_empty_clear_values_set() {
        let c =
            parse(r#"{"full_name": "  Ada  ", "phone": null, "email": "", "user_id": "ignored"}"#)
                .unwrap();
        assert_eq!(c.full_name, Some(Some("Ada".into())));
        assert_eq!(c.phone, Some(None));
        assert_eq!(c.email, Some(None));
        assert_eq!(c.avatar_url, None);
        assert_eq!(c.experience_level, None);
    }

    #[test]
    fn phone_and_level_are_accepted() {
        let c = parse(r#"{"phone": "+44 (20) 7946-0958", "experience_level": "senior"}"#).unwrap();
        assert_eq!(c.phone, Some(Some("+44 (20) 7946-0958".into())));
        assert_eq!(c.experience_level, Some(Some("senior".into())));
    }

    #[test]
    fn bad_values_name_their_field() {
        for (json, field) in [
            (r#"{"email": "not-an-email"}"#, "email"),
            (r#"{"email": "a@b@c.com"}"#, "email"),
            (r#"{"phone": "call me"}"#, "phone"),
            (r#"{"avatar_url": "javascript:alert(1)"}"#, "avatar_url"),
            (r#"{"avatar_url": "ftp://x.example/a.png"}"#, "avatar_url"),
            (r#"{"full_name": "a\u0000b"}"#, "full_name"),
        ] {
            assert_eq!(parse(json).unwrap_err().field, field, "{json}");
        }
        let long = format!(r#"{{"full_name": "{}"}}"#, "x".repeat(201));
        assert_eq!(parse(&long).unwrap_err().field, "full_name");
    }
}
