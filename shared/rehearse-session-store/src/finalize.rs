//! Finishing a session, once: its summary, its columns and (for a signed-in
//! caller) their statistics change together; an anonymous session a signed-in
//! caller finishes becomes theirs.

use rehearse_core::{AuthUser, SessionId, UserId};
use rehearse_db::sessions::{self, Completion, Lock, SessionRow, SessionStatus};
use rehearse_db::{Db, Role, Transaction, statistics};
use serde_json::Value;
use time::OffsetDateTime;

use crate::engine;
use crate::error::SessionError;
use crate::report::build_report;

/// A finalized session's summary, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Finalized {
    pub session_id: SessionId,
    pub summary: Value,
    /// The owner (the caller) when the session is saved to their history.
    pub owner: Option<UserId>,
}

/// Finish the session once: status, results, summary and (for a signed-in
/// caller) their statistics change in one transaction, the first time. The
/// session row is locked first, so concurrent calls queue and every later one
/// returns the stored summary unchanged.
///
/// A signed-in caller finalizing an anonymous session claims it (it and its
/// answers become theirs) in that same transaction; a session already finished
/// anonymously is claimed and counted in their statistics then. An unfinished
/// session can be finalized: the questions not reached count as unanswered (not
/// as skipped, and not as zeros), and no more answers are accepted after.
pub async fn finalize(
    db: &Db,
    caller: Option<&AuthUser>,
    id: SessionId,
) -> Result<Finalized, SessionError> {
    let Some(user) = caller else {
        let done = db
            .transaction(Role::Service, async |tx| {
                match sessions::get(tx, id, None, Lock::ForUpdate).await? {
                    Some(row) => finalize_locked(tx, row, None, false).await.map(Ok),
                    // Whether it is someone's: without a token, that is a 401.
                    None => Ok(Err(sessions::is_owned(tx, id).await?)),
                }
            })
            .await?;
        return match done {
            Ok(summary) => Ok(Finalized {
                session_id: id,
                summary,
                owner: None,
            }),
            Err(true) => Err(SessionError::SignInRequired),
            Err(false) => Err(SessionError::NotFound),
        };
    };
    let finalized = |summary| Finalized {
        session_id: id,
        summary,
        owner: Some(user.id),
    };
    if let Some(summary) = finalize_own(db, user, id).await? {
        return Ok(finalized(summary));
    }
    let claimed = db
        .transaction(Role::Service, async |tx| {
            if !sessions::claim(tx, id, user).await? {
                return Ok(None);
            }
            tracing::info!(session_id = %id, "anonymous session claimed");
            let row = sessions::get(tx, id, Some(user.id), Lock::ForUpdate)
                .await?
                .ok_or_else(|| {
                    SessionError::invariant("a claimed session vanished in its transaction")
                })?;
            finalize_locked(tx, row, Some(user.id), true)
                .await
                .map(Some)
        })
        .await?;
    if let Some(summary) = claimed {
        return Ok(finalized(summary));
    }
    // Not anonymous any more: someone claimed it between our two looks (perhaps
    // this user's own concurrent request), or it never was.
    finalize_own(db, user, id)
        .await?
        .map(finalized)
        .ok_or(SessionError::NotFound)
}

async fn finalize_own(
    db: &Db,
    user: &AuthUser,
    id: SessionId,
) -> Result<Option<Value>, SessionError> {
    db.transaction(Role::User(user), async |tx| {
        match sessions::get(tx, id, Some(user.id), Lock::ForUpdate).await? {
            Some(row) => finalize_locked(tx, row, Some(user.id), false)
                .await
                .map(Some),
            None => Ok(None),
        }
    })
    .await
}

/// Finalize the session `row`, which the transaction has locked. `claimed`: the
/// transaction has just given it to `owner`.
async fn finalize_locked(
    tx: &Transaction<'_>,
    row: SessionRow,
    owner: Option<UserId>,
    claimed: bool,
) -> Result<Value, SessionError> {
    if row.status == SessionStatus::Completed {
        let summary = row
            .summary
            .ok_or_else(|| SessionError::invariant("a completed session has no summary"))?;
        // Finished anonymously, owned only now: this is when it counts.
        if claimed && let Some(user) = owner {
            statistics::record_completed_session(tx, user, row.id).await?;
        }
        return Ok(summary);
    }
    let session = engine::restore(&row)?;
    let answers = sessions::answers(tx, row.id, owner).await?;
    let report = build_report(&row, &session, &answers, OffsetDateTime::now_utc())?;
    let completed = sessions::complete(
        tx,
        &Completion {
            session_id: row.id,
            owner,
            completed_at: report.completed_at,
            total_time_seconds: report.duration_seconds,
            average_score: f64::from(report.average_score),
            overall_score: f64::from(report.overall_score),
            performance_tier: report.tier,
            overall_feedback: &report.overall_feedback,
            category_scores: &report.category_scores,
            summary: &report.json,
            topics_covered: &report.topics,
            questions_answered: report.answered,
            questions_skipped: report.skipped,
        },
    )
    .await?;
    if !completed {
        return Err(SessionError::invariant(
            "a locked, unfinished session could not be completed",
        ));
    }
    if let Some(user) = owner {
        statistics::record_completed_session(tx, user, row.id).await?;
    }
    match owner {
        Some(_) => {
            tracing::info!(session_id = %row.id, answered = report.answered, skipped = report.skipped, "session completed")
        }
        None => {
            tracing::info!(
                answered = report.answered,
                skipped = report.skipped,
                "anonymous session completed"
            )
        }
    }
    Ok(report.json)
}
