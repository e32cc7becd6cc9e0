# Shared by the page-speed benchmarks (sourced, not run): start the release build on a fresh
# data folder, sign in as a demo persona, time a request N times in a row.
#
#   bench_start ADDR [ENV=VALUE …]   starts $BIN (release build) on ADDR with demo mode and the
#                                    given extra environment; sets BASE, DATA, PID; waits until
#                                    /healthz answers (up to $BENCH_START_SECONDS, default 900)
#   bench_sign_in PERSONA JAR        signs in as a demo persona, cookie in JAR
#   measure LABEL CURL_ARGS…         5 warm-up requests, then $N timed ones (curl, time to the
#                                    last byte, cookie from $JAR): min / median / p95 / max in ms
#   bench_stop                       stops the server and removes its data folder
#   bench_wait_for URL PID           waits until URL answers 2xx while process PID runs (30 s
#                                    at most); status 1 if it never does
#   ratio A B                        A ÷ B with three decimals (0 when B is 0)

KYODO_TOOLS_ENV_ONLY=1 source "$ROOT/scripts/tools.sh"
BIN="${KYODO_BIN:-$CARGO_TARGET_DIR/release/kyodo}"
SITE="${KYODO_SITE_ROOT:-$(kyodo_release_site_root)}"
N="${N:-100}"
[[ -x $BIN ]] || { echo "bench: $BIN not found (run: make release)" >&2; exit 1; }

bench_start() {
  local addr=$1; shift
  BASE="http://$addr"
  DATA="$(mktemp -d)"
  JAR="$DATA/cookies"
  env "$@" LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_ADDR="$addr" LEPTOS_OUTPUT_NAME=kyodo \
    KYODO_DATA_DIR="$DATA" KYODO_DEMO=1 KYODO_RATE_SIGN_IN_PER_MINUTE=1000 \
    KYODO_RATE_POSTS_PER_SECOND=100000 "$BIN" >"$DATA/server.log" 2>&1 &
  PID=$!
  trap bench_stop EXIT
  local started=$SECONDS
  until curl -sf "$BASE/healthz" >/dev/null; do
    kill -0 "$PID" 2>/dev/null || { cat "$DATA/server.log" >&2; exit 1; }
    (( SECONDS - started < ${BENCH_START_SECONDS:-900} )) || { echo "bench: no answer" >&2; exit 1; }
    sleep 0.5
  done
  BENCH_STARTED_IN=$(( SECONDS - started ))
}

bench_sign_in() {
  curl -sf -c "$2" -o /dev/null -X POST -H "Origin: $BASE" -d "persona=$1" "$BASE/api/demo_sign_in"
}

measure() { # label, then curl arguments
  local label=$1; shift
  for _ in $(seq 5); do curl -sf -b "$JAR" -o /dev/null "$@"; done
  for _ in $(seq "$N"); do
    curl -sf -b "$JAR" -o /dev/null -w '%{time_total}\n' "$@"
  done | sort -n | awk -v label="$label" '
    { t[NR] = $1 * 1000 }
    END {
      p50 = t[int((NR + 1) / 2)]; p95 = t[int(NR * 0.95 + 0.5)]
      printf "%-44s n=%d  min %6.1f  median %6.1f  p95 %6.1f  max %6.1f ms\n", label, NR, t[1], p50, p95, t[NR]
    }'
}

bench_wait_for() {
  for _ in $(seq 300); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

bench_stop() {
  [[ -n ${PID:-} ]] && { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
  [[ -n ${DATA:-} ]] && rm -rf "$DATA"
  PID='' DATA=''
}
