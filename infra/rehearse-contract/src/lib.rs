//! The route contract, checked. Five places name Rehearse's functions and routes:
//!
//! - `functions/<name>/` — one crate per function, package name = directory name;
//! - `events/<name>/*.json` — sample events, at least one per function;
//! - `infra/template.yaml` — one `AWS::Serverless::Function` per crate (named by
//!   `Metadata.BuildProperties.Binary`) with its `HttpApi` events (`Method`, `Path`);
//! - `[workspace.metadata.lambda.watch.router]` in the root `Cargo.toml` — the
//!   local gateway, path → `[{ function, method }]`;
//! - `infra/openapi.yaml` — `paths` → method → the operation's `x-function`
//!   (or, without one, its `operationId`) = function name. OpenAPI wants
//!   operation ids unique, so a function serving two paths (`health-get`: `/` and
//!   `/health`) needs `x-function` on at least one of them.
//!
//! [`load`] reads them into a [`Sources`]; [`compare`] is a pure function from
//! that to every [`Disagreement`] (a route one source has and another lacks, a
//! crate nobody deploys, a missing sample...). Route-less functions
//! ([`ROUTELESS`]) must be route-less everywhere; any other crate must have a route.
//!
//! Reads files only: depends on no function or shared crate.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_norway::Value as Yaml;

/// Functions that have no HTTP route, by design: `migrate` runs on deploy (a
/// CloudFormation custom resource), `sweeper` on a schedule.
pub const ROUTELESS: &[&str] = &["migrate", "sweeper"];

/// The HTTP methods an OpenAPI path item may hold (its other keys are not operations).
const OPENAPI_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One route: an upper-case method and a path as API Gateway writes it
/// (`/api/session/{session_id}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    pub method: String,
    pub path: String,
}

impl Route {
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The three places that declare routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Template,
    Router,
    OpenApi,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Template, Source::Router, Source::OpenApi];
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Template => "infra/template.yaml",
            Source::Router => "the Cargo.toml watch router",
            Source::OpenApi => "infra/openapi.yaml",
        })
    }
}

/// Function name → its routes, as one source declares them. For the template,
/// every deployed function is a key (a route-less one with an empty set); for the
/// router and OpenAPI, only functions with a route appear.
pub type RouteTable = BTreeMap<String, BTreeSet<Route>>;

/// Everything the five places say, loaded. Build one by hand in tests.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `functions/<dir>` → the package name its `Cargo.toml` declares.
    pub crates: BTreeMap<String, String>,
    /// `events/<dir>` → how many `.json` samples it holds.
    pub events: BTreeMap<String, usize>,
    pub template: RouteTable,
    pub router: RouteTable,
    pub openapi: RouteTable,
    /// What the loaders found that cannot be expressed as a route (a router
    /// entry without a method, an operation without an id...).
    pub malformed: Vec<Disagreement>,
}

impl Sources {
    fn table(&self, source: Source) -> &RouteTable {
        match source {
            Source::Template => &self.template,
            Source::Router => &self.router,
            Source::OpenApi => &self.openapi,
        }
    }
}

/// One way the sources disagree; its `Display` is the line a person reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Disagreement {
    /// `functions/<dir>/Cargo.toml` names a package other than `<dir>`.
    PackageName { dir: String, package: String },
    /// A source names a function that has no crate under `functions/`.
    UnknownFunction { function: String, source: Source },
    /// A crate the template does not deploy.
    NotDeployed { function: String },
    /// A route some sources declare for `function` and others do not.
    Route {
        function: String,
        route: Route,
        present: Vec<Source>,
        missing: Vec<Source>,
    },
    /// One source gives one route to several functions.
    DuplicateRoute {
        source: Source,
        route: Route,
        functions: Vec<String>,
    },
    /// A crate with no route anywhere that is not one of [`ROUTELESS`].
    NoRoute { function: String },
    /// A route-less function ([`ROUTELESS`]) given a route.
    RoutelessRouted {
        function: String,
        source: Source,
        route: Route,
    },
    /// `events/<function>/` is missing, or holds no `.json` sample.
    MissingEvents { function: String, dir_exists: bool },
    /// `events/<dir>/` for a function that has no crate.
    StrayEvents { dir: String },
    /// Something a loader could not read as a function or a route.
    Malformed { source: Source, detail: String },
}

