//! Resumes uploaded straight to the bucket, for files the multipart route
//! cannot carry (API Gateway base64-encodes a binary body and a synchronous
//! Lambda payload stops at 6 MB).
//!
//! 1. [`issue_upload`]: the caller names a PDF and its size; they get a resume
//!    id and a presigned PUT for `{user_id}/{resume_id}/{file name}` whose
//!    signature covers the content type and the exact length (the bucket refuses
//!    any other body). The key is queued for deletion at the URL's expiry plus
//!    [`CLAIM_WINDOW`]: an upload never parsed is removed by the sweeper.
//! 2. [`parse_uploaded`]: the object is checked (size, `%PDF-` header), parsed
//!    in the isolated worker with the same limits and error codes as the
//!    multipart route, its queue entry claimed back, then the `resumes` row is
//!    written under the id given in step 1. An object that is not a PDF, too
//!    large or unparseable is deleted and the reason reported. A second parse of
//!    the same id returns the row already made.

use std::time::Duration;

use rehearse_core::config::{self, Source};
use rehearse_core::{AuthUser, ConfigError, ResumeId, UserId};
use rehearse_db::resumes::{self, NewResume, StoredResume};
use rehearse_db::{Db, storage_deletions};
use rehearse_isolate::{Isolator, PdfError, Resume};
use rehearse_storage::Storage;
use time::OffsetDateTime;

use crate::error::ResumeStoreError;
use crate::names::{display_file_name, key_file_name};
use crate::store::{PDF_CONTENT_TYPE, bounded_skills, discard_object, plausible_years};
use crate::upload::looks_like_pdf;

/// How long after the upload URL expires an unparsed upload is kept: the time a
/// client has to ask for the parse after its PUT.
pub const CLAIM_WINDOW: Duration = Duration::from_secs(60 * 60);
/// A parse claims the upload only while its deletion is at least this far off,
/// so the sweeper can never be deleting an object a parse is keeping.
const CLAIM_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Limits of direct uploads, read once per cold start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectUploads {
    /// `MAX_DIRECT_UPLOAD_BYTES` (default 10 MiB, what the client promises).
    pub max_bytes: u64,
    /// `DIRECT_UPLOAD_URL_TTL_SECONDS` (default 15 minutes).
    pub url_ttl: Duration,
}

impl DirectUploads {
    pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
    /// The isolated parser reads the whole file into memory: bounded well
    /// below a function's memory.
    pub const MAX_MAX_BYTES: u64 = 50 * 1024 * 1024;

    pub fn from_env(env: &impl Source) -> Result<Self, ConfigError> {
        let max_bytes: u64 =
            config::parsed_or(env, "MAX_DIRECT_UPLOAD_BYTES", Self::DEFAULT_MAX_BYTES)?;
        if !(1024..=Self::MAX_MAX_BYTES).contains(&max_bytes) {
            return Err(ConfigError::Invalid {
                name: "MAX_DIRECT_UPLOAD_BYTES",
                reason: format!("must be from 1024 to {}", Self::MAX_MAX_BYTES),
            });
        }
        let ttl: u64 = config::parsed_or(env, "DIRECT_UPLOAD_URL_TTL_SECONDS", 15 * 60)?;
        if !(60..=3600).contains(&ttl) {
            return Err(ConfigError::Invalid {
                name: "DIRECT_UPLOAD_URL_TTL_SECONDS",
                reason: "must be from 60 to 3600".to_owned(),
            });
        }
        Ok(Self {
            max_bytes,
            url_ttl: Duration::from_secs(ttl),
        })
    }
}

impl Default for DirectUploads {
    fn default() -> Self {
        Self {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            url_ttl: Duration::from_secs(15 * 60),
        }
    }
}

/// What a client needs to upload the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadTicket {
    /// The resume the upload becomes once parsed.
    pub resume_id: ResumeId,
    /// Display name, as the row will carry it.
    pub file_name: String,
    pub url: String,
    /// The values the PUT must carry (they are signed).
    pub content_type: &'static str,
    pub content_length: u64,
    pub expires_at: OffsetDateTime,
}

/// Where a direct upload's object lives: under the user's prefix and the
/// resume's (random) id, so the parse finds it from the id alone.
fn upload_prefix(user: UserId, id: ResumeId) -> String {
    format!("{user}/{id}/")
}

