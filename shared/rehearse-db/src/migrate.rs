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
    let outcome = embedded::migrations::runner()
        // Refuse to run against a database whose applied files were edited or lost.
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .run_async(client)
        .await;
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
    let latest = embedded::migrations::runner()
        .get_last_applied_migration_async(client)
        .await?
        .map(|m| m.to_string());
    Ok(MigrationReport { applied, latest })
}
