#!/usr/bin/env bash
# End-to-end tests against an already-built site (`cargo leptos build`), then a restart check.
#
#   1. starts a real OpenID Connect provider (end2end/oidc/provider.mjs, oidc-provider) on 127.0.0.1:3200;
#   2. for each Playwright project (`hydrated`, `no-js`) in turn: starts the server on 127.0.0.1:3100
#      with a fresh data directory, the demo data (KYODO_DEMO=1) and two OIDC provider entries that
#      point at it (see start_server), runs `npx playwright test --project <name>` in end2end/ and
#      stops it, so that no project sees what another wrote (extra arguments are passed on; with a
#      `--project` of their own, one run with those arguments);
#   3. on the last server: exports /standardization/export.csv as the Tokyo officer, restarts the server on the same data
#      directory, exports again and compares: nothing lost, nothing duplicated (1 + 62 × 20 lines).
#
# Exits with Playwright's code if it failed, otherwise with the restart check's. The server and the
# provider are always stopped. Environment:
#   CARGO_TARGET_DIR  build output (default $HOME/.cache/kyodo/target)
#   KYODO_BIN         server binary (default $CARGO_TARGET_DIR/debug/kyodo)
#   KYODO_SITE_ROOT   site directory (default: where cargo-leptos puts it, see scripts/tools.sh)
#   KYODO_E2E_KEEP=1  keep the data directory and the server and provider logs afterwards
#   KYODO_E2E_PORT, KYODO_E2E_OIDC_PORT  ports of the server and the provider (3100, 3200), so
#                     that two runs (e.g. a clean-clone check beside your own) can share a machine
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kyodo/target}"
# shellcheck source=scripts/tools.sh
KYODO_TOOLS_ENV_ONLY=1 source "$ROOT/scripts/tools.sh"

ADDR="127.0.0.1:${KYODO_E2E_PORT:-3100}"
BASE="http://$ADDR"
OIDC_PORT="${KYODO_E2E_OIDC_PORT:-3200}"
OIDC_ISSUER="http://127.0.0.1:$OIDC_PORT"
BIN="${KYODO_BIN:-$CARGO_TARGET_DIR/debug/kyodo}"
SITE="${KYODO_SITE_ROOT:-$(kyodo_site_root)}"
EXPECTED_EXPORT_LINES=$((1 + 62 * 20))

die() { echo "e2e: $*" >&2; exit 1; }

[[ -x $BIN ]] || die "no server binary at $BIN (run \`cargo leptos build\` first)"
[[ -d $SITE/pkg ]] || die "no built site at $SITE (run \`cargo leptos build\` first)"
[[ -d $ROOT/end2end/node_modules/@playwright/test ]] \
  || die "end2end/node_modules is missing (run \`PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci\` in end2end/)"
if curl -s -o /dev/null --max-time 2 "$BASE/healthz"; then
  die "something already answers on $ADDR; stop it first"
fi
if curl -s -o /dev/null --max-time 2 "$OIDC_ISSUER/"; then
  die "something already answers on $OIDC_ISSUER; stop it first"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kyodo-e2e.XXXXXX")"
DATA_DIR="$WORK/data"
mkdir -p "$DATA_DIR"
LOG="$WORK/server.log"
OIDC_LOG="$WORK/oidc.log"
SERVER_PID=""
OIDC_PID=""

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "e2e: server did not stop within 10 s of SIGTERM; killing it" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

stop_provider() {
  [[ -n $OIDC_PID ]] || return 0
  kill -TERM "$OIDC_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$OIDC_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$OIDC_PID" 2>/dev/null || true
  wait "$OIDC_PID" 2>/dev/null || true
  OIDC_PID=""
}

