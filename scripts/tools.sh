# shellcheck shell=bash
# Build and test tools for Kyodo. Sourced, not run: by .ci/run, by every Makefile recipe and by
# scripts/e2e.sh, so the install rules live in one place.
#
# Sourcing
#   - exports CARGO_TARGET_DIR (default $HOME/.cache/kyodo/target, outside the clone, so CI on a used
#     machine reuses earlier builds) and puts $KYODO_TOOLS_DIR/bin first on PATH;
#   - then, unless KYODO_TOOLS_ENV_ONLY=1, runs kyodo_ensure_build_tools: each tool is installed only
#     when the installed version differs, so sourcing again costs a few version checks.
# kyodo_ensure_e2e_tools adds what the browser tests need (Debian chromium, end2end/node_modules).
#
# Versions, and why (measured on Debian 12, 2 cores, rustc 1.95, only package registries reachable):
#   cargo-leptos 0.3.10  0.3.11 needs rustc >= 1.96; `no_downloads` makes it use the tools on PATH,
#                        because it cannot download them here. ~21 min to build: never reinstall needlessly.
#   wasm-bindgen-cli     must equal the wasm-bindgen crate in Cargo.lock exactly; installed without
#                        --locked (its lock file pins a crate version the registry here lacks).
#   wasm-opt 132         npm binaryen@132.0.0 in $KYODO_TOOLS_DIR. Debian's binaryen 108 silently breaks
#                        hydration, and cargo-leptos takes the first wasm-opt on PATH: ours must come first.
#   cargo-nextest        runs the Rust tests, each in its own process, ending a hung test by name
#                        (.config/nextest.toml). On this machine kind already; else from crates.io.
#   chromium             Debian's /usr/bin/chromium; `npx playwright install` cannot download browsers here.

KYODO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KYODO_TOOLS_DIR="${KYODO_TOOLS_DIR:-$HOME/.cache/kyodo/tools}"
KYODO_CARGO_LEPTOS_VERSION=0.3.10
KYODO_BINARYEN_VERSION=132.0.0
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyodo/target}"
case "$PATH" in
  "$KYODO_TOOLS_DIR/bin:"*) ;;
  *) export PATH="$KYODO_TOOLS_DIR/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
esac

kyodo_log() { echo "tools: $*" >&2; }

# Runs a command as root: directly when we are root, through sudo otherwise.
kyodo_as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi
}

