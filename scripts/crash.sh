#!/usr/bin/env bash
# The crash harness (issue #14): SIGKILL at random moments during a write load, restart, and
# check every acknowledged write (scripts/crash_check.py says what exactly).
#
#   bash scripts/crash.sh                 # 50 rounds on the embedded store, then 50 on the SurrealDB server
#   ROUNDS=5 STORES=embedded bash scripts/crash.sh
#
# Uses the release build (`make release`; KYODO_BIN to choose another) and, for the server
# store, `make dbserver`. Works in a fresh folder under /tmp that it removes afterwards
# (KEEP=1 keeps it, with the logs).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KYODO_TOOLS_ENV_ONLY=1 source "$ROOT/scripts/tools.sh"
ROUNDS="${ROUNDS:-50}"
STORES="${STORES:-embedded server}"
export KYODO_BIN="${KYODO_BIN:-$CARGO_TARGET_DIR/release/kyodo}"
export SURREALDB_BIN="${SURREALDB_BIN:-$CARGO_TARGET_DIR/release/kyodo-surrealdb}"
if [[ $KYODO_BIN == */release/* ]]; then
  export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$(kyodo_release_site_root)}"
else
  export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$(kyodo_site_root)}"
fi
[[ -x $KYODO_BIN ]] || { echo "crash: $KYODO_BIN not found (run: make release)" >&2; exit 1; }
status=0
for store in $STORES; do
  if [[ $store == server && ! -x $SURREALDB_BIN ]]; then
    echo "crash: $SURREALDB_BIN not found (run: make dbserver)" >&2; exit 1
  fi
  export CRASH_DIR="$(mktemp -d)"
  echo "== $store store, $ROUNDS rounds (folder $CRASH_DIR)"
  python3 "$ROOT/scripts/crash_check.py" "$store" "$ROUNDS" || status=1
  [[ -n ${KEEP:-} ]] || rm -rf "$CRASH_DIR"
done
exit $status
