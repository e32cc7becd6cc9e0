#!/usr/bin/env bash
# The page-speed benchmark (issue #13): every page kind of the release build, side by side in
# the same run with a bare server answering the same bytes (`kyodo ceiling`: for those, no
# session, no database, no rendering), at 1 and 64 connections with wrk (Debian), with the ratio, and
# against a minimal Leptos page the bare server renders on each request (`/leptos`; and
# `/leptos-session`, the same after one session read); then
# the first-load bytes of the heatmap as a browser receives them (brotli), the cold start on
# the existing data folder and the resident memory after the load. Not a test: it prints the
# report the README's performance section quotes.
#
#   bash scripts/bench.sh                      # after `make release`
#   DURATION=10 CONNS="1 16 64" bash scripts/bench.sh
#   KYODO_DEMO_PROJECTS=10000 bash scripts/bench.sh
#
# Starts the server on 127.0.0.1:3400 with a fresh data folder and demo data, signs in as the
# Tokyo officer (who reads every page), imports the tracker's own CSV export once (for an
# import-result page), captures each page's answer (body compressed as the client asked,
# with its Content-Type and Content-Encoding) for the bare server on 127.0.0.1:3409, then
# loads each page for $DURATION seconds per connection count. wrk and the servers share the
# machine's cores, the same for both sides.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/bench_lib.sh"
command -v wrk >/dev/null || { echo "bench: wrk not found (apt-get install wrk; make release installs it)" >&2; exit 1; }
DURATION="${DURATION:-5}"
CONNS="${CONNS:-1 64}"
ENCODING="${ENCODING:-br, gzip}"

bench_start 127.0.0.1:3400 "KYODO_DEMO_PROJECTS=${KYODO_DEMO_PROJECTS:-12}"
bench_sign_in tokyo_officer "$JAR"
cookie="kyodo_session=$(awk '$6 == "kyodo_session" { print $7 }' "$JAR")"
api=(-X POST -H "Origin: $BASE" -H 'Accept: application/json')

# An import run to show: the tracker's own export, imported again.
curl -sf -b "$JAR" -o "$DATA/export.csv" "$BASE/standardization/export.csv"
import=$(curl -sf -b "$JAR" -H "Origin: $BASE" -o /dev/null -w '%{redirect_url}' \
  -F "file=@$DATA/export.csv;type=text/csv" "$BASE/standardization/import/upload")
