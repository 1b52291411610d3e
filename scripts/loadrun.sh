#!/usr/bin/env bash
# A short load run: rollcall and a bare net/http baseline, on this machine, in one run, so
# the figures can be read as ratios. Loopback only; bounded in time.
#
#   scripts/loadrun.sh [duration] [concurrency] [faces...]
#   scripts/loadrun.sh 10s 64 chime a4b business workdocs
#
# Extra rollcall flags come from ROLLCALL_* variables (e.g. ROLLCALL_STORE=postgres://...).
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s}; conc=${2:-64}; shift $(( $# >= 2 ? 2 : $# )) || true
faces=("$@"); [ ${#faces[@]} -gt 0 ] || faces=(chime a4b business)

tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/rollcall" ./cmd/rollcall
go build -o "$tmp/loadgen" ./tools/loadgen

"$tmp/loadgen" -serve-bare 127.0.0.1:4599 & 
"$tmp/rollcall" serve --listen 127.0.0.1:4598 --data-dir "$tmp/data" --quiet --log-level warn \
  --rate-limit amazonbusiness.createBusinessUserAccount=off 2>"$tmp/rollcall.log" &
for _ in $(seq 50); do curl -sf http://127.0.0.1:4598/_rollcall/health >/dev/null && break; sleep 0.2; done

echo "# $(nproc) cores, $(go version | cut -d' ' -f3), $dur per run, $conc keep-alive clients"
"$tmp/loadgen" -url http://127.0.0.1:4599 -face bare -c "$conc" -d "$dur"
for f in "${faces[@]}"; do
  "$tmp/loadgen" -url http://127.0.0.1:4598 -face "$f" -c "$conc" -d "$dur"
done
