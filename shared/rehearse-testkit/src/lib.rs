//! Test support for Rehearse: real infrastructure, started by the tests themselves.
//!
//! The first test in a process that asks for it starts, once for the whole process:
//! a throwaway Postgres cluster (the system's binaries, run as an unprivileged user
//! when we are root, since `initdb` refuses root), PgBouncer in transaction mode in
//! front of it (so a query that is unsafe behind a production pooler fails here),
//! and an S3-compatible server (`s3s-fs`, SigV4-checking) in-process. The schema is
//! migrated once into a template database prepared the way Supabase prepares a
//! project's (and once into a plain one); each test then gets its own database
//! copied from it, and its own bucket.
//!
//! The servers die with the test process (parent-death signal), and leftovers of
//! crashed runs are removed at the next start. Nothing here is used outside tests
//! and local tooling.
//!
//! [`handlers`] holds what the functions' handler tests share: their state on
//! this stack, requests as a given caller, and calling a handler as `serve` does.

mod events;
pub mod handlers;
mod logs;
mod postgres;
mod private_pg;
mod process;
pub mod provider;
pub mod s3;
mod stack;
mod supabase;
pub mod tokens;

pub use events::{event, events_dir, from_address, status_and_json, workspace_root};
pub use logs::{CaptureWriter, LogCapture};
pub use private_pg::PrivatePostgres;
pub use stack::{TestDatabase, TestStack, Via, refused_endpoint, silent_endpoint};
