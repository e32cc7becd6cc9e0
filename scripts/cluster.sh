#!/usr/bin/env bash
# Several Kyodo servers over one SurrealDB server (issue #14), on loopback:
#
#   SurrealDB server (kyodo-surrealdb, SurrealKV)   127.0.0.1:3520  (ws:// for Kyodo, http:// for export)
#   Kyodo server A                                  127.0.0.1:3521
#   Kyodo server B                                  127.0.0.1:3522
#   haproxy, round robin, no sticky sessions        127.0.0.1:3530  ← the address people use
#
#   bash scripts/cluster.sh start     # starts all four, prints the address, leaves them running
#   bash scripts/cluster.sh stop      # stops what `start` started
#   bash scripts/cluster.sh test      # start, the cross-server checks (scripts/cluster_check.py), stop
#
# Needs: `make dbserver` (the SurrealDB server binary), a Kyodo build ($KYODO_BIN, default the
# release build of `make release`, else the debug build), haproxy (installed from Debian when
# missing). State in $CLUSTER_DIR (default /tmp/kyodo-cluster): the database's files, the logs
# (surrealdb.log, a.log, b.log, haproxy.log) and the report (report.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KYODO_TOOLS_ENV_ONLY=1 source "$ROOT/scripts/tools.sh"
DIR="${CLUSTER_DIR:-/tmp/kyodo-cluster}"
DB_ADDR=127.0.0.1:3520
A_ADDR=127.0.0.1:3521
B_ADDR=127.0.0.1:3522
LB_ADDR=127.0.0.1:3530
DB_BIN="${KYODO_SURREALDB_BIN:-$CARGO_TARGET_DIR/release/kyodo-surrealdb}"
if [[ -z ${KYODO_BIN:-} ]]; then
  KYODO_BIN="$CARGO_TARGET_DIR/release/kyodo"
  [[ -x $KYODO_BIN ]] || KYODO_BIN="$CARGO_TARGET_DIR/debug/kyodo"
fi
# The site folder of the build the binary belongs to.
if [[ $KYODO_BIN == */release/* ]]; then
  SITE="${KYODO_SITE_ROOT:-$(kyodo_release_site_root)}"
else
  SITE="${KYODO_SITE_ROOT:-$(kyodo_site_root)}"
fi

wait_for() { # url, seconds, what, pid file
  local started=$SECONDS
  until curl -sf -o /dev/null "$1"; do
    if [[ -n ${4:-} ]] && ! kill -0 "$(cat "$4")" 2>/dev/null; then
      echo "cluster: $3 exited; its log:" >&2; tail -20 "${4%.pid}.log" >&2; return 1
    fi
    (( SECONDS - started < $2 )) || { echo "cluster: $3 did not answer at $1 in $2 s" >&2; return 1; }
    sleep 0.3
  done
}

start_kyodo() { # name, address
  LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_ADDR="$2" LEPTOS_OUTPUT_NAME=kyodo \
    KYODO_DATABASE_URL="ws://$DB_ADDR" KYODO_DATABASE_USER=root \
    KYODO_DATABASE_PASSWORD="$(cat "$DIR/db-password")" \
    KYODO_PUBLIC_URL="http://$LB_ADDR" KYODO_DEMO=1 KYODO_DATA_DIR="$DIR/$1" \
    KYODO_TRUSTED_PROXIES=127.0.0.1 KYODO_RATE_SIGN_IN_PER_MINUTE=1000 \
    "$KYODO_BIN" >"$DIR/$1.log" 2>&1 &
  echo $! >"$DIR/$1.pid"
  wait_for "http://$2/healthz" 600 "Kyodo server $1" "$DIR/$1.pid"
}

start() {
  [[ -x $DB_BIN ]] || { echo "cluster: $DB_BIN not found (run: make dbserver)" >&2; exit 1; }
  [[ -x $KYODO_BIN ]] || { echo "cluster: $KYODO_BIN not found (run: make release)" >&2; exit 1; }
  command -v haproxy >/dev/null || kyodo_ensure_haproxy
  stop 2>/dev/null || true
  rm -rf "$DIR" && mkdir -p "$DIR"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/db-password"
  # SurrealKV syncs every commit to disk before answering (its default, `sync=every`).
  SURREAL_LOG=warn "$DB_BIN" start --bind "$DB_ADDR" --user root \
    --pass "$(cat "$DIR/db-password")" "surrealkv://$DIR/surrealdb" >"$DIR/surrealdb.log" 2>&1 &
  echo $! >"$DIR/surrealdb.pid"
  wait_for "http://$DB_ADDR/health" 60 "the SurrealDB server" "$DIR/surrealdb.pid"
  # One after the other: the first applies the schema and writes the demo data, the second
  # finds them there.
  start_kyodo a "$A_ADDR"
  start_kyodo b "$B_ADDR"
  sed -e "s/@LB@/$LB_ADDR/" -e "s/@A@/$A_ADDR/" -e "s/@B@/$B_ADDR/" >"$DIR/haproxy.cfg" <<'EOF'
global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option forwardfor
frontend kyodo
    bind @LB@
    default_backend kyodo_servers
backend kyodo_servers
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    server a @A@ check inter 2s
    server b @B@ check inter 2s
EOF
  haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid" >"$DIR/haproxy.log" 2>&1
  wait_for "http://$LB_ADDR/healthz" 30 "haproxy"
  echo "Kyodo (two servers behind haproxy, one SurrealDB server): http://$LB_ADDR"
  echo "  SurrealDB ws://$DB_ADDR (user root, password in $DIR/db-password); logs in $DIR"
}

stop() { # SIGTERM, then up to 30 s for each to exit (Kyodo finishes its requests), then SIGKILL
  local name pid i
  for name in haproxy a b surrealdb; do
    [[ -f $DIR/$name.pid ]] || continue
    pid=$(cat "$DIR/$name.pid")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR/$name.pid"
  done
}

case "${1:-test}" in
  start) start ;;
  stop) stop ;;
  test)
    trap stop EXIT
    start
    python3 "$ROOT/scripts/cluster_check.py" "http://$LB_ADDR" "http://$A_ADDR" "http://$B_ADDR" \
      | tee "$DIR/report.md"
    ;;
  *) echo "usage: $0 start|stop|test" >&2; exit 2 ;;
esac