# Whether text $1 contains version $2 as a whole word ("cargo-leptos 0.3.10" has 0.3.10, not 0.3.1).
kyodo_has_version() {
  [[ " $1 " =~ [^0-9.]${2//./\\.}[^0-9.] ]]
}

kyodo_require() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || { kyodo_log "missing \`$cmd\`: install it first"; return 1; }
  done
}

kyodo_ensure_wasm_target() {
  local installed
  installed="$(rustup target list --installed)"
  if [[ $'\n'$installed$'\n' != *$'\nwasm32-unknown-unknown\n'* ]]; then
    kyodo_log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

kyodo_ensure_cargo_leptos() {
  local have
  have="$(cargo leptos --version 2>/dev/null || true)"
  if ! kyodo_has_version "$have" "$KYODO_CARGO_LEPTOS_VERSION"; then
    kyodo_log "installing cargo-leptos $KYODO_CARGO_LEPTOS_VERSION (found: ${have:-none}); this takes ~20 min"
    cargo install cargo-leptos --version "$KYODO_CARGO_LEPTOS_VERSION" --locked --features no_downloads --force
  fi
}

# The version of the wasm-bindgen crate in Cargo.lock (the CLI must match it exactly).
kyodo_wasm_bindgen_version() {
  awk '
    /^\[\[package\]\]/ { in_pkg = 0 }
    /^name = "wasm-bindgen"$/ { in_pkg = 1 }
    in_pkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$KYODO_ROOT/Cargo.lock"
}

kyodo_ensure_wasm_bindgen() {
  local want have
  want="$(kyodo_wasm_bindgen_version)"
  if [[ -z $want ]]; then
    kyodo_log "no wasm-bindgen package in Cargo.lock"
    return 1
  fi
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if ! kyodo_has_version "$have" "$want"; then
    kyodo_log "installing wasm-bindgen-cli $want (found: ${have:-none})"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

kyodo_ensure_wasm_opt() {
  local bin="$KYODO_TOOLS_DIR/bin/wasm-opt" have want="${KYODO_BINARYEN_VERSION%%.*}"
  have="$("$bin" --version 2>/dev/null || true)"
  if ! kyodo_has_version "$have" "$want"; then
    kyodo_log "installing wasm-opt $want (npm binaryen@$KYODO_BINARYEN_VERSION) into $KYODO_TOOLS_DIR"
    npm install --global --prefix "$KYODO_TOOLS_DIR" --no-audit --no-fund "binaryen@$KYODO_BINARYEN_VERSION"
    have="$("$bin" --version 2>/dev/null || true)"
    kyodo_has_version "$have" "$want" || { kyodo_log "wasm-opt still reports: ${have:-nothing}"; return 1; }
  fi
  if [[ "$(command -v wasm-opt)" != "$bin" ]]; then
    kyodo_log "\`wasm-opt\` on PATH is $(command -v wasm-opt), not $bin"
    return 1
  fi
}

kyodo_ensure_chromium() {
  if [[ ! -x /usr/bin/chromium ]]; then
    kyodo_log "installing Debian chromium"
    kyodo_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    kyodo_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
}

# end2end/node_modules from package-lock.json, reinstalled (npm ci) only when the lock file changed.
kyodo_ensure_end2end_deps() {
  local dir="$KYODO_ROOT/end2end" stamp want
  stamp="$dir/node_modules/.kyodo-lock.sha256"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) node $(node --version)"
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
    kyodo_log "npm ci in end2end/"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    echo "$want" >"$stamp"
  fi
}

# Where `cargo leptos build` writes the site, following cargo-leptos 0.3.10's rule for `site-root` in
# [[workspace.metadata.leptos]]: absent = $CARGO_TARGET_DIR/site; a leading `CARGO_TARGET_DIR/` is
# replaced by the target directory; any other relative path is taken from the workspace root.
kyodo_site_root() {
  local value
  value="$(awk -F'"' '
    /^\[\[workspace\.metadata\.leptos\]\]/ { in_meta = 1; next }
    /^\[/ { in_meta = 0 }
    in_meta && /^[[:space:]]*site-root[[:space:]]*=/ { print $2; exit }
  ' "$KYODO_ROOT/Cargo.toml")"
  case "$value" in
    "") echo "$CARGO_TARGET_DIR/site" ;;
    CARGO_TARGET_DIR/* | CARGO_BUILD_TARGET_DIR/*) echo "$CARGO_TARGET_DIR/${value#*/}" ;;
    /*) echo "$value" ;;
    *) echo "$KYODO_ROOT/$value" ;;
  esac
}

# Where `make release` writes its site: a folder of its own beside the debug site, so that a
# release build never rewrites the `pkg/` files a running debug server (`make run`) serves
# (cargo-leptos takes LEPTOS_SITE_ROOT over Cargo.toml's site-root).
kyodo_release_site_root() {
  echo "$(kyodo_site_root)-release"
}

# cargo-nextest: any version; the machine image has it, a bare machine builds it (~6 min).
kyodo_ensure_nextest() {
  if ! cargo nextest --version >/dev/null 2>&1; then
    kyodo_log "installing cargo-nextest (not found)"
    cargo install cargo-nextest --locked
  fi
}

# Python packages from PyPI that the tests use as independent, real counterparts:
#   icalendar  parses the .ics files (scripts/check_ics.py), independent of the Rust `icalendar`
#              crate that writes them;
#   aiosmtpd   a real SMTP server that receives the daily e-mail digest in the tests.
# Each installed only when its import fails.
KYODO_PY_ICALENDAR_VERSION=7.3.0
KYODO_PY_AIOSMTPD_VERSION=1.4.6
kyodo_ensure_python_packages() {
  kyodo_require python3
  if ! python3 -c 'import icalendar' >/dev/null 2>&1; then
    kyodo_log "installing Python icalendar $KYODO_PY_ICALENDAR_VERSION (PyPI)"
    python3 -m pip install --quiet "icalendar==$KYODO_PY_ICALENDAR_VERSION"
  fi
  if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    kyodo_log "installing Python aiosmtpd $KYODO_PY_AIOSMTPD_VERSION (PyPI)"
    python3 -m pip install --quiet "aiosmtpd==$KYODO_PY_AIOSMTPD_VERSION"
  fi
}

# Debian packages of the release build and the benchmark, installed only when missing:
#   brotli  precompresses the release build's files (scripts/precompress.sh);
#   wrk     the load generator of scripts/bench.sh.
kyodo_ensure_apt_tools() {
  local missing=()
  command -v brotli >/dev/null || missing+=(brotli)
  command -v wrk >/dev/null || missing+=(wrk)
  if (( ${#missing[@]} )); then
    kyodo_log "installing Debian ${missing[*]}"
    kyodo_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    kyodo_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# haproxy (Debian) for the cluster test's load balancer.
kyodo_ensure_haproxy() {
  command -v haproxy >/dev/null && return
  kyodo_log "installing Debian haproxy"
  kyodo_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  kyodo_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy
}

kyodo_ensure_build_tools() {
  kyodo_require rustup cargo npm
  kyodo_ensure_nextest
  kyodo_ensure_wasm_target
  kyodo_ensure_wasm_opt
  kyodo_ensure_wasm_bindgen
  kyodo_ensure_cargo_leptos
}

kyodo_ensure_e2e_tools() {
  kyodo_require node npm curl
  kyodo_ensure_chromium
  kyodo_ensure_end2end_deps
}

if [[ ${KYODO_TOOLS_ENV_ONLY:-0} != 1 ]]; then
  kyodo_ensure_build_tools
fi
