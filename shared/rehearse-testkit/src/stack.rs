use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use aws_sdk_s3::config::{Credentials, Region, SharedCredentialsProvider};
use rehearse_db::{Db, DbConfig};
use rehearse_storage::{Storage, StorageConfig};
use secrecy::SecretString;

use crate::postgres;
use crate::process::{RunAs, alive};

const TEMPLATE_DB: &str = "rehearse_template";
const PLAIN_DB: &str = "rehearse_plain";
const S3_ACCESS_KEY: &str = "rehearse-test";
const S3_SECRET_KEY: &str = "rehearse-test-secret";

/// How a test reaches Postgres: straight to the server, or through PgBouncer in
/// transaction mode, the way production reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Direct,
    Pooler,
}

impl Via {
    pub const BOTH: [Via; 2] = [Via::Direct, Via::Pooler];
}

/// The servers shared by every test of this process.
#[derive(Debug)]
pub struct TestStack {
    pg_port: u16,
    bouncer_port: u16,
    s3_endpoint: String,
    dir: PathBuf,
    runtime: tokio::runtime::Handle,
}

static STACK: OnceLock<TestStack> = OnceLock::new();

impl TestStack {
    /// The process's stack, started on first use (a few seconds, once).
    pub fn get() -> &'static TestStack {
        STACK.get_or_init(start)
    }

    /// A new database with the full schema, private to the caller: prepared the
    /// way Supabase prepares one (its roles, `auth` schema and default grants to
    /// the API roles; see `supabase.rs`), then migrated.
    pub async fn database(&self) -> TestDatabase {
        self.copy_of(TEMPLATE_DB, "t").await
    }

    /// A new database migrated on plain Postgres (no `auth` schema, no default
    /// grants: what the local stack and RDS look like).
    pub async fn plain_database(&self) -> TestDatabase {
        self.copy_of(PLAIN_DB, "p").await
    }

    async fn copy_of(&self, template: &str, prefix: &str) -> TestDatabase {
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let admin = connect(&self.url(Via::Direct, "postgres")).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .unwrap_or_else(|e| panic!("create test database: {e}"));
        TestDatabase {
            direct: self.url(Via::Direct, &name),
            pooled: self.url(Via::Pooler, &name),
            name,
        }
    }

    /// A client logged in as `role` (the cluster trusts loopback), straight to
    /// the server: e.g. `authenticator`, as PostgREST logs in.
    pub async fn client_as(&self, database: &TestDatabase, role: &str) -> tokio_postgres::Client {
        connect(&SecretString::from(format!(
            "postgres://{role}@127.0.0.1:{}/{}?sslmode=disable",
            self.pg_port, database.name
        )))
        .await
    }

    /// A new, empty database without the schema (for migration tests).
    pub async fn empty_database(&self) -> TestDatabase {
        let name = format!("e_{}", uuid::Uuid::new_v4().simple());
        let admin = connect(&self.url(Via::Direct, "postgres")).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
            .await
            .unwrap_or_else(|e| panic!("create empty database: {e}"));
        TestDatabase {
            direct: self.url(Via::Direct, &name),
            pooled: self.url(Via::Pooler, &name),
            name,
        }
    }

    /// Storage configured for a new, empty bucket private to the caller.
    pub async fn storage(&self) -> Storage {
        let cfg = self.storage_config(&format!("t-{}", uuid::Uuid::new_v4().simple()));
        let storage = Storage::from_sdk_config(&cfg, &Self::sdk_config());
        storage
            .sdk()
            .create_bucket()
            .bucket(storage.bucket())
            .send()
            .await
            .unwrap_or_else(|e| panic!("create test bucket: {e:?}"));
        storage
    }

    /// Storage with this stack's credentials aimed at `endpoint`: for outages,
    /// e.g. [`refused_endpoint`] (the server stopped) or [`silent_endpoint`]
    /// (the server hung).
    pub fn storage_at(&self, endpoint: &str) -> Storage {
        let mut cfg = self.storage_config("outage");
        cfg.endpoint = Some(endpoint.to_owned());
        Storage::from_sdk_config(&cfg, &Self::sdk_config())
    }

    /// The configuration a function would read for `bucket` on this stack.
    pub fn storage_config(&self, bucket: &str) -> StorageConfig {
        StorageConfig {
            bucket: bucket.to_owned(),
            endpoint: Some(self.s3_endpoint.clone()),
            force_path_style: true,
            region: "us-east-1".into(),
            presign_ttl: StorageConfig::DEFAULT_PRESIGN_TTL,
        }
    }

    /// SDK settings with the test server's static credentials.
    pub fn sdk_config() -> aws_types::SdkConfig {
        aws_types::SdkConfig::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                S3_ACCESS_KEY,
                S3_SECRET_KEY,
                None,
                None,
                "rehearse-testkit",
            )))
            .build()
    }

    pub fn s3_endpoint(&self) -> &str {
        &self.s3_endpoint
    }

    /// The runtime the stack's in-process servers run on (it outlives every test's own).
    pub(crate) fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// Where this run keeps its data and server logs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn url(&self, via: Via, db: &str) -> SecretString {
        let port = match via {
            Via::Direct => self.pg_port,
            Via::Pooler => self.bouncer_port,
        };
        SecretString::from(format!(
            "postgres://postgres@127.0.0.1:{port}/{db}?sslmode=disable"
        ))
    }
}

