//! What disagrees with the manifest, one line each: a generated region that was
//! not regenerated, an OpenAPI operation, a function crate, an events folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_norway::Value as Yaml;

use crate::generate::{COMMAND, outputs};
use crate::{Auth, Error, Manifest, Route, read};

/// Every check below, on the workspace at `root`.
pub fn all(root: &Path, manifest: &Manifest) -> Result<Vec<String>, Error> {
    let mut out = stale(root, manifest)?;
    out.extend(
        openapi(manifest, &read(root, "infra/openapi.yaml")?).map_err(|source| Error::Yaml {
            path: root.join("infra/openapi.yaml"),
            source,
        })?,
    );
    out.extend(crates_and_events(root, manifest)?);
    Ok(out)
}

/// Generated files whose committed text is not what the manifest makes.
pub fn stale(root: &Path, manifest: &Manifest) -> Result<Vec<String>, Error> {
    Ok(outputs(root, manifest)?
        .into_iter()
        .filter(|o| o.current != o.wanted)
        .map(|o| {
            let line = o
                .current
                .lines()
                .zip(o.wanted.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| o.current.lines().count().min(o.wanted.lines().count()))
                + 1;
            format!(
                "{} differs from infra/routes.toml from line {line}: run `{COMMAND}`",
                o.file
            )
        })
        .collect())
}

/// `paths` of the OpenAPI document: the same routes, each operation's
/// `x-function` (or `operationId`) the manifest's function, and its `security`
/// the function's auth (`[]` none, `[{}, bearer]` optional, `[bearer]` required).
pub fn openapi(manifest: &Manifest, text: &str) -> Result<Vec<String>, serde_norway::Error> {
    let doc: Yaml = serde_norway::from_str(text)?;
    let mut out = Vec::new();
    let mut documented = BTreeSet::new();
    let paths = doc.get("paths").and_then(Yaml::as_mapping);
    for (path, item) in paths.into_iter().flatten() {
        let Some(path) = path.as_str() else { continue };
        for (method, op) in item.as_mapping().into_iter().flatten() {
            let Some(method) = method.as_str() else {
                continue;
            };
            if ![
                "get", "put", "post", "delete", "patch", "options", "head", "trace",
            ]
            .contains(&method)
            {
                continue;
            }
            let route = Route {
                method: method.to_ascii_uppercase(),
                path: path.to_owned(),
            };
            let named = op.get("x-function").or_else(|| op.get("operationId"));
            let function = named.and_then(Yaml::as_str).unwrap_or("");
            let Some(f) = manifest
                .function
                .get(function)
                .filter(|f| f.routes.contains(&route))
            else {
                out.push(format!(
                    "infra/openapi.yaml: {route} names function {function:?}, which does not serve it in infra/routes.toml"
                ));
                continue;
            };
            documented.insert(route.clone());
            let auth = match op.get("security").and_then(Yaml::as_sequence) {
                Some(s) if s.is_empty() => Some(Auth::None),
                Some(s)
                    if s.iter()
                        .any(|r| r.as_mapping().is_some_and(|m| m.is_empty())) =>
                {
                    Some(Auth::Optional)
                }
                Some(_) => Some(Auth::Required),
                None => None,
            };
            if auth != f.auth {
                out.push(format!(
                    "infra/openapi.yaml: {route} has security {auth:?}, infra/routes.toml says auth {:?}",
                    f.auth
                ));
            }
        }
    }
    for (route, function) in manifest.routes() {
        if !documented.contains(route) {
            out.push(format!(
                "infra/openapi.yaml has no operation for {route} ({function})"
            ));
        }
    }
    Ok(out)
}

