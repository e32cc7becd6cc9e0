#!/usr/bin/env bash
# Load check for consultation booking (issue #11): many municipal staff requests for one free
# slot at the same moment must give exactly one booking and "this slot was just taken" for every
# other, never a 5xx; many slots booked at once must all succeed; the booking's calendar invite
# must be a valid REQUEST, and after a cancel a CANCEL of the same event (same UID, higher
# SEQUENCE). Prints outcome counts and latencies; a check that fails makes it exit 1.
#
#   bash scripts/bench-consultations.sh              # uses $CARGO_TARGET_DIR/release/kyodo (make release)
#   N=1000 DISTINCT=200 REPORT=/tmp/report.md bash scripts/bench-consultations.sh
#   DISTINCT=0 bash scripts/bench-consultations.sh   # the one-slot burst only
#
# Starts the release build on 127.0.0.1:3410 ($ADDR) with a fresh data folder and demo data,
# signs in as `city_staff` (八王子市 staff, who may book) and reads the free slots of
# demo_govtech_advisor on "standardization" (POST /api/get_consultations, JSON). Then, with
# scripts/burst.mjs (each request its own connection, all sent at once):
#   1. N (default 1000) bookings of one slot, each with its own request_key; expected: 1 booked,
#      N-1 "slot taken" (400), no 5xx;
#   1b. the same burst against `kyodo ceiling`, a bare server that does no work (the yardstick:
#      what this machine gives N simultaneous requests at best; nothing is checked);
#   2. the booking's invite.ics checked with scripts/check_ics.py (Python icalendar, a parser
#      independent of the Rust crate that wrote it): METHOD:REQUEST, SEQUENCE 0, the slot's
#      start and end; then the booking is cancelled (POST /api/cancel_booking) and the invite
#      must be METHOD:CANCEL with the same UID and a higher SEQUENCE;
#   3. DISTINCT (default 200) bookings of different slots at once; all must be booked. The
#      page offers at most 80 slots (MAX_SLOTS), and of those only slots that do not block each
#      other can all be booked: each booking holds GAP_MINUTES (default 10, the demo advisor's
#      buffer) after it and an advisor takes at most DAILY_CAP (default 4) a JST day. So the
#      run books as many such slots as there are, up to DISTINCT, and says how many.
# Other settings: ACCEPT=html sends plain form posts instead of the JavaScript client's JSON
# requests; PRECONNECT=1 opens all connections before the burst (timings without TCP set-up;
# the server CPU and accept-queue figures then include those GET /healthz);
# LOG=FILE keeps the server's log; SERVER_ENV="RUST_LOG=debug …" is passed to the server;
# REPORT=FILE also writes the closing Markdown report there; ICS_ALLOW_DUPLICATE="PRODID" lets
# check_ics.py pass an invite with that property twice (with a warning) instead of failing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${N:-1000}"
DISTINCT="${DISTINCT:-200}"
ACCEPT="${ACCEPT:-json}"
PRECONNECT="${PRECONNECT:-0}"
GAP_MINUTES="${GAP_MINUTES:-10}"
DAILY_CAP="${DAILY_CAP:-4}"
ADDR="${ADDR:-127.0.0.1:3410}"
TOPIC=standardization
ADVISOR=demo_govtech_advisor
source "$ROOT/scripts/bench_lib.sh"
kyodo_ensure_python_packages
kyodo_require node jq curl

read -r -a server_env <<<"${SERVER_ENV:-}"
bench_start "$ADDR" KYODO_DEMO_PROJECTS=0 "${server_env[@]}"
WORK="$DATA/bench"
mkdir -p "$WORK"
finish() {
  [[ -n ${BARE_PID:-} ]] && kill "$BARE_PID" 2>/dev/null
  [[ -n ${LOG:-} && -n ${DATA:-} && -f $DATA/server.log ]] && cp "$DATA/server.log" "$LOG"
  bench_stop
}
trap finish EXIT
bench_sign_in city_staff "$JAR"
failed=()
api=(-X POST -H "Origin: $BASE" -H 'Accept: application/json' -b "$JAR")

