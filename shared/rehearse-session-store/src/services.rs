//! What the session functions hold: the backend and the optional chat model.

use std::ops::Deref;

use rehearse_core::config::Source;
use rehearse_http::Backend;
use rehearse_llm::Llm;

/// The backend (pool, token verifier) and the optional chat model, built once
/// per cold start.
#[derive(Debug)]
pub struct SessionServices {
    pub backend: Backend,
    pub llm: Llm,
}

impl SessionServices {
    /// The backend's variables, and `LLM_*` (all optional; see `rehearse-llm`).
    pub fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        Ok(Self {
            backend: Backend::from_env(env)?,
            llm: Llm::from_env(env)?,
        })
    }
}

/// Without a model: the built-in engine alone.
impl From<Backend> for SessionServices {
    fn from(backend: Backend) -> Self {
        Self {
            backend,
            llm: Llm::disabled(),
        }
    }
}

/// Handlers and their tests reach the pool and the verifier as `state.db` and
/// `state.auth`, as in every other function.
impl Deref for SessionServices {
    type Target = Backend;

    fn deref(&self) -> &Backend {
        &self.backend
    }
}