/// One test's database, reachable directly or through the pooler.
#[derive(Debug)]
pub struct TestDatabase {
    pub name: String,
    direct: SecretString,
    pooled: SecretString,
}

impl TestDatabase {
    pub fn url(&self, via: Via) -> SecretString {
        match via {
            Via::Direct => self.direct.clone(),
            Via::Pooler => self.pooled.clone(),
        }
    }

    /// The configuration a function would read for this database.
    pub fn config(&self, via: Via) -> DbConfig {
        DbConfig {
            url: self.url(via),
            pool_size: 4,
            connect_timeout: Duration::from_secs(5),
            transaction_timeout: Duration::from_secs(5),
        }
    }

    /// A pool like the functions build, through `via`.
    pub fn db(&self, via: Via) -> Db {
        Db::new(&self.config(via)).unwrap_or_else(|e| panic!("test pool: {e}"))
    }

    /// A plain client, for assertions that look under the application's feet.
    pub async fn client(&self, via: Via) -> tokio_postgres::Client {
        connect(&self.url(via)).await
    }
}

async fn connect(url: &SecretString) -> tokio_postgres::Client {
    use secrecy::ExposeSecret;
    let (client, conn) = tokio_postgres::connect(url.expose_secret(), tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to test Postgres: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// Remove the directories of earlier runs whose process is gone.
fn sweep_stale(root: &Path) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let stale = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
            .is_some_and(|pid| !alive(pid));
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn start() -> TestStack {
    let (tx, rx) = std::sync::mpsc::channel();
    // A dedicated thread that never ends: the servers' parent-death signal is tied
    // to the thread that spawned them, and the S3 server runs on its runtime.
    std::thread::Builder::new()
        .name("rehearse-test-stack".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("test runtime: {e}"));
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(boot())));
            let failed = outcome.is_err();
            let _ = tx.send(outcome.map_err(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "test stack failed to start".into())
            }));
            if failed {
                return;
            }
            // Keep the runtime (and this thread) alive for the S3 server and the children.
            runtime.block_on(std::future::pending::<()>());
        })
        .unwrap_or_else(|e| panic!("spawn stack thread: {e}"));
    match rx.recv() {
        Ok(Ok(stack)) => stack,
        Ok(Err(msg)) => panic!("test stack failed to start: {msg}"),
        Err(_) => panic!("test stack thread died"),
    }
}

