//! The database side of the load run: a PgBouncer of the bench's own (when the
//! pool size is not the test harness's, or Postgres is restarted), the sampler
//! of server connections in use, and the verification of every write.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rehearse_db::Type;
use tokio::sync::watch;
use uuid::Uuid;

/// A direct (unpooled) client, its connection driven in the background.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .with_context(|| "connect to Postgres")?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

/// The uid/gid PgBouncer runs as: ours, or `postgres` (else `nobody`) when we
/// are root, which PgBouncer refuses (as the test harness does).
fn unprivileged() -> Option<(u32, u32)> {
    let me = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid: u32 = me
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    if uid != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    for name in ["postgres", "nobody"] {
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.first() == Some(&name)
                && let (Some(u), Some(g)) = (f.get(2), f.get(3))
                && let (Ok(u), Ok(g)) = (u.parse(), g.parse())
            {
                return Some((u, g));
            }
        }
    }
    None
}

/// PgBouncer in transaction mode in front of `pg_port`, configured as the test
/// harness's (shared/rehearse-testkit/src/postgres.rs) but with `pool_size`
/// server connections per database/user pair and a 1 s reconnect delay after a
/// failed server login (instead of 15 s), so a restarted Postgres is reused at
/// once.
#[derive(Debug)]
pub struct Bouncer {
    pub port: u16,
    child: tokio::process::Child,
}

impl Bouncer {
    pub async fn start(dir: &Path, pg_port: u16, pool_size: u32) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let users = dir.join("userlist.txt");
        std::fs::write(&users, "\"postgres\" \"\"\n")?;
        let ini = dir.join("pgbouncer.ini");
        std::fs::write(
            &ini,
            format!(
                "[databases]\n\
                 * = host=127.0.0.1 port={pg_port} user=postgres\n\
                 [pgbouncer]\n\
                 listen_addr = 127.0.0.1\n\
                 listen_port = {port}\n\
                 unix_socket_dir =\n\
                 auth_type = trust\n\
                 auth_file = {users}\n\
                 pool_mode = transaction\n\
                 default_pool_size = {pool_size}\n\
                 max_client_conn = 2000\n\
                 server_login_retry = 1\n\
                 ignore_startup_parameters = extra_float_digits\n\
                 admin_users = postgres\n",
                users = users.display()
            ),
        )?;
        let log = std::fs::File::create(dir.join("pgbouncer.log"))?;
        let mut cmd = tokio::process::Command::new(pgbouncer_bin()?);
        cmd.arg(&ini)
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true);
        if let Some((uid, gid)) = unprivileged() {
            // Set before the parent-death signal: changing credentials clears it.
            cmd.uid(uid).gid(gid);
        }
        crate::lambda::die_with_parent(&mut cmd);
        let child = cmd.spawn().context("start pgbouncer")?;
        let url = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=disable");
        for _ in 0..200 {
            if let Ok(c) = connect(&url).await
                && c.simple_query("SELECT 1").await.is_ok()
            {
                return Ok(Self { port, child });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!(
            "pgbouncer did not start; log:\n{}",
            std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default()
        )
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

fn pgbouncer_bin() -> Result<&'static str> {
    [
        "/usr/sbin/pgbouncer",
        "/usr/bin/pgbouncer",
        "/usr/local/bin/pgbouncer",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
    .context("pgbouncer not found (apt-get install -y pgbouncer)")
}

/// The highest number of server connections (client backends) to `database`
/// seen, sampled every 200 ms on a direct connection to the `postgres`
/// database (so the sampler is not counted). Reconnects after a restart.
#[derive(Debug, Default)]
pub struct Sampler {
    pub max: AtomicUsize,
    pub samples: AtomicUsize,
    pub failed: AtomicUsize,
}

impl Sampler {
    pub fn spawn(
        admin_url: String,
        database: String,
        mut stop: watch::Receiver<bool>,
    ) -> (Arc<Self>, tokio::task::JoinHandle<()>) {
        let me = Arc::new(Self::default());
        let s = me.clone();
        let task = tokio::spawn(async move {
            let mut client: Option<tokio_postgres::Client> = None;
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.wait_for(|s| *s) => return,
                }
                if client
                    .as_ref()
                    .is_none_or(tokio_postgres::Client::is_closed)
                {
                    client = connect(&admin_url).await.ok();
                }
                let Some(c) = &client else {
                    s.failed.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                match c
                    .query_typed_one(
                        "SELECT count(*) FROM pg_stat_activity \
                          WHERE datname = $1 AND backend_type = 'client backend'",
                        &[(&database, Type::TEXT)],
                    )
                    .await
                {
                    Ok(row) => {
                        let n: i64 = row.get(0);
                        s.max
                            .fetch_max(usize::try_from(n).unwrap_or(0), Ordering::Relaxed);
                        s.samples.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        s.failed.fetch_add(1, Ordering::Relaxed);
                        client = None;
                    }
                }
            }
        });
        (me, task)
    }
}

/// What the client saw of one interview.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub session: Option<Uuid>,
    pub user: Option<Uuid>,
    /// Question numbers of the answers the API confirmed (200), each once.
    pub answered: BTreeSet<i32>,
    /// The summary returned 200.
    pub summarized: bool,
}

