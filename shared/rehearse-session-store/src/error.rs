//! What can go wrong with a session, in the session's terms, and the one place
//! where that becomes an HTTP status and error code ([`ApiError`]).

use rehearse_auth::AuthError;
use rehearse_core::ValidationError;
use rehearse_core::ids::InvalidId;
use rehearse_db::DbError;
use rehearse_http::ApiError;

use crate::requests::MAX_IDEMPOTENCY_KEY_CHARS;

/// A request body or header the session routes cannot take (see [`crate::requests`]).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    BadId(#[from] InvalidId),
    #[error(
        "{field} is empty: to move on without answering, skip the question \
         (POST /api/session/skip)"
    )]
    EmptyAnswer { field: &'static str },
    #[error("{field} is {chars} characters long; answers may be at most {max}")]
    AnswerTooLong {
        field: &'static str,
        chars: usize,
        max: usize,
    },
    #[error(
        "the Idempotency-Key header must be one value of 1 to \
         {MAX_IDEMPOTENCY_KEY_CHARS} visible ASCII characters (no spaces)"
    )]
    BadIdempotencyKey,
}

/// Why a session operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Request(#[from] RequestError),
    /// No such session, or not one the caller may reach (no existence oracle).
    #[error("session not found")]
    NotFound,
    /// The resume a session was to be planned from is missing or not the caller's.
    #[error("resume not found")]
    ResumeNotFound,
    /// The session (or resume) belongs to a user and no token was sent.
    #[error("sign in to reach this")]
    SignInRequired,
    #[error(
        "this interview is finished: no more answers or skips are accepted; \
         fetch its summary instead"
    )]
    Finished,
    #[error(
        "this Idempotency-Key was already sent with a different answer or skip in this \
         session; send a new key with a new submission"
    )]
    KeyReused,
    #[error(
        "question {0} was already answered or skipped differently; \
         fetch the session to see where it stands"
    )]
    AlreadyAnswered(usize),
    #[error("question {named} has not been asked yet; the current question is {current}")]
    NotCurrentQuestion { named: usize, current: usize },
    #[error("question_id / question_number does not name a question of this session")]
    UnknownQuestion,
    #[error(transparent)]
    Database(#[from] DbError),
    /// Something stored or computed broke a rule it cannot break (our fault).
    #[error("{0}")]
    Invariant(String),
}

impl SessionError {
    pub(crate) fn invariant(e: impl std::fmt::Display) -> Self {
        Self::Invariant(e.to_string())
    }
}

/// A transaction whose work fails with a `SessionError` is retried like one
/// failing with the `DbError` inside it (see [`rehearse_db::Db::transaction`]).
impl rehearse_db::TransactionError for SessionError {
    fn connection_broke(&self) -> bool {
        matches!(self, Self::Database(e) if e.connection_broke())
    }
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Invalid(e) => e.into(),
            RequestError::BadId(e) => e.into(),
            RequestError::EmptyAnswer { .. } => Self::unprocessable("empty_answer", e.to_string()),
            RequestError::AnswerTooLong { .. } => {
                Self::unprocessable("answer_too_long", e.to_string())
            }
            RequestError::BadIdempotencyKey => {
                Self::bad_request("invalid_idempotency_key", e.to_string())
            }
        }
    }
}

impl From<SessionError> for ApiError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Request(e) => e.into(),
            SessionError::NotFound => Self::NotFound { what: "session" },
            SessionError::ResumeNotFound => Self::NotFound { what: "resume" },
            SessionError::SignInRequired => AuthError::Missing.into(),
            SessionError::Finished => Self::conflict("session_completed", e.to_string()),
            SessionError::KeyReused => Self::unprocessable("idempotency_key_reused", e.to_string()),
            SessionError::AlreadyAnswered(_) => {
                Self::conflict("question_already_answered", e.to_string())
            }
            SessionError::NotCurrentQuestion { .. } => {
                Self::conflict("not_current_question", e.to_string())
            }
            SessionError::UnknownQuestion => Self::unprocessable("unknown_question", e.to_string()),
            SessionError::Database(e) => e.into(),
            SessionError::Invariant(message) => Self::internal(message),
        }
    }
}
