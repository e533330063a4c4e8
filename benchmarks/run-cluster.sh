#!/usr/bin/env bash
# Runs one `huddle bench` scenario against a fresh cluster from scripts/cluster
# (Redis, PostgreSQL, N release nodes; nginx is started but not used: the
# generator connects to each node, splitting every workspace's members across
# them in turn) and reports each node's CPU and Redis's.
# Usage: benchmarks/run-cluster.sh [--nodes N] SCENARIO [extra bench options...]
#   benchmarks/run-cluster.sh s1                  # S1 over two nodes
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=2
if [[ "${1:-}" == "--nodes" ]]; then nodes=$2; shift 2; fi
scenario=$1; shift
if [[ -z "${HUDDLE:-}" ]]; then
    scripts/install-deps
    swift build -c release --product huddle >&2
fi
huddle=${HUDDLE:-.build/release/huddle}
log=$(mktemp)
ulimit -n "$(ulimit -Hn)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HUDDLE_BIN="$huddle" scripts/cluster --nodes "$nodes" --port "$port" >"$log" 2>&1 &
cluster=$!
trap 'kill -TERM "$cluster" 2>/dev/null; wait "$cluster" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 600); do
  grep -q '^Open ' "$log" && break
  kill -0 "$cluster" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
grep -q '^Open ' "$log" || { echo "the cluster did not start:" >&2; cat "$log" >&2; exit 1; }
grep -E '^  (node|redis)' "$log"

bench=()
while read -r url pid; do bench+=(--url "$url" --server-pid "$pid"); done \
  < <(sed -n 's/^  node-[0-9]* *\(http:[^ ]*\) *pid \([0-9]*\).*/\1 \2/p' "$log")
redis_pid=$(sed -n 's/^  redis .* pid \([0-9]*\).*/\1/p' "$log")
"$huddle" bench --scenario "$scenario" "${bench[@]}" --redis-pid "$redis_pid" "$@"
