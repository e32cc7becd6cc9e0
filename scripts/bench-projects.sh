#!/usr/bin/env bash
# Page-speed benchmark for joint projects (issue #10): the project list and a project's page
# with 10,000 demo projects and with tenfold that (100,000). The issue's targets: median
# (p50) at most 20 ms with 10,000, and at most 1.5 times that with 100,000. Not a test: it
# prints figures for the README's performance section.
#
#   bash scripts/bench-projects.sh               # after `make release`
#   SIZES="10000" N=200 bash scripts/bench-projects.sh
#
# For each size: starts the release build on a fresh data folder with that many demo projects
# (KYODO_DEMO_PROJECTS: every kind and status, one in seven for invited municipalities only,
# two to four participants each once past 下書き), signs in as the Tokyo officer (who sees every
# project) and as a ward CIO (whose list leaves out what it may not see), warms up, then
# requests each page N times one after another (curl, time to the last byte) and prints
# min / median / p95 / max in milliseconds, the start-up time and the server's memory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/bench_lib.sh"
SIZES="${SIZES:-10000 100000}"
echo "kyodo joint projects page timings ($(nproc) cores, $(uname -m), $BIN, N=$N)"
for size in $SIZES; do
  bench_start 127.0.0.1:3401 KYODO_DEMO_PROJECTS="$size"
  echo "== $size projects (demo data stored, server answering after ${BENCH_STARTED_IN} s)"
  bench_sign_in tokyo_officer "$JAR"
  officer=$JAR
  bench_sign_in ward_cio "$DATA/ward"
  api=(-X POST -H "Origin: $BASE" -H 'Accept: application/json')
  # The first card: an open call with participants.
  id=$(curl -sf -b "$JAR" "${api[@]}" -d page=0 "$BASE/api/list_projects" \
    | grep -o '"id":"[0-9a-f]*"' | head -1 | cut -d'"' -f4)
  measure "GET /projects (first page)" "$BASE/projects"
  measure "GET /projects?page=100" "$BASE/projects?page=100"
  measure "GET /projects?kind=…&status=open" "$BASE/projects?kind=talent_sharing&status=open"
  measure "POST /api/list_projects (JSON)" "${api[@]}" -d page=0 "$BASE/api/list_projects"
  measure "GET /projects/<open call>" "$BASE/projects/$id"
  measure "POST /api/get_project (JSON)" "${api[@]}" -d "id=$id" "$BASE/api/get_project"
  JAR="$DATA/ward"
  measure "GET /projects (ward CIO: visible only)" "$BASE/projects"
  measure "GET /projects/<open call> (ward CIO)" "$BASE/projects/$id"
  JAR=$officer
  echo "resident memory after the load: $(( $(ps -o rss= -p "$PID") / 1024 )) MiB"
  bench_stop
done
