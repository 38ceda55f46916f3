use lambda_http::Request;
use lambda_http::http::header::AUTHORIZATION;
use rehearse_auth::{AuthError, Verifier};
use rehearse_core::{AuthUser, MaybeUser};

use crate::ApiError;

/// The caller of an optional-auth route: anonymous without an Authorization
/// header, signed in with a valid one. A header that is present but invalid is a
/// 401, never a silent downgrade to anonymous: a client whose token expired must
/// learn to refresh instead of quietly losing what it meant to save.
pub async fn maybe_user(verifier: &Verifier, req: &Request) -> Result<MaybeUser, ApiError> {
    let mut values = req.headers().get_all(AUTHORIZATION).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(AuthError::Malformed.into());
    }
    let header = match first {
        None => None,
        Some(v) => Some(v.to_str().map_err(|_| AuthError::Malformed)?),
    };
    let user = verifier.authenticate(header).await?;
    if let Some(u) = &user {
        tracing::Span::current().record("user_id", tracing::field::display(u.id));
    }
    Ok(user)
}

/// The caller of a signed-in route: 401 without a valid token.
pub async fn require_user(verifier: &Verifier, req: &Request) -> Result<AuthUser, ApiError> {
    maybe_user(verifier, req)
        .await?
        .ok_or_else(|| AuthError::Missing.into())
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        if e.is_server_side() {
            return ApiError::Unavailable {
                code: e.code(),
                message: "sign-in is temporarily unavailable, please retry shortly".into(),
                source: Some(Box::new(e)),
            };
        }
        ApiError::Unauthorized {
            code: e.code(),
            message: e.to_string(),
            invalid_token: !matches!(e, AuthError::Missing),
        }
    }
}
