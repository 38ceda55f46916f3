//! Typed identifiers: a `UserId` can never be passed where a `SessionId` is expected.
//!
//! Each is a transparent newtype over a UUID: JSON sees a string, Postgres sees
//! `uuid` (through `postgres-types`), and parsing from a path segment or a token
//! claim goes through `FromStr`, never through a bare `Uuid`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A string that is not a UUID where an identifier was expected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{kind} must be a UUID")]
pub struct InvalidId {
    /// Which identifier was being parsed, for the client's error message.
    pub kind: &'static str,
}

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident, $label:literal) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            Serialize, Deserialize, postgres_types::ToSql, postgres_types::FromSql,
        )]
        #[serde(transparent)]
        #[postgres(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// What this identifier is called in error messages.
            pub const LABEL: &'static str = $label;

            /// A new random (v4) identifier.
            pub fn new_random() -> Self {
                Self(Uuid::new_v4())
            }

            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| InvalidId { kind: $label })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    };
}

uuid_id!(
    /// A user: the `sub` claim of a verified Supabase token, and `user_profiles.id`.
    UserId,
    "user_id"
);
uuid_id!(
    /// A resume row (`resumes.id`).
    ResumeId,
    "resume_id"
);
uuid_id!(
    /// An interview session (`interview_sessions.id`), also the live session's handle.
    SessionId,
    "session_id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_uuid_and_prints_it_hyphenated() {
        let id: SessionId = "6F9619FF-8B86-D011-B42D-00C04FC964FF".parse().unwrap();
        assert_eq!(id.to_string(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
    }

    #[test]
    fn rejects_non_uuids_naming_the_identifier() {
        let err = "../../etc/passwd".parse::<ResumeId>().unwrap_err();
        assert_eq!(err, InvalidId { kind: "resume_id" });
        assert_eq!(err.to_string(), "resume_id must be a UUID");
        assert!("".parse::<UserId>().is_err());
    }

    #[test]
    fn serializes_as_a_plain_string() {
        let id = UserId::new_random();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        let back: UserId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
    }
}
