use jsonwebtoken::errors::ErrorKind;

/// Why a request's credentials were not accepted. Every variant but the last two
/// is the client's doing (401); the client is told which, so it knows whether to
/// refresh its token or sign in again.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("sign-in required: send an Authorization: Bearer <access token> header")]
    Missing,
    #[error("the Authorization header must use the Bearer scheme")]
    WrongScheme,
    #[error("the Authorization header has an empty bearer token")]
    EmptyToken,
    #[error("the access token is malformed")]
    Malformed,
    #[error("the access token uses an unsupported algorithm")]
    UnsupportedAlgorithm,
    #[error("the access token's algorithm does not match its key")]
    AlgorithmMismatch,
    #[error("the access token is signed with an unknown key")]
    UnknownKey,
    #[error("the access token's signature is invalid")]
    BadSignature,
    #[error("the access token has expired; refresh it and retry")]
    Expired,
    #[error("the access token is not valid yet")]
    NotYetValid,
    #[error("the access token is not meant for this API (audience)")]
    WrongAudience,
    #[error("the access token was issued by another project (issuer)")]
    WrongIssuer,
    #[error("the access token lacks a required claim: {0}")]
    MissingClaim(String),
    #[error("only signed-in users may call this API (token role {})", .0.as_deref().unwrap_or("missing"))]
    WrongRole(Option<String>),
    #[error("the access token's subject is not a user id")]
    InvalidSubject,
    /// No key is configured at all: a deployment error, not the client's.
    #[error("token verification is not configured")]
    NotConfigured,
    /// The JWKS could not be fetched: worth retrying.
    #[error("the signing keys could not be fetched")]
    KeysUnavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AuthError {
    /// The stable `error.code` clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "auth_required",
            Self::WrongScheme | Self::EmptyToken => "invalid_authorization_header",
            Self::Malformed
            | Self::UnsupportedAlgorithm
            | Self::AlgorithmMismatch
            | Self::BadSignature => "token_invalid",
            Self::UnknownKey => "token_unknown_key",
            Self::Expired => "token_expired",
            Self::NotYetValid => "token_not_yet_valid",
            Self::WrongAudience => "token_wrong_audience",
            Self::WrongIssuer => "token_wrong_issuer",
            Self::MissingClaim(_) => "token_missing_claim",
            Self::WrongRole(_) => "token_wrong_role",
            Self::InvalidSubject => "token_invalid_subject",
            Self::NotConfigured | Self::KeysUnavailable(_) => "auth_unavailable",
        }
    }

    /// True when the server, not the client, is at fault (answer 503, not 401).
    pub fn is_server_side(&self) -> bool {
        matches!(self, Self::NotConfigured | Self::KeysUnavailable(_))
    }

    pub(crate) fn from_jwt(e: jsonwebtoken::errors::Error) -> Self {
        match e.kind() {
            ErrorKind::ExpiredSignature => Self::Expired,
            ErrorKind::ImmatureSignature => Self::NotYetValid,
            ErrorKind::InvalidAudience => Self::WrongAudience,
            ErrorKind::InvalidIssuer => Self::WrongIssuer,
            ErrorKind::InvalidSignature => Self::BadSignature,
            ErrorKind::InvalidAlgorithm => Self::AlgorithmMismatch,
            ErrorKind::MissingRequiredClaim(c) => match c.as_str() {
                "aud" => Self::WrongAudience,
                "iss" => Self::WrongIssuer,
                "sub" => Self::InvalidSubject,
                other => Self::MissingClaim(other.to_owned()),
            },
            ErrorKind::InvalidClaimFormat(c) => Self::MissingClaim(c.clone()),
            _ => Self::Malformed,
        }
    }
}
