#!/usr/bin/env bash
# Durable CreateUser throughput, in one run on this machine, so the figures compare:
#   1. SQLite (the embedded default), one rollcall;
#   2. PostgreSQL, one rollcall;
#   3. PostgreSQL, three rollcalls on one database, the load spread over them (one
#      loadgen per replica, each with a third of the clients; their rates are summed).
# Every acknowledged create is committed durably (SQLite synchronous=FULL; PostgreSQL
# with the server's own fsync/synchronous_commit, reported below). Loopback only;
# bounded in time; each PostgreSQL run gets a fresh database, dropped at the end.
#
#   scripts/replicas-bench.sh [duration] [concurrency] [faces...]
#   ROLLCALL_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
#     scripts/replicas-bench.sh 10s 64 chime a4b
#
# ROLLCALL_BENCH_POSTGRES (else ROLLCALL_TEST_POSTGRES) names a server and a database to
# connect to for CREATE/DROP DATABASE. ROLLCALL_BENCH_POOL sets each replica's
# pool_max_conns (default 16).
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s}; conc=${2:-64}; shift $(( $# >= 2 ? 2 : $# )) || true
faces=("$@"); [ ${#faces[@]} -gt 0 ] || faces=(chime a4b)
admin=${ROLLCALL_BENCH_POSTGRES:-${ROLLCALL_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}}
pool=${ROLLCALL_BENCH_POOL:-16}

tmp=$(mktemp -d)
dbs=()
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  for db in "${dbs[@]}"; do psql "$admin" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/rollcall" ./cmd/rollcall
go build -o "$tmp/loadgen" ./tools/loadgen

# fresh_db sets dsn to a new, empty database (not in a subshell: dbs must keep its name).
fresh_db() {
  local db="rollcall_bench_$$_${#dbs[@]}"
  psql "$admin" -qAtc "CREATE DATABASE $db" >/dev/null
  dbs+=("$db")
  local base=${admin%%\?*} query=
  [[ "$admin" == *\?* ]] && query="?${admin#*\?}"
  local sep='?'; [ -n "$query" ] && sep='&'
  dsn="${base%/*}/$db$query${sep}pool_max_conns=$pool"
}

# serve PORT STORE: one rollcall in the background; waits until it is healthy.
serve() {
  "$tmp/rollcall" serve --listen "127.0.0.1:$1" --store "$2" --data-dir "$tmp/data-$1" --quiet --log-level warn \
    --rate-limit amazonbusiness.createBusinessUserAccount=off 2>>"$tmp/rollcall-$1.log" &
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/_rollcall/health" >/dev/null && return; sleep 0.1; done
  echo "rollcall on :$1 did not start:"; cat "$tmp/rollcall-$1.log"; exit 1
}

stop_all() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; }

# load LABEL FACE PORT...: one loadgen per port, conc/ports clients each, at once;
# prints each loadgen's line and the summed rate.
load() {
  local label=$1 face=$2; shift 2
  local n=$# per=$(( conc / $# )) i=0 pids=()
  for port in "$@"; do
    "$tmp/loadgen" -url "http://127.0.0.1:$port" -face "$face" -c "$per" -d "$dur" >"$tmp/load-$i.out" 2>&1 &
    pids+=($!); i=$((i+1))
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local total=0
  for j in $(seq 0 $((n-1))); do
    sed 's/^/    /' "$tmp/load-$j.out"
    r=$(grep -o 'rate=[0-9]*' "$tmp/load-$j.out" | cut -d= -f2); total=$(( total + ${r:-0} ))
  done
  printf '%-28s face=%-8s %6d creates/s\n' "$label" "$face" "$total"
}

echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(go version | cut -d' ' -f3)," \
  "$dur per run, $conc keep-alive clients in all"
echo "# PostgreSQL: $(psql "$admin" -qAtc 'show server_version') fsync=$(psql "$admin" -qAtc 'show fsync')" \
  "synchronous_commit=$(psql "$admin" -qAtc 'show synchronous_commit') pool_max_conns=$pool per replica"

serve 4610 "sqlite:$tmp/sqlite/rollcall.db"
for f in "${faces[@]}"; do load "sqlite, 1 replica" "$f" 4610; done
stop_all

fresh_db
serve 4620 "$dsn"
for f in "${faces[@]}"; do load "postgres, 1 replica" "$f" 4620; done
stop_all

fresh_db
serve 4630 "$dsn"; serve 4631 "$dsn"; serve 4632 "$dsn"
for f in "${faces[@]}"; do load "postgres, 3 replicas" "$f" 4630 4631 4632; done
stop_all