import=${import#"$BASE"}
project=$(curl -sf -b "$JAR" "${api[@]}" -d page=0 "$BASE/api/list_projects" \
  | grep -o '"id":"[0-9a-f]*"' | head -1 | cut -d'"' -f4)

PAGES=(
  "home|/"
  "heatmap|/standardization"
  "dashboard|/standardization/dashboard"
  "record|/standardization/records/131164/resident_registry"
  "thread|/standardization/records/131164/resident_registry/steps/1"
  "org|/orgs/131164"
  "orgs|/orgs"
  "import|$import"
  "projects|/projects"
  "project|/projects/$project"
  "consultations|/consultations"
  "booking|/consultations/bookings/demoheldsession"
  "council|/council"
  "workspace|/council/council"
  "topic|/council/topics/demotopic1"
  "meeting|/council/meetings/demomeeting1"
  "proposal|/council/proposals/demoproposal1"
  "search|/search?q=%E6%A8%99%E6%BA%96"
)

# Capture each answer for the bare server.
CAP="$DATA/ceiling"
mkdir -p "$CAP"
for entry in "${PAGES[@]}"; do
  name=${entry%%|*} path=${entry#*|}
  status=$(curl -s -b "$JAR" -H "Accept-Encoding: $ENCODING" -D "$CAP/$name.raw" -o "$CAP/$name.body" \
    -w '%{http_code}' "$BASE$path")
  [[ $status == 200 ]] || { echo "bench: $path answered $status" >&2; exit 1; }
  grep -iE '^(content-type|content-encoding|vary):' "$CAP/$name.raw" | tr -d '\r' >"$CAP/$name.headers"
done
"$BIN" ceiling "$CAP" 127.0.0.1:3409 >"$DATA/ceiling.log" 2>&1 &
CEILING=$!
trap 'kill $CEILING 2>/dev/null; wait $CEILING 2>/dev/null || true; bench_stop' EXIT
bench_wait_for http://127.0.0.1:3409/home "$CEILING" \
  || { echo "bench: the bare server did not start" >&2; cat "$DATA/ceiling.log" >&2; exit 1; }
for p in leptos leptos-session; do
  [[ $(curl -sf "http://127.0.0.1:3409/$p") == *'A minimal Leptos page'* ]] \
    || { echo "bench: the bare server's /$p is missing" >&2; exit 1; }
done

# wrk: requests/s, p50 and p99 in ms, non-2xx count.
load() { # connections url [cookie]
  local c=$1 url=$2 threads=$(( $1 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -H "Accept-Encoding: $ENCODING" \
    ${3:+-H "Cookie: $3"} "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "%9.0f %8.2f %8.2f %s\n", rps, p50, p99, (bad ? bad : 0) }'
}

echo "kyodo page benchmark ($(nproc) cores, $(uname -m), release build, demo data, signed in as the Tokyo officer,"
echo "Accept-Encoding: $ENCODING, wrk ${DURATION} s per row; $(date -u +%Y-%m-%d))"
# The other yardsticks, from the bare server: a minimal Leptos page rendered on each request,
# and the same page after one read of a session through Kyodo's session store.
declare -A minimal
for c in $CONNS; do
  read -r m_rps m_p50 m_p99 m_bad < <(load "$c" "http://127.0.0.1:3409/leptos")
  [[ $m_bad == 0 ]] || { echo "bench: /leptos answered $m_bad non-2xx" >&2; exit 1; }
  minimal[$c]=$m_rps
  printf 'minimal Leptos page, %2s conn: %6s r/s, p50 %6s ms, p99 %6s ms\n' "$c" "$m_rps" "$m_p50" "$m_p99"
  read -r s_rps s_p50 s_p99 s_bad < <(load "$c" "http://127.0.0.1:3409/leptos-session")
  [[ $s_bad == 0 ]] || { echo "bench: /leptos-session answered $s_bad non-2xx" >&2; exit 1; }
  printf '  … after a session read: %6s r/s, p50 %6s ms, p99 %6s ms (%s × the minimal page)\n' \
    "$s_rps" "$s_p50" "$s_p99" "$(ratio "$s_rps" "$m_rps")"
done
echo "ratio: kyodo ÷ bare server for the same bytes; ÷ leptos: kyodo ÷ the minimal Leptos page (which is"
echo "sent uncompressed, 0.2 KB; Kyodo's pages are compressed as the client asks)"
printf '%-14s %9s %4s | %9s %8s %8s | %9s %8s %8s | %7s %8s\n' page bytes conn "kyodo r/s" p50_ms p99_ms "bare r/s" p50_ms p99_ms ratio "÷ leptos"
for entry in "${PAGES[@]}"; do
  name=${entry%%|*} path=${entry#*|}
  bytes=$(stat -c %s "$CAP/$name.body")
  for c in $CONNS; do
    read -r k_rps k_p50 k_p99 k_bad < <(load "$c" "$BASE$path" "$cookie")
    read -r c_rps c_p50 c_p99 _ < <(load "$c" "http://127.0.0.1:3409/$name")
    printf '%-14s %9s %4s | %9s %8s %8s | %9s %8s %8s | %7s %8s%s\n' "$name" "$bytes" "$c" \
      "$k_rps" "$k_p50" "$k_p99" "$c_rps" "$c_p50" "$c_p99" \
      "$(ratio "$k_rps" "$c_rps")" "$(ratio "$k_rps" "${minimal[$c]}")" \
      "$( [[ $k_bad != 0 ]] && echo "  non-2xx: $k_bad")"
  done
done
echo "resident memory after the load: $(( $(ps -o rss= -p "$PID") / 1024 )) MiB"
# mimalloc returns freed pages to the system lazily, on a thread's next allocations: what stays
# resident once the server has settled, with nothing but its own timers running.
sleep 10
echo "… 10 s later: $(( $(ps -o rss= -p "$PID") / 1024 )) MiB, of which the binary's code and data $(( \
  $(awk '/^Rss:/ { rss = $2 } /^Anonymous:/ { anon = $2 } END { print rss - anon }' "/proc/$PID/smaps_rollup") / 1024 )) MiB"

# First load of the heatmap as a browser receives it: the page, then its CSS, JS and wasm.
first=0
# The build's files are named by their content (kyodo.<hash>.wasm): take the names from the page.
page_html=$(curl -sf -b "$JAR" "$BASE/standardization")
assets=$(grep -o '/pkg/kyodo[^"]*\.\(css\|js\|wasm\)' <<<"$page_html" | sort -u)
for path in /standardization $assets; do
  size=$(curl -sf -b "$JAR" -H "Accept-Encoding: $ENCODING" -o /dev/null -w '%{size_download}' "$BASE$path")
  printf '  %-18s %8s bytes\n' "$path" "$size"
  first=$(( first + size ))
done
echo "first load of the heatmap: $first bytes ($(( first / 1024 )) KiB)"

# Cold start: stop, start again on the same data folder, time to the first answer of a page.
kill "$PID"; wait "$PID" 2>/dev/null || true
started=$(date +%s.%N)
LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_ADDR=127.0.0.1:3400 LEPTOS_OUTPUT_NAME=kyodo KYODO_DATA_DIR="$DATA" \
  KYODO_DEMO=1 "$BIN" >>"$DATA/server.log" 2>&1 &
PID=$!
until curl -s -o /dev/null -f "$BASE/login"; do
  kill -0 "$PID" 2>/dev/null || { cat "$DATA/server.log" >&2; exit 1; }
  sleep 0.01
done
echo "cold start on the existing data folder to the first page: $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') s"
