//! The parent side: spawn the worker, feed it, bound it, read its answer.

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Instant;

use rehearse_resume::{PdfError, Resume};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

use crate::wire::{self, Reply, WORKER_SETUP_CODE, WorkerSettings};
use crate::{IsolateConfig, WORKER_ENV};

/// How much of the worker's stderr is kept for the log (the runtime's own
/// "memory allocation failed" or "stack overflow" line fits easily).
const STDERR_KEPT_BYTES: usize = 2048;

/// Why an isolated parse produced no resume.
#[derive(Debug, thiserror::Error)]
pub enum IsolateError {
    /// The file's doing (a 4xx): the parser rejected it, or the worker crashed,
    /// ran out of memory or CPU, timed out or answered garbage on it.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// Ours (a 5xx): the worker could not be started or set up at all.
    #[error("could not run the isolated parser")]
    Worker(#[source] io::Error),
}

/// The program the worker runs as: normally this very executable.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    program: PathBuf,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
}

impl WorkerCommand {
    /// `program` with no arguments and an empty environment (plus [`WORKER_ENV`]).
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// The running executable: on Lambda, the function's own `bootstrap`.
    pub fn current_exe() -> io::Result<Self> {
        std::env::current_exe().map(Self::new)
    }

    /// This test binary re-run as a worker: libtest runs only the test
    /// `<module_path minus the crate>::<test_name>`, which must call
    /// [`crate::run_worker_if_requested`] (or `_with`). Ignored tests are
    /// selected too, so mark that entry `#[ignore]`: outside the worker it is
    /// no test and has nothing to assert. Pass `module_path!()` of the module
    /// holding it.
    pub fn test_harness(module_path: &str, test_name: &str) -> io::Result<Self> {
        let test = match module_path.split_once("::") {
            Some((_crate, module)) => format!("{module}::{test_name}"),
            None => test_name.to_owned(),
        };
        Ok(Self::current_exe()?.args([
            "--exact",
            &test,
            "--include-ignored",
            "--nocapture",
            "--test-threads",
            "1",
            "--quiet",
        ]))
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// A variable for the worker's otherwise empty environment.
    pub fn env(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.envs.push((name.into(), value.into()));
        self
    }
}

/// Runs parses in worker processes. Build it once per cold start.
#[derive(Debug, Clone)]
pub struct Isolator {
    command: WorkerCommand,
    config: IsolateConfig,
    settings: String,
}

/// What came back from one worker run that ended by itself.
struct Exchange {
    status: ExitStatus,
    stdout: Vec<u8>,
    stdout_overflowed: bool,
    stderr: Vec<u8>,
}

impl Isolator {
    pub fn new(command: WorkerCommand, config: IsolateConfig) -> Self {
        let settings = WorkerSettings::new(
            &config.limits,
            config.memory_limit_bytes,
            config.cpu_limit_seconds,
        );
        // Plain numbers: serializing them cannot fail.
        let settings = serde_json::to_string(&settings).unwrap_or_default();
        Self {
            command,
            config,
            settings,
        }
    }

    /// Workers running this executable (what every function uses).
    pub fn for_current_exe(config: IsolateConfig) -> io::Result<Self> {
        Ok(Self::new(WorkerCommand::current_exe()?, config))
    }

    pub fn config(&self) -> &IsolateConfig {
        &self.config
    }

    /// Parse `pdf` in a fresh worker process. However the worker ends, this
    /// returns within the configured timeout (plus the moment a kill takes).
    pub async fn parse(&self, pdf: &[u8]) -> Result<Resume, IsolateError> {
        if pdf.len() > self.config.limits.max_bytes {
            return Err(PdfError::TooLarge {
                limit: self.config.limits.max_bytes,
            }
            .into());
        }
        let started = Instant::now();
        let mut child = Command::new(&self.command.program)
            .args(&self.command.args)
            // The worker needs nothing from our environment, and a parser exploit
            // should find no database URL or signing secret there.
            .env_clear()
            .envs(self.command.envs.iter().map(|(k, v)| (k, v)))
            .env(WORKER_ENV, &self.settings)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(IsolateError::Worker)?;

        let limit = self.config.timeout;
        let outcome = tokio::time::timeout(
            limit,
            exchange(&mut child, pdf, self.config.max_output_bytes),
        )
        .await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let done = match outcome {
            Ok(Ok(done)) => done,
            Ok(Err(e)) => {
                kill(&mut child).await;
                return Err(IsolateError::Worker(e));
            }
            Err(_) => {
                kill(&mut child).await;
                tracing::warn!(elapsed_ms, "PDF parser worker killed at its timeout");
                return Err(unreadable(format!(
                    "reading it took longer than {} s",
                    limit.as_secs_f32()
                )));
            }
        };

        let reply = wire::decode(&done.stdout);
        if let Some(Reply::Err(e)) = &reply
            && e.code == WORKER_SETUP_CODE
        {
            tracing::error!(error = %e.message, "PDF parser worker could not set itself up");
            return Err(IsolateError::Worker(io::Error::other(e.message.clone())));
        }
        if !done.status.success() {
            tracing::warn!(
                elapsed_ms,
                status = %done.status,
                stderr = %String::from_utf8_lossy(&done.stderr),
                "PDF parser worker died"
            );
            return Err(unreadable(
                "the parser stopped on it (out of memory, CPU time or stack)".into(),
            ));
        }
        if done.stdout_overflowed {
            tracing::warn!(elapsed_ms, "PDF parser worker answered too much");
            return Err(unreadable("the parser's answer was too large".into()));
        }
        match reply {
            Some(Reply::Ok(resume)) => {
                tracing::debug!(elapsed_ms, "PDF parsed in a worker");
                Ok(*resume)
            }
            Some(Reply::Err(e)) => Err(e.into_pdf_error().into()),
            None => {
                tracing::warn!(elapsed_ms, "PDF parser worker answered garbage");
                Err(unreadable("the parser gave no usable answer".into()))
            }
        }
    }
}

fn unreadable(detail: String) -> IsolateError {
    IsolateError::Pdf(PdfError::Unreadable(detail))
}

/// Feed the worker and read both its outputs at the same time (a child blocked
/// writing a full pipe would otherwise never finish reading its input), then
/// reap it.
async fn exchange(child: &mut Child, input: &[u8], max_output: usize) -> io::Result<Exchange> {
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(io::Error::other("worker pipes missing"));
    };
    let feed = async move {
        // A worker that dies (or stops reading) early breaks the pipe: its exit
        // status says what happened, so the write error itself is not interesting.
        let _ = stdin.write_all(input).await;
        let _ = stdin.shutdown().await;
    };
    let (_, out, err) = tokio::join!(
        feed,
        read_capped(stdout, max_output),
        read_capped(stderr, STDERR_KEPT_BYTES)
    );
    let (stdout, stdout_overflowed) = out?;
    let (stderr, _) = err?;
    let status = child.wait().await?;
    Ok(Exchange {
        status,
        stdout,
        stdout_overflowed,
        stderr,
    })
}

/// Everything until EOF, keeping the first `cap` bytes: the rest is drained so
/// the child never blocks on a full pipe (the timeout bounds how long it may talk).
async fn read_capped(mut from: impl AsyncRead + Unpin, cap: usize) -> io::Result<(Vec<u8>, bool)> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut overflowed = false;
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            return Ok((kept, overflowed));
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(buf.get(..n.min(room)).unwrap_or_default());
        overflowed |= n > room;
    }
}

async fn kill(child: &mut Child) {
    // Already exited is fine; either way, reap it so no zombie is left behind.
    let _ = child.start_kill();
    let _ = child.wait().await;
}
