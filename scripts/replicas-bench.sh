#!/usr/bin/env bash
# Durable CreateUser throughput, in one run on this machine, so the figures compare:
#   1. SQLite (the embedded default), one rollcall, and PostgreSQL, one rollcall, both up
#      at once and driven in turn, ROLLCALL_BENCH_RUNS pairs of runs per face (default 3;
#      which goes first alternates), so that both runs of a pair meet the same load on a
#      shared machine: the ratio PostgreSQL/SQLite of each pair, then their median and
#      spread, is the figure (issue 12: one replica >= 0.7 of SQLite);
#   2. PostgreSQL, three rollcalls on one database, the load spread over them (one
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
# pool_max_conns (default 16). ROLLCALL_BENCH_PORT is the first of the five ports the
# rollcalls listen on (default 4610).
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s}; conc=${2:-64}; shift $(( $# >= 2 ? 2 : $# )) || true
faces=("$@"); [ ${#faces[@]} -gt 0 ] || faces=(chime a4b)
admin=${ROLLCALL_BENCH_POSTGRES:-${ROLLCALL_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}}
pool=${ROLLCALL_BENCH_POOL:-16}
runs=${ROLLCALL_BENCH_RUNS:-3}
port=${ROLLCALL_BENCH_PORT:-4610}

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
  local n=$# per=$(( conc / $# )) i=0 pids=() r pt p
  for pt in "$@"; do
    "$tmp/loadgen" -url "http://127.0.0.1:$pt" -face "$face" -c "$per" -d "$dur" >"$tmp/load-$i.out" 2>&1 &
    pids+=($!); i=$((i+1))
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local total=0
  for j in $(seq 0 $((n-1))); do
    sed 's/^/    /' "$tmp/load-$j.out"
    r=$(grep -o 'rate=[0-9]*' "$tmp/load-$j.out" | cut -d= -f2); total=$(( total + ${r:-0} ))
  done
  printf '%-28s face=%-8s %6d creates/s\n' "$label" "$face" "$total"
  rate=$total
}

# pairs FACE: $runs pairs of runs, SQLite on $port and PostgreSQL on $port+1, in turn
# (which goes first alternates); prints each pair's ratio, then their median and spread.
pairs() {
  local f=$1 sq pg ratios=() k
  for k in $(seq "$runs"); do
    if (( k % 2 )); then
      load "sqlite, 1 replica" "$f" "$port"; sq=$rate
      load "postgres, 1 replica" "$f" $((port + 1)); pg=$rate
    else
      load "postgres, 1 replica" "$f" $((port + 1)); pg=$rate
      load "sqlite, 1 replica" "$f" "$port"; sq=$rate
    fi
    ratios+=("$(awk -v p="$pg" -v s="$sq" 'BEGIN { printf "%.2f", (s > 0 ? p / s : 0) }')")
    echo "  pair $k: postgres/sqlite = ${ratios[-1]}"
  done
  printf '%s\n' "${ratios[@]}" | sort -n | awk -v f="$f" '{ a[NR] = $1 } END {
    m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "postgres/sqlite, 1 replica   face=%-8s median %.2f, spread %.2f-%.2f over %d pairs\n", f, m, a[1], a[NR], NR }'
}

echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(go version | cut -d' ' -f3)," \
  "$dur per run, $conc keep-alive clients in all"
echo "# PostgreSQL: $(psql "$admin" -qAtc 'show server_version') fsync=$(psql "$admin" -qAtc 'show fsync')" \
  "synchronous_commit=$(psql "$admin" -qAtc 'show synchronous_commit') pool_max_conns=$pool per replica"

serve "$port" "sqlite:$tmp/sqlite/rollcall.db"
fresh_db
serve $((port + 1)) "$dsn"
for f in "${faces[@]}"; do pairs "$f"; done
stop_all

fresh_db
serve $((port + 2)) "$dsn"; serve $((port + 3)) "$dsn"; serve $((port + 4)) "$dsn"
for f in "${faces[@]}"; do load "postgres, 3 replicas" "$f" $((port + 2)) $((port + 3)) $((port + 4)); done
stop_all