fn list(sources: &[Source]) -> String {
    sources
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Disagreement::PackageName { dir, package } => write!(
                f,
                "functions/{dir}: the package is named {package:?}; it must be named as its directory"
            ),
            Disagreement::UnknownFunction { function, source } => write!(
                f,
                "{source} names function {function:?}, but there is no crate functions/{function}"
            ),
            Disagreement::NotDeployed { function } => write!(
                f,
                "function {function}: a crate, but infra/template.yaml has no function with Binary: {function}"
            ),
            Disagreement::Route {
                function,
                route,
                present,
                missing,
            } => write!(
                f,
                "{route} → {function}: in {}, missing from {}",
                list(present),
                list(missing)
            ),
            Disagreement::DuplicateRoute {
                source,
                route,
                functions,
            } => write!(
                f,
                "{route}: {source} gives it to several functions: {}",
                functions.join(", ")
            ),
            Disagreement::NoRoute { function } => write!(
                f,
                "function {function}: no route anywhere, and it is not a route-less function ({})",
                ROUTELESS.join(", ")
            ),
            Disagreement::RoutelessRouted {
                function,
                source,
                route,
            } => write!(
                f,
                "function {function} has no route by design, but {source} gives it {route}"
            ),
            Disagreement::MissingEvents {
                function,
                dir_exists: false,
            } => write!(
                f,
                "function {function}: no events/{function}/ directory of sample events"
            ),
            Disagreement::MissingEvents {
                function,
                dir_exists: true,
            } => write!(
                f,
                "function {function}: events/{function}/ holds no .json sample event"
            ),
            Disagreement::StrayEvents { dir } => write!(
                f,
                "events/{dir}/: there is no function crate functions/{dir}"
            ),
            Disagreement::Malformed { source, detail } => write!(f, "{source}: {detail}"),
        }
    }
}

