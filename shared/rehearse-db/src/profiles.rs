//! `user_profiles`: one row per user, keyed by the token's `sub`.

use rehearse_core::profile::{Change, Profile, ProfileChanges};
use rehearse_core::{AuthUser, UserId};
use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use crate::DbError;

const COLUMNS: &str =
    "id, full_name, email, phone, experience_level, avatar_url, created_at, updated_at";

fn from_row(row: &Row) -> Result<Profile, DbError> {
    Ok(Profile {
        id: row.try_get("id")?,
        full_name: row.try_get("full_name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        experience_level: row.try_get("experience_level")?,
        avatar_url: row.try_get("avatar_url")?,
        created_at: Some(row.try_get("created_at")?),
        updated_at: Some(row.try_get("updated_at")?),
    })
}

/// The caller's profile, if they have one.
pub async fn get(tx: &Transaction<'_>, user: UserId) -> Result<Option<Profile>, DbError> {
    let row = tx
        .query_typed_opt(
            &format!("SELECT {COLUMNS} FROM user_profiles WHERE id = $1"),
            &[(&user, Type::UUID)],
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Create the user's profile from their token, or fill in what it lacks (email,
/// name) from the token. Never overwrites what the user set themselves, and does
/// not touch the row (or its `updated_at`) when there is nothing to fill.
pub async fn ensure(tx: &Transaction<'_>, user: &AuthUser) -> Result<(), DbError> {
    tx.execute_typed(
        "INSERT INTO user_profiles AS p (id, email, full_name) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE
            SET email = coalesce(p.email, excluded.email),
                full_name = coalesce(p.full_name, excluded.full_name)
          WHERE (p.email IS NULL AND excluded.email IS NOT NULL)
             OR (p.full_name IS NULL AND excluded.full_name IS NOT NULL)",
        &[
            (&user.id, Type::UUID),
            (&user.email, Type::TEXT),
            (&user.full_name, Type::TEXT),
        ],
    )
    .await?;
    Ok(())
}

/// Apply `changes` to the caller's profile (creating it first if needed) and return it.
pub async fn upsert(
    tx: &Transaction<'_>,
    user: &AuthUser,
    changes: &ProfileChanges,
) -> Result<Profile, DbError> {
    ensure(tx, user).await?;
    if *changes == ProfileChanges::default() {
        return get(tx, user.id).await?.ok_or(DbError::Invariant(
            "profile vanished inside its own transaction",
        ));
    }
    // For each column: $n (bool) whether to change it, $n+1 its new value (NULL clears).
    let parts = |c: &Change| (c.is_some(), c.clone().flatten());
    let (full_name_set, full_name) = parts(&changes.full_name);
    let (email_set, email) = parts(&changes.email);
    let (phone_set, phone) = parts(&changes.phone);
    let (level_set, level) = parts(&changes.experience_level);
    let (avatar_set, avatar) = parts(&changes.avatar_url);
    let row = tx
        .query_typed_one(
            &format!(
                "UPDATE user_profiles SET
                    full_name = CASE WHEN $2 THEN $3 ELSE full_name END,
                    email = CASE WHEN $4 THEN $5 ELSE email END,
                    phone = CASE WHEN $6 THEN $7 ELSE phone END,
                    experience_level = CASE WHEN $8 THEN $9 ELSE experience_level END,
                    avatar_url = CASE WHEN $10 THEN $11 ELSE avatar_url END
                  WHERE id = $1
              RETURNING {COLUMNS}"
            ),
            &[
                (&user.id, Type::UUID),
                (&full_name_set, Type::BOOL),
                (&full_name, Type::TEXT),
                (&email_set, Type::BOOL),
                (&email, Type::TEXT),
                (&phone_set, Type::BOOL),
                (&phone, Type::TEXT),
                (&level_set, Type::BOOL),
                (&level, Type::TEXT),
                (&avatar_set, Type::BOOL),
                (&avatar, Type::TEXT),
            ],
        )
        .await?;
    from_row(&row)
}
