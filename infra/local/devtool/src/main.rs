//! `rehearse-dev`: tooling for the local stack (`infra/local/serve.sh`), never deployed.
//!
//! - `s3-server`: the S3-compatible server the local stack stores resumes in (the same
//!   SigV4-checking `s3s-fs` the tests use), so no separate install is needed.
//! - `ensure-bucket`: creates `RESUME_BUCKET` on `S3_ENDPOINT` if it does not exist.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use rehearse_storage::{Storage, StorageConfig};

#[derive(Debug, Parser)]
#[command(
    name = "rehearse-dev",
    about = "Local development tooling for Rehearse"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve an S3-compatible API from a directory until interrupted.
    S3Server {
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        #[arg(long, default_value_t = 9100)]
        port: u16,
        #[arg(long, env = "AWS_ACCESS_KEY_ID")]
        access_key: String,
        #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
        secret_key: String,
        /// Where objects are kept (one directory per bucket).
        root: PathBuf,
    },
    /// Create the bucket named by RESUME_BUCKET on S3_ENDPOINT unless it exists.
    EnsureBucket,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::S3Server {
            host,
            port,
            access_key,
            secret_key,
            root,
        } => {
            std::fs::create_dir_all(&root).with_context(|| format!("create {}", root.display()))?;
            let listener = tokio::net::TcpListener::bind((host.as_str(), port))
                .await
                .with_context(|| format!("bind {host}:{port}"))?;
            eprintln!(
                "rehearse-dev: S3 server on http://{host}:{port}, data in {}",
                root.display()
            );
            tokio::select! {
                served = rehearse_testkit::s3::serve(listener, &root, &access_key, &secret_key) => served?,
                _ = tokio::signal::ctrl_c() => {}
            }
            Ok(())
        }
        Command::EnsureBucket => {
            let cfg = StorageConfig::require(&rehearse_core::config::ProcessEnv)?;
            let storage = Storage::new(&cfg).await;
            if storage
                .check(std::time::Duration::from_secs(3))
                .await
                .is_ok()
            {
                eprintln!("rehearse-dev: bucket {} exists", cfg.bucket);
                return Ok(());
            }
            storage
                .sdk()
                .create_bucket()
                .bucket(&cfg.bucket)
                .send()
                .await
                .with_context(|| format!("create bucket {}", cfg.bucket))?;
            eprintln!("rehearse-dev: created bucket {}", cfg.bucket);
            Ok(())
        }
    }
}
