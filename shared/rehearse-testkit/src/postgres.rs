//! Finding and starting the system's Postgres and PgBouncer binaries.

use std::path::{Path, PathBuf};
use std::process::Child;

use crate::process::{RunAs, spawn_tied};

const INSTALL_HINT: &str = "install them with `apt-get install -y postgresql pgbouncer` \
     (infra/local/test.sh does this for you), or point REHEARSE_PG_BIN at the directory holding initdb";

/// The directory holding `initdb` and `postgres`: `$REHEARSE_PG_BIN`, else the
/// newest `/usr/lib/postgresql/<n>/bin`, else whatever `pg_config --bindir` says.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("REHEARSE_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    if let Ok(out) = std::process::Command::new("pg_config")
        .arg("--bindir")
        .output()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    panic!("Postgres server binaries not found; {INSTALL_HINT}");
}

pub fn pgbouncer_bin() -> PathBuf {
    for candidate in [
        "/usr/sbin/pgbouncer",
        "/usr/bin/pgbouncer",
        "/usr/local/bin/pgbouncer",
    ] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!("pgbouncer not found; {INSTALL_HINT}");
}

/// `initdb` a new cluster in `data` (tuned for throwaway use: no fsync).
pub fn init_cluster(bin: &Path, run_as: RunAs, data: &Path, log: &Path) {
    let out = run_as
        .command(&bin.join("initdb"))
        .arg("-D")
        .arg(data)
        .args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run initdb: {e}; {INSTALL_HINT}"));
    let _ = std::fs::write(log, [&out.stdout[..], &out.stderr[..]].concat());
    assert!(
        out.status.success(),
        "initdb failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn start_postgres(
    bin: &Path,
    run_as: RunAs,
    data: &Path,
    socket_dir: &Path,
    port: u16,
    log: &Path,
) -> Child {
    let mut cmd = run_as.command(&bin.join("postgres"));
    cmd.arg("-D")
        .arg(data)
        .arg("-p")
        .arg(port.to_string())
        .arg("-k")
        .arg(socket_dir)
        .args([
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=300",
            "-c",
            "shared_buffers=64MB",
        ]);
    // SIGQUIT: immediate shutdown; nothing in a throwaway cluster is worth a checkpoint.
    spawn_tied(cmd, libc::SIGQUIT, log)
}

pub fn start_pgbouncer(run_as: RunAs, dir: &Path, pg_port: u16, port: u16) -> Child {
    let users = dir.join("userlist.txt");
    std::fs::write(&users, "\"postgres\" \"\"\n").unwrap_or_else(|e| panic!("write userlist: {e}"));
    let ini = dir.join("pgbouncer.ini");
    // Transaction pooling with two server connections per database: the same
    // constraints as Supabase's pooler or RDS Proxy in front of a Lambda fleet.
    let config = format!(
        "[databases]\n\
         * = host=127.0.0.1 port={pg_port} user=postgres\n\
         [pgbouncer]\n\
         listen_addr = 127.0.0.1\n\
         listen_port = {port}\n\
         unix_socket_dir =\n\
         auth_type = trust\n\
         auth_file = {users}\n\
         pool_mode = transaction\n\
         default_pool_size = 2\n\
         max_client_conn = 1000\n\
         ignore_startup_parameters = extra_float_digits\n\
         admin_users = postgres\n",
        users = users.display(),
    );
    std::fs::write(&ini, config).unwrap_or_else(|e| panic!("write pgbouncer.ini: {e}"));
    run_as.own(dir);
    let mut cmd = run_as.command(&pgbouncer_bin());
    cmd.arg(&ini);
    spawn_tied(cmd, libc::SIGINT, &dir.join("pgbouncer.log"))
}