/// Every disagreement among `sources`, sorted; empty when they all agree.
pub fn compare(sources: &Sources) -> Vec<Disagreement> {
    let mut found: BTreeSet<Disagreement> = sources.malformed.iter().cloned().collect();

    for (dir, package) in &sources.crates {
        if dir != package {
            found.insert(Disagreement::PackageName {
                dir: dir.clone(),
                package: package.clone(),
            });
        }
    }
    let is_crate = |name: &str| sources.crates.contains_key(name);

    // Functions named anywhere must be crates; every crate must be deployed.
    for source in Source::ALL {
        for function in sources.table(source).keys() {
            if !is_crate(function) {
                found.insert(Disagreement::UnknownFunction {
                    function: function.clone(),
                    source,
                });
            }
        }
    }
    for function in sources.crates.keys() {
        if !sources.template.contains_key(function) {
            found.insert(Disagreement::NotDeployed {
                function: function.clone(),
            });
        }
    }

    // Every (function, route) any source declares must be declared by all three.
    let mut declared: BTreeMap<(&str, &Route), BTreeSet<Source>> = BTreeMap::new();
    for source in Source::ALL {
        for (function, routes) in sources.table(source) {
            for route in routes {
                declared
                    .entry((function.as_str(), route))
                    .or_default()
                    .insert(source);
            }
        }
    }
    for ((function, route), present) in &declared {
        if present.len() < Source::ALL.len() {
            found.insert(Disagreement::Route {
                function: (*function).to_owned(),
                route: (*route).clone(),
                present: present.iter().copied().collect(),
                missing: Source::ALL
                    .into_iter()
                    .filter(|s| !present.contains(s))
                    .collect(),
            });
        }
    }

    // Within one source, a route belongs to one function.
    for source in Source::ALL {
        let mut owners: BTreeMap<&Route, Vec<String>> = BTreeMap::new();
        for (function, routes) in sources.table(source) {
            for route in routes {
                owners.entry(route).or_default().push(function.clone());
            }
        }
        for (route, functions) in owners {
            if functions.len() > 1 {
                found.insert(Disagreement::DuplicateRoute {
                    source,
                    route: route.clone(),
                    functions,
                });
            }
        }
    }

    // Route-less by design, or routed: never both, never neither.
    for function in sources.crates.keys() {
        let routeless = ROUTELESS.contains(&function.as_str());
        let mut any_route = false;
        for source in Source::ALL {
            for route in sources.table(source).get(function).into_iter().flatten() {
                any_route = true;
                if routeless {
                    found.insert(Disagreement::RoutelessRouted {
                        function: function.clone(),
                        source,
                        route: route.clone(),
                    });
                }
            }
        }
        if !routeless && !any_route {
            found.insert(Disagreement::NoRoute {
                function: function.clone(),
            });
        }
    }

    // Sample events: at least one per function, and none for a function that is not.
    for function in sources.crates.keys() {
        match sources.events.get(function) {
            Some(n) if *n > 0 => {}
            other => {
                found.insert(Disagreement::MissingEvents {
                    function: function.clone(),
                    dir_exists: other.is_some(),
                });
            }
        }
    }
    for dir in sources.events.keys() {
        if !is_crate(dir) {
            found.insert(Disagreement::StrayEvents { dir: dir.clone() });
        }
    }

    found.into_iter().collect()
}

/// A source file that could not be read or parsed at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path} is missing: {hint}")]
    Missing { path: PathBuf, hint: &'static str },
    #[error("could not read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not valid YAML")]
    Yaml {
        path: PathBuf,
        #[source]
        source: serde_norway::Error,
    },
    #[error("{path} is not valid TOML")]
    Toml {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("{path}: {what}")]
    Shape { path: PathBuf, what: String },
}

fn read(path: &Path, hint: &'static str) -> Result<String, LoadError> {
    fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LoadError::Missing {
                path: path.to_owned(),
                hint,
            }
        } else {
            LoadError::Io {
                path: path.to_owned(),
                source,
            }
        }
    })
}

/// Reads all five places under the workspace root `root`.
pub fn load(root: &Path) -> Result<Sources, LoadError> {
    let mut sources = Sources {
        crates: load_crates(&root.join("functions"))?,
        events: load_events(&root.join("events"))?,
        ..Sources::default()
    };

    let path = root.join("infra/template.yaml");
    let text = read(&path, "the SAM template deploys every function")?;
    let (template, mut problems) = template_routes(&text).map_err(|e| e.at(&path))?;
    sources.template = template;
    sources.malformed.append(&mut problems);

    let path = root.join("Cargo.toml");
    let text = read(&path, "the workspace manifest")?;
    let (router, mut problems) = router_routes(&text).map_err(|e| e.at(&path))?;
    sources.router = router;
    sources.malformed.append(&mut problems);

    let path = root.join("infra/openapi.yaml");
    let text = read(
        &path,
        "the OpenAPI description of the routes (paths → method → x-function or operationId = function name) must exist",
    )?;
    let (openapi, mut problems) = openapi_routes(&text).map_err(|e| e.at(&path))?;
    sources.openapi = openapi;
    sources.malformed.append(&mut problems);

    Ok(sources)
}

/// A parse failure before its file's path is known.
#[derive(Debug)]
pub enum ParseError {
    Yaml(serde_norway::Error),
    Toml(toml::de::Error),
    Shape(String),
}

impl ParseError {
    fn at(self, path: &Path) -> LoadError {
        let path = path.to_owned();
        match self {
            ParseError::Yaml(source) => LoadError::Yaml { path, source },
            ParseError::Toml(source) => LoadError::Toml { path, source },
            ParseError::Shape(what) => LoadError::Shape { path, what },
        }
    }
}

