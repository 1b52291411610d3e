#!/usr/bin/env bash
# The throughput harness (issue 12): a bare net/http handler and rollcall, driven by the
# same SigV4-signing load generator (tools/loadgen) in one run, so the figures read as
# ratios to bare on whatever machine runs it. For each store it prints, per face, the
# median requests/s over the runs and their spread, p50, p99, errors, the ratio to bare
# and the load generator's CPU share; then RSS and the time from start to first answer.
#
#   scripts/bench.sh [duration] [concurrency] [faces...]
#   scripts/bench.sh 10s 64 chime a4b business
#
# Stores: SQLite empty; SQLite with ROLLCALL_BENCH_USERS users already stored
# (default 1000000; 0 skips; made by `rollcall import` of a generated file, cached in
# ROLLCALL_BENCH_CACHE, default ~/.cache/rollcall-bench); PostgreSQL empty, one
# replica, when ROLLCALL_BENCH_POSTGRES names a server (a fresh database, dropped at the
# end; ROLLCALL_BENCH_POOL sets its pool_max_conns, default 16, ROLLCALL_BENCH_GROUP_COMMIT
# its group_commit, default on; a number sets the committers). ROLLCALL_BENCH_RUNS runs
# per face (default 3), in the rounds and in the 4-client step. ROLLCALL_BENCH_FLAGS
# adds flags to `rollcall serve` (for example --audit=false, to see what the audit
# trail costs). ROLLCALL_BENCH_EMAILS=random gives
# the generator's requests scattered emails (loadgen -emails random; default sequential,
# each run's emails in the order made). ROLLCALL_BENCH_PORT is rollcall's
# port (default 4598; the bare handler's is the next, the rollcall on the stored users'
# the one after, PostgreSQL's the one after that), so two runs on one machine do not
# meet. All the stores are measured in the same rounds, each face's runs against them
# back to back (see measure), and each is divided by the empty SQLite store per round.
# Loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s}; conc=${2:-64}; shift $(( $# >= 2 ? 2 : $# )) || true
faces=("$@"); [ ${#faces[@]} -gt 0 ] || faces=(chime a4b business)
runs=${ROLLCALL_BENCH_RUNS:-3}
nusers=${ROLLCALL_BENCH_USERS:-1000000}
cache=${ROLLCALL_BENCH_CACHE:-$HOME/.cache/rollcall-bench}
pg=${ROLLCALL_BENCH_POSTGRES:-}
pool=${ROLLCALL_BENCH_POOL:-16}
group=${ROLLCALL_BENCH_GROUP_COMMIT:-on}
port=${ROLLCALL_BENCH_PORT:-4598}; bare=$((port + 1))
emails=${ROLLCALL_BENCH_EMAILS:-sequential} # or random: loadgen -emails

tmp=$(mktemp -d)
db=
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "$db" ] || psql "$pg" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/rollcall" ./cmd/rollcall
go build -o "$tmp/loadgen" ./tools/loadgen
chime_account=$(sed -n 's/^const BenchChimeAccount = "\(.*\)"/\1/p' tools/loadgen/gen.go)

echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(go version | cut -d' ' -f3)," \
  "$dur per run, $runs runs, $conc keep-alive clients, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

"$tmp/loadgen" -serve-bare 127.0.0.1:$bare &
bare_pid=$!
hz=$(getconf CLK_TCK)

pid=
# serve STORE [PORT]: starts rollcall on PORT (default $port), its process in pid and the
# milliseconds from exec to its first 200 in first.
serve() {
  local t0 p=${2:-$port}; t0=$(date +%s%N)
  "$tmp/rollcall" serve --listen 127.0.0.1:$p --store "$1" --data-dir "$tmp/data-$p" --quiet --log-level warn \
    --rate-limit amazonbusiness.createBusinessUserAccount=off ${ROLLCALL_BENCH_FLAGS:-} 2>>"$tmp/rollcall.log" &
  pid=$!
  if ! first=$("$tmp/loadgen" -wait http://127.0.0.1:$p/_rollcall/health -since "$t0"); then
    echo "rollcall did not start:"; cat "$tmp/rollcall.log"; exit 1
  fi
}
stop() { kill "${1:-$pid}"; wait "${1:-$pid}" 2>/dev/null || true; }
rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/${1:-$pid}/status"; }

# one URL FACE [flags]: one loadgen run; appends "face rate p50 p99 errors cpu
# server_cpu" to $tmp/runs (RUNS=file: to file), server_cpu being the CPU time of the
# process SERVER (default the bare handler) per request answered, in µs. LABEL=name
# one ... files the run under name instead of FACE.
one() {
  local url=$1 face=$2 srv=${SERVER:-$bare_pid}; shift 2
  local t0; t0=$(ticks "$srv")
  local line; line=$("$tmp/loadgen" -url "$url" -face "$face" -c "$conc" -d "$dur" -emails "$emails" "$@")
  echo "$line" | awk -v f="${LABEL:-$face}" -v dt=$(( $(ticks "$srv") - t0 )) -v hz="$hz" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    sub("/s", "", v["rate"]); sub("%", "", v["loadgen_cpu"])
    print f, v["rate"], v["p50"], v["p99"], v["failed"], v["loadgen_cpu"], (v["ok"] > 0 ? dt * 1e6 / hz / v["ok"] : 0) }' >>"${RUNS:-$tmp/runs}"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of PID

# face URL FACE: one run of a face against the rollcall at URL (SERVER: its process).
face() {
  if [ "$2" = chime ]; then one "$1" chime -chime-account "$chime_account"; else one "$1" "$2"; fi
}

# median, an awk function the tables and the ratios share.
awk_median='function median(a, n,   i, j, t) {
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
  return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }'
# dur, an awk function: a Go duration (loadgen's p50, p99) in ms.
awk_dur='
  function dur(s) {
    if (s ~ /ms$/) return substr(s, 1, length(s)-2) + 0
    if (s ~ /µs$/) return substr(s, 1, length(s)-2) / 1000
    if (s ~ /ns$/) return substr(s, 1, length(s)-2) / 1e6
    if (s ~ /s$/) return substr(s, 1, length(s)-1) * 1000
    return s + 0 }'

# measure LABEL PID FIRST PORT [LABEL PID FIRST PORT ...]: runs bare and every face,
# interleaved, $runs times against each rollcall given (its label, process, start to
# first answer, port), then prints a table per rollcall: medians, the rate's spread,
# the ratio to bare. "bare" gets the same signed requests as a face (the generator signs
# them, the handler does not verify), as issue 12 defines the baseline; "bare-nosig" is
# the same handler fed unsigned requests, and the last column is the ratio to it, the
# harsher figure.
#
# Given more than one rollcall, each face's runs against them follow each other, the
# one to go first turning round by round, and after the tables each one's rate over the
# first one's is printed per round, with their median: the stores meet the machine's
# drift alike, as a face and bare do. (Measured one section after the other, minutes
# apart, on a machine at load average 8-11, the 1M store's rate was 1.55, 0.91 and 1.38
# of the empty store's for the three faces of one run, while rollcall's CPU, bytes
# written and preads per create were the same within 7%; and bare itself moved from
# 22,174 to 19,536/s between the SQLite and the PostgreSQL sections of one run.)
measure() {
  local n=$(($# / 4)) i k r
  local -a label pid1 first1 port1
  for ((i = 0; i < n; i++)); do
    label[i]=${@:4*i+1:1} pid1[i]=${@:4*i+2:1} first1[i]=${@:4*i+3:1} port1[i]=${@:4*i+4:1}
    : >"$tmp/runs.$i"
  done
  for r in $(seq "$runs"); do
    RUNS="$tmp/runs.0" one http://127.0.0.1:$bare bare
    RUNS="$tmp/runs.0" LABEL=bare-nosig one http://127.0.0.1:$bare bare -sign=false
    for ((i = 1; i < n; i++)); do tail -2 "$tmp/runs.0" >>"$tmp/runs.$i"; done
    for f in "${faces[@]}"; do
      for ((k = 0; k < n; k++)); do
        i=$(( (r + k) % n ))
        RUNS="$tmp/runs.$i" SERVER=${pid1[i]} face http://127.0.0.1:${port1[i]} "$f"
      done
    done
  done
  for ((i = 0; i < n; i++)); do table "${label[i]}" "${pid1[i]}" "${first1[i]}" "$tmp/runs.$i"; done
  for ((i = 1; i < n; i++)); do
    echo "${label[i]} / ${label[0]}, per round (median): the rate; rollcall's CPU per request"
    awk "$awk_median"'
      FNR == NR { k[$1]++; a[$1, k[$1]] = $2; u[$1, k[$1]] = $7; next }
      $1 !~ /^bare/ { x = ++j[$1]; if (a[$1, x] > 0) q[$1, x] = $2 / a[$1, x]; if (u[$1, x] > 0) w[$1, x] = $7 / u[$1, x]
        if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
      END {
        for (i = 1; i <= m; i++) {
          f = order[i]; s = ""; c = ""
          for (x = 1; x <= j[f]; x++) { b[x] = q[f, x]; d[x] = w[f, x]; s = s sprintf(" %.2f", q[f, x]); c = c sprintf(" %.2f", w[f, x]) }
          printf "  %-10s%s (%.2f);%s (%.2f)\n", f, s, median(b, j[f]), c, median(d, j[f]) } }' "$tmp/runs.0" "$tmp/runs.$i"
  done
}

# table LABEL PID FIRST FILE: the table of FILE's runs, then the rollcall's RSS.
table() {
  echo
  echo "## $1 (start to first answer $3 ms; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  printf '%-10s %9s %15s %10s %10s %7s %7s %12s %12s %9s\n' face 'req/s' 'spread' p50 p99 errors ratio loadgen_cpu ratio_nosig cpu/req
  awk -v runs="$runs" "$awk_median$awk_dur"'
    { n[$1]++; k = n[$1]; r[$1, k] = $2; p5[$1, k] = dur($3); p9[$1, k] = dur($4); e[$1] += $5; c[$1, k] = $6; sc[$1, k] = $7
      if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
    END {
      for (i = 1; i <= m; i++) {  # every rate first: each row divides by the two bare ones
        f = order[i]; for (k = 1; k <= n[f]; k++) a[k] = r[f, k]; rate[f] = median(a, n[f]) }
      for (i = 1; i <= m; i++) {
        f = order[i]; lo = 1e18; hi = 0
        for (k = 1; k <= n[f]; k++) { if (r[f, k] < lo) lo = r[f, k]; if (r[f, k] > hi) hi = r[f, k] }
        for (k = 1; k <= n[f]; k++) a[k] = p5[f, k]; q5 = median(a, n[f])
        for (k = 1; k <= n[f]; k++) a[k] = p9[f, k]; q9 = median(a, n[f])
        for (k = 1; k <= n[f]; k++) a[k] = c[f, k]; cpu = median(a, n[f])
        for (k = 1; k <= n[f]; k++) a[k] = sc[f, k]; scpu = median(a, n[f])
        printf "%-10s %9.0f %15s %8.2fms %8.2fms %7d %7.2f %11.0f%% %12.2f %7.0fµs\n", f, rate[f], sprintf("%.0f-%.0f", lo, hi),
          q5, q9, e[f], rate[f] / rate["bare"], cpu, rate[f] / rate["bare-nosig"], scpu
      } }' "$4"
  echo "rollcall at the end: $(rss "$2")"
}

# written: MB the disk under $tmp has written since boot, and rollcall's process
# (write_bytes) since it started: "disk rollcall".
disk=$(basename "$(df --output=source "$tmp" | tail -1)")
written() {
  awk -v d="$disk" '$3 == d {printf "%.1f ", $10 * 512 / 1e6}' /proc/diskstats
  awk '/^write_bytes/ {printf "%.1f\n", $2 / 1e6}' "/proc/$pid/io"
}

# latency LABEL: the same faces at 4 clients (p99 at low load), $runs runs each, the
# faces interleaved round by round as in measure; per face the median rate, p50 and p99,
# the p99's spread and every run's p99. One 8-s run's p99 swung 4.4-6.9 ms (Chime, 4
# clients) on identical conditions, as much as anything a lever moved, so the step's
# figure is a median, like the rates (docs/throughput.md, "the 4-client p99 on the
# grown store"). Then how much of what the disk wrote meanwhile was rollcall's own (the
# step's p99 is its COMMITs' fsyncs, which wait behind any other writeback).
latency() {
  local saved=$conc w0 w1 r f; conc=4
  : >"$tmp/runs"
  w0=$(written)
  for r in $(seq "$runs"); do
    for f in "${faces[@]}"; do face http://127.0.0.1:$port "$f"; done
  done
  w1=$(written)
  conc=$saved
  echo "## $1, 4 clients, $runs runs per face (medians; the p99's spread, then each run's):"
  awk "$awk_median$awk_dur"'
    { n[$1]++; k = n[$1]; r[$1, k] = $2; p5[$1, k] = dur($3); p9[$1, k] = dur($4); e[$1] += $5
      if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
    END {
      for (i = 1; i <= m; i++) {
        f = order[i]; lo = 1e18; hi = 0; each = ""
        for (k = 1; k <= n[f]; k++) { a[k] = p9[f, k]; if (a[k] < lo) lo = a[k]; if (a[k] > hi) hi = a[k]; each = each sprintf(" %.2f", a[k]) }
        q9 = median(a, n[f])
        for (k = 1; k <= n[f]; k++) a[k] = p5[f, k]; q5 = median(a, n[f])
        for (k = 1; k <= n[f]; k++) a[k] = r[f, k]; rate = median(a, n[f])
        printf "%-9s %6.0f/s p50=%.2fms p99=%.2fms (%.2f-%.2f:%s) errors=%d\n", f, rate, q5, q9, lo, hi, each, e[f] } }' "$tmp/runs"
  echo "$w0 $w1" | awk '{printf "the disk wrote %.0f MB meanwhile, rollcall %.0f MB of it\n", $3 - $1, $4 - $2}'
}

seed_chime() { # the bench Chime account, in a store that has no generated users
  "$tmp/loadgen" -gen-users 1 -out "$tmp/one.jsonl"
  "$tmp/rollcall" import --store "$1" --merge --in "$tmp/one.jsonl" >/dev/null
}

# SQLite, empty (but for the dev defaults and the bench Chime account).
sqlite="sqlite:$tmp/sqlite/rollcall.db"
serve "$sqlite"; stop
seed_chime "$sqlite"

# SQLite with nusers stored: generated and imported once, then copied from the cache;
# on the port after bare's.
if [ "$nusers" -gt 0 ]; then
  big="$cache/users-$nusers-$(git ls-files -s store/sqlite/migrations | sha1sum | cut -c1-12).db"
  if [ ! -f "$big" ]; then
    mkdir -p "$cache"
    rm -rf "$tmp/big"
    serve "sqlite:$tmp/big/rollcall.db"; stop
    t0=$(date +%s)
    "$tmp/loadgen" -gen-users "$nusers" -out "$tmp/users.jsonl"
    "$tmp/rollcall" import --store "sqlite:$tmp/big/rollcall.db" --merge --in "$tmp/users.jsonl" >/dev/null
    rm -f "$tmp/users.jsonl"
    echo "# generated and imported $nusers users in $(( $(date +%s) - t0 )) s (cached in $big)"
    cp "$tmp/big/rollcall.db" "$big.tmp" && sync "$big.tmp" && mv "$big.tmp" "$big"
    rm -rf "$tmp/big" # its dirty pages are dropped, never written
  fi
  # The copy's ~1 GB of dirty pages are written out before rollcall starts: left to the
  # kernel, their writeback began within the section's first runs and stalled its
  # COMMITs' fsyncs behind it (max latency 350-490 ms against 130-180 synced). So are
  # the generated file's, above, when this run made it: the kernel writes dirty pages
  # out 30 s after they were made, here in the section's first runs (1.6 GB of them
  # behind a run of 16 s took its max latency from 106-163 to 267-269 ms).
  mkdir -p "$tmp/sqlite-big" && cp "$big" "$tmp/sqlite-big/rollcall.db" && sync "$tmp/sqlite-big/rollcall.db"
fi
# PostgreSQL, one replica, a fresh database, on the port after the stored users'.
stores=()
if [ -n "$pg" ]; then
  db="rollcall_bench_$$"
  psql "$pg" -qAtc "CREATE DATABASE $db" >/dev/null
  base=${pg%%\?*}; query=; [[ "$pg" == *\?* ]] && query="?${pg#*\?}"
  sep='?'; [ -n "$query" ] && sep='&'
  dsn="${base%/*}/$db$query${sep}pool_max_conns=$pool&group_commit=$group"
  echo "# PostgreSQL $(psql "$pg" -qAtc 'show server_version') fsync=$(psql "$pg" -qAtc 'show fsync')" \
    "synchronous_commit=$(psql "$pg" -qAtc 'show synchronous_commit') pool_max_conns=$pool group_commit=$group"
  serve "$dsn" $((port + 3)); stop
  seed_chime "$dsn"
fi

# Every store measured in the same rounds (see measure): the empty SQLite store first,
# the one the others are divided by.
serve "$sqlite"; empty=$pid
stores+=("SQLite, empty store" $pid "$first" $port)
if [ "$nusers" -gt 0 ]; then
  serve "sqlite:$tmp/sqlite-big/rollcall.db" $((port + 2))
  stores+=("SQLite, $nusers users stored" $pid "$first" $((port + 2)))
fi
if [ -n "$pg" ]; then
  serve "$dsn" $((port + 3))
  stores+=("PostgreSQL, one replica, empty store" $pid "$first" $((port + 3)))
fi
measure "${stores[@]}"
for ((i = 1; i < ${#stores[@]} / 4; i++)); do stop "${stores[4*i+1]}"; done
pid=$empty
# The step gets the disk to itself: what the sections before it left to write goes out
# first (PostgreSQL's checkpoint of its rounds' buffers, which it would spread over
# minutes, and the page cache's dirty pages), as the 1M copy's does above.
[ -z "$pg" ] || psql "$pg" -qAtc CHECKPOINT >/dev/null
sync
latency "SQLite, empty store"
stop
