//! Interview sessions across the engine (`rehearse-interview`) and the database.
//!
//! - Creation ([`create`]): questions planned from the resume and the job context,
//!   stored with the engine state and position before the response, anonymous
//!   sessions included (owner NULL, reachable by their unguessable id alone).
//! - Answers and skips ([`answer`], [`skip`]): each stored the moment it is made,
//!   with the new position, in one transaction whose compare-and-set on the
//!   position makes a concurrent submission land once. A retry (the same move
//!   naming a question already answered, an `Idempotency-Key` seen before in the
//!   session, or an identical request within [`DEFAULT_REPLAY_WINDOW`] of the
//!   move it repeats) gets the stored result; anything else answers the current
//!   question, so the same text twice in a row is two answers (docs/answers.md).
//! - The summary ([`finalize`]): status, results and the owner's statistics
//!   change in one transaction, once, under a row lock; a signed-in caller claims
//!   an anonymous session in that same transaction.
//! - Who may reach a session ([`locate`]): its owner (as them, under row-level
//!   security), or anyone holding an anonymous session's id (through the service
//!   connection, filtered to anonymous rows).
//!
//! Its operations fail with a [`SessionError`], in the session's terms; the
//! handlers turn it into an HTTP answer with `?` (the one mapping is in
//! [`error`]). It knows nothing of Lambda beyond the request shapes in
//! [`requests`].
//!
//! Modules by job: [`requests`] (what clients send), `create`, `locate`, `turn`
//! (answering and skipping) with `retry` (telling a retry from a new move),
//! `finalize` with `report` (the summary), `scoring`, and `engine` (the
//! engine's session to and from its row).
//!
//! With a chat model configured ([`Llm`]), creation stores the model's wording of
//! the planned questions (so every instance and every replay shows the same
//! text), and an answer's feedback and interviewer reply are the model's, stored
//! with the answer; the engine's output is used whenever the model's is not.

mod create;
mod engine;
pub mod error;
mod finalize;
mod locate;
pub mod practice;
mod report;
pub mod requests;
mod retry;
mod scoring;
mod services;
pub mod testing;
mod turn;
pub mod view;

pub use create::{Created, create, plan_questions};
pub use engine::new_seed;
pub use error::{RequestError, SessionError};
pub use finalize::{Finalized, finalize};
pub use locate::{Located, SessionState, locate, state};
pub use rehearse_db::sessions::SessionMode;
pub use rehearse_llm::Llm;
pub use retry::{DEFAULT_REPLAY_WINDOW, Move, Retry, TurnOutcome};
pub use scoring::evaluate_one;
pub use services::SessionServices;
pub use turn::{answer, skip};

/// Loads the scorer's embedding model and tables: the functions that score
/// answers call it at cold start, so no request pays for it, and so a missing
/// or mismatched model stops the start instead of degrading every score.
pub fn warm_up_scoring() -> Result<(), rehearse_interview::ModelError> {
    rehearse_interview::warm_up().inspect_err(log_model_error)
}

/// Opens the embedding model without warming the scorer: for the functions
/// that embed on some of their paths only (session-skip).
pub fn open_model() -> Result<(), rehearse_interview::ModelError> {
    rehearse_interview::open_model().inspect_err(log_model_error)
}

fn log_model_error(e: &rehearse_interview::ModelError) {
    tracing::error!(error = %e, "the embedding model did not load; not starting");
}