fn subdirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_type().map_err(io)?.is_dir() {
            out.push((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            ));
        }
    }
    Ok(out)
}

/// `functions/<dir>` → its package name, for every directory holding a `Cargo.toml`.
pub fn load_crates(functions: &Path) -> Result<BTreeMap<String, String>, LoadError> {
    let mut crates = BTreeMap::new();
    for (dir, path) in subdirs(functions)? {
        let manifest = path.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = read(&manifest, "a function crate's manifest")?;
        let table: toml::Table = toml::from_str(&text).map_err(|source| LoadError::Toml {
            path: manifest.clone(),
            source,
        })?;
        let package = table
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .ok_or_else(|| LoadError::Shape {
                path: manifest.clone(),
                what: "no [package] name".to_owned(),
            })?;
        crates.insert(dir, package.to_owned());
    }
    Ok(crates)
}

/// `events/<dir>` → the number of `.json` files directly inside it.
pub fn load_events(events: &Path) -> Result<BTreeMap<String, usize>, LoadError> {
    let mut out = BTreeMap::new();
    for (dir, path) in subdirs(events)? {
        let io = |source| LoadError::Io {
            path: path.clone(),
            source,
        };
        let mut samples = 0;
        for entry in fs::read_dir(&path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let p = entry.path();
            if p.is_file() && p.extension().is_some_and(|e| e == "json") {
                samples += 1;
            }
        }
        out.insert(dir, samples);
    }
    Ok(out)
}

fn yaml_str<'a>(value: &'a Yaml, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Yaml::as_str)
}

/// The template's functions (by `Metadata.BuildProperties.Binary`) and their
/// `HttpApi` routes. Intrinsic functions (`!Ref`, `!Sub`...) parse as tagged
/// values and are simply not routes.
pub fn template_routes(text: &str) -> Result<(RouteTable, Vec<Disagreement>), ParseError> {
    let doc: Yaml = serde_norway::from_str(text).map_err(ParseError::Yaml)?;
    let resources = doc
        .get("Resources")
        .and_then(Yaml::as_mapping)
        .ok_or_else(|| ParseError::Shape("no Resources mapping".to_owned()))?;
    let mut table = RouteTable::new();
    let mut problems = Vec::new();
    let mut bad = |detail: String| {
        problems.push(Disagreement::Malformed {
            source: Source::Template,
            detail,
        })
    };
    for (id, resource) in resources {
        let id = id.as_str().unwrap_or("<non-string id>");
        if yaml_str(resource, "Type") != Some("AWS::Serverless::Function") {
            continue;
        }
        let Some(binary) = resource
            .get("Metadata")
            .and_then(|m| m.get("BuildProperties"))
            .and_then(|b| yaml_str(b, "Binary"))
        else {
            bad(format!(
                "function {id} has no Metadata.BuildProperties.Binary naming its crate"
            ));
            continue;
        };
        if table.contains_key(binary) {
            bad(format!(
                "function {id} builds {binary}, which another function already deploys"
            ));
            continue;
        }
        let mut routes = BTreeSet::new();
        let events = resource
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Yaml::as_mapping);
        for (name, event) in events.into_iter().flatten() {
            if yaml_str(event, "Type") != Some("HttpApi") {
                continue;
            }
            let name = name.as_str().unwrap_or("<non-string name>");
            let props = event.get("Properties");
            let method = props.and_then(|p| yaml_str(p, "Method"));
            let path = props.and_then(|p| yaml_str(p, "Path"));
            match (method, path) {
                (Some(method), Some(path)) => {
                    routes.insert(Route::new(method, path));
                }
                _ => bad(format!(
                    "function {id}, event {name}: an HttpApi event needs a literal Method and Path"
                )),
            }
        }
        table.insert(binary.to_owned(), routes);
    }
    Ok((table, problems))
}

