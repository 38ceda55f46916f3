//! Identifiers, shared domain types and configuration parsing for Rehearse.
//!
//! This crate is the bottom of the dependency graph: it does no I/O and knows
//! nothing of Lambda, HTTP, Postgres connections or S3. Everything above it
//! (`rehearse-http`, `-db`, `-storage`, the functions) may depend on it.

pub mod config;
pub mod identity;
pub mod ids;
pub mod profile;
pub mod validation;

pub use config::ConfigError;
pub use identity::{AuthUser, MaybeUser};
pub use ids::{ResumeId, SessionId, UserId};
pub use validation::ValidationError;
