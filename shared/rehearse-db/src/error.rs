/// Everything that can go wrong talking to Postgres.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database configuration: {0}")]
    Config(String),
    #[error("could not get a database connection")]
    Pool(#[source] deadpool_postgres::PoolError),
    #[error("database query failed")]
    Query(#[from] tokio_postgres::Error),
    #[error("migration failed")]
    Migration(#[from] refinery::Error),
    #[error("database did not answer within {0:?}")]
    Timeout(std::time::Duration),
    /// Something the schema or our own logic guarantees did not hold: a bug.
    #[error("database invariant broken: {0}")]
    Invariant(&'static str),
}

impl From<deadpool_postgres::PoolError> for DbError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        // A query error surfaced through the pool (e.g. while recycling) is still a query error.
        match e {
            deadpool_postgres::PoolError::Backend(pg) => Self::Query(pg),
            other => Self::Pool(other),
        }
    }
}

impl DbError {
    /// The SQLSTATE of a server-side error, e.g. `23505` for a unique violation.
    pub fn sql_state(&self) -> Option<&tokio_postgres::error::SqlState> {
        match self {
            Self::Query(e) => e.code(),
            _ => None,
        }
    }

    /// The violated constraint's name, so callers can turn the violations that are
    /// the client's doing (a duplicate, a dangling reference) into 409/422.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            Self::Query(e) => e.as_db_error().and_then(|d| d.constraint()),
            _ => None,
        }
    }

    /// True when the database could not be reached or could not serve (as
    /// opposed to a query it rejected): callers answer 503 rather than 500. A
    /// refused or closed connection, a pool or transaction timeout, and the
    /// server's own "try later" errors: SQLSTATE class 08 (connection exception),
    /// 57P01-57P03 (shutting down, crashed, not accepting connections yet), 53300
    /// (too many connections).
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Pool(_) | Self::Timeout(_) => true,
            Self::Query(_) => self.connection_broke() || self.is_server_unavailable(),
            Self::Config(_) | Self::Migration(_) | Self::Invariant(_) => false,
        }
    }

    /// True when the connection itself failed under a query (closed, reset, or
    /// ended by the server): nothing more can be done on it, and a transaction
    /// that had not sent its commit committed nothing, so it may be retried on a
    /// fresh connection.
    pub fn connection_broke(&self) -> bool {
        use tokio_postgres::error::SqlState;
        match self {
            Self::Query(e) => {
                e.is_closed()
                    || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
                    || e.code().is_some_and(|c| {
                        c.code().starts_with("08")
                            || *c == SqlState::ADMIN_SHUTDOWN
                            || *c == SqlState::CRASH_SHUTDOWN
                    })
            }
            _ => false,
        }
    }

    fn is_server_unavailable(&self) -> bool {
        use tokio_postgres::error::SqlState;
        self.sql_state().is_some_and(|c| {
            *c == SqlState::CANNOT_CONNECT_NOW || *c == SqlState::TOO_MANY_CONNECTIONS
        })
    }
}
