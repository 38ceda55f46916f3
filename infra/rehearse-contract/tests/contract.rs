//! The real workspace against infra/routes.toml: the generated regions are
//! current (forgetting `cargo run -p rehearse-contract -- generate` fails here),
//! infra/openapi.yaml documents exactly its routes, and functions/ and events/
//! hold exactly its functions.

use rehearse_contract::{Manifest, check, workspace_root};

fn manifest() -> Manifest {
    Manifest::load(&workspace_root()).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_none(what: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{what}:\n  {}", found.join("\n  "));
}

#[test]
fn generated_files_are_what_the_manifest_makes() {
    assert_none(
        "stale",
        check::stale(&workspace_root(), &manifest()).unwrap(),
    );
}

#[test]
fn openapi_documents_every_route_with_its_function_and_auth() {
    let text = std::fs::read_to_string(workspace_root().join("infra/openapi.yaml")).unwrap();
    assert_none(
        "infra/openapi.yaml",
        check::openapi(&manifest(), &text).unwrap(),
    );
}

#[test]
fn every_function_has_its_crate_and_samples_and_nothing_else_does() {
    let found = check::crates_and_events(&workspace_root(), &manifest()).unwrap();
    assert_none("functions/ and events/", found);
}