/// `[workspace.metadata.lambda.watch.router]`: path → `[{ function, method }]`.
/// A plain-string entry (every method) is reported: API Gateway routes one method.
pub fn router_routes(text: &str) -> Result<(RouteTable, Vec<Disagreement>), ParseError> {
    let manifest: toml::Value = toml::from_str(text).map_err(ParseError::Toml)?;
    let router = ["workspace", "metadata", "lambda", "watch", "router"]
        .iter()
        .try_fold(&manifest, |v, key| v.get(key))
        .and_then(toml::Value::as_table)
        .ok_or_else(|| {
            ParseError::Shape("no [workspace.metadata.lambda.watch.router] table".to_owned())
        })?;
    let mut table = RouteTable::new();
    let mut problems = Vec::new();
    for (path, entries) in router {
        let Some(entries) = entries.as_array() else {
            problems.push(Disagreement::Malformed {
                source: Source::Router,
                detail: format!(
                    "{path:?} must be a list of {{ function, method }}, not a bare function (that accepts every method)"
                ),
            });
            continue;
        };
        for entry in entries {
            let function = entry.get("function").and_then(toml::Value::as_str);
            let method = entry.get("method").and_then(toml::Value::as_str);
            match (function, method) {
                (Some(function), Some(method)) => {
                    table
                        .entry(function.to_owned())
                        .or_default()
                        .insert(Route::new(method, path));
                }
                _ => problems.push(Disagreement::Malformed {
                    source: Source::Router,
                    detail: format!("{path:?}: every entry needs both function and method"),
                }),
            }
        }
    }
    Ok((table, problems))
}

/// `paths` → method → the function's name: `x-function`, else `operationId`.
pub fn openapi_routes(text: &str) -> Result<(RouteTable, Vec<Disagreement>), ParseError> {
    let doc: Yaml = serde_norway::from_str(text).map_err(ParseError::Yaml)?;
    let paths = doc
        .get("paths")
        .and_then(Yaml::as_mapping)
        .ok_or_else(|| ParseError::Shape("no paths mapping".to_owned()))?;
    let mut table = RouteTable::new();
    let mut problems = Vec::new();
    for (path, item) in paths {
        let Some(path) = path.as_str() else {
            continue;
        };
        for method in OPENAPI_METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let function =
                yaml_str(operation, "x-function").or_else(|| yaml_str(operation, "operationId"));
            match function {
                Some(function) => {
                    table
                        .entry(function.to_owned())
                        .or_default()
                        .insert(Route::new(method, path));
                }
                None => problems.push(Disagreement::Malformed {
                    source: Source::OpenApi,
                    detail: format!(
                        "{} {path} has neither x-function nor operationId naming its function",
                        method.to_ascii_uppercase()
                    ),
                }),
            }
        }
    }
    Ok((table, problems))
}

