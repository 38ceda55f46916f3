//! Optional model providers behind OpenAI-compatible HTTP APIs (Groq, OpenAI,
//! Ollama, vLLM...): a chat model that judges answers and improves the built-in
//! interview engine's wording, and a speech-to-text model for spoken answers.
//!
//! The engine (`rehearse-interview`) stays pure and is always the fallback:
//! [`Llm`] takes the engine's output and returns the model's validated version
//! of it (with a model configured, the model is the judge of every answer's
//! score), or the engine's own output unchanged whenever the model is not
//! configured, slow, failing or says anything that does not validate. A model
//! problem is a logged warning, never a failed request. This crate knows
//! nothing of Lambda or Postgres.

mod assist;
mod chat;
mod config;
mod judge;
pub mod stt;

pub use assist::Llm;
pub use chat::LlmError;
pub use config::{GROQ_BASE_URL, LlmConfig, SttConfig};
pub use stt::{AudioFormat, Stt, SttError, Transcript};
