//! Reading configuration from environment variables, once per cold start.
//!
//! Every function validates its whole configuration before serving its first
//! request, and a bad or missing variable fails the cold start with a message
//! naming the variable, instead of failing some later request.
//!
//! The functions here take a lookup closure rather than reading `std::env`
//! directly, so tests can feed a map without touching process state.

use std::str::FromStr;

use secrecy::SecretString;

/// A configuration variable that is missing or cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("environment variable {name} is required but not set")]
    Missing { name: &'static str },
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Where variables come from: the process environment in production, a map in tests.
pub trait Source {
    fn get(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Source for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl<F> Source for F
where
    F: Fn(&str) -> Option<String>,
{
    fn get(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// A variable's value, with blank values treated as unset (a `.env` line
/// `FOO=` means "not configured", not "configured as empty").
pub fn optional(env: &impl Source, name: &'static str) -> Option<String> {
    env.get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

pub fn required(env: &impl Source, name: &'static str) -> Result<String, ConfigError> {
    optional(env, name).ok_or(ConfigError::Missing { name })
}

pub fn optional_secret(env: &impl Source, name: &'static str) -> Option<SecretString> {
    optional(env, name).map(SecretString::from)
}

/// A variable parsed with `FromStr`, or `default` when unset.
pub fn parsed_or<T>(env: &impl Source, name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match optional(env, name) {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: format!("{raw:?}: {e}"),
        }),
    }
}

/// A boolean flag: `1/true/yes/on` or `0/false/no/off`, any case.
pub fn flag(env: &impl Source, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match optional(env, name).map(|v| v.to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) => match v.as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::Invalid {
                name,
                reason: format!("{v:?} is not a boolean (use true or false)"),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Source {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn blank_values_count_as_unset() {
        let e = env(&[("A", "  "), ("B", " x ")]);
        assert_eq!(optional(&e, "A"), None);
        assert_eq!(optional(&e, "B").as_deref(), Some("x"));
        assert_eq!(required(&e, "A"), Err(ConfigError::Missing { name: "A" }));
    }

    #[test]
    fn parse_errors_name_the_variable_and_value() {
        let e = env(&[("DATABASE_POOL_SIZE", "lots")]);
        let err = parsed_or::<u32>(&e, "DATABASE_POOL_SIZE", 2).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("DATABASE_POOL_SIZE"), "{text}");
        assert!(text.contains("lots"), "{text}");
        assert_eq!(parsed_or::<u32>(&env(&[]), "DATABASE_POOL_SIZE", 2), Ok(2));
    }

    #[test]
    fn flags_accept_common_spellings_only() {
        assert_eq!(flag(&env(&[("F", "TRUE")]), "F", false), Ok(true));
        assert_eq!(flag(&env(&[("F", "off")]), "F", true), Ok(false));
        assert_eq!(flag(&env(&[]), "F", true), Ok(true));
        assert!(flag(&env(&[("F", "maybe")]), "F", true).is_err());
    }
}
