//! A minimal Lambda: the Runtime API (one listener per function) and its
//! instances, real processes of the function's binary scaled the way Lambda
//! scales them. An invocation is queued; when every instance of the function is
//! busy (or still starting), a new one is started, up to a cap; instances stay
//! warm afterwards and each serves one invocation at a time (`/next`, then its
//! response).
//!
//! Runtime API (what `lambda_runtime` calls):
//! - `GET  /2018-06-01/runtime/invocation/next`
//! - `POST /2018-06-01/runtime/invocation/{id}/response`
//! - `POST /2018-06-01/runtime/invocation/{id}/error`
//! - `POST /2018-06-01/runtime/init/error`

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::{Notify, oneshot, watch};

/// What API Gateway got back for one invocation.
#[derive(Debug)]
pub enum Outcome {
    /// The function's response (`statusCode`, headers, body).
    Response {
        status: u16,
        retry_after: Option<u64>,
        body: Bytes,
    },
    /// The function reported an error (`/error`): API Gateway answers 500.
    FunctionError(String),
    /// No response within the function timeout (API Gateway answers 504), or
    /// the instance died under the invocation.
    Timeout,
}

struct Invocation {
    id: String,
    event: Bytes,
    reply: oneshot::Sender<Outcome>,
}

#[derive(Default)]
struct Counts {
    /// Invocations waiting for an instance.
    queued: usize,
    /// Invocations handed to an instance, not answered yet.
    busy: usize,
    /// Instances alive (starting, idle or busy).
    instances: usize,
    /// Instances ever started.
    started: usize,
    /// Instances that exited while the run was going.
    crashed: usize,
    /// Init errors reported (`/init/error`).
    init_errors: usize,
    /// Most instances alive at once.
    peak_instances: usize,
}

