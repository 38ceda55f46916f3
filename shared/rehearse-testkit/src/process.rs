//! Child processes that die with the test process, run as an unprivileged user.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Who the database servers run as: ourselves, or `postgres` (else `nobody`) when
/// we are root, because Postgres refuses to run as root.
#[derive(Debug, Clone, Copy)]
pub struct RunAs {
    pub uid: u32,
    pub gid: u32,
}

impl RunAs {
    pub fn detect() -> Self {
        // SAFETY: geteuid/getegid cannot fail and have no preconditions.
        #[allow(unsafe_code)]
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        if uid != 0 {
            return Self { uid, gid };
        }
        for name in [c"postgres", c"nobody"] {
            // SAFETY: getpwnam takes a valid NUL-terminated string; the returned
            // record is read immediately, before any other call could reuse it.
            #[allow(unsafe_code)]
            let found = unsafe {
                let pw = libc::getpwnam(name.as_ptr());
                (!pw.is_null()).then(|| ((*pw).pw_uid, (*pw).pw_gid))
            };
            if let Some((uid, gid)) = found {
                return Self { uid, gid };
            }
        }
        panic!(
            "running as root, but there is neither a `postgres` nor a `nobody` user to run Postgres as"
        );
    }

    /// Give `path` (and everything under it) to this user.
    pub fn own(&self, path: &Path) {
        let status = Command::new("chown")
            .arg("-R")
            .arg(format!("{}:{}", self.uid, self.gid))
            .arg(path)
            .status()
            .unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
        assert!(status.success(), "chown {} failed", path.display());
    }

    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.uid(self.uid).gid(self.gid).env_remove("PGDATA");
        cmd
    }
}

/// Start `cmd` so that it gets `signal` when this process exits, however it exits.
///
/// The parent-death signal fires when the *thread* that spawned the child ends, so
/// callers spawn from the stack's own thread, which lives as long as the process.
pub fn spawn_tied(mut cmd: Command, signal: libc::c_int, log: &Path) -> Child {
    let out =
        std::fs::File::create(log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
    let err = out.try_clone().unwrap_or_else(|e| panic!("dup log: {e}"));
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    // SAFETY: the closure runs in the forked child before exec and calls only
    // async-signal-safe functions (prctl, getppid, kill). It runs after the uid
    // change, which matters: changing credentials clears the parent-death signal.
    #[allow(unsafe_code)]
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect.
            if libc::getppid() == 1 {
                libc::kill(libc::getpid(), signal);
            }
            Ok(())
        });
    }
    cmd.spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()))
}

/// Whether process `pid` is still alive (for cleaning up after crashed runs).
pub fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence and permission.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
