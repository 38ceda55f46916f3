//! Who is calling: the verified identity a signed-in request carries.

use std::sync::Arc;

use crate::UserId;

/// A caller whose access token was verified (signature, expiry, audience, issuer,
/// role). Built only by `rehearse-auth`; handlers receive it, never construct it
/// from request data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: UserId,
    /// The token's `email`, used to fill in a new profile.
    pub email: Option<String>,
    /// The token's `user_metadata.full_name` (or `name`), used to fill in a new profile.
    pub full_name: Option<String>,
    /// The verified claims as JSON, set as `request.jwt.claims` for row-level security.
    pub claims: Arc<str>,
}

/// An optional-auth route's caller: `None` is anonymous (no Authorization header at all).
pub type MaybeUser = Option<AuthUser>;
