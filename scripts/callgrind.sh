#!/usr/bin/env bash
# Instructions per request of BenchmarkServeCreate (cmd/rollcall), counted by callgrind:
# a repeatable measure of a lever on a machine whose wall clock is shared. It runs the
# sub-benchmark at two counts and prints (Ir(n2) - Ir(n1)) / (n2 - n1), which leaves out
# start-up. GOGC=off: collection runs at different points in different runs, so its
# cost is left out (allocs/op and B/op from `go test -bench` measure it). It counts the
# default build (cgo: SQLite's C library); CGO_ENABLED=0 counts the pure-Go driver's.
# cpu.rdtscp=off: valgrind 3.19 cannot run RDTSCP, which the runtime uses to time a
# lock it sleeps on (frequent on a loaded machine): the run would die of SIGILL.
#
#   scripts/callgrind.sh [sub-benchmark] [n1] [n2]
#   scripts/callgrind.sh chime/clients=1 300 900
#
# BENCH names another benchmark of cmd/rollcall. The audit trail's cost per CreateUser is
# the difference of on and off (run with GOMAXPROCS=1: with one P the Go scheduler's idle
# work, which differs run to run under valgrind, mostly goes; the counts then repeat to
# about 1%):
#
#   BENCH=AuditCreateUser GOMAXPROCS=1 scripts/callgrind.sh off 200 1000
#   BENCH=AuditCreateUser GOMAXPROCS=1 scripts/callgrind.sh on 200 1000
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH:-ServeCreate}
sub=${1:-chime/clients=1}; n1=${2:-300}; n2=${3:-900}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/cmd.test" ./cmd/rollcall
ir() {
  GOGC=off GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off valgrind --tool=callgrind --callgrind-out-file="$tmp/cg-$1.out" \
    "$tmp/cmd.test" -test.run '^$' -test.bench "^Benchmark$bench/$sub\$" -test.benchtime "${1}x" 2>&1 |
    sed -n 's/.*Collected : //p'
}
# varying sums the instructions of the functions whose work follows the wall clock rather
# than the requests: the Go scheduler's idle and hand-off work, and SQLite's checkpoint.
varying() {
  callgrind_annotate --auto=no --threshold=100 "$tmp/cg-$1.out" | awk '
    /file:function/ { on = 1; next }
    on && /(runtime\.(findRunnable|schedule|execute|lock2|unlock2|casgstatus|goschedImpl|gosched_m|wakep|globrunq|mcall|pidle|stealWork|runqgrab|runqsteal|netpoll|checkTimers|park_m|ready|futex|notewakeup|notesleep|startm|stopm|handoffp|resetspinning|nanotime|usleep|osyield|procyield)|runtime\.\(\*(timers|m)\)\.|[_:]walMerge|[_:]walIterator|[_:]walCheckpoint|sqlite3WalCheckpoint)/ {
      n = $1; gsub(",", "", n); sum += n }
    END { printf "%d\n", sum }'
}
a=$(ir "$n1"); b=$(ir "$n2")
va=$(varying "$n1"); vb=$(varying "$n2")
echo "$bench/$sub: $(( (b - a) / (n2 - n1) )) instructions per request," \
  "$(( (b - vb - a + va) / (n2 - n1) )) without the scheduler's and the checkpoint's"
