//! `rehearse-dev`: tooling for the local stack (`infra/local/serve.sh`), never deployed.
//!
//! - `s3-server`: the S3-compatible server the local stack stores resumes in (the same
//!   SigV4-checking `s3s-fs` the tests use), so no separate install is needed.
//! - `ensure-bucket`: creates `RESUME_BUCKET` on `S3_ENDPOINT` if it does not exist.
//! - `token`: mints an access token the running local stack accepts (HS256 with the
//!   `SUPABASE_JWT_SECRET` of `.env`), for trying signed-in routes with curl.
//! - `event`: prints a stored API Gateway event with a freshly minted token in its
//!   Authorization header, for `cargo lambda invoke`.
//!
//! Settings come from the environment, after loading `.env` from the working directory.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use rehearse_core::UserId;
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

#[derive(Debug, clap::Args)]
struct Identity {
    /// The user's id (the token's `sub`); a fixed one per email when omitted.
    #[arg(long)]
    user_id: Option<uuid::Uuid>,
    #[arg(long, default_value = "dev@example.com")]
    email: String,
    #[arg(long, default_value = "Local Developer")]
    name: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    ttl: i64,
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
    /// Print an access token for the local stack.
    Token(Identity),
    /// Print the text extracted from a PDF, line by line with positions.
    Extract { file: PathBuf },
    /// Print the resume JSON parsed from a PDF.
    Parse { file: PathBuf },
    /// Print an events/ file with a fresh token in its Authorization header.
    Event {
        file: PathBuf,
        #[command(flatten)]
        identity: Identity,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A missing .env is fine: the variables may come from the shell.
    let _ = dotenvy::dotenv();
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
            let storage = Storage::new(&cfg);
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
        Command::Extract { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("read {}", file.display()))?;
            let extracted = rehearse_pdf::extract(&bytes, &rehearse_pdf::Limits::default())?;
            for (n, page) in extracted.pages.iter().enumerate() {
                for l in page {
                    #[allow(clippy::print_stdout)]
                    {
                        println!(
                            "p{} c{} y{:>6.1} x{:>5.1} s{:>4.1}{} | {}",
                            n + 1,
                            l.column,
                            l.y,
                            l.x,
                            l.size,
                            if l.bold { " B" } else { "  " },
                            l.text.replace('\t', " ⇥ ")
                        );
                    }
                }
            }
            Ok(())
        }
        Command::Parse { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("read {}", file.display()))?;
            let resume = rehearse_resume::parse_pdf(&bytes, &rehearse_resume::Limits::default())?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", serde_json::to_string_pretty(&resume)?);
            }
            Ok(())
        }
        Command::Token(identity) => {
            #[allow(clippy::print_stdout)]
            {
                println!("{}", mint(&identity)?);
            }
            Ok(())
        }
        Command::Event { file, identity } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("read {}", file.display()))?;
            let mut event: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", file.display()))?;
            let Some(headers) = event.get_mut("headers").and_then(|h| h.as_object_mut()) else {
                bail!("{} has no headers object", file.display());
            };
            headers.insert(
                "authorization".into(),
                format!("Bearer {}", mint(&identity)?).into(),
            );
            #[allow(clippy::print_stdout)]
            {
                println!("{}", serde_json::to_string_pretty(&event)?);
            }
            Ok(())
        }
    }
}

/// A token signed like Supabase's legacy HS256 tokens, with the local stack's secret
/// and, when `SUPABASE_URL` is set, its issuer.
fn mint(identity: &Identity) -> anyhow::Result<String> {
    let secret = std::env::var("SUPABASE_JWT_SECRET")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .context("SUPABASE_JWT_SECRET is not set: run infra/local/serve.sh once to create .env")?;
    // Same email, same user: a developer's data survives re-minting.
    let user = identity.user_id.map(UserId::from).unwrap_or_else(|| {
        UserId::from(uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            identity.email.as_bytes(),
        ))
    });
    let mut claims = rehearse_testkit::tokens::claims(user, &identity.email);
    let now = rehearse_testkit::tokens::now();
    claims["exp"] = (now + identity.ttl).into();
    claims["user_metadata"]["full_name"] = identity.name.clone().into();
    match std::env::var("SUPABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => claims["iss"] = format!("{}/auth/v1", url.trim_end_matches('/')).into(),
        None => {
            if let Some(c) = claims.as_object_mut() {
                c.remove("iss");
            }
        }
    }
    Ok(rehearse_testkit::tokens::sign_hs256(&secret, &claims))
}
