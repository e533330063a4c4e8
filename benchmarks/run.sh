#!/usr/bin/env bash
# Runs one `huddle bench` scenario against a fresh release server on this
# machine (new SQLite file, so S2's RSS baseline and S4's board start empty).
# Usage: benchmarks/run.sh SCENARIO [extra bench options...]
# Server limits can be passed through the environment, e.g.
#   HUDDLE_LIMITS_MESSAGES_PER_SECOND=100000 HUDDLE_LIMITS_BURST=100000 benchmarks/run.sh s4 --rate 100
# BENCH_STORAGE replaces the SQLite file, e.g. a fresh PostgreSQL server:
#   BENCH_STORAGE="$(scripts/postgres)" benchmarks/run.sh s4
# BENCH_TLS=1 serves https/wss with a throw-away self-signed certificate (the
# openssl CLI) and points the bench at https://, e.g. S1 over TLS:
#   BENCH_TLS=1 benchmarks/run.sh s1
# BENCH_SERVER runs another build's server under this build's generator, for
# before-and-after figures:
#   BENCH_SERVER=../old/.build/release/huddle benchmarks/run.sh s2
# Without HUDDLE (a binary to use), it installs what the build needs and
# builds the release server and generator from this checkout first.
set -euo pipefail
scenario=$1; shift
repo=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${HUDDLE:-}" ]]; then
    "$repo/scripts/install-deps"
    (cd "$repo" && swift build -c release --product huddle >&2)
fi
huddle=${HUDDLE:-$repo/.build/release/huddle}
server_binary=${BENCH_SERVER:-$huddle}
dir=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"
# S6 opens 20,000 connections at once. From one address to one address the
# kernel's search for a free ephemeral port (28,000 of them) becomes most of
# the generator's time, so for S6 the server listens on every address and the
# clients spread over four loopback destinations of the same server.
listen=127.0.0.1
destinations=127.0.0.1
if [ "$scenario" = s6 ]; then
    listen=0.0.0.0
    destinations="127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4"
fi
scheme=http
if [[ "${BENCH_TLS:-}" == 1 ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/tls.key" -out "$dir/tls.crt" \
        -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
    export HUDDLE_TLS_CERT_FILE="$dir/tls.crt" HUDDLE_TLS_KEY_FILE="$dir/tls.key"
    scheme=https
fi
"$server_binary" serve --host "$listen" --port 0 --storage "${BENCH_STORAGE:-$dir/h.sqlite}" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    grep -q '^huddle listening' "$dir/server.log" && break
    sleep 0.1
done
port=$(sed -n 's/^huddle listening on https\?:\/\/.*:\([0-9]*\)$/\1/p' "$dir/server.log")
urls=$(for address in $destinations; do printf '%s://%s:%s,' "$scheme" "$address" "$port"; done)
"$huddle" bench --url "${urls%,}" --scenario "$scenario" --server-pid "$server" "$@"
