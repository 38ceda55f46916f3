//! The route manifest, `infra/routes.toml`: every function with its routes, auth,
//! latency family, memory, timeout and IAM needs, written once.
//!
//! - [`Manifest::load`] reads and validates it;
//! - [`generate`] writes what follows from it into the regions of the root
//!   `Cargo.toml` (the watch router) and `infra/template.yaml` (every function's
//!   resources, the costly routes' throttling, the family latency alarms) that are
//!   marked as generated (`cargo run -p rehearse-contract -- generate`);
//! - [`check`] finds what disagrees with it: a stale generated region, an
//!   OpenAPI operation, a crate under `functions/`, a folder of `events/`.
//!
//! Reads files only: depends on no function or shared crate (rehearse-http's
//! tests and the load bench read the manifest through it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub mod check;
pub mod generate;

/// Where the manifest lives, from the workspace root.
pub const MANIFEST: &str = "infra/routes.toml";

/// The workspace root, for the tests and tools that sit in it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What went wrong reading the manifest or the files generated from it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("parsing {path}")]
    Toml {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("parsing {path}")]
    Yaml {
        path: PathBuf,
        #[source]
        source: serde_norway::Error,
    },
    #[error("{MANIFEST} is invalid:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
    #[error("{path}: {message}")]
    Region { path: PathBuf, message: String },
}

pub(crate) fn read(root: &Path, rel: &str) -> Result<String, Error> {
    let path = root.join(rel);
    std::fs::read_to_string(&path).map_err(|source| Error::Read { path, source })
}

/// Where a function with `model = true` finds the embedding table: the
/// template's `EmbeddingModelLayer` unpacks under /opt.
pub const MODEL_TABLE: (&str, &str) = (
    "REHEARSE_EMBEDDING_TABLE",
    "/opt/rehearse/static-minilm.bin",
);

/// The manifest: latency families and functions, each keyed by name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub family: BTreeMap<String, Family>,
    pub function: BTreeMap<String, Function>,
}

/// A route family: one p99 latency alarm over its routes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// The template parameter holding the alarm's threshold in milliseconds.
    pub threshold: String,
}

/// One function = one crate under `functions/` = one Lambda.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    #[serde(default)]
    pub routes: Vec<Route>,
    pub auth: Option<Auth>,
    pub family: Option<String>,
    #[serde(default)]
    pub costly: bool,
    pub memory: u32,
    pub timeout: u32,
    #[serde(default)]
    pub iam: Vec<Capability>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    /// Reads the embedding model: gets the model layer and the variable
    /// naming its table (see [`MODEL_TABLE`]).
    #[serde(default)]
    pub model: bool,
    pub schedule: Option<Schedule>,
    #[serde(default)]
    pub deploy: bool,
    #[serde(default)]
    pub checkov: BTreeMap<String, String>,
    pub reserved_concurrency: Option<u32>,
    pub provisioned_concurrency: Option<u32>,
}

/// A method and a path as API Gateway writes them (`GET /api/session/{session_id}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Route {
    pub method: String,
    pub path: String,
}

impl TryFrom<String> for Route {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let (method, path) = s
            .split_once(' ')
            .ok_or_else(|| format!("route {s:?} is not \"METHOD /path\""))?;
        if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) {
            return Err(format!("route {s:?}: unknown method {method}"));
        }
        let path_ok = path.starts_with('/')
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_{}.".contains(c));
        if !path_ok {
            return Err(format!(
                "route {s:?}: the path must start with / and hold only [A-Za-z0-9/-_{{}}.]"
            ));
        }
        Ok(Self {
            method: method.to_owned(),
            path: path.to_owned(),
        })
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// No token read at all.
    None,
    /// Anonymous calls work; a token that is present must be valid.
    Optional,
    /// A valid token or 401.
    Required,
}

/// A permission beyond writing its own logs (see the manifest's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    SecretRead,
    ObjectGet,
    ObjectPut,
    ObjectDelete,
    BucketList,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// An EventBridge expression: `rate(15 minutes)` or `cron(...)`.
    pub rate: String,
    pub description: String,
}

/// The checkov checks a job must give its own reason to skip; every other skip
/// is the same for all functions (see the note on checkov skips in the template).
pub const JOB_SKIPS: [&str; 2] = ["CKV_AWS_115", "CKV_AWS_116"];

