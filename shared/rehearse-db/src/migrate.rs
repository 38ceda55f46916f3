//! Applying `migrations/` with refinery on the same driver the functions use.
//!
//! Migrations run from the `migrate` function (on deploy) or the local stack,
//! never on a cold start: a hundred instances starting at once must not race to
//! alter the schema. Two deploys at once are serialised by an advisory lock, which
//! is session-scoped: point `migrate` at a direct connection, not a transaction pooler.

use secrecy::SecretString;
use tokio_postgres::types::Type;

use crate::DbError;
use crate::tls::ConnectSettings;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// An arbitrary, fixed key for `pg_advisory_lock` ("rehearse" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x7265_6865_6172_7365;

/// Where refinery keeps the applied migrations: outside `public`, which
/// Supabase's Data API serves to anyone with the anon key.
pub const HISTORY_TABLE: &str = "rehearse_private.refinery_schema_history";

/// Before refinery looks for its table: the private schema exists, and a history
/// an older release kept in `public` is moved there (once; it keeps its rows).
/// The API roles get nothing on the schema (migration V5 repeats this for
/// databases whose roles did not exist yet).
const PREPARE_HISTORY_SQL: &str = "
CREATE SCHEMA IF NOT EXISTS rehearse_private;
REVOKE ALL ON SCHEMA rehearse_private FROM PUBLIC;
DO $move$
BEGIN
    IF to_regclass('rehearse_private.refinery_schema_history') IS NULL
       AND to_regclass('public.refinery_schema_history') IS NOT NULL THEN
        ALTER TABLE public.refinery_schema_history SET SCHEMA rehearse_private;
    END IF;
END
$move$;";

/// After the run: whatever grants the history table picked up (a database's
/// default privileges) are taken back; only its owner reads it.
const CLOSE_HISTORY_SQL: &str = "
DO $close$
DECLARE
    r text;
BEGIN
    REVOKE ALL ON rehearse_private.refinery_schema_history FROM PUBLIC;
    FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('REVOKE ALL ON rehearse_private.refinery_schema_history FROM %I', r);
        END IF;
    END LOOP;
END
$close$;";

fn runner() -> refinery::Runner {
    let mut runner = embedded::migrations::runner();
    runner.set_migration_table_name(HISTORY_TABLE);
    runner
}

/// What a run did: the migrations it applied now (empty when already up to date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub applied: Vec<String>,
    pub latest: Option<String>,
}

/// Connect to `url` and bring its schema up to date.
pub async fn migrate(url: &SecretString) -> Result<MigrationReport, DbError> {
    let mut settings = ConnectSettings::parse(url)?;
    if settings.config.get_connect_timeout().is_none() {
        settings
            .config
            .connect_timeout(std::time::Duration::from_secs(10));
    }
    let tls = settings.connector()?;
    let (mut client, connection) = settings.config.connect(tls).await?;
    let driver = tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "migration connection closed with an error");
        }
    });
    let result = migrate_client(&mut client).await;
    drop(client);
    let _ = driver.await;
    result
}

/// Bring the schema reachable through `client` up to date.
pub async fn migrate_client(
    client: &mut tokio_postgres::Client,
) -> Result<MigrationReport, DbError> {
    client
        .query_typed(
            "SELECT pg_advisory_lock($1)",
            &[(&MIGRATION_LOCK_KEY, Type::INT8)],
        )
        .await?;
    let prepared = client.batch_execute(PREPARE_HISTORY_SQL).await;
    let outcome = match prepared {
        Err(e) => Err(DbError::from(e)),
        Ok(()) => runner()
            // Refuse to run against a database whose applied files were edited or lost.
            .set_abort_divergent(true)
            .set_abort_missing(true)
            .run_async(client)
            .await
            .map_err(DbError::from),
    };
    let outcome = match outcome {
        Ok(report) => client
            .batch_execute(CLOSE_HISTORY_SQL)
            .await
            .map(|()| report)
            .map_err(DbError::from),
        Err(e) => Err(e),
    };
    // Unlock even when the run failed; the lock dies with the session anyway.
    let unlocked = client
        .query_typed(
            "SELECT pg_advisory_unlock($1)",
            &[(&MIGRATION_LOCK_KEY, Type::INT8)],
        )
        .await;
    let report = outcome?;
    unlocked?;
    let applied: Vec<String> = report
        .applied_migrations()
        .iter()
        .map(|m| m.to_string())
        .collect();
    let latest = runner()
        .get_last_applied_migration_async(client)
        .await?
        .map(|m| m.to_string());
    Ok(MigrationReport { applied, latest })
}