/// The disagreements as a numbered list, one per line.
pub fn report(disagreements: &[Disagreement]) -> String {
    disagreements
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{:>3}. {d}\n", i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(pairs: &[(&str, &str, &str)]) -> RouteTable {
        let mut t = RouteTable::new();
        for (function, method, path) in pairs {
            t.entry((*function).to_owned())
                .or_default()
                .insert(Route::new(method, path));
        }
        t
    }

    /// Four functions that agree everywhere: two routed, the two route-less ones.
    fn agreeing() -> Sources {
        let names = ["health", "profile-get", "migrate", "sweeper"];
        let routed = [
            ("health", "GET", "/"),
            ("health", "GET", "/health"),
            ("profile-get", "GET", "/api/db/profile"),
        ];
        let mut template = routes(&routed);
        template.insert("migrate".to_owned(), BTreeSet::new());
        template.insert("sweeper".to_owned(), BTreeSet::new());
        Sources {
            crates: names
                .iter()
                .map(|n| (n.to_string(), n.to_string()))
                .collect(),
            events: names.iter().map(|n| (n.to_string(), 1)).collect(),
            template,
            router: routes(&routed),
            openapi: routes(&routed),
            malformed: Vec::new(),
        }
    }

    #[test]
    fn agreeing_sources_have_no_disagreement() {
        assert_eq!(compare(&agreeing()), vec![]);
    }

    #[test]
    fn a_route_removed_from_the_template_is_reported() {
        let mut s = agreeing();
        s.template
            .get_mut("health")
            .unwrap()
            .remove(&Route::new("GET", "/health"));
        assert_eq!(
            compare(&s),
            vec![Disagreement::Route {
                function: "health".into(),
                route: Route::new("GET", "/health"),
                present: vec![Source::Router, Source::OpenApi],
                missing: vec![Source::Template],
            }]
        );
    }

    #[test]
    fn a_crate_added_without_a_route_is_reported() {
        let mut s = agreeing();
        s.crates.insert("statistics".into(), "statistics".into());
        s.events.insert("statistics".into(), 1);
        s.template.insert("statistics".into(), BTreeSet::new());
        assert_eq!(
            compare(&s),
            vec![Disagreement::NoRoute {
                function: "statistics".into()
            }]
        );
        // And one the template does not deploy either says so too.
        s.template.remove("statistics");
        assert!(compare(&s).contains(&Disagreement::NotDeployed {
            function: "statistics".into()
        }));
    }

    #[test]
    fn a_method_mismatch_is_reported_from_both_sides() {
        let mut s = agreeing();
        s.router = routes(&[
            ("health", "GET", "/"),
            ("health", "GET", "/health"),
            ("profile-get", "POST", "/api/db/profile"),
        ]);
        let found = compare(&s);
        assert_eq!(
            found,
            vec![
                Disagreement::Route {
                    function: "profile-get".into(),
                    route: Route::new("GET", "/api/db/profile"),
                    present: vec![Source::Template, Source::OpenApi],
                    missing: vec![Source::Router],
                },
                Disagreement::Route {
                    function: "profile-get".into(),
                    route: Route::new("POST", "/api/db/profile"),
                    present: vec![Source::Router],
                    missing: vec![Source::Template, Source::OpenApi],
                },
            ]
        );
        assert_eq!(
            found[1].to_string(),
            "POST /api/db/profile → profile-get: in the Cargo.toml watch router, \
             missing from infra/template.yaml, infra/openapi.yaml"
        );
    }

    #[test]
    fn a_path_mismatch_is_reported() {
        let mut s = agreeing();
        s.openapi = routes(&[
            ("health", "GET", "/"),
            ("health", "GET", "/healthz"),
            ("profile-get", "GET", "/api/db/profile"),
        ]);
        let found = compare(&s);
        assert!(found.contains(&Disagreement::Route {
            function: "health".into(),
            route: Route::new("GET", "/health"),
            present: vec![Source::Template, Source::Router],
            missing: vec![Source::OpenApi],
        }));
        assert!(found.contains(&Disagreement::Route {
            function: "health".into(),
            route: Route::new("GET", "/healthz"),
            present: vec![Source::OpenApi],
            missing: vec![Source::Template, Source::Router],
        }));
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn a_missing_or_empty_events_dir_is_reported() {
        let mut s = agreeing();
        s.events.remove("profile-get");
        s.events.insert("sweeper".into(), 0);
        s.events.insert("old-function".into(), 2);
        assert_eq!(
            compare(&s),
            vec![
                Disagreement::MissingEvents {
                    function: "profile-get".into(),
                    dir_exists: false
                },
                Disagreement::MissingEvents {
                    function: "sweeper".into(),
                    dir_exists: true
                },
                Disagreement::StrayEvents {
                    dir: "old-function".into()
                },
            ]
        );
    }

    #[test]
    fn a_routeless_function_given_a_route_is_reported() {
        let mut s = agreeing();
        for table in [&mut s.template, &mut s.router, &mut s.openapi] {
            table
                .entry("sweeper".into())
                .or_default()
                .insert(Route::new("POST", "/sweep"));
        }
        assert_eq!(
            compare(&s)
                .into_iter()
                .filter(|d| matches!(d, Disagreement::RoutelessRouted { .. }))
                .count(),
            3
        );
    }

    #[test]
    fn unknown_functions_wrong_package_names_and_shared_routes_are_reported() {
        let mut s = agreeing();
        s.crates
            .insert("profile-get".into(), "rehearse-profile-get".into());
        s.router
            .entry("profile-getter".into())
            .or_default()
            .insert(Route::new("GET", "/api/db/profile"));
        let found = compare(&s);
        assert!(found.contains(&Disagreement::PackageName {
            dir: "profile-get".into(),
            package: "rehearse-profile-get".into()
        }));
        assert!(found.contains(&Disagreement::UnknownFunction {
            function: "profile-getter".into(),
            source: Source::Router
        }));
        assert!(found.contains(&Disagreement::DuplicateRoute {
            source: Source::Router,
            route: Route::new("GET", "/api/db/profile"),
            functions: vec!["profile-get".into(), "profile-getter".into()],
        }));
    }

    #[test]
    fn the_template_loader_reads_binaries_and_http_api_events_through_short_tags() {
        let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  HealthFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: rust-cargolambda
      BuildProperties:
        Binary: health
    Properties:
      FunctionName: !Sub rehearse-${Stage}-health
      Environment:
        Variables:
          RESUME_BUCKET: !Ref Bucket
          ARN: !GetAtt Bucket.Arn
      Events:
        GetRoot:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: get
            Path: /
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
  SweeperFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildProperties:
        Binary: sweeper
  Nameless:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Any:
          Type: HttpApi
"#;
        let (table, problems) = template_routes(text).unwrap();
        assert_eq!(table["health"], BTreeSet::from([Route::new("GET", "/")]));
        assert_eq!(table["sweeper"], BTreeSet::new());
        assert_eq!(table.len(), 2);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].to_string().contains("Nameless"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn the_router_loader_rejects_entries_without_a_method() {
        let text = r#"
[workspace.metadata.lambda.watch.router]
"/api/db/profile" = [
    { function = "profile-get", method = "GET" },
    { function = "profile-upsert", method = "POST" },
]
"/any" = "health"
"/half" = [{ function = "health" }]
"#;
        let (table, problems) = router_routes(text).unwrap();
        assert_eq!(
            table["profile-upsert"],
            BTreeSet::from([Route::new("POST", "/api/db/profile")])
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn the_openapi_loader_maps_operations_to_functions_and_reports_unnamed_ones() {
        let text = r#"
openapi: 3.1.0
paths:
  /:
    get:
      operationId: health-root
      x-function: health
  /api/session/{session_id}:
    parameters:
      - name: session_id
        in: path
        required: true
    get:
      operationId: session-get
  /api/db/sessions/{session_id}:
    get:
      operationId: session-detail
    delete:
      summary: no id
"#;
        let (table, problems) = openapi_routes(text).unwrap();
        assert_eq!(
            table["session-get"],
            BTreeSet::from([Route::new("GET", "/api/session/{session_id}")])
        );
        assert_eq!(table["health"], BTreeSet::from([Route::new("GET", "/")]));
        assert_eq!(table.len(), 3);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .contains("DELETE /api/db/sessions/{session_id}")
        );
    }

    #[test]
    fn a_missing_openapi_file_names_itself() {
        let root = std::env::temp_dir().join(format!("rehearse-contract-{}", std::process::id()));
        let err = read(&root.join("infra/openapi.yaml"), "hint").unwrap_err();
        assert!(matches!(err, LoadError::Missing { .. }));
        assert!(err.to_string().contains("infra/openapi.yaml is missing"));
    }
}
