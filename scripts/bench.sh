#!/usr/bin/env bash
# Page-speed benchmark for the standardization tracker (issue #3): with the demo data for all
# 62 municipalities × 20 systems × 40 steps, how long do the heatmap and the council dashboard
# take to answer? Not a test: it prints figures for the README's performance section.
#
#   bash scripts/bench.sh            # uses $CARGO_TARGET_DIR/release/kyodo (build: make release)
#   KYODO_BIN=… N=200 bash scripts/bench.sh
#
# Starts the server on 127.0.0.1:3400 with a fresh data folder and demo data, signs in as the
# Tokyo officer, warms up, then requests each page N times one after another (curl, keep-alive
# off, time to the last byte) and prints min / median / p95 / max in milliseconds.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KYODO_TOOLS_ENV_ONLY=1 source "$ROOT/scripts/tools.sh"
BIN="${KYODO_BIN:-$CARGO_TARGET_DIR/release/kyodo}"
SITE="${KYODO_SITE_ROOT:-$(kyodo_release_site_root)}"
N="${N:-100}"
ADDR=127.0.0.1:3400
BASE="http://$ADDR"
DATA="$(mktemp -d)"
JAR="$DATA/cookies"
[[ -x $BIN ]] || { echo "bench: $BIN not found (run: make release)" >&2; exit 1; }
LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_ADDR="$ADDR" LEPTOS_OUTPUT_NAME=kyodo KYODO_DATA_DIR="$DATA" \
  KYODO_DEMO=1 KYODO_RATE_SIGN_IN_PER_MINUTE=1000 KYODO_RATE_POSTS_PER_SECOND=100000 \
  "$BIN" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 120); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.5; done
curl -sf -c "$JAR" -o /dev/null -X POST -H "Origin: $BASE" -d persona=tokyo_officer "$BASE/api/demo_sign_in"

measure() { # label, then curl arguments
  local label=$1; shift
  for _ in $(seq 5); do curl -sf -b "$JAR" -o /dev/null "$@"; done
  for _ in $(seq "$N"); do
    curl -sf -b "$JAR" -o /dev/null -w '%{time_total}\n' "$@"
  done | sort -n | awk -v label="$label" '
    { t[NR] = $1 * 1000 }
    END {
      p50 = t[int((NR + 1) / 2)]; p95 = t[int(NR * 0.95 + 0.5)]
      printf "%-42s n=%d  min %6.1f  median %6.1f  p95 %6.1f  max %6.1f ms\n", label, NR, t[1], p50, p95, t[NR]
    }'
}

echo "kyodo page timings ($(nproc) cores, $(uname -m), $BIN)"
measure "GET /standardization (heatmap, 62×20)" "$BASE/standardization"
measure "GET /standardization?sort=progress_desc" "$BASE/standardization?sort=progress_desc"
measure "GET /standardization/dashboard" "$BASE/standardization/dashboard"
measure "GET /standardization/dashboard?cloud=aws" "$BASE/standardization/dashboard?cloud=aws"
measure "POST /api/get_matrix (JSON)" -X POST -H "Origin: $BASE" -H 'Accept: application/json' -d kind= "$BASE/api/get_matrix"
measure "POST /api/get_dashboard (JSON)" -X POST -H "Origin: $BASE" -H 'Accept: application/json' -d kind= "$BASE/api/get_dashboard"
measure "GET /standardization/records/131164/resident_registry" "$BASE/standardization/records/131164/resident_registry"
