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
source "$ROOT/scripts/bench_lib.sh"
bench_start 127.0.0.1:3400 KYODO_DEMO_PROJECTS=0
bench_sign_in tokyo_officer "$JAR"

echo "kyodo page timings ($(nproc) cores, $(uname -m), $BIN)"
measure "GET /standardization (heatmap, 62×20)" "$BASE/standardization"
measure "GET /standardization?sort=progress_desc" "$BASE/standardization?sort=progress_desc"
measure "GET /standardization/dashboard" "$BASE/standardization/dashboard"
measure "GET /standardization/dashboard?cloud=aws" "$BASE/standardization/dashboard?cloud=aws"
measure "POST /api/get_matrix (JSON)" -X POST -H "Origin: $BASE" -H 'Accept: application/json' -d kind= "$BASE/api/get_matrix"
measure "POST /api/get_dashboard (JSON)" -X POST -H "Origin: $BASE" -H 'Accept: application/json' -d kind= "$BASE/api/get_dashboard"
measure "GET /standardization/records/131164/resident_registry" "$BASE/standardization/records/131164/resident_registry"