impl Manifest {
    /// Reads `infra/routes.toml` under `root` and validates it.
    pub fn load(root: &Path) -> Result<Self, Error> {
        let text = read(root, MANIFEST)?;
        let manifest = Self::parse(&text).map_err(|source| Error::Toml {
            path: root.join(MANIFEST),
            source,
        })?;
        let problems = manifest.problems();
        if problems.is_empty() {
            Ok(manifest)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Every route with the function serving it.
    pub fn routes(&self) -> BTreeMap<&Route, &str> {
        self.function
            .iter()
            .flat_map(|(name, f)| f.routes.iter().map(move |r| (r, name.as_str())))
            .collect()
    }

    /// What makes the manifest unusable, one line each (empty when valid).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen: BTreeMap<&Route, &str> = BTreeMap::new();
        let mut used_families = BTreeSet::new();
        for (name, f) in &self.function {
            let mut say = |m: String| out.push(format!("function {name}: {m}"));
            let kebab = !name.is_empty()
                && name.split('-').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                });
            if !kebab {
                say("the name must be lower-case words joined by '-'".into());
            }
            let triggers = usize::from(!f.routes.is_empty())
                + usize::from(f.schedule.is_some())
                + usize::from(f.deploy);
            if triggers != 1 {
                say("needs exactly one of routes, schedule, deploy = true".into());
            }
            if !(128..=10240).contains(&f.memory) {
                say(format!(
                    "memory {} is outside Lambda's 128-10240 MB",
                    f.memory
                ));
            }
            if !(1..=900).contains(&f.timeout) {
                say(format!("timeout {} is outside Lambda's 1-900 s", f.timeout));
            }
            let mut caps = f.iam.clone();
            caps.sort();
            caps.dedup();
            if caps.len() != f.iam.len() {
                say("iam names a capability twice".into());
            }
            for key in f.environment.keys() {
                let ok = key.starts_with(|c: char| c.is_ascii_uppercase())
                    && key
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    say(format!("environment variable {key} is not UPPER_SNAKE"));
                }
            }
            if f.routes.is_empty() {
                if f.auth.is_some() || f.family.is_some() || f.costly {
                    say("auth, family and costly are for functions with routes".into());
                }
                for id in JOB_SKIPS {
                    let needed = id != "CKV_AWS_115" || f.reserved_concurrency.is_none();
                    if needed && !f.checkov.contains_key(id) {
                        say(format!(
                            "a job gives its own reason to skip {id} (checkov.{id})"
                        ));
                    }
                }
            } else {
                if f.auth.is_none() {
                    say("a function with routes needs auth = none | optional | required".into());
                }
                match &f.family {
                    Some(family) if self.family.contains_key(family) => {
                        used_families.insert(family.as_str());
                    }
                    Some(family) => say(format!("family {family} has no [family.{family}]")),
                    None => say("a function with routes needs a family".into()),
                }
                if f.timeout > 29 {
                    say("a route's timeout is at most 29 s (API Gateway gives up at 30)".into());
                }
                if !f.checkov.is_empty() {
                    say("checkov reasons are for jobs; routes share the API's".into());
                }
                for r in &f.routes {
                    if let Some(other) = seen.insert(r, name) {
                        say(format!("{r} is also {other}'s"));
                    }
                }
            }
            for id in f.checkov.keys() {
                if !JOB_SKIPS.contains(&id.as_str()) {
                    say(format!(
                        "checkov.{id}: only {} take a reason here",
                        JOB_SKIPS.join(", ")
                    ));
                }
            }
        }
        for family in self.family.keys() {
            if !used_families.contains(family.as_str()) {
                out.push(format!("family {family}: no function belongs to it"));
            }
        }
        out
    }
}

/// `account-delete` -> `AccountDelete`; `{session_id}` -> `SessionId`.
pub(crate) fn camel(s: &str) -> String {
    s.split(['-', '_', '{', '}', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest::parse(text).unwrap()
    }

    const FAMILY: &str = "[family.health]\nthreshold = \"T\"\n";

    #[test]
    fn a_valid_function_has_no_problems() {
        let m = manifest(&format!(
            "{FAMILY}[function.health-get]\nroutes = [\"GET /\", \"GET /health\"]\nauth = \"none\"\n\
             family = \"health\"\nmemory = 256\ntimeout = 10\niam = [\"secret-read\", \"bucket-list\"]\n"
        ));
        assert_eq!(m.problems(), Vec::<String>::new());
        assert_eq!(m.routes().len(), 2);
    }

    #[test]
    fn a_route_that_is_not_method_and_path_does_not_parse() {
        for bad in ["GET", "FETCH /x", "GET x", "GET /a b"] {
            let text = format!("[function.x]\nroutes = [{bad:?}]\nmemory = 256\ntimeout = 1\n");
            assert!(Manifest::parse(&text).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_fields_and_capabilities_are_refused() {
        let base = "[function.x]\nroutes = [\"GET /x\"]\nmemory = 256\ntimeout = 1\n";
        assert!(Manifest::parse(&format!("{base}iam = [\"s3-everything\"]\n")).is_err());
        assert!(Manifest::parse(&format!("{base}memroy = 1\n")).is_err());
    }

    #[test]
    fn shared_routes_missing_auth_and_long_timeouts_are_problems() {
        let m = manifest(&format!(
            "{FAMILY}[function.a-get]\nroutes = [\"GET /x\"]\nauth = \"none\"\nfamily = \"health\"\n\
             memory = 256\ntimeout = 30\n\
             [function.b-get]\nroutes = [\"GET /x\"]\nfamily = \"nope\"\nmemory = 64\ntimeout = 1\n"
        ));
        let problems = m.problems().join("\n");
        for expected in [
            "function a-get: a route's timeout is at most 29 s",
            "function b-get: GET /x is also a-get's",
            "function b-get: a function with routes needs auth",
            "function b-get: family nope has no [family.nope]",
            "function b-get: memory 64 is outside",
        ] {
            assert!(
                problems.contains(expected),
                "{expected} not in:\n{problems}"
            );
        }
    }

    #[test]
    fn a_job_needs_one_trigger_and_its_own_skip_reasons() {
        let m = manifest(
            "[family.unused]\nthreshold = \"T\"\n\
             [function.sweeper]\nschedule = { rate = \"rate(1 hour)\", description = \"d\" }\n\
             deploy = true\nauth = \"none\"\nmemory = 256\ntimeout = 60\n",
        );
        let problems = m.problems().join("\n");
        for expected in [
            "needs exactly one of routes, schedule, deploy",
            "auth, family and costly are for functions with routes",
            "a job gives its own reason to skip CKV_AWS_115",
            "a job gives its own reason to skip CKV_AWS_116",
            "family unused: no function belongs to it",
        ] {
            assert!(
                problems.contains(expected),
                "{expected} not in:\n{problems}"
            );
        }
    }

    #[test]
    fn camel_case_names_resources_and_events() {
        assert_eq!(camel("session-history-get"), "SessionHistoryGet");
        assert_eq!(camel("{session_id}"), "SessionId");
    }
}
