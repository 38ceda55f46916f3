//! Postgres access for Rehearse: the connection pool, TLS, and migrations.
//!
//! Production reaches Postgres through a transaction-mode pooler (RDS Proxy,
//! Supabase's pooler, PgBouncer), so everything built on this crate follows two
//! rules: parameterised queries go through `query_typed*` (an unnamed statement,
//! never a named prepared statement the pooler could route to another server
//! connection), and session state is only ever set transaction-locally.
//!
//! This crate knows nothing of HTTP or Lambda; `rehearse-http` maps [`DbError`]
//! to responses.

mod as_user;
mod config;
mod error;
pub mod history;
mod migrate;
mod pool;
pub mod practice;
pub mod profiles;
pub mod quotas;
pub mod reports;
pub mod resumes;
pub mod sessions;
pub mod statistics;
pub mod storage_deletions;
mod tls;

pub use as_user::{BECOME_USER_SQL, begin_as_user, begin_user_write};
pub use config::DbConfig;
pub use error::DbError;
pub use migrate::{MigrationReport, migrate, migrate_client};
pub use pool::{Db, Role, TransactionError};

/// Re-exported so callers name parameter types (`Type::UUID`) without their own dependency.
pub use tokio_postgres::types::Type;
pub use tokio_postgres::{Row, Transaction};
