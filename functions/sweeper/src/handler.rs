use std::time::{Duration, Instant};

use rehearse_core::config::Source;
use rehearse_db::{Db, DbConfig, DbError, quotas, sessions, storage_deletions};
use rehearse_storage::{Storage, StorageConfig};
use serde::Serialize;

/// DESIGN: anonymous sessions are removed after 24 hours.
pub const ANONYMOUS_SESSION_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// Sessions deleted per statement: short transactions, short row locks.
const SESSION_BATCH: i64 = 500;
/// Queue entries leased per round.
const OBJECT_BATCH: i64 = 100;
/// First retry delay of a failed object deletion, doubled per failure (capped).
const RETRY_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// No new batch starts after this: the next scheduled run picks up the rest,
/// well before the function's own timeout could cut a batch in half.
const TIME_BUDGET: Duration = Duration::from_secs(60);

/// The pool and the bucket, built once per cold start.
#[derive(Debug)]
pub struct State {
    pub db: Db,
    pub storage: Storage,
    /// How long one run may keep starting batches ([`TIME_BUDGET`]; tests shorten it).
    pub budget: Duration,
}

impl State {
    pub async fn from_env(env: &impl Source) -> Result<Self, lambda_runtime::Error> {
        let db = Db::new(&DbConfig::require(env)?)?;
        let storage = Storage::new(&StorageConfig::require(env)?);
        Ok(Self {
            db,
            storage,
            budget: TIME_BUDGET,
        })
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub success: bool,
    pub anonymous_sessions_deleted: u64,
    pub objects_deleted: u64,
    pub objects_failed: u64,
    /// Request-quota windows that had ended (their counts no longer matter).
    pub quota_windows_deleted: u64,
}

/// Sweep once. A database failure fails the run (the scheduler retries it); a
/// failed object deletion is recorded on its queue entry and retried later, with
/// a growing delay, never fatal to the run.
pub async fn run(state: &State) -> Result<Report, DbError> {
    let started = Instant::now();
    let mut report = Report::default();
    loop {
        let deleted = state
            .db
            .as_service(async |tx| {
                sessions::delete_expired_anonymous(tx, ANONYMOUS_SESSION_MAX_AGE, SESSION_BATCH)
                    .await
            })
            .await?;
        report.anonymous_sessions_deleted += deleted;
        if deleted < SESSION_BATCH as u64 || started.elapsed() > state.budget {
            break;
        }
    }
    loop {
        // Leasing pushes each entry's next attempt out first, so an entry is
        // never retried twice at once, and a crash mid-batch only delays it.
        let due = state
            .db
            .as_service(async |tx| {
                storage_deletions::lease_due(tx, OBJECT_BATCH, RETRY_BACKOFF).await
            })
            .await?;
        for entry in &due {
            let path = entry.storage_path.as_str();
            match state.storage.delete(path).await {
                Ok(()) => {
                    state
                        .db
                        .as_service(async |tx| storage_deletions::forget(tx, path).await)
                        .await?;
                    report.objects_deleted += 1;
                }
                Err(e) => {
                    tracing::warn!(key = %path, attempts = entry.attempts + 1, error = %e, "object deletion failed again; retried later");
                    let error = e.to_string();
                    state
                        .db
                        .as_service(async |tx| {
                            storage_deletions::record_failure(tx, path, &error).await
                        })
                        .await?;
                    report.objects_failed += 1;
                }
            }
        }
        if (due.len() as i64) < OBJECT_BATCH || started.elapsed() > state.budget {
            break;
        }
    }
    report.quota_windows_deleted = quotas::forget_ended(&state.db, Duration::ZERO).await?;
    report.success = true;
    Ok(report)
}

/// The scheduled entry point: the event's content is irrelevant.
pub async fn handler(
    state: &State,
    _event: lambda_runtime::LambdaEvent<serde_json::Value>,
) -> Result<Report, lambda_runtime::Error> {
    let report = run(state).await.map_err(|e| {
        tracing::error!(error = ?e, "sweep failed");
        e
    })?;
    tracing::info!(
        anonymous_sessions_deleted = report.anonymous_sessions_deleted,
        objects_deleted = report.objects_deleted,
        objects_failed = report.objects_failed,
        quota_windows_deleted = report.quota_windows_deleted,
        "swept"
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use rehearse_db::Type;
    use rehearse_testkit::{TestDatabase, TestStack, Via, events_dir};

    use super::*;

    async fn state() -> (State, TestDatabase) {
        let database = TestStack::get().database().await;
        let state = State {
            db: database.db(Via::Pooler),
            storage: TestStack::get().storage().await,
            budget: TIME_BUDGET,
        };
        (state, database)
    }

    fn scheduled() -> lambda_runtime::LambdaEvent<serde_json::Value> {
        let text = std::fs::read_to_string(events_dir().join("sweeper/scheduled.json")).unwrap();
        lambda_runtime::LambdaEvent::new(serde_json::from_str(&text).unwrap(), Default::default())
    }

    /// A session row `hours_old` hours old, anonymous or owned, with one answer.
    async fn seed_session(
        client: &tokio_postgres::Client,
        owner: Option<uuid::Uuid>,
        hours_old: f64,
    ) -> uuid::Uuid {
        if let Some(owner) = owner {
            client
                .execute_typed(
                    "INSERT INTO user_profiles (id) VALUES ($1) ON CONFLICT DO NOTHING",
                    &[(&owner, Type::UUID)],
                )
                .await
                .unwrap();
        }
        let id = uuid::Uuid::new_v4();
        client
            .execute_typed(
                "INSERT INTO interview_sessions
                    (id, user_id, target_role, experience_level, interview_type, mode,
                     total_questions, created_at, started_at)
                 VALUES ($1, $2, 'Backend Engineer', 'mid', 'technical', 'conversational', 5,
                         now() - make_interval(secs => $3 * 3600), now() - make_interval(secs => $3 * 3600))",
                &[
                    (&id, Type::UUID),
                    (&owner, Type::UUID),
                    (&hours_old, Type::FLOAT8),
                ],
            )
            .await
            .unwrap();
        client
            .execute_typed(
                "INSERT INTO interview_answers
                    (session_id, user_id, question_number, question_text, category, difficulty,
                     answer_text, word_count)
                 VALUES ($1, $2, 1, 'Q1', 'technical', 'medium', 'An answer.', 2)",
                &[(&id, Type::UUID), (&owner, Type::UUID)],
            )
            .await
            .unwrap();
        id
    }

    async fn session_ids(client: &tokio_postgres::Client) -> Vec<uuid::Uuid> {
        let mut ids: Vec<uuid::Uuid> = client
            .query_typed("SELECT id FROM interview_sessions", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        ids.sort();
        ids
    }

    #[tokio::test]
    async fn deletes_only_anonymous_sessions_older_than_a_day_with_their_answers() {
        let (state, database) = state().await;
        let client = database.client(Via::Direct).await;
        let owner = uuid::Uuid::new_v4();
        let stale = seed_session(&client, None, 25.0).await;
        let also_stale = seed_session(&client, None, 24.1).await;
        let fresh = seed_session(&client, None, 23.0).await;
        let owned_old = seed_session(&client, Some(owner), 24.0 * 30.0).await;

        let report = handler(&state, scheduled()).await.unwrap();
        assert!(report.success);
        assert_eq!(report.anonymous_sessions_deleted, 2);
        let mut kept = vec![fresh, owned_old];
        kept.sort();
        assert_eq!(session_ids(&client).await, kept);
        let orphans: i64 = client
            .query_typed_one(
                "SELECT count(*) FROM interview_answers WHERE session_id = ANY($1)",
                &[(&vec![stale, also_stale], Type::UUID_ARRAY)],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(orphans, 0);

        let again = run(&state).await.unwrap();
        assert_eq!(again.anonymous_sessions_deleted, 0);
    }

    #[tokio::test]
    async fn forgets_request_quota_windows_that_have_ended() {
        let (state, database) = state().await;
        let client = database.client(Via::Direct).await;
        client
            .batch_execute(
                "INSERT INTO rehearse_private.request_quotas (subject, bucket, window_start, window_end, hits)
                 VALUES ('ip:203.0.113.7', 'interview', now() - interval '2 hours', now() - interval '1 hour', 9),
                        ('ip:203.0.113.7', 'interview', now() - interval '10 minutes', now() + interval '50 minutes', 3)",
            )
            .await
            .unwrap();
        let report = run(&state).await.unwrap();
        assert_eq!(report.quota_windows_deleted, 1);
        let left: Vec<i32> = client
            .query_typed("SELECT hits FROM rehearse_private.request_quotas", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(left, vec![3]);
    }

    #[tokio::test]
    async fn deletes_in_batches_until_none_are_left() {
        let (state, database) = state().await;
        let client = database.client(Via::Direct).await;
        client
            .batch_execute(&format!(
                "INSERT INTO interview_sessions
                    (target_role, experience_level, interview_type, mode, total_questions, created_at)
                 SELECT 'Dev', 'mid', 'mixed', 'standard', 1, now() - interval '2 days'
                   FROM generate_series(1, {})",
                SESSION_BATCH * 2 + 7
            ))
            .await
            .unwrap();
        let report = run(&state).await.unwrap();
        assert_eq!(
            report.anonymous_sessions_deleted,
            SESSION_BATCH as u64 * 2 + 7
        );
        assert!(session_ids(&client).await.is_empty());
    }

    async fn enqueue(state: &State, key: &str) {
        state
            .db
            .as_service(async |tx| storage_deletions::enqueue(tx, key).await)
            .await
            .unwrap();
    }

    async fn queue(database: &TestDatabase) -> Vec<(String, i32, bool)> {
        database
            .client(Via::Direct)
            .await
            .query_typed(
                "SELECT storage_path, attempts, next_attempt_at > now()
                   FROM storage_deletions ORDER BY storage_path",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }

    #[tokio::test]
    async fn retries_queued_object_deletions_and_forgets_them() {
        let (state, database) = state().await;
        let keys = ["u/1_a.pdf", "u/2_b.pdf"];
        for key in keys {
            state
                .storage
                .put(key, Bytes::from_static(b"%PDF-1.4\n"), "application/pdf")
                .await
                .unwrap();
            enqueue(&state, key).await;
        }
        // Already gone from the bucket: deleting it again succeeds (S3 semantics).
        enqueue(&state, "u/3_gone.pdf").await;

        let report = run(&state).await.unwrap();
        assert_eq!(report.objects_deleted, 3);
        assert_eq!(report.objects_failed, 0);
        for key in keys {
            assert!(state.storage.get(key).await.is_err(), "{key} still there");
        }
        assert!(queue(&database).await.is_empty());
    }

    #[tokio::test]
    async fn a_failing_deletion_is_counted_and_backed_off() {
        let (mut state, database) = state().await;
        // Same server, missing bucket: every delete fails.
        state.storage = Storage::from_sdk_config(
            &TestStack::get().storage_config("no-such-bucket"),
            &TestStack::sdk_config(),
        );
        enqueue(&state, "u/1_a.pdf").await;
        let report = run(&state).await.unwrap();
        assert_eq!((report.objects_deleted, report.objects_failed), (0, 1));
        assert_eq!(queue(&database).await, vec![("u/1_a.pdf".into(), 1, true)]);
        let last_error: Option<String> = database
            .client(Via::Direct)
            .await
            .query_typed_one("SELECT last_error FROM storage_deletions", &[])
            .await
            .unwrap()
            .get(0);
        assert!(last_error.is_some_and(|e| !e.is_empty()));
        // Not due again yet: the next run leaves it alone.
        let report = run(&state).await.unwrap();
        assert_eq!((report.objects_deleted, report.objects_failed), (0, 0));
        assert_eq!(queue(&database).await, vec![("u/1_a.pdf".into(), 1, true)]);
    }
}
