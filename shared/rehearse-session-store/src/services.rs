//! What the session functions hold: the backend, the optional chat model and
//! the rules that tell a retried answer or skip from a new one.

use std::time::Duration;

use rehearse_core::config::Source;
use rehearse_http::{Backend, Quotas};
use rehearse_llm::Llm;

use crate::requests::IdempotencyKey;
use crate::retry::{DEFAULT_REPLAY_WINDOW, Retry};

/// The backend (pool, token verifier), the optional chat model and the replay
/// window, built once per cold start.
#[derive(Debug)]
pub struct SessionServices {
    pub backend: Backend,
    pub llm: Llm,
    /// How long an identical answer or skip that names no question and carries
    /// no `Idempotency-Key` is taken for a retry ([`DEFAULT_REPLAY_WINDOW`];
    /// tests set it to zero to see what a later repeat does without waiting).
    pub replay_window: Duration,
    /// The budgets of the routes that create sessions or plan questions
    /// (`RATE_LIMIT_*`; see `rehearse_http::Quotas`).
    pub quotas: Quotas,
}

impl SessionServices {
    /// The backend's variables, and `LLM_*` (all optional; see `rehearse-llm`).
    pub fn from_env(env: &impl Source) -> Result<Self, lambda_http::Error> {
        Ok(Self {
            backend: Backend::from_env(env)?,
            llm: Llm::from_env(env)?,
            replay_window: DEFAULT_REPLAY_WINDOW,
            quotas: Quotas::from_env(env)?,
        })
    }

    /// The retry rules for a request that carried `key`.
    pub fn retry(&self, key: Option<IdempotencyKey>) -> Retry {
        Retry {
            key,
            window: self.replay_window,
        }
    }
}

/// Without a model: the built-in engine alone, and the default budgets.
impl From<Backend> for SessionServices {
    fn from(backend: Backend) -> Self {
        Self {
            backend,
            llm: Llm::disabled(),
            replay_window: DEFAULT_REPLAY_WINDOW,
            quotas: Quotas::default(),
        }
    }
}
