//! Parsing untrusted PDFs without risking the function instance.
//!
//! A hostile or merely unlucky PDF can make a parser allocate without bound or
//! recurse until the stack overflows. Both abort the whole process (an allocation
//! failure calls `handle_alloc_error`, a stack overflow hits the guard page), and
//! `catch_unwind` stops neither. So the parse runs in a child process: the same
//! executable (Lambda ships one binary per function), started with
//! [`WORKER_ENV`] set, under `setrlimit` limits on address space, CPU time, file
//! size and core dumps, and killed by the parent after a wall-clock timeout. Whatever
//! happens to the child, the parent reads at most a bounded answer and keeps serving.
//!
//! Protocol: the parent writes the PDF to the child's stdin and closes it; the
//! child answers with one line on stdout, [`FRAME_TAG`] followed by JSON
//! (`{"ok": <Resume>}` or `{"err": {"code", "message"}}`), and exits 0. A crash, a
//! signal, a timeout, a missing or garbled answer all become
//! [`PdfError::Unreadable`] (`pdf_unreadable`): the file is what made the parser
//! fail. Only a failure to start the worker at all is our own ([`IsolateError::Worker`]).
//!
//! Use: the function's `main` is [`run_worker_or_block_on`] (which calls
//! [`run_worker_if_requested`] before building the tokio runtime); handlers call
//! [`Isolator::parse`].
//! Depends on the parser (`rehearse-resume`) and on nothing of HTTP, Postgres or S3.

mod config;
mod parent;
mod wire;
mod worker;

pub use config::IsolateConfig;
pub use parent::{IsolateError, Isolator, WorkerCommand};
pub use rehearse_resume::{Limits, PdfError, Resume};
pub use wire::FRAME_TAG;
pub use worker::{run_worker_if_requested, run_worker_if_requested_with, run_worker_or_block_on};

/// Set (by the parent, to the worker's settings as JSON) only in the child
/// process, which then parses stdin and exits instead of serving.
pub const WORKER_ENV: &str = "REHEARSE_ISOLATE_WORKER";
