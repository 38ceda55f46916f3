//! A Postgres cluster of one test's own, which that test may stop and start
//! again: for outages that must not hit the other tests sharing the stack.

use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use rehearse_db::{Db, DbConfig};
use secrecy::SecretString;

use crate::postgres;
use crate::process::RunAs;

/// A migrated database `rehearse` on a cluster of its own. The server dies with
/// the test's thread (or when this is dropped).
#[derive(Debug)]
pub struct PrivatePostgres {
    dir: PathBuf,
    port: u16,
    run_as: RunAs,
    server: Option<Child>,
}

impl PrivatePostgres {
    /// `initdb`, start, create and migrate the database (a few seconds).
    pub async fn start() -> Self {
        let root = crate::TestStack::get()
            .dir()
            .join(format!("private-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(root.join("sock"))
            .unwrap_or_else(|e| panic!("create {}: {e}", root.display()));
        let run_as = RunAs::detect();
        run_as.own(&root);
        postgres::init_cluster(
            &postgres::bin_dir(),
            run_as,
            &root.join("pg"),
            &root.join("initdb.log"),
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let mut pg = Self {
            dir: root,
            port,
            run_as,
            server: None,
        };
        pg.resume().await;
        let (admin, conn) = tokio_postgres::connect(&pg.url("postgres"), tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("connect to the private cluster: {e}"));
        tokio::spawn(conn);
        admin
            .batch_execute("CREATE DATABASE rehearse")
            .await
            .unwrap_or_else(|e| panic!("create database: {e}"));
        rehearse_db::migrate(&SecretString::from(pg.url("rehearse")))
            .await
            .unwrap_or_else(|e| panic!("migrate the private cluster: {e:?}"));
        pg
    }

    fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// A pool like the functions build, with short timeouts.
    pub fn db(&self) -> Db {
        Db::new(&DbConfig {
            url: SecretString::from(self.url("rehearse")),
            pool_size: 2,
            connect_timeout: Duration::from_secs(2),
            transaction_timeout: Duration::from_secs(5),
        })
        .unwrap_or_else(|e| panic!("private pool: {e}"))
    }

    /// Shut the server down (fast mode: connections are ended, as in a restart
    /// or a failover) and wait until it is gone.
    pub fn stop(&mut self) {
        let Some(mut server) = self.server.take() else {
            return;
        };
        if let Ok(pid) = i32::try_from(server.id()) {
            // SAFETY: signalling our own child process.
            #[allow(unsafe_code)]
            unsafe {
                libc::kill(pid, libc::SIGINT);
            }
        }
        let _ = server.wait();
    }

    /// Start the server again on the same data and port; returns once it
    /// accepts connections.
    pub async fn resume(&mut self) {
        if self.server.is_some() {
            return;
        }
        let child = postgres::start_postgres(
            &postgres::bin_dir(),
            self.run_as,
            &self.dir.join("pg"),
            &self.dir.join("sock"),
            self.port,
            &self.dir.join("postgres.log"),
        );
        self.server = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok((client, conn)) =
                tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls).await
            {
                let driver = tokio::spawn(conn);
                let ok = client.simple_query("SELECT 1").await.is_ok();
                drop(client);
                let _ = driver.await;
                if ok {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "private Postgres did not start; log:\n{}",
                std::fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
