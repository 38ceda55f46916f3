//! Running a signed-in request's queries as that user, under row-level security.

use deadpool_postgres::{Object, Transaction};
use rehearse_core::AuthUser;
use tokio_postgres::types::Type;

use crate::{DbError, profiles};

/// Switches the current transaction to the verified user (claims as `$1`, text):
/// `request.jwt.claims` and role `rehearse_user`, both transaction-local. One
/// statement, one round trip; used by [`begin_as_user`] and by whatever must
/// become the user mid-transaction (claiming a session) or outside a pool (the
/// benchmark's plan pass).
pub const BECOME_USER_SQL: &str =
    "SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'rehearse_user', true)";

/// Begin the transaction every query of a signed-in request runs in: it first sets
/// the verified claims as `request.jwt.claims` and switches to role `rehearse_user`,
/// both transaction-local (`set_config(..., true)` = `SET LOCAL`), the way
/// Supabase's PostgREST does with its own role. `rehearse_user` is ours: Supabase's
/// `authenticator` cannot switch to it, so the Data API never writes with the
/// rights the functions have (migration V5). The schema's policies then confine every statement to
/// the caller's rows even where a query forgets its own `user_id` filter, and
/// nothing outlives the transaction, so a transaction-mode pooler may hand the
/// connection to anyone next.
pub async fn begin_as_user<'a>(
    client: &'a mut Object,
    user: &AuthUser,
) -> Result<Transaction<'a>, DbError> {
    let tx = client.transaction().await?;
    tx.query_typed(BECOME_USER_SQL, &[(&&*user.claims, Type::TEXT)])
        .await?;
    Ok(tx)
}

/// [`begin_as_user`] for a request that writes: also creates the user's profile
/// row on their first write anywhere (everything they own hangs off it).
pub async fn begin_user_write<'a>(
    client: &'a mut Object,
    user: &AuthUser,
) -> Result<Transaction<'a>, DbError> {
    let tx = begin_as_user(client, user).await?;
    profiles::ensure(&tx, user).await?;
    Ok(tx)
}
