//! `resumes`: a user's parsed resumes, and where each PDF lives in the bucket.
//!
//! Every function here runs inside a transaction begun as the user
//! ([`crate::Db::as_user`] / [`crate::Db::write_as`]), so row-level security
//! confines it to the caller's rows; each query filters on `user_id` as well, so
//! that a policy mistake alone could not expose anyone else's resume.

use rehearse_core::{ResumeId, UserId};
use time::OffsetDateTime;
use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use crate::DbError;

/// A resume to store. The caller has bounded every value (the schema's checks
/// are the last line of defence, not the validation).
#[derive(Debug, Clone, Copy)]
pub struct NewResume<'a> {
    pub file_name: &'a str,
    /// The bucket key; `None` for a resume entered as JSON, with no file.
    pub storage_path: Option<&'a str>,
    pub file_size_bytes: Option<i64>,
    pub content_type: Option<&'a str>,
    /// The parsed resume (a JSON object).
    pub parsed_json: &'a serde_json::Value,
    pub skills: &'a [String],
    /// Stored to one decimal, 0 to 999.9.
    pub experience_years: Option<f64>,
}

/// A stored resume row.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResume {
    pub id: ResumeId,
    pub user_id: UserId,
    pub file_name: String,
    pub storage_path: Option<String>,
    pub file_size_bytes: Option<i64>,
    pub content_type: Option<String>,
    pub parsed_json: serde_json::Value,
    pub skills: Vec<String>,
    pub experience_years: Option<f64>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// One page of a user's resumes, newest first, and how many they have in all.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumePage {
    pub resumes: Vec<StoredResume>,
    pub total: i64,
}

// numeric(4,1) has no tokio-postgres mapping without a decimal crate: it crosses
// the wire as float8 both ways.
const COLUMNS: &str = "id, user_id, file_name, storage_path, file_size_bytes, content_type, \
     parsed_json, skills, experience_years::float8 AS experience_years, created_at, updated_at";

fn from_row(row: &Row) -> Result<StoredResume, DbError> {
    Ok(StoredResume {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        file_name: row.try_get("file_name")?,
        storage_path: row.try_get("storage_path")?,
        file_size_bytes: row.try_get("file_size_bytes")?,
        content_type: row.try_get("content_type")?,
        parsed_json: row.try_get("parsed_json")?,
        skills: row.try_get("skills")?,
        experience_years: row.try_get("experience_years")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Store a resume for `user` (whose profile row must exist: use `Db::write_as`).
pub async fn insert(
    tx: &Transaction<'_>,
    user: UserId,
    new: &NewResume<'_>,
) -> Result<StoredResume, DbError> {
    insert_with_id(tx, user, None, new).await
}

/// [`insert`] under an id chosen beforehand (a direct upload names its resume
/// before the file is parsed); `None` lets the database choose.
pub async fn insert_with_id(
    tx: &Transaction<'_>,
    user: UserId,
    id: Option<ResumeId>,
    new: &NewResume<'_>,
) -> Result<StoredResume, DbError> {
    let row = tx
        .query_typed_one(
            &format!(
                "INSERT INTO resumes (id, user_id, file_name, storage_path, file_size_bytes,
                                      content_type, parsed_json, skills, experience_years)
                 VALUES (coalesce($9, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7,
                         round($8::numeric, 1))
                 RETURNING {COLUMNS}"
            ),
            &[
                (&user, Type::UUID),
                (&new.file_name, Type::TEXT),
                (&new.storage_path, Type::TEXT),
                (&new.file_size_bytes, Type::INT8),
                (&new.content_type, Type::TEXT),
                (new.parsed_json, Type::JSONB),
                (&new.skills, Type::TEXT_ARRAY),
                (&new.experience_years, Type::FLOAT8),
                (&id, Type::UUID),
            ],
        )
        .await?;
    from_row(&row)
}

/// The user's resumes, newest first: `limit` of them after skipping `offset`.
pub async fn list(
    tx: &Transaction<'_>,
    user: UserId,
    limit: i64,
    offset: i64,
) -> Result<ResumePage, DbError> {
    let rows = tx
        .query_typed(
            &format!(
                "SELECT {COLUMNS} FROM resumes WHERE user_id = $1
                 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
            ),
            &[
                (&user, Type::UUID),
                (&limit, Type::INT8),
                (&offset, Type::INT8),
            ],
        )
        .await?;
    // Counted separately: a window count would be missing on a page past the end.
    let total: i64 = tx
        .query_typed_one(
            "SELECT count(*) FROM resumes WHERE user_id = $1",
            &[(&user, Type::UUID)],
        )
        .await?
        .try_get(0)?;
    Ok(ResumePage {
        resumes: rows.iter().map(from_row).collect::<Result<_, _>>()?,
        total,
    })
}

/// One of the user's resumes; `None` when it does not exist or is someone else's.
pub async fn get(
    tx: &Transaction<'_>,
    user: UserId,
    id: ResumeId,
) -> Result<Option<StoredResume>, DbError> {
    let row = tx
        .query_typed_opt(
            &format!("SELECT {COLUMNS} FROM resumes WHERE id = $1 AND user_id = $2"),
            &[(&id, Type::UUID), (&user, Type::UUID)],
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// What a deletion removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// The object the row pointed at, which a trigger has queued in
    /// `storage_deletions` in the same transaction.
    pub storage_path: Option<String>,
}

/// Delete one of the user's resumes; `None` when it does not exist or is someone else's.
pub async fn delete(
    tx: &Transaction<'_>,
    user: UserId,
    id: ResumeId,
) -> Result<Option<Deleted>, DbError> {
    let row = tx
        .query_typed_opt(
            "DELETE FROM resumes WHERE id = $1 AND user_id = $2 RETURNING storage_path",
            &[(&id, Type::UUID), (&user, Type::UUID)],
        )
        .await?;
    row.map(|r| {
        Ok(Deleted {
            storage_path: r.try_get("storage_path")?,
        })
    })
    .transpose()
}
