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
    transaction_timeout: Duration,
}

/// Who a transaction runs as.
#[derive(Debug, Clone, Copy)]
pub enum Role<'a> {
    /// The verified user, under row-level security ([`crate::begin_as_user`]).
    User(&'a AuthUser),
    /// The same, creating the user's profile row first if this is their first
    /// write ([`crate::begin_user_write`]).
    Writer(&'a AuthUser),
    /// The connection's own role, outside any user's row-level security: only for
    /// internal bookkeeping and anonymous sessions, never a user's data.
    Service,
}

/// An error a transaction's work can fail with: it must say whether the
/// connection broke under it (so the transaction may be retried on a fresh one).
pub trait TransactionError: From<DbError> {
    fn connection_broke(&self) -> bool;
}

impl TransactionError for DbError {
    fn connection_broke(&self) -> bool {
        DbError::connection_broke(self)
    }
}

/// How one attempt failed: before its commit was sent (nothing is committed, so
/// it can be retried), or at or after it (the outcome is unknown, so it cannot).
enum Failed<E> {
    BeforeCommit(E),
    Unknown(E),
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
        Ok(Self {
            pool,
            transaction_timeout: cfg.transaction_timeout,
        })
    }

    /// A connection from the pool. The wait adds to the `db_pool_wait_ms`
    /// counter (a counter, not a histogram: the EMF recorder's histograms hold a
    /// bounded number of values between flushes, and a request may take many
    /// connections).
    pub async fn client(&self) -> Result<Object, DbError> {
        let started = std::time::Instant::now();
        let client = self.pool.get().await;
        let waited = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        metrics::counter!("db_pool_wait_ms").increment(waited);
        metrics::counter!("db_connections_taken").increment(1);
        Ok(client?)
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

    /// Run `work` in one transaction as `role`, committing when it succeeds and
    /// rolling back when it fails.
    ///
    /// Bounded by the configured transaction timeout (a hung server is a
    /// [`DbError::Timeout`], 503, not the function's whole timeout). When the
    /// connection breaks before the commit is sent (a server restarted, a pooler
    /// dropped it), nothing was committed: the transaction runs once more on a
    /// fresh connection, so `work` may run twice (a clone of it: closures over
    /// references are `Clone`) and must do nothing outside the transaction that
    /// cannot be repeated. A failure at the commit itself is
    /// never retried: whether it committed is unknown.
    pub async fn transaction<T, E: TransactionError>(
        &self,
        role: Role<'_>,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, E> + Clone,
    ) -> Result<T, E> {
        match self.attempt(role, work.clone()).await {
            Ok(out) => Ok(out),
            Err(Failed::BeforeCommit(e)) if e.connection_broke() => {
                tracing::warn!(
                    "database connection broke mid-transaction; retrying once on a fresh one"
                );
                match self.attempt(role, work).await {
                    Ok(out) => Ok(out),
                    Err(Failed::BeforeCommit(e) | Failed::Unknown(e)) => Err(e),
                }
            }
            Err(Failed::BeforeCommit(e) | Failed::Unknown(e)) => Err(e),
        }
    }

    async fn attempt<T, E: TransactionError>(
        &self,
        role: Role<'_>,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, Failed<E>> {
        let before = |e: DbError| Failed::BeforeCommit(E::from(e));
        let run = async {
            let mut client = self.client().await.map_err(before)?;
            let tx = match role {
                Role::User(user) => crate::begin_as_user(&mut client, user).await,
                Role::Writer(user) => crate::begin_user_write(&mut client, user).await,
                Role::Service => client.transaction().await.map_err(DbError::from),
            }
            .map_err(before)?;
            let out = work(&tx).await.map_err(Failed::BeforeCommit)?;
            tx.commit()
                .await
                .map_err(|e| Failed::Unknown(E::from(DbError::from(e))))?;
            Ok(out)
        };
        tokio::time::timeout(self.transaction_timeout, run)
            .await
            .unwrap_or_else(|_| {
                Err(Failed::Unknown(E::from(DbError::Timeout(
                    self.transaction_timeout,
                ))))
            })
    }

    /// Run `work` in one transaction as `user` (see [`Db::transaction`]).
    pub async fn as_user<T>(
        &self,
        user: &AuthUser,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DbError> + Clone,
    ) -> Result<T, DbError> {
        self.transaction(Role::User(user), work).await
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
        match self.read_text_as_user(user, sql).await? {
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|_| DbError::Invariant("the database sent JSON that does not parse")),
            None => Ok(None),
        }
    }

    /// [`Db::read_json_as_user`] without parsing: the column's text as the
    /// database sent it, for a caller that serves it (nearly) as it is.
    pub async fn read_text_as_user(
        &self,
        user: &AuthUser,
        sql: &'static str,
    ) -> Result<Option<String>, DbError> {
        let id = checked_id(user)?;
        let text = format!(
            "SELECT set_config('request.jwt.claim.sub', '{id}', true), \
                    set_config('role', 'rehearse_user', true); {}",
            sql.replace("$user", &format!("'{id}'::uuid"))
        );
        // The second statement's rows: the first returns exactly one row.
        Ok(self.simple_read(&text).await?.into_iter().nth(1).flatten())
    }

    /// One call, as one simple-protocol message, of a function that becomes
    /// `user` itself: `sql` (`'static`, the caller's id as `$user`, as
    /// [`Db::read_text_as_user`]) calls a `rehearse_private` function that sets
    /// the caller's id and switches to `rehearse_user`, transaction-local, then
    /// reads as the user, and returns NULL unless the switch took (migration
    /// V8). One statement where [`Db::read_text_as_user`] sends two. Only the
    /// connection's own login may execute such a function: never a user role.
    /// `None` when it returns no row or NULL.
    pub(crate) async fn read_text_switching_to(
        &self,
        user: &AuthUser,
        sql: &'static str,
    ) -> Result<Option<String>, DbError> {
        let text = sql.replace("$user", &format!("'{}'::uuid", checked_id(user)?));
        Ok(self.simple_read(&text).await?.into_iter().next().flatten())
    }

    /// The first column of each row `text` (simple protocol, one implicit
    /// transaction) returns. A read: retried once when the connection broke
    /// under it, all of it bounded by the transaction timeout.
    async fn simple_read(&self, text: &str) -> Result<Vec<Option<String>>, DbError> {
        let read = async || -> Result<_, DbError> {
            let client = self.client().await?;
            Ok(client.simple_query(text).await?)
        };
        let both = async {
            match read().await {
                Err(e) if e.connection_broke() => read().await,
                other => other,
            }
        };
        let messages = tokio::time::timeout(self.transaction_timeout, both)
            .await
            .map_err(|_| DbError::Timeout(self.transaction_timeout))??;
        Ok(messages
            .iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(row) => {
                    Some(row.try_get(0).ok().flatten().map(str::to_owned))
                }
                _ => None,
            })
            .collect())
    }

    /// Like [`Db::as_user`] for work that writes: the user's profile row is created
    /// first if this is their first write (see [`crate::begin_user_write`]).
    pub async fn write_as<T>(
        &self,
        user: &AuthUser,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DbError> + Clone,
    ) -> Result<T, DbError> {
        self.transaction(Role::Writer(user), work).await
    }

    /// Run `work` in one transaction as the connection's own role, outside any
    /// user's row-level security: only for internal bookkeeping no user role may
    /// touch (the `storage_deletions` queue), never for a user's data.
    pub async fn as_service<T>(
        &self,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DbError> + Clone,
    ) -> Result<T, DbError> {
        self.transaction(Role::Service, work).await
    }

    /// `work` (one statement on a pooled connection, outside any transaction),
    /// bounded by the transaction timeout.
    pub async fn bounded<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, DbError>>,
    ) -> Result<T, DbError> {
        tokio::time::timeout(self.transaction_timeout, work)
            .await
            .map_err(|_| DbError::Timeout(self.transaction_timeout))?
    }

    /// Pool occupancy, for logs and benchmarks.
    pub fn status(&self) -> deadpool_postgres::Status {
        self.pool.status()
    }
}

/// `user`'s id as text safe to put between quotes in SQL: the one value the
/// simple protocol's statements carry. A [`rehearse_core::UserId`] renders as
/// hex digits and dashes; anything else is refused rather than quoted.
fn checked_id(user: &AuthUser) -> Result<String, DbError> {
    let id = user.id.to_string();
    if !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return Err(DbError::Invariant("a user id did not render as a UUID"));
    }
    Ok(id)
}
