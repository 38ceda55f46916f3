//! The child side: apply the limits, parse stdin, answer on stdout, exit.

use std::ffi::OsString;
use std::future::Future;
use std::io::{self, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use rehearse_resume::{Limits, PdfError, Resume};

use crate::WORKER_ENV;
use crate::wire::{self, Reply, WireError, WorkerSettings};

/// In the isolated child (the parent set [`WORKER_ENV`]): parse the PDF on stdin
/// with `rehearse_resume::parse_pdf`, answer on stdout and exit the process.
/// Otherwise return at once.
///
/// Call it as the first line of `main`, before the tokio runtime or any other
/// thread exists: the worker must not start the function's machinery, and its
/// address-space limit should not have to fit a runtime's thread stacks.
pub fn run_worker_if_requested() {
    run_worker_if_requested_with(rehearse_resume::parse_pdf);
}

/// The `main` of an executable that parses in isolated workers (itself, re-run):
/// in the worker, [`run_worker_if_requested`] parses and exits before any
/// runtime or thread exists; otherwise `main` runs to completion on a new
/// current-thread tokio runtime, as every function's `#[tokio::main(flavor =
/// "current_thread")]` runs it (see `rehearse_http::serve`).
pub fn run_worker_or_block_on<T, E>(main: impl Future<Output = Result<T, E>>) -> Result<T, E>
where
    E: From<io::Error>,
{
    run_worker_if_requested();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(main)
}

/// [`run_worker_if_requested`] with another parse function: tests use it to
/// stand in a parser that hangs, spins or allocates without bound.
pub fn run_worker_if_requested_with<F>(parse: F)
where
    F: FnOnce(&[u8], &Limits) -> Result<Resume, PdfError>,
{
    let Some(settings) = std::env::var_os(WORKER_ENV) else {
        return;
    };
    let code = work(settings, parse);
    std::process::exit(code);
}

fn work<F>(settings: OsString, parse: F) -> i32
where
    F: FnOnce(&[u8], &Limits) -> Result<Resume, PdfError>,
{
    // The default hook prints the panic message, which a parser may have built
    // from the document's text: say only where it happened.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            io::stderr(),
            "rehearse-isolate worker: parser panicked at {at}"
        );
    }));

    let settings: WorkerSettings =
        match settings.to_str().and_then(|s| serde_json::from_str(s).ok()) {
            Some(s) => s,
            None => {
                return answer(
                    &Reply::Err(WireError::setup("unreadable worker settings")),
                    2,
                );
            }
        };
    // Never parse without the limits: that is the whole point of the worker.
    if let Err(e) = apply_limits(&settings) {
        return answer(
            &Reply::Err(WireError::setup(format!("could not limit the worker: {e}"))),
            2,
        );
    }

    let limits = settings.limits();
    let mut bytes = Vec::new();
    // One byte over the limit is enough to know the file is too large.
    let cap = limits.max_bytes.saturating_add(1) as u64;
    if let Err(e) = io::stdin().lock().take(cap).read_to_end(&mut bytes) {
        return answer(
            &Reply::Err(WireError::setup(format!(
                "could not read the document: {e}"
            ))),
            2,
        );
    }
    if bytes.len() > limits.max_bytes {
        let e = PdfError::TooLarge {
            limit: limits.max_bytes,
        };
        return answer(&Reply::Err(WireError::from(&e)), 0);
    }

    let reply = match catch_unwind(AssertUnwindSafe(|| parse(&bytes, &limits))) {
        Ok(Ok(resume)) => Reply::Ok(Box::new(resume)),
        Ok(Err(e)) => Reply::Err(WireError::from(&e)),
        Err(_) => Reply::Err(WireError::from(&PdfError::Unreadable(
            "the parser failed on this file".into(),
        ))),
    };
    answer(&reply, 0)
}

fn answer(reply: &Reply, code: i32) -> i32 {
    let mut out = io::stdout().lock();
    // If the parent is gone there is no one to tell; the exit code is all that is left.
    let _ = out
        .write_all(&wire::encode(reply))
        .and_then(|()| out.flush());
    code
}

/// Address space (so a runaway allocation fails inside the child), CPU time (so
/// an orphaned child still ends), no files written and no core dumps (which would
/// hold the document).
fn apply_limits(s: &WorkerSettings) -> io::Result<()> {
    set_limit(libc::RLIMIT_AS, s.memory_limit_bytes, s.memory_limit_bytes)?;
    // Soft: SIGXCPU; a second later the hard limit's SIGKILL, should SIGXCPU be caught.
    set_limit(
        libc::RLIMIT_CPU,
        s.cpu_limit_seconds,
        s.cpu_limit_seconds.saturating_add(1),
    )?;
    set_limit(libc::RLIMIT_FSIZE, 0, 0)?;
    set_limit(libc::RLIMIT_CORE, 0, 0)?;
    Ok(())
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// Lower `resource` to `soft`/`hard`, never above the hard limit already in
/// force (raising it would need privileges the Lambda sandbox does not give).
fn set_limit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the `rlimit` it is given, a valid local that
    // outlives the call.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::getrlimit(resource, &mut current) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    let hard = (hard as libc::rlim_t).min(current.rlim_max);
    let wanted = libc::rlimit {
        rlim_cur: (soft as libc::rlim_t).min(hard),
        rlim_max: hard,
    };
    // SAFETY: setrlimit only reads the `rlimit` it is given, a valid initialised
    // local that outlives the call.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::setrlimit(resource, &wanted) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_worker_main_runs_to_completion_on_a_tokio_runtime() {
        // The test process is never a worker: the parent sets WORKER_ENV only
        // in the children it spawns.
        assert!(std::env::var_os(WORKER_ENV).is_none());
        let answer: Result<u32, io::Error> = run_worker_or_block_on(async {
            let handle = tokio::runtime::Handle::try_current();
            assert!(handle.is_ok(), "no runtime around main");
            tokio::task::spawn(async { 41 })
                .await
                .map(|n| n + 1)
                .map_err(io::Error::other)
        });
        assert_eq!(answer.unwrap(), 42);
    }
}