/// The verdict on the database after the run.
#[derive(Debug, Default)]
pub struct Verdict {
    pub sessions_checked: usize,
    /// Confirmed answers with no row, and confirmed completions not stored.
    pub lost: usize,
    /// Rows or counts beyond what the client was confirmed.
    pub doubled: usize,
    /// Sessions in the database that no client knows (a create retried after
    /// an unknown outcome, stored twice).
    pub orphan_sessions: usize,
    pub users_checked: usize,
    /// Users whose statistics row disagrees with their sessions.
    pub statistics_wrong: usize,
    pub problems: Vec<String>,
}

/// Check every interview's rows and every user's statistics, directly in Postgres.
pub async fn verify(db: &tokio_postgres::Client, seen: &[Seen]) -> Result<Verdict> {
    let mut v = Verdict::default();
    let known: BTreeSet<Uuid> = seen.iter().filter_map(|s| s.session).collect();
    let rows = db
        .query_typed(
            "SELECT s.id, s.user_id, s.status, s.questions_answered, \
                    coalesce(array_agg(a.question_number ORDER BY a.question_number) \
                             FILTER (WHERE a.id IS NOT NULL), '{}') \
               FROM interview_sessions s LEFT JOIN interview_answers a ON a.session_id = s.id \
              GROUP BY s.id",
            &[],
        )
        .await?;
    let mut stored: HashMap<Uuid, (Option<Uuid>, String, i32, Vec<i32>)> = HashMap::new();
    for r in &rows {
        let id: Uuid = r.get(0);
        stored.insert(id, (r.get(1), r.get(2), r.get(3), r.get(4)));
        if !known.contains(&id) {
            v.orphan_sessions += 1;
            v.problems.push(format!(
                "session {id} stored but never returned to a client"
            ));
        }
    }
    let note = |v: &mut Verdict, msg: String| {
        if v.problems.len() < 40 {
            v.problems.push(msg);
        }
    };
    for s in seen {
        let Some(id) = s.session else { continue };
        v.sessions_checked += 1;
        let Some((user, status, answered, numbers)) = stored.get(&id) else {
            v.lost += 1 + s.answered.len();
            note(&mut v, format!("session {id}: no row"));
            continue;
        };
        if *user != s.user {
            note(
                &mut v,
                format!("session {id}: user {user:?}, expected {:?}", s.user),
            );
            v.lost += 1;
        }
        let numbers_set: BTreeSet<i32> = numbers.iter().copied().collect();
        let lost = s.answered.difference(&numbers_set).count();
        let extra =
            numbers_set.difference(&s.answered).count() + (numbers.len() - numbers_set.len());
        if lost + extra > 0 {
            note(
                &mut v,
                format!(
                    "session {id}: answers stored {numbers:?}, confirmed {:?}",
                    s.answered
                ),
            );
        }
        v.lost += lost;
        v.doubled += extra;
        let contiguous = numbers
            .iter()
            .copied()
            .eq(1..=i32::try_from(numbers.len()).unwrap_or(0));
        if !contiguous {
            note(
                &mut v,
                format!("session {id}: question numbers {numbers:?} are not 1..n"),
            );
        }
        if usize::try_from(*answered).ok() != Some(numbers.len()) {
            note(
                &mut v,
                format!(
                    "session {id}: questions_answered {answered} but {} rows",
                    numbers.len()
                ),
            );
            v.doubled += 1;
        }
        if s.summarized && status != "completed" {
            note(
                &mut v,
                format!("session {id}: summary returned but status {status}"),
            );
            v.lost += 1;
        }
    }

    // Statistics: for each signed-in user, the row against their completed sessions,
    // and against what the clients were told.
    let mut per_user: HashMap<Uuid, (i32, i32)> = HashMap::new();
    for s in seen {
        if let (Some(u), true) = (s.user, s.summarized) {
            let e = per_user.entry(u).or_default();
            e.0 += 1;
            e.1 += i32::try_from(s.answered.len()).unwrap_or(0);
        }
    }
    let users: Vec<Uuid> = seen
        .iter()
        .filter_map(|s| s.user)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for user in users {
        v.users_checked += 1;
        let stats = db
            .query_typed_opt(
                "SELECT total_interviews, total_questions_answered, total_questions_skipped, \
                        sum_overall_score::float8, total_time_spent_seconds \
                   FROM interview_statistics WHERE user_id = $1",
                &[(&user, Type::UUID)],
            )
            .await?;
        let truth = db
            .query_typed_one(
                "SELECT count(*)::int4, coalesce(sum(questions_answered), 0)::int4, \
                        coalesce(sum(questions_skipped), 0)::int4, \
                        coalesce(sum(overall_score), 0)::float8, \
                        coalesce(sum(total_time_seconds), 0)::int8 \
                   FROM interview_sessions WHERE user_id = $1 AND status = 'completed'",
                &[(&user, Type::UUID)],
            )
            .await?;
        let (t_n, t_ans, t_skip, t_sum, t_time): (i32, i32, i32, f64, i64) = (
            truth.get(0),
            truth.get(1),
            truth.get(2),
            truth.get(3),
            truth.get(4),
        );
        let (s_n, s_ans, s_skip, s_sum, s_time) = match &stats {
            Some(r) => (
                r.get::<_, i32>(0),
                r.get::<_, i32>(1),
                r.get::<_, i32>(2),
                r.get::<_, f64>(3),
                r.get::<_, i64>(4),
            ),
            None => (0, 0, 0, 0.0, 0),
        };
        let (c_n, c_ans) = per_user.get(&user).copied().unwrap_or_default();
        let exact = s_n == t_n
            && s_ans == t_ans
            && s_skip == t_skip
            && (s_sum - t_sum).abs() < 0.005
            && s_time == t_time;
        if !exact {
            v.statistics_wrong += 1;
            note(
                &mut v,
                format!(
                    "user {user}: statistics (interviews {s_n}, answered {s_ans}, skipped {s_skip}, \
                     score sum {s_sum}, time {s_time}) != sessions ({t_n}, {t_ans}, {t_skip}, {t_sum}, {t_time})"
                ),
            );
        }
        // Against the client: fewer completions stored than confirmed is lost, more is doubled.
        if s_n < c_n {
            v.lost += usize::try_from(c_n - s_n).unwrap_or(0);
        }
        if s_n > t_n {
            v.doubled += usize::try_from(s_n - t_n).unwrap_or(0);
        }
        if s_ans < c_ans {
            v.lost += usize::try_from(c_ans - s_ans).unwrap_or(0);
        } else if s_ans > t_ans {
            v.doubled += usize::try_from(s_ans - t_ans).unwrap_or(0);
        }
        if s_n != c_n || s_ans != c_ans {
            note(
                &mut v,
                format!(
                    "user {user}: statistics say {s_n} interviews / {s_ans} answers, \
                     the clients completed {c_n} / {c_ans}"
                ),
            );
        }
    }
    Ok(v)
}