/// `functions/<name>/` and `events/<name>/*.json` exist for exactly the
/// manifest's functions; a crate's package is its directory and its
/// description leaves the routes to the manifest; a route's samples are
/// events of one of its paths.
pub fn crates_and_events(root: &Path, manifest: &Manifest) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let crates = dirs(root, "functions")?;
    let events = dirs(root, "events")?;
    let named: BTreeSet<&str> = manifest.function.keys().map(String::as_str).collect();
    for dir in crates.keys().filter(|d| !named.contains(d.as_str())) {
        out.push(format!(
            "functions/{dir}/ has no [function.{dir}] in infra/routes.toml"
        ));
    }
    for dir in events.keys().filter(|d| !named.contains(d.as_str())) {
        out.push(format!(
            "events/{dir}/ names no function of infra/routes.toml"
        ));
    }
    for (name, f) in &manifest.function {
        let manifest_path = root.join("functions").join(name).join("Cargo.toml");
        match std::fs::read_to_string(&manifest_path) {
            Err(_) => out.push(format!("[function.{name}] has no crate functions/{name}/")),
            Ok(text) => {
                let package = toml::from_str::<toml::Table>(&text)
                    .ok()
                    .and_then(|t| t.get("package")?.as_table().cloned())
                    .unwrap_or_default();
                let get = |k: &str| package.get(k).and_then(|v| v.as_str()).unwrap_or("");
                if get("name") != name {
                    out.push(format!(
                        "functions/{name}/Cargo.toml names package {:?}",
                        get("name")
                    ));
                }
                let description = get("description");
                if description.is_empty() {
                    out.push(format!("functions/{name}/Cargo.toml has no description"));
                }
                for method in ["GET /", "POST /", "PUT /", "PATCH /", "DELETE /"] {
                    if description.contains(method) {
                        out.push(format!(
                            "functions/{name}/Cargo.toml: the description names a route ({method}...); \
                             routes live in infra/routes.toml"
                        ));
                    }
                }
            }
        }
        // A function that opens the embedding model at start must get its
        // layer (or it would refuse to start), and only those carry it.
        let main = std::fs::read_to_string(root.join("functions").join(name).join("src/main.rs"))
            .unwrap_or_default();
        let opens_model = ["warm_up_scoring()", "open_model()"]
            .iter()
            .any(|call| main.contains(call));
        if opens_model != f.model {
            out.push(format!(
                "[function.{name}]: model = {} but functions/{name}/src/main.rs {} the embedding model",
                f.model,
                if opens_model { "opens" } else { "does not open" }
            ));
        }
        let samples = events.get(name).cloned().unwrap_or_default();
        if samples.is_empty() {
            out.push(format!(
                "[function.{name}] has no samples in events/{name}/*.json"
            ));
        }
        if f.routes.is_empty() {
            continue;
        }
        for sample in samples {
            let rel = format!("events/{name}/{sample}");
            let event: serde_json::Value =
                serde_json::from_str(&read(root, &rel)?).unwrap_or_default();
            let path = event["routeKey"]
                .as_str()
                .and_then(|k| k.split_once(' '))
                .map(|(_, p)| p);
            if !f.routes.iter().any(|r| Some(r.path.as_str()) == path) {
                out.push(format!(
                    "{rel}: routeKey {} is not on a path of {name}",
                    event["routeKey"]
                ));
            }
        }
    }
    Ok(out)
}

/// Sub-directories of `root/parent` -> the `.json` files each holds.
fn dirs(root: &Path, parent: &str) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let path = root.join(parent);
    let entries = std::fs::read_dir(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    let mut out = BTreeMap::new();
    for entry in entries.flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let mut json: Vec<String> = std::fs::read_dir(entry.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        json.sort();
        out.insert(entry.file_name().to_string_lossy().into_owned(), json);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::parse(
            "[family.f]\nthreshold = \"T\"\n\
             [function.a-get]\nroutes = [\"GET /a\"]\nauth = \"optional\"\nfamily = \"f\"\nmemory = 256\ntimeout = 1\n\
             [function.b-delete]\nroutes = [\"DELETE /b/{id}\"]\nauth = \"required\"\nfamily = \"f\"\nmemory = 256\ntimeout = 1\n",
        )
        .unwrap()
    }

    #[test]
    fn an_agreeing_document_has_no_findings() {
        let doc = "paths:\n  /a:\n    get:\n      operationId: a-get\n      security:\n        - {}\n        - bearerAuth: []\n\
                   \x20 /b/{id}:\n    parameters: []\n    delete:\n      operationId: b-delete\n      security:\n        - bearerAuth: []\n";
        assert_eq!(openapi(&manifest(), doc).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn wrong_functions_missing_routes_and_wrong_security_are_found() {
        let doc = "paths:\n  /a:\n    get:\n      operationId: a-get\n      security: []\n\
                   \x20   post:\n      operationId: a-get\n";
        let found = openapi(&manifest(), doc).unwrap().join("\n");
        for expected in [
            "GET /a has security Some(None), infra/routes.toml says auth Some(Optional)",
            "POST /a names function \"a-get\", which does not serve it",
            "has no operation for DELETE /b/{id} (b-delete)",
        ] {
            assert!(found.contains(expected), "{expected} not in:\n{found}");
        }
    }
}
