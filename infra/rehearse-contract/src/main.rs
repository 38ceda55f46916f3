//! `cargo run -p rehearse-contract -- generate`: writes the watch router and the
//! template's generated regions from infra/routes.toml. `-- check`: exits 1 with
//! every disagreement (what `cargo test -p rehearse-contract` also asserts).

use std::io::Write;
use std::process::ExitCode;

use rehearse_contract::{Manifest, check, generate, workspace_root};

fn main() -> ExitCode {
    let root = workspace_root();
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = Manifest::load(&root).and_then(|m| match command.as_str() {
        "generate" => generate::write(&root, &m).map(|written| {
            written
                .iter()
                .map(|f| format!("wrote {f}"))
                .chain(written.is_empty().then(|| "up to date".to_owned()))
                .collect::<Vec<_>>()
        }),
        "check" => check::all(&root, &m),
        _ => Ok(vec!["usage: rehearse-contract generate | check".to_owned()]),
    });
    let mut stdout = std::io::stdout().lock();
    match result {
        Ok(lines) => {
            for line in &lines {
                let _ = writeln!(stdout, "{line}");
            }
            if command == "generate" || (command == "check" && lines.is_empty()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            let mut message = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            let _ = writeln!(stdout, "rehearse-contract: {message}");
            ExitCode::FAILURE
        }
    }
}