# The free slots now (JSON array of {start, end, advisors}).
free_slots() {
  curl -sf "${api[@]}" --data-urlencode "topic=$TOPIC" --data-urlencode "advisor=$ADVISOR" \
    "$BASE/api/get_consultations" | jq '.slots'
}
# The server's CPU time so far (ms) and the kernel's count of connections refused for a full
# accept queue (ListenOverflows), to say where a burst's time went.
server_cpu_ms() { awk -v tick="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / tick) }' "/proc/$PID/stat"; }
listen_overflows() {
  awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") c = i; h = 1 } else print $c }' /proc/net/netstat
}
burst_at() { # base URL, then burst.mjs options: the burst as this run sends it (session, Accept, topic)
  local base=$1; shift
  node "$ROOT/scripts/burst.mjs" --base "$base" --jar "$JAR" --accept "$ACCEPT" \
    --topic "$TOPIC" --advisor "$ADVISOR" "$@"
}
burst() { # output file, then burst.mjs options; adds server_cpu_ms and listen_overflows to it
  local out=$1; shift
  local extra=() cpu0 drops0 rc=0
  [[ $PRECONNECT == 1 ]] && extra+=(--preconnect)
  cpu0=$(server_cpu_ms) drops0=$(listen_overflows)
  burst_at "$BASE" --out "$out" "${extra[@]}" "$@" || rc=$?
  local cpu=$(( $(server_cpu_ms) - cpu0 )) drops=$(( $(listen_overflows) - drops0 ))
  echo "  server CPU ${cpu} ms ($(jq -r --argjson c "$cpu" '$c / .n * 10 | round / 10' "$out") ms a request); accept queue overflows: $drops"
  jq --argjson c "$cpu" --argjson d "$drops" '. + {server_cpu_ms: $c, listen_overflows: $d}' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
  return $rc
}

backlog=$(ss -Hltn "sport = :${ADDR##*:}" | awk '{ print $3; exit }')
echo "kyodo consultation booking burst ($(nproc) cores, $(uname -m), $BIN; server answering after ${BENCH_STARTED_IN} s)"

# 1. N requests for one slot. The first slot that starts at least 10 minutes past the 24-hour
# notice window, so that the cancel below is still allowed when it comes.
free_slots >"$WORK/offer.json"
offered=$(jq length "$WORK/offer.json")
jq --arg after "$(date -u -d '+24 hours 10 minutes' +%Y-%m-%dT%H:%M:%SZ)" \
  '[map(select(.start >= $after)) | first]' "$WORK/offer.json" >"$WORK/one.json"
if [[ $(jq '.[0] == null' "$WORK/one.json") == true ]]; then
  echo "bench: no free slot offered ($offered in the offer)" >&2
  exit 1
fi
start=$(jq -r '.[0].start' "$WORK/one.json")
end=$(jq -r '.[0].end' "$WORK/one.json")
echo "== 1. $N simultaneous bookings of $start/$end ($offered slots offered)"
burst "$WORK/run1.json" --mode same --n "$N" --slots "$WORK/one.json" || failed+=("one-slot burst")
key=$(jq -r '.booked[0].key // empty' "$WORK/run1.json")

# 1b. The yardstick: the same burst, from the same client, against `kyodo ceiling` (a bare
# axum server that does no work: every request here answers 404 at once). Its latencies are
# what this machine gives 1000 simultaneous requests at best (client and server share 2 cores).
BARE_ADDR="127.0.0.1:$(( ${ADDR##*:} + 50 ))"
mkdir -p "$WORK/bare"
"$BIN" ceiling "$WORK/bare" "$BARE_ADDR" >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
if bench_wait_for "http://$BARE_ADDR/leptos" "$BARE_PID"; then
  echo "== 1b. the same burst against a bare server (kyodo ceiling, no work) on $BARE_ADDR"
  # Every request answers 404 there, so burst.mjs reports a failure: only its timings count.
  burst_at "http://$BARE_ADDR" --out "$WORK/bare.json" --mode same --n "$N" \
    --slots "$WORK/one.json" --label "bare server" >"$WORK/bare.out" 2>&1 || true
  head -3 "$WORK/bare.out"
else
  echo "== 1b. skipped: the bare server did not start on $BARE_ADDR ($(tail -1 "$WORK/bare.log"))"
fi
kill "$BARE_PID" 2>/dev/null || true
wait "$BARE_PID" 2>/dev/null || true
BARE_PID=''

# 2. The invite, before and after a cancel. Each step sets ics_status to what failed.
allow=()
for prop in ${ICS_ALLOW_DUPLICATE:-}; do allow+=(--allow-duplicate "$prop"); done
check_ics() { # file, then check_ics.py options; JSON on stdout; messages shown, the last kept
  local rc=0
  python3 "$ROOT/scripts/check_ics.py" "${allow[@]}" "$@" 2>"$WORK/check.err" || rc=$?
  sed 's/^/  /' "$WORK/check.err" >&2
  ics_status="failed: $(tail -1 "$WORK/check.err")"
  return $rc
}
fetch_ics() { # output file
  ics_status="failed: GET /consultations/bookings/$key/invite.ics did not answer 200"
  curl -sf -b "$JAR" -o "$1" "$BASE/consultations/bookings/$key/invite.ics"
}
ics_status="not checked (nothing booked)"
if [[ -n $key ]] && echo "== 2. invite.ics of booking $key" &&
  fetch_ics "$WORK/request.ics" &&
  check_ics "$WORK/request.ics" --json --method REQUEST --sequence 0 \
    --uid "booking-$key@kyodo" --start "$start" --end "$end" >"$WORK/request.json"; then
  uid=$(jq -r .uid "$WORK/request.json")
  sequence=$(jq -r .sequence "$WORK/request.json")
  version=$(curl -sf "${api[@]}" --data-urlencode "id=$key" "$BASE/api/get_booking" | jq -r .version)
  cancelled=$(curl -s -o /dev/null -w '%{http_code} %header{location}' "${api[@]}" \
    --data-urlencode "id=$key" --data-urlencode "version=$version" \
    --data-urlencode "reason=bench: burst check" "$BASE/api/cancel_booking")
  echo "  cancel: HTTP $cancelled"
  ics_status="failed: cancel answered $cancelled"
  if [[ $cancelled == "200 /consultations/bookings/$key?changed=1" ]] &&
    fetch_ics "$WORK/cancel.ics" &&
    check_ics "$WORK/cancel.ics" --json --method CANCEL --uid "$uid" \
      --min-sequence $((sequence + 1)) --start "$start" --end "$end" >"$WORK/cancel.json"; then
    ics_status="ok: REQUEST seq $sequence, then CANCEL seq $(jq -r .sequence "$WORK/cancel.json"), UID $uid"
  fi
fi
[[ -n $key ]] && echo "  ics: $ics_status"
[[ $ics_status == ok* ]] || failed+=("invite.ics")

# 3. Distinct slots at once: those of the offer that can all be booked together.
distinct_note="skipped (DISTINCT=0)"
if ((DISTINCT > 0)); then
  free_slots >"$WORK/offer2.json"
  offered2=$(jq length "$WORK/offer2.json")
  python3 - "$WORK/offer2.json" "$DISTINCT" "$GAP_MINUTES" "$DAILY_CAP" >"$WORK/many.json" <<'PY'
import datetime as dt, json, sys
slots, want, gap, cap = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
jst = dt.timezone(dt.timedelta(hours=9))
chosen, per_day, last_end = [], {}, None
for s in sorted(slots, key=lambda s: s["start"]):
    start, end = t(s["start"]), t(s["end"])
    day = start.astimezone(jst).date()
    if last_end is not None and start < last_end + dt.timedelta(minutes=gap):
        continue
    if per_day.get(day, 0) >= cap or len(chosen) >= want:
        continue
    chosen.append(s)
    per_day[day] = per_day.get(day, 0) + 1
    last_end = end
json.dump(chosen, sys.stdout)
PY
  many=$(jq length "$WORK/many.json")
  distinct_note="$many slots (asked for $DISTINCT; $offered2 offered, the page's cap is 80; $many can be held together with a ${GAP_MINUTES}-minute gap and at most $DAILY_CAP a day)"
  echo "== 3. $many distinct slots at once: $distinct_note"
  if ((many > 0)); then
    burst "$WORK/run2.json" --mode distinct --slots "$WORK/many.json" || failed+=("distinct-slot burst")
  else
    failed+=("distinct-slot burst (no slot)")
  fi
fi

# The report.
lat() { jq -r '.latency_ms | "p50 \(.p50 | .*10 | round / 10) / p95 \(.p95 | .*10 | round / 10) / p99 \(.p99 | .*10 | round / 10) / max \(.max | .*10 | round / 10) ms"' "$1"; }
counts() { jq -r '[.counts | to_entries[] | "\(.key) \(.value)"] | join(", ")' "$1"; }
wall() { jq -r '"\(.wall_ms | round) ms for all; server CPU \(.server_cpu_ms) ms (\(.server_cpu_ms / .n * 10 | round / 10) ms a request)"' "$1"; }
{
  echo
  echo "### Consultation booking burst ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  echo
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
  echo "- build: $BIN (release), fresh demo data; client: scripts/burst.mjs on the same machine, Accept $ACCEPT$([[ $PRECONNECT == 1 ]] && echo ', connections opened beforehand'); listen backlog $backlog"
  echo "- 1. $N × one slot ($start): $(counts "$WORK/run1.json"); $(lat "$WORK/run1.json"); $(wall "$WORK/run1.json"); accept queue overflows $(jq .listen_overflows "$WORK/run1.json")"
  if [[ -f $WORK/bare.json ]]; then
    echo "- 1b. the same burst against a bare server that does no work (the yardstick): $(lat "$WORK/bare.json")"
  else
    echo "- 1b. the same burst against a bare server: not measured"
  fi
  echo "- 2. invite.ics: $ics_status"
  if [[ -f $WORK/run2.json ]]; then
    echo "- 3. distinct slots: $distinct_note: $(counts "$WORK/run2.json"); $(lat "$WORK/run2.json"); $(wall "$WORK/run2.json")"
  else
    echo "- 3. distinct slots: $distinct_note"
  fi
  if ((${#failed[@]})); then echo "- FAILED: ${failed[*]}"; else echo "- all checks passed"; fi
} | tee ${REPORT:+"$REPORT"}
((${#failed[@]} == 0))