cleanup() {
  local code=$?
  stop_server
  stop_provider
  if [[ ${KYODO_E2E_KEEP:-0} == 1 ]]; then
    echo "e2e: kept $WORK (data/, server.log, oidc.log)"
  else
    rm -rf "$WORK"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() {
  echo "----- server log ($LOG) -----" >&2
  tail -n 200 "$LOG" >&2 || true
  echo "-----------------------------" >&2
}

show_oidc_log() {
  echo "----- provider log ($OIDC_LOG) -----" >&2
  tail -n 60 "$OIDC_LOG" >&2 || true
  echo "------------------------------------" >&2
}

# The test identity provider (end2end/oidc/provider.mjs); ready once its discovery document answers.
start_provider() {
  echo "e2e: starting the OIDC provider on $OIDC_ISSUER"
  (cd "$ROOT/end2end" && OIDC_PORT=$OIDC_PORT KYODO_CALLBACK="$BASE/auth/oidc/callback" \
    exec node oidc/provider.mjs) >>"$OIDC_LOG" 2>&1 &
  OIDC_PID=$!
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$OIDC_PID" 2>/dev/null; then
      wait "$OIDC_PID" 2>/dev/null || true
      OIDC_PID=""
      show_oidc_log
      echo "e2e: the OIDC provider exited before answering" >&2
      return 1
    fi
    if curl -sf -o /dev/null --max-time 2 "$OIDC_ISSUER/.well-known/openid-configuration"; then
      echo "e2e: OIDC provider is up"
      return 0
    fi
    sleep 0.25
  done
  show_oidc_log
  echo "e2e: the OIDC provider did not answer on $OIDC_ISSUER within 30 s" >&2
  return 1
}

# Kyodo with the demo data, sign-in rate limit raised for the suite (every test signs in, all from
# 127.0.0.1), and two OIDC provider entries, both at the test provider:
#   local     client `kyodo`, for 八王子市 (132012) and 豊島区 (131164), chosen by e-mail domain;
#   wrongaud  also client `kyodo`, but configured with the secret of another client
#             (`someone-else`'s): the provider refuses its code exchange.
start_server() {
  echo "e2e: starting $BIN on $ADDR (data: $DATA_DIR)"
  echo "===== start $(date -Is) =====" >>"$LOG"
  LEPTOS_SITE_ROOT="$SITE" \
    LEPTOS_SITE_ADDR="$ADDR" \
    LEPTOS_OUTPUT_NAME=kyodo \
    KYODO_DATA_DIR="$DATA_DIR" \
    KYODO_DEMO=1 KYODO_DEMO_PROJECTS=0 \
    KYODO_RATE_SIGN_IN_PER_MINUTE=1000 \
    KYODO_PUBLIC_URL="$BASE" \
    KYODO_OIDC_PROVIDERS=local,wrongaud \
    KYODO_OIDC_LOCAL_ISSUER="$OIDC_ISSUER" \
    KYODO_OIDC_LOCAL_CLIENT_ID=kyodo \
    KYODO_OIDC_LOCAL_CLIENT_SECRET=kyodo-secret \
    KYODO_OIDC_LOCAL_ORGS=132012,131164 \
    KYODO_OIDC_LOCAL_DOMAINS=city.hachioji.lg.jp=132012,city.toshima.lg.jp=131164 \
    KYODO_OIDC_LOCAL_LABEL="テスト用IdP" \
    KYODO_OIDC_WRONGAUD_ISSUER="$OIDC_ISSUER" \
    KYODO_OIDC_WRONGAUD_CLIENT_ID=kyodo \
    KYODO_OIDC_WRONGAUD_CLIENT_SECRET=other-secret \
    KYODO_OIDC_WRONGAUD_ORGS=132012 \
    KYODO_OIDC_WRONGAUD_LABEL="設定誤りのIdP（テスト用）" \
    "$BIN" >>"$LOG" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 60)) status
  while ((SECONDS < deadline)); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null && status=0 || status=$?
      SERVER_PID=""
      show_log
      echo "e2e: server exited (status $status) before answering /healthz" >&2
      return 1
    fi
    status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)"
    if [[ $status == 200 ]]; then
      echo "e2e: server is up"
      return 0
    fi
    sleep 0.25
  done
  show_log
  echo "e2e: server did not answer 200 on $BASE/healthz within 60 s" >&2
  return 1
}

# Signs in as the Tokyo officer with a fresh cookie jar and saves the progress export to $1.
export_progress() {
  local out=$1 jar="$WORK/cookies.txt" code
  rm -f "$jar"
  code="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -X POST \
    -d persona=tokyo_officer -H "Origin: $BASE" "$BASE/api/demo_sign_in")"
  [[ $code =~ ^(200|204|302|303)$ ]] || { echo "e2e: demo sign-in answered $code" >&2; return 1; }
  code="$(curl -s -o "$out" -w '%{http_code}' -c "$jar" -b "$jar" "$BASE/standardization/export.csv")"
  [[ $code == 200 ]] || { echo "e2e: export answered $code" >&2; return 1; }
}

# Counts lines as a spreadsheet would (a last line without a newline still counts).
count_lines() { awk 'END { print NR }' "$1"; }

restart_check() {
  local before="$WORK/export-before.csv" after="$WORK/export-after.csv" lines
  echo "e2e: restart check"
  export_progress "$before" || return 1
  lines="$(count_lines "$before")"
  if [[ $lines != "$EXPECTED_EXPORT_LINES" ]]; then
    echo "e2e: export has $lines lines, expected $EXPECTED_EXPORT_LINES (header + 62 × 20)" >&2
    return 1
  fi
  stop_server
  start_server || return 1
  export_progress "$after" || return 1
  if ! cmp "$before" "$after"; then
    echo "e2e: the export differs after a restart:" >&2
    diff "$before" "$after" | head -n 40 >&2 || true
    return 1
  fi
  echo "e2e: restart check passed ($lines lines, identical before and after)"
}

# One run per project, each on its own fresh server and data directory.
runs=("--project=hydrated" "--project=no-js")
for arg in "$@"; do
  [[ $arg == --project* ]] && runs=("")
done

start_provider || exit 1
pw_code=0
for project in "${runs[@]}"; do
  if [[ -n $SERVER_PID ]]; then
    stop_server
    DATA_DIR="$WORK/data-${project#--project=}"
    mkdir -p "$DATA_DIR"
  fi
  start_server || exit 1
  code=0
  (cd "$ROOT/end2end" && KYODO_BASE_URL="$BASE" OIDC_ISSUER="$OIDC_ISSUER" \
    npx playwright test ${project:+"$project"} "$@") || code=$?
  if ((code != 0)); then
    pw_code=$code
    show_oidc_log
  fi
done

restart_code=0
restart_check || restart_code=$?
if ((restart_code != 0)); then
  show_log
fi

stop_server
stop_provider
if ((pw_code != 0)); then
  echo "e2e: playwright failed (exit $pw_code)" >&2
  exit "$pw_code"
fi
exit "$restart_code"
