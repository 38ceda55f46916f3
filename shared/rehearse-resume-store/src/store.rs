//! Resumes across the bucket and the database, in the orders that keep them
//! consistent.

use std::time::{SystemTime, UNIX_EPOCH};

use rehearse_core::{AuthUser, ResumeId};
use rehearse_db::resumes::{self, NewResume, StoredResume};
use rehearse_db::{Db, storage_deletions};
use rehearse_http::Page;
use rehearse_isolate::Resume;
use rehearse_storage::{Storage, StorageError};
use serde::Serialize;
use time::OffsetDateTime;

use crate::error::ResumeStoreError;
use crate::names::{key_file_name, object_key};
use crate::upload::PdfUpload;

pub const PDF_CONTENT_TYPE: &str = "application/pdf";
/// A parser that found this many skills found noise; the row keeps the first ones.
const MAX_STORED_SKILLS: usize = 200;
const MAX_SKILL_CHARS: usize = 100;
/// Fresh keys tried when an upload races another for the same one.
const KEY_ATTEMPTS: i128 = 5;

/// A stored resume as the API returns it.
///
/// Two values are also served under the seed document's names (the integration
/// note clients were written against): `file_size_bytes` (= `file_size`) and
/// `parsed_json` (= `parsed_data`). Those fields are private and set only by
/// [`ResumeView::new`], so they always equal their originals.
#[derive(Debug, Clone, Serialize)]
pub struct ResumeView {
    pub id: ResumeId,
    pub file_name: String,
    /// A presigned GET, made fresh for this response; `null` without a file.
    pub file_url: Option<String>,
    pub file_size: Option<i64>,
    file_size_bytes: Option<i64>,
    pub content_type: Option<String>,
    pub has_file: bool,
    pub parsed_data: serde_json::Value,
    parsed_json: serde_json::Value,
    pub skills: Vec<String>,
    pub experience_years: Option<f64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl ResumeView {
    /// `stored` as the API shows it, with `file_url` for its file (if any).
    pub fn new(stored: StoredResume, file_url: Option<String>) -> Self {
        Self {
            id: stored.id,
            file_name: stored.file_name,
            file_url,
            file_size: stored.file_size_bytes,
            file_size_bytes: stored.file_size_bytes,
            content_type: stored.content_type,
            has_file: stored.storage_path.is_some(),
            parsed_json: stored.parsed_json.clone(),
            parsed_data: stored.parsed_json,
            skills: stored.skills,
            experience_years: stored.experience_years,
            created_at: stored.created_at,
            updated_at: stored.updated_at,
        }
    }

    /// A stored upload as the upload routes answer it: the new resume's id, its
    /// file and its parse, flat, with the seed document's names beside theirs.
    pub fn upload_json(&self) -> serde_json::Value {
        serde_json::json!({
            "success": true,
            "resume_id": self.id,
            "file_url": self.file_url,
            "file_name": self.file_name,
            "file_size": self.file_size,
            "file_size_bytes": self.file_size_bytes,
            "parsed_data": self.parsed_data,
            "parsed_json": self.parsed_json,
        })
    }
}

/// `stored` with a fresh presigned URL for its file (signed locally: no request
/// to the bucket).
pub async fn view(storage: &Storage, stored: StoredResume) -> Result<ResumeView, ResumeStoreError> {
    let file_url = match &stored.storage_path {
        Some(path) => Some(storage.presign_get(path).await?),
        None => None,
    };
    Ok(ResumeView::new(stored, file_url))
}

/// Store an uploaded, parsed PDF for `user`: the object first, then the row. If
/// the row cannot be written the object is deleted again (or, failing that,
/// queued for the sweeper), so the two exist together or not at all.
pub async fn save(
    db: &Db,
    storage: &Storage,
    user: &AuthUser,
    upload: &PdfUpload,
    resume: &Resume,
) -> Result<StoredResume, ResumeStoreError> {
    let parsed = serde_json::to_value(resume).map_err(ResumeStoreError::invariant)?;
    let skills = bounded_skills(&resume.skills);
    let years = resume
        .years_of_experience
        .map(f64::from)
        .filter(|y| plausible_years(*y));
    let key = put_under_fresh_key(storage, user, upload).await?;
    let new = NewResume {
        file_name: &upload.file_name,
        storage_path: Some(&key),
        file_size_bytes: i64::try_from(upload.bytes.len()).ok(),
        content_type: Some(PDF_CONTENT_TYPE),
        parsed_json: &parsed,
        skills: &skills,
        experience_years: years,
    };
    let inserted = db
        .write_as(user, async |tx| resumes::insert(tx, user.id, &new).await)
        .await;
    match inserted {
        Ok(row) => Ok(row),
        Err(e) => {
            // (Should the commit have reached the server before the connection broke,
            // the row exists after all; the user then sees a dead link rather than
            // us keeping an object nobody owns. Rare, and visible.)
            discard_object(db, storage, &key).await;
            Err(e.into())
        }
    }
}

/// Put the upload under `{user}/{millis}_{name}`. `put_new` never overwrites, so
/// two uploads of the same name in the same millisecond (a double-submitted
/// form on two instances) cannot clobber each other: the second moves on a
/// millisecond.
async fn put_under_fresh_key(
    storage: &Storage,
    user: &AuthUser,
    upload: &PdfUpload,
) -> Result<String, ResumeStoreError> {
    let name = key_file_name(&upload.file_name);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i128)
        .unwrap_or_default();
    for bump in 0..KEY_ATTEMPTS {
        let key = object_key(user.id, now + bump, &name);
        match storage
            .put_new(&key, upload.bytes.clone(), PDF_CONTENT_TYPE)
            .await
        {
            Ok(()) => return Ok(key),
            Err(StorageError::AlreadyExists { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ResumeStoreError::Invariant(format!(
        "no free object key for {name} after {KEY_ATTEMPTS} tries"
    )))
}

/// Remove the object of an upload whose row failed. Best effort, never the
/// request's error: that is the row's failure, already on its way to the client.
pub(crate) async fn discard_object(db: &Db, storage: &Storage, key: &str) {
    let Err(e) = storage.delete(key).await else {
        return;
    };
    tracing::error!(key, error = %e, "could not delete the object of a failed upload; queueing it");
    let queued = db
        .as_service(async |tx| storage_deletions::enqueue(tx, key).await)
        .await;
    if let Err(qe) = queued {
        tracing::error!(key, error = %qe, "orphaned object could not be queued for deletion either");
    }
}

/// Delete one of the user's resumes: the row (its object is queued by a
/// trigger in the same transaction), then the object. Someone else's resume, or
/// none, is 404. A failed object delete stays queued for the sweeper and the
/// resume counts as deleted: the user can no longer reach it either way.
pub async fn delete(
    db: &Db,
    storage: &Storage,
    user: &AuthUser,
    id: ResumeId,
) -> Result<(), ResumeStoreError> {
    let deleted = db
        .as_user(user, async |tx| resumes::delete(tx, user.id, id).await)
        .await?
        .ok_or(ResumeStoreError::NotFound)?;
    let Some(path) = deleted.storage_path else {
        return Ok(());
    };
    match storage.delete(&path).await {
        Ok(()) => {
            let forgotten = db
                .as_service(async |tx| storage_deletions::forget(tx, &path).await)
                .await;
            if let Err(e) = forgotten {
                // Harmless: the sweeper's delete of a missing object succeeds.
                tracing::warn!(key = %path, error = %e, "object deleted; its queue entry is left to the sweeper");
            }
        }
        Err(e) => {
            tracing::warn!(key = %path, error = %e, "could not delete a resume's object; left queued for the sweeper");
            let error = e.to_string();
            let recorded = db
                .as_service(async |tx| storage_deletions::record_failure(tx, &path, &error).await)
                .await;
            if let Err(re) = recorded {
                tracing::warn!(key = %path, error = %re, "could not record the failed object delete");
            }
        }
    }
    Ok(())
}

/// A page of the user's resumes, newest first, each with a fresh presigned URL,
/// and how many they have in all.
pub async fn list(
    db: &Db,
    storage: &Storage,
    user: &AuthUser,
    page: Page,
) -> Result<(Vec<ResumeView>, i64), ResumeStoreError> {
    let found = db
        .as_user(user, async |tx| {
            resumes::list(tx, user.id, i64::from(page.limit), i64::from(page.offset)).await
        })
        .await?;
    let mut views = Vec::with_capacity(found.resumes.len());
    for stored in found.resumes {
        views.push(view(storage, stored).await?);
    }
    Ok((views, found.total))
}

/// Store a resume that came as JSON (no file, `storage_path` NULL).
pub async fn create(
    db: &Db,
    user: &AuthUser,
    file_name: &str,
    resume: &Resume,
) -> Result<StoredResume, ResumeStoreError> {
    let parsed = serde_json::to_value(resume).map_err(ResumeStoreError::invariant)?;
    let skills = bounded_skills(&resume.skills);
    let new = NewResume {
        file_name,
        storage_path: None,
        file_size_bytes: None,
        content_type: None,
        parsed_json: &parsed,
        skills: &skills,
        experience_years: resume
            .years_of_experience
            .map(f64::from)
            .filter(|y| plausible_years(*y)),
    };
    Ok(db
        .write_as(user, async |tx| resumes::insert(tx, user.id, &new).await)
        .await?)
}

pub(crate) fn bounded_skills(skills: &[String]) -> Vec<String> {
    skills
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && s.chars().count() <= MAX_SKILL_CHARS)
        .take(MAX_STORED_SKILLS)
        .map(str::to_owned)
        .collect()
}

/// What `experience_years` may hold; anything else is the parser misreading dates.
pub(crate) fn plausible_years(years: f64) -> bool {
    years.is_finite() && (0.0..=80.0).contains(&years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_are_trimmed_and_bounded() {
        let many: Vec<String> = (0..300).map(|i| format!(" skill {i} ")).collect();
        let kept = bounded_skills(&many);
        assert_eq!(kept.len(), MAX_STORED_SKILLS);
        assert_eq!(kept[0], "skill 0");
        let odd = vec![String::new(), "x".repeat(101), "Rust".into()];
        assert_eq!(bounded_skills(&odd), vec!["Rust".to_owned()]);
    }

    #[test]
    fn the_seed_names_carry_the_same_values_as_the_originals() {
        let now = OffsetDateTime::now_utc();
        let stored = |size: Option<i64>| StoredResume {
            id: ResumeId::new_random(),
            user_id: rehearse_core::UserId::new_random(),
            file_name: "cv.pdf".to_owned(),
            storage_path: size.map(|_| "u/1_cv.pdf".to_owned()),
            file_size_bytes: size,
            content_type: None,
            parsed_json: serde_json::json!({"name": "Ada", "skills": ["Rust"]}),
            skills: vec!["Rust".to_owned()],
            experience_years: None,
            created_at: now,
            updated_at: now,
        };
        for size in [Some(1234), None] {
            let json = serde_json::to_value(ResumeView::new(stored(size), None)).unwrap();
            assert_eq!(json["file_size_bytes"], json["file_size"], "{json}");
            assert_eq!(json["file_size_bytes"], serde_json::json!(size));
            assert_eq!(json["parsed_json"], json["parsed_data"], "{json}");
            assert_eq!(json["parsed_json"]["name"], "Ada");
        }
    }

    #[test]
    fn implausible_years_are_dropped() {
        assert!(plausible_years(0.0));
        assert!(plausible_years(12.5));
        for bad in [-1.0, 81.0, f64::NAN, f64::INFINITY] {
            assert!(!plausible_years(bad), "{bad}");
        }
    }
}