/// A presigned PUT for a PDF of `size` bytes named `file_name` (step 1).
pub async fn issue_upload(
    db: &Db,
    storage: &Storage,
    limits: &DirectUploads,
    file_name: Option<&str>,
    size: u64,
    user: &AuthUser,
) -> Result<UploadTicket, ResumeStoreError> {
    if size > limits.max_bytes {
        let limit = usize::try_from(limits.max_bytes).unwrap_or(usize::MAX);
        return Err(PdfError::TooLarge { limit }.into());
    }
    if size == 0 {
        return Err(PdfError::NotAPdf.into());
    }
    let resume_id = ResumeId::new_random();
    let file_name = display_file_name(file_name);
    let key = format!(
        "{}{}",
        upload_prefix(user.id, resume_id),
        key_file_name(&file_name)
    );
    // Queued before the URL exists: whatever happens next, the object cannot
    // outlive its claim window unparsed.
    let after = limits.url_ttl + CLAIM_WINDOW;
    db.as_service(async |tx| storage_deletions::enqueue_after(tx, &key, after).await)
        .await?;
    let url = storage
        .presign_put(&key, PDF_CONTENT_TYPE, size, limits.url_ttl)
        .await?;
    Ok(UploadTicket {
        resume_id,
        file_name,
        url,
        content_type: PDF_CONTENT_TYPE,
        content_length: size,
        expires_at: OffsetDateTime::now_utc() + limits.url_ttl,
    })
}

/// Parse the object uploaded for `id` and make its `resumes` row (step 2).
/// `display_name` (optional) is the name the row shows; by default the key's.
pub async fn parse_uploaded(
    db: &Db,
    storage: &Storage,
    parser: &Isolator,
    user: &AuthUser,
    id: ResumeId,
    display_name: Option<&str>,
) -> Result<(StoredResume, Option<Resume>), ResumeStoreError> {
    // A retried parse: the row is already there.
    if let Some(stored) = db
        .as_user(user, async |tx| resumes::get(tx, user.id, id).await)
        .await?
    {
        return Ok((stored, None));
    }
    let mut keys = storage.keys_under(&upload_prefix(user.id, id), 2).await?;
    let (Some(key), None) = (keys.pop(), keys.pop()) else {
        return Err(ResumeStoreError::UploadNotFound);
    };
    let max_bytes = parser.config().limits.max_bytes;
    let size = storage
        .size(&key)
        .await?
        .ok_or(ResumeStoreError::UploadNotFound)?;
    if usize::try_from(size).map_or(true, |n| n > max_bytes) {
        refuse(db, storage, &key).await;
        return Err(PdfError::TooLarge { limit: max_bytes }.into());
    }
    let bytes = storage.get(&key).await?.bytes;
    if !looks_like_pdf(&bytes) {
        refuse(db, storage, &key).await;
        return Err(PdfError::NotAPdf.into());
    }
    let resume = match parser.parse(&bytes).await.map_err(ResumeStoreError::from) {
        Ok(resume) => resume,
        Err(e @ ResumeStoreError::File(_)) => {
            refuse(db, storage, &key).await;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let claimed = db
        .as_service(async |tx| storage_deletions::claim(tx, &key, CLAIM_MARGIN).await)
        .await?;
    if !claimed {
        return Err(ResumeStoreError::UploadExpired);
    }
    let file_name = match display_name {
        Some(name) => display_file_name(Some(name)),
        None => key.rsplit('/').next().unwrap_or_default().to_owned(),
    };
    let parsed = serde_json::to_value(&resume).map_err(ResumeStoreError::invariant)?;
    let skills = bounded_skills(&resume.skills);
    let new = NewResume {
        file_name: &file_name,
        storage_path: Some(&key),
        file_size_bytes: i64::try_from(size).ok(),
        content_type: Some(PDF_CONTENT_TYPE),
        parsed_json: &parsed,
        skills: &skills,
        experience_years: resume
            .years_of_experience
            .map(f64::from)
            .filter(|y| plausible_years(*y)),
    };
    let inserted = db
        .write_as(user, async |tx| {
            resumes::insert_with_id(tx, user.id, Some(id), &new).await
        })
        .await;
    match inserted {
        Ok(stored) => Ok((stored, Some(resume))),
        Err(e) => {
            // Claimed, so no longer the sweeper's: remove it (or queue it) now.
            discard_object(db, storage, &key).await;
            Err(e.into())
        }
    }
}

/// Remove a refused upload now (the client learns why from the error); a
/// failed delete leaves it to the sweeper, where it is already queued.
async fn refuse(db: &Db, storage: &Storage, key: &str) {
    match storage.delete(key).await {
        Ok(()) => {
            let forgotten = db
                .as_service(async |tx| storage_deletions::forget(tx, key).await)
                .await;
            if let Err(e) = forgotten {
                tracing::warn!(key, error = %e, "refused upload deleted; its queue entry is left to the sweeper");
            }
        }
        Err(e) => {
            tracing::warn!(key, error = %e, "could not delete a refused upload; left to the sweeper")
        }
    }
}
