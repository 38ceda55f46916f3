use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime, Timeouts};

use rehearse_core::AuthUser;
use tokio_postgres::Transaction;

use crate::tls::ConnectSettings;
use crate::{DbConfig, DbError};

/// The per-instance connection pool. Cheap to clone; build it once per cold start.
///
/// No connection is opened until the first request needs one, so a cold start
/// never waits on (or fails because of) the database.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("status", &self.pool.status())
            .finish()
    }
}

impl Db {
    pub fn new(cfg: &DbConfig) -> Result<Self, DbError> {
        let mut settings = ConnectSettings::parse(&cfg.url)?;
        settings.config.connect_timeout(cfg.connect_timeout);
        let tls = settings.connector()?;
        let manager = Manager::from_config(
            settings.config,
            tls,
            ManagerConfig {
                // A Lambda instance can sit frozen for minutes while the server or
                // pooler drops idle connections: check each one before handing it out.
                recycling_method: RecyclingMethod::Verified,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(cfg.pool_size)
            .timeouts(Timeouts {
                wait: Some(cfg.connect_timeout),
                create: Some(cfg.connect_timeout),
                recycle: Some(cfg.connect_timeout),
            })
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| DbError::Config(e.to_string()))?;
        Ok(Self { pool })
    }

    /// A connection from the pool.
    pub async fn client(&self) -> Result<Object, DbError> {
        Ok(self.pool.get().await?)
    }

    /// A cheap liveness check (`SELECT 1`), failing after `limit` however the
    /// database misbehaves (refusing, hanging, or half-open after a restart).
    pub async fn ping(&self, limit: Duration) -> Result<(), DbError> {
        let check = async {
            let client = self.client().await?;
            client.simple_query("SELECT 1").await?;
            Ok::<_, DbError>(())
        };
        tokio::time::timeout(limit, check)
            .await
            .map_err(|_| DbError::Timeout(limit))?
    }

    /// Run `work` in one transaction as `user` (see [`crate::begin_as_user`]),
    /// committing when it succeeds and rolling back when it fails.
    pub async fn as_user<T>(
        &self,
        user: &AuthUser,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut client = self.client().await?;
        let tx = crate::begin_as_user(&mut client, user).await?;
        let out = work(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One read-only statement as `user`, in one network round trip: `BEGIN`, the
    /// claims and role (transaction-local, as [`crate::begin_as_user`]), the
    /// statement and `COMMIT` are written back to back and their answers read
    /// together (tokio-postgres pipelines requests polled concurrently), so the
    /// row-level security of [`Db::as_user`] costs no extra round trips.
    ///
    /// `sql` must check `current_setting('role') = 'authenticated'` and return
    /// no row otherwise: should `BEGIN` fail, the settings would not be
    /// transaction-local, and the statement must then refuse to run rather than
    /// read as the connection's own role. A statement that fails aborts the
    /// transaction, so `COMMIT` rolls it back; a connection that saw any error is
    /// dropped rather than returned to the pool mid-transaction.
    pub async fn query_one_as_user(
        &self,
        user: &AuthUser,
        sql: &str,
        params: &[(
            &(dyn tokio_postgres::types::ToSql + Sync),
            tokio_postgres::types::Type,
        )],
    ) -> Result<tokio_postgres::Row, DbError> {
        let client = self.client().await?;
        let claims_text: &str = &user.claims;
        let set_params: [(
            &(dyn tokio_postgres::types::ToSql + Sync),
            tokio_postgres::types::Type,
        ); 1] = [(&claims_text, tokio_postgres::types::Type::TEXT)];
        let (begin, claims, row, commit) = tokio::join!(
            client.batch_execute("BEGIN"),
            client.query_typed(
                "SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)",
                &set_params,
            ),
            client.query_typed_opt(sql, params),
            client.batch_execute("COMMIT"),
        );
        let outcome = (|| {
            begin?;
            claims?;
            let row = row?;
            commit?;
            row.ok_or(DbError::Invariant(
                "a pipelined user query returned no row (role not set?)",
            ))
        })();
        if outcome.is_err() {
            // Never hand on a connection whose transaction state is in doubt.
            drop(Object::take(client));
        }
        outcome
    }

    /// Like [`Db::as_user`] for work that writes: the user's profile row is created
    /// first if this is their first write (see [`crate::begin_user_write`]).
    pub async fn write_as<T>(
        &self,
        user: &AuthUser,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut client = self.client().await?;
        let tx = crate::begin_user_write(&mut client, user).await?;
        let out = work(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Run `work` in one transaction as the connection's own role, outside any
    /// user's row-level security: only for internal bookkeeping no user role may
    /// touch (the `storage_deletions` queue), never for a user's data.
    pub async fn as_service<T>(
        &self,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let out = work(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Pool occupancy, for logs and benchmarks.
    pub fn status(&self) -> deadpool_postgres::Status {
        self.pool.status()
    }
}