/// One function: its binary, its Runtime API, its instances.
pub struct Function {
    pub name: &'static str,
    binary: PathBuf,
    env: Vec<(String, String)>,
    log: PathBuf,
    cap: usize,
    timeout: Duration,
    port: u16,
    queue: Mutex<VecDeque<Invocation>>,
    arrived: Notify,
    pending: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    counts: Mutex<Counts>,
    pids: Mutex<HashSet<u32>>,
    shutdown: watch::Receiver<bool>,
    children: Mutex<tokio::task::JoinSet<()>>,
    next_id: AtomicU64,
    /// When the first instance was spawned and when it first polled `/next`.
    first_instance: Mutex<(Option<Instant>, Option<Instant>)>,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Function")
            .field("name", &self.name)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// How a function's instances fared.
#[derive(Debug, Clone, Copy)]
pub struct InstanceStats {
    pub started: usize,
    pub peak: usize,
    pub crashed: usize,
    pub init_errors: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Settings shared by every function of a run.
#[derive(Debug, Clone)]
pub struct Fleet {
    pub bin_dir: PathBuf,
    pub log_dir: PathBuf,
    pub env: Vec<(String, String)>,
    pub cap: usize,
    pub timeout: Duration,
    pub shutdown: watch::Receiver<bool>,
}

impl Function {
    /// Bind the function's Runtime API and serve it; no instance runs until the
    /// first invocation.
    pub async fn start(name: &'static str, fleet: &Fleet) -> Result<Arc<Self>> {
        let binary = fleet.bin_dir.join(name);
        if !binary.exists() {
            anyhow::bail!("{} not found (build it first)", binary.display());
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let function = Arc::new(Self {
            name,
            binary,
            env: fleet.env.clone(),
            log: fleet.log_dir.join(format!("{name}.log")),
            cap: fleet.cap,
            timeout: fleet.timeout,
            port,
            queue: Mutex::new(VecDeque::new()),
            arrived: Notify::new(),
            pending: Mutex::new(HashMap::new()),
            counts: Mutex::new(Counts::default()),
            pids: Mutex::new(HashSet::new()),
            shutdown: fleet.shutdown.clone(),
            children: Mutex::new(tokio::task::JoinSet::new()),
            next_id: AtomicU64::new(0),
            first_instance: Mutex::new((None, None)),
        });
        let api = function.clone();
        tokio::spawn(async move {
            let mut shutdown = api.shutdown.clone();
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    _ = shutdown.changed() => return,
                };
                let Ok((socket, _)) = accepted else { continue };
                let api = api.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let api = api.clone();
                        async move { Ok::<_, Infallible>(api.runtime_api(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Ok(function)
    }

    /// Invoke the function with an API Gateway event, as API Gateway does:
    /// wait for an instance, then for its response (at most the timeout).
    /// Also says whether this invocation started a new instance (a cold start).
    pub async fn invoke(self: &Arc<Self>, event: Bytes) -> (Outcome, bool) {
        let seq = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = format!("{}-{seq}-{}", self.name, uuid::Uuid::new_v4().simple());
        let (tx, rx) = oneshot::channel();
        lock(&self.queue).push_back(Invocation {
            id: id.clone(),
            event,
            reply: tx,
        });
        let spawn = {
            let mut c = lock(&self.counts);
            c.queued += 1;
            if c.queued + c.busy > c.instances && c.instances < self.cap {
                c.instances += 1;
                c.started += 1;
                c.peak_instances = c.peak_instances.max(c.instances);
                true
            } else {
                false
            }
        };
        self.arrived.notify_one();
        if spawn && let Err(e) = self.spawn_instance() {
            let mut c = lock(&self.counts);
            c.instances -= 1;
            c.crashed += 1;
            drop(c);
            eprintln!("cannot start an instance of {}: {e:#}", self.name);
        }
        let outcome = match tokio::time::timeout(self.timeout, rx).await {
            Ok(Ok(outcome)) => outcome,
            _ => {
                lock(&self.pending).remove(&id);
                Outcome::Timeout
            }
        };
        (outcome, spawn)
    }

    /// Start one instance: the function's binary, with the Lambda environment,
    /// killed when the run ends (or when this process dies, however it dies).
    fn spawn_instance(self: &Arc<Self>) -> Result<()> {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .with_context(|| format!("open {}", self.log.display()))?;
        let err = out.try_clone()?;
        let instance = lock(&self.counts).started;
        let mut cmd = tokio::process::Command::new(&self.binary);
        cmd.env_clear()
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{}", self.port))
            .env("AWS_LAMBDA_FUNCTION_NAME", self.name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", self.name),
            )
            .env(
                "AWS_LAMBDA_LOG_STREAM_NAME",
                format!("load/[$LATEST]{instance:04}"),
            )
            .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
            .stdin(std::process::Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true);
        die_with_parent(&mut cmd);
        lock(&self.first_instance)
            .0
            .get_or_insert_with(Instant::now);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("spawn {}", self.binary.display()))?;
        let pid = child.id().unwrap_or_default();
        lock(&self.pids).insert(pid);
        let me = self.clone();
        let mut shutdown = self.shutdown.clone();
        lock(&self.children).spawn(async move {
            let exited = tokio::select! {
                status = child.wait() => Some(status),
                _ = shutdown.wait_for(|s| *s) => None,
            };
            lock(&me.pids).remove(&pid);
            match exited {
                None => {
                    let _ = child.kill().await;
                }
                Some(status) => {
                    let mut c = lock(&me.counts);
                    c.instances = c.instances.saturating_sub(1);
                    c.crashed += 1;
                    drop(c);
                    eprintln!(
                        "an instance of {} exited during the run ({status:?}); see {}",
                        me.name,
                        me.log.display()
                    );
                }
            }
        });
        Ok(())
    }

    /// Kill every instance and wait until they are gone.
    pub async fn stop_instances(&self) {
        let mut set = std::mem::take(&mut *lock(&self.children));
        while set.join_next().await.is_some() {}
    }

    pub fn stats(&self) -> InstanceStats {
        let c = lock(&self.counts);
        InstanceStats {
            started: c.started,
            peak: c.peak_instances,
            crashed: c.crashed,
            init_errors: c.init_errors,
        }
    }

    /// Live instances and their memory in KiB (from /proc): resident (shared
    /// pages counted in every process) and proportional (shared pages split
    /// between the processes sharing them).
    pub fn memory_kib(&self) -> (usize, u64, u64) {
        let pids: Vec<u32> = lock(&self.pids).iter().copied().collect();
        let (rss, pss) = pids.iter().fold((0, 0), |(r, p), pid| {
            (
                r + field_kib(&format!("/proc/{pid}/status"), "VmRSS:"),
                p + field_kib(&format!("/proc/{pid}/smaps_rollup"), "Pss:"),
            )
        });
        (pids.len(), rss, pss)
    }

    /// Live instances.
    pub fn live(&self) -> usize {
        lock(&self.pids).len()
    }

    /// The first instance's init time as Lambda counts it: from its spawn to
    /// its first `/next` (the runtime is ready). Exact while instances start
    /// one at a time (`cap` 1); with more, the first poll may be another's.
    #[allow(dead_code)] // bench/cold-start only
    pub fn first_init(&self) -> Option<(Instant, Instant)> {
        match *lock(&self.first_instance) {
            (Some(spawned), Some(polled)) => Some((spawned, polled)),
            _ => None,
        }
    }

    /// The largest peak resident set (`VmHWM`) among the live instances, KiB.
    #[allow(dead_code)] // bench/cold-start only
    pub fn peak_rss_kib(&self) -> u64 {
        lock(&self.pids)
            .iter()
            .map(|pid| field_kib(&format!("/proc/{pid}/status"), "VmHWM:"))
            .max()
            .unwrap_or(0)
    }

    async fn runtime_api(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let rest = path.strip_prefix("/2018-06-01/runtime/").unwrap_or("");
        match (method, rest) {
            (Method::GET, "invocation/next") => {
                {
                    let mut first = lock(&self.first_instance);
                    if first.0.is_some() {
                        first.1.get_or_insert_with(Instant::now);
                    }
                }
                self.next().await
            }
            (Method::POST, "init/error") => {
                let body = read(req).await;
                lock(&self.counts).init_errors += 1;
                eprintln!(
                    "{} init error: {}",
                    self.name,
                    String::from_utf8_lossy(&body)
                );
                reply(StatusCode::ACCEPTED, "{}")
            }
            (Method::POST, rest) => {
                let Some((id, what)) = rest
                    .strip_prefix("invocation/")
                    .and_then(|r| r.rsplit_once('/'))
                else {
                    return reply(StatusCode::NOT_FOUND, "{}");
                };
                let id = id.to_owned();
                let what = what.to_owned();
                let body = read(req).await;
                let outcome = match what.as_str() {
                    "response" => parse_response(&body),
                    "error" => Outcome::FunctionError(String::from_utf8_lossy(&body).into_owned()),
                    _ => return reply(StatusCode::NOT_FOUND, "{}"),
                };
                {
                    let mut c = lock(&self.counts);
                    c.busy = c.busy.saturating_sub(1);
                }
                if let Some(tx) = lock(&self.pending).remove(&id) {
                    let _ = tx.send(outcome);
                }
                reply(StatusCode::ACCEPTED, "{}")
            }
            _ => reply(StatusCode::NOT_FOUND, "{}"),
        }
    }

    /// Long poll: the next queued invocation whose caller still waits.
    async fn next(&self) -> Response<Full<Bytes>> {
        loop {
            let notified = self.arrived.notified();
            let taken = lock(&self.queue).pop_front();
            match taken {
                Some(inv) => {
                    let mut c = lock(&self.counts);
                    c.queued = c.queued.saturating_sub(1);
                    if inv.reply.is_closed() {
                        continue;
                    }
                    c.busy += 1;
                    drop(c);
                    lock(&self.pending).insert(inv.id.clone(), inv.reply);
                    let deadline = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .unwrap_or_default()
                        .saturating_add(self.timeout)
                        .as_millis();
                    return Response::builder()
                        .status(StatusCode::OK)
                        .header("content-type", "application/json")
                        .header("Lambda-Runtime-Aws-Request-Id", inv.id.as_str())
                        .header("Lambda-Runtime-Deadline-Ms", deadline.to_string())
                        .header(
                            "Lambda-Runtime-Invoked-Function-Arn",
                            format!(
                                "arn:aws:lambda:us-east-1:123456789012:function:{}",
                                self.name
                            ),
                        )
                        .header(
                            "Lambda-Runtime-Trace-Id",
                            format!(
                                "Root=1-{:08x}-{};Parent={};Sampled=0",
                                deadline / 1000,
                                &uuid::Uuid::new_v4().simple().to_string()[..24],
                                &uuid::Uuid::new_v4().simple().to_string()[..16]
                            ),
                        )
                        .body(Full::new(inv.event))
                        .unwrap_or_default();
                }
                None => {
                    let mut shutdown = self.shutdown.clone();
                    tokio::select! {
                        _ = notified => {}
                        () = async { let _ = shutdown.wait_for(|s| *s).await; } => {
                            // The run is over: hold the instance until it is killed.
                            std::future::pending::<()>().await;
                        }
                    }
                }
            }
        }
    }
}

async fn read(req: Request<Incoming>) -> Bytes {
    req.into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default()
}

fn reply(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *resp.status_mut() = status;
    resp
}

/// The function's API Gateway (payload 2.0) response as API Gateway reads it.
fn parse_response(body: &[u8]) -> Outcome {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Outcome::FunctionError(format!(
            "response is not JSON: {}",
            String::from_utf8_lossy(body)
        ));
    };
    let status = v["statusCode"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(200);
    let header = |name: &str| {
        v["headers"].as_object().and_then(|h| {
            h.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_str())
        })
    };
    let retry_after = header("retry-after").and_then(|s| s.trim().parse().ok());
    if v["isBase64Encoded"].as_bool() == Some(true) {
        return Outcome::FunctionError("unexpected base64 body".into());
    }
    let body = Bytes::from(v["body"].as_str().unwrap_or_default().to_owned());
    Outcome::Response {
        status,
        retry_after,
        body,
    }
}

fn field_kib(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// The child gets SIGKILL when the thread that started it ends: a tokio
/// worker, which lives as long as this process. So no instance (or server)
/// outlives the bench, even if it panics or is killed.
pub fn die_with_parent(cmd: &mut tokio::process::Command) {
    // SAFETY: the closure runs in the forked child before exec and calls only
    // async-signal-safe functions (prctl, getppid, kill).
    #[allow(unsafe_code)]
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() == 1 {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            Ok(())
        });
    }
}
