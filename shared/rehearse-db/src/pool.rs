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

    /// One read-only statement as `user` that returns one JSON value, sent as a
    /// single simple-protocol message: the role and the caller's id
    /// (transaction-local, as [`crate::begin_as_user`]) and the statement run as
    /// one implicit transaction, so row-level security costs no extra round trip
    /// and no `BEGIN`/`COMMIT` exchange (measured by `bench/dashboard.sh`).
    ///
    /// The simple protocol takes no parameters, so the only value put into the
    /// SQL is the caller's id, a [`rehearse_core::UserId`] rendered as a UUID
    /// (hex digits and dashes): `sql` is `'static` and names it `$user`. Only
    /// `request.jwt.claim.sub` is set, which the policies' caller id reads first
    /// (`rehearse_private.caller_id()`, as Supabase's `auth.uid()` does); policies
    /// needing other claims must use [`Db::as_user`].
    ///
    /// `sql` must select one `json`/`jsonb`/`text` column and return no row
    /// unless `current_setting('role') = 'rehearse_user'`, so that it can never
    /// read as the connection's own role. `None` when it returns no row or NULL.
    pub async fn read_json_as_user(
        &self,
        user: &AuthUser,
        sql: &'static str,
    ) -> Result<Option<serde_json::Value>, DbError> {
        let id = user.id.to_string();
        if !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            return Err(DbError::Invariant("a user id did not render as a UUID"));
        }
        let text = format!(
            "SELECT set_config('request.jwt.claim.sub', '{id}', true), \
                    set_config('role', 'rehearse_user', true); {}",
            sql.replace("$user", &format!("'{id}'::uuid"))
        );
        let client = self.client().await?;
        let messages = client.simple_query(&text).await?;
        // The second statement's rows: the first returns exactly one row.
        let mut rows = messages.iter().filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(row),
            _ => None,
        });
        let _settings = rows.next();
        match rows.next().and_then(|row| row.get(0)) {
            Some(json) => serde_json::from_str(json)
                .map(Some)
                .map_err(|_| DbError::Invariant("the database sent JSON that does not parse")),
            None => Ok(None),
        }
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
