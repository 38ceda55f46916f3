//! The real workspace: functions/, events/, infra/template.yaml, the Cargo.toml
//! watch router and infra/openapi.yaml must agree on every function and route.

use std::error::Error;
use std::path::Path;

use rehearse_contract::{compare, load, report};

#[test]
fn functions_events_template_router_and_openapi_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let sources = match load(&root) {
        Ok(sources) => sources,
        Err(e) => {
            let mut chain = e.to_string();
            let mut cause = e.source();
            while let Some(c) = cause {
                chain.push_str(&format!(": {c}"));
                cause = c.source();
            }
            panic!("the route contract could not be loaded: {chain}");
        }
    };
    assert!(
        sources.crates.len() >= 2,
        "no function crates found under {}",
        root.join("functions").display()
    );
    let found = compare(&sources);
    assert!(
        found.is_empty(),
        "the route contract is broken ({} disagreement(s)):\n{}",
        found.len(),
        report(&found)
    );
}