async fn boot() -> TestStack {
    let root = std::env::temp_dir().join("rehearse-test");
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("create {}: {e}", root.display()));
    sweep_stale(&root);
    let dir = root.join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    let (data, sock, bouncer, s3_root) = (
        dir.join("pg"),
        dir.join("sock"),
        dir.join("pgbouncer"),
        dir.join("s3"),
    );
    for d in [&dir, &sock, &bouncer, &s3_root] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("create {}: {e}", d.display()));
    }

    // Postgres
    let run_as = RunAs::detect();
    run_as.own(&dir);
    let bin = postgres::bin_dir();
    postgres::init_cluster(&bin, run_as, &data, &dir.join("initdb.log"));
    let pg_port = free_port();
    let mut pg = postgres::start_postgres(
        &bin,
        run_as,
        &data,
        &sock,
        pg_port,
        &dir.join("postgres.log"),
    );
    let direct = |db: &str| {
        SecretString::from(format!(
            "postgres://postgres@127.0.0.1:{pg_port}/{db}?sslmode=disable"
        ))
    };
    wait_ready(&direct("postgres"), &mut pg, &dir.join("postgres.log")).await;

    // The templates every test database is copied from, each migrated once:
    // first on plain Postgres (whose migration creates the roles it needs), then
    // one prepared as Supabase prepares a project's database.
    let admin = connect(&direct("postgres")).await;
    for db in [PLAIN_DB, TEMPLATE_DB] {
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .await
            .unwrap_or_else(|e| panic!("create template database {db}: {e}"));
    }
    rehearse_db::migrate(&direct(PLAIN_DB))
        .await
        .unwrap_or_else(|e| panic!("migrate the plain template database: {e:?}"));
    admin
        .batch_execute(crate::supabase::ROLES_SQL)
        .await
        .unwrap_or_else(|e| panic!("create Supabase's roles: {e}"));
    connect(&direct(TEMPLATE_DB))
        .await
        .batch_execute(crate::supabase::DATABASE_SQL)
        .await
        .unwrap_or_else(|e| panic!("prepare the template database as Supabase does: {e}"));
    rehearse_db::migrate(&direct(TEMPLATE_DB))
        .await
        .unwrap_or_else(|e| panic!("migrate the template database: {e:?}"));

    // PgBouncer
    let bouncer_port = free_port();
    let mut pgb = postgres::start_pgbouncer(run_as, &bouncer, pg_port, bouncer_port);
    let pooled = SecretString::from(format!(
        "postgres://postgres@127.0.0.1:{bouncer_port}/postgres?sslmode=disable"
    ));
    wait_ready(&pooled, &mut pgb, &bouncer.join("pgbouncer.log")).await;
    // Children are reaped by the OS when this process exits; keep the handles alive.
    std::mem::forget(pg);
    std::mem::forget(pgb);

    // S3
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind S3 server: {e}"));
    let s3_port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        if let Err(e) = crate::s3::serve(listener, &s3_root, S3_ACCESS_KEY, S3_SECRET_KEY).await {
            eprintln!("test S3 server stopped: {e}");
        }
    });

    TestStack {
        pg_port,
        bouncer_port,
        s3_endpoint: format!("http://127.0.0.1:{s3_port}"),
        dir,
        runtime: tokio::runtime::Handle::current(),
    }
}

async fn wait_ready(url: &SecretString, child: &mut std::process::Child, log: &Path) {
    use secrecy::ExposeSecret;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "server exited with {status} before accepting connections; log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        match tokio_postgres::connect(url.expose_secret(), tokio_postgres::NoTls).await {
            Ok((client, conn)) => {
                let driver = tokio::spawn(conn);
                let ok = client.simple_query("SELECT 1").await.is_ok();
                drop(client);
                let _ = driver.await;
                if ok {
                    return;
                }
            }
            Err(_) if Instant::now() < deadline => {}
            Err(e) => panic!(
                "server not ready after 60 s: {e}; log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An address where nothing listens: a stopped server (connections refused).
pub fn refused_endpoint() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

/// A server that accepts connections and never answers, like a paused (SIGSTOP)
/// or black-holed one. Holds its connections until the returned task is aborted.
pub async fn silent_endpoint() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (format!("http://127.0.0.1:{port}"), task)
}
