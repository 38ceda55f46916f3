# Shared by serve.sh and test.sh: install what the local stack and the tests need,
# from Debian's packages, PyPI and (cargo-deny) crates.io only. Sourced, not run.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    echo "==> apt-get update" >&2
    as_root apt-get update -qq
    apt_updated=1
  fi
  echo "==> apt-get install $*" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The newest /usr/lib/postgresql/<n>/bin holding initdb (or $REHEARSE_PG_BIN).
pg_bin_dir() {
  if [ -n "${REHEARSE_PG_BIN:-}" ]; then echo "$REHEARSE_PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; fi
}

ensure_postgres() {
  if [ -z "$(pg_bin_dir)" ] || ! command -v psql >/dev/null; then
    apt_install postgresql postgresql-client
  fi
  # Debian's package starts a cluster of its own on 5432; we never use it.
}

ensure_pgbouncer() {
  if ! [ -x /usr/sbin/pgbouncer ] && ! command -v pgbouncer >/dev/null; then
    apt_install pgbouncer
  fi
}

ensure_cargo_lambda() {
  if ! cargo lambda --version >/dev/null 2>&1; then
    echo "==> pip install cargo-lambda (brings its Zig toolchain)" >&2
    python3 -m pip install --quiet --disable-pip-version-check cargo-lambda
    # pyenv installs console scripts behind shims that need a rehash.
    if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
  fi
  cargo lambda --version >/dev/null
}

# cargo-deny (the dependency audit, deny.toml), pinned and built from crates.io
# into .local/cargo-deny/ (git-ignored); rebuilt only when the pin changes (a
# couple of minutes, once). CI's advisories job uses the same function.
readonly CARGO_DENY_VERSION=0.20.2
readonly CARGO_DENY=.local/cargo-deny/bin/cargo-deny
ensure_cargo_deny() {
  if [ "$("$CARGO_DENY" --version 2>/dev/null)" = "cargo-deny $CARGO_DENY_VERSION" ]; then
    return
  fi
  echo "==> cargo install cargo-deny $CARGO_DENY_VERSION (into .local/cargo-deny)" >&2
  cargo install --quiet --locked --force --version "=$CARGO_DENY_VERSION" \
    --root .local/cargo-deny cargo-deny </dev/null
  "$CARGO_DENY" --version >/dev/null
}
