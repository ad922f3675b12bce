#!/usr/bin/env bash
# rapport-complaints under load, through the release binary on a fresh redis-server:
#   1. complaints opened per second: complaint.submitted envelopes (sealed like intake's) appended
#      to the intake streams while the service runs, timed until every case is open;
#   2. timer firings per second with 100,000 open cases: 100,000 complaints whose first-reply
#      warnings all come due at one instant, timed from that instant until the service has
#      released every timer and emitted every warning.
# Usage: Benchmarks/run-complaints.sh [opens=50000] [open_cases=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
opens="${1:-50000}"
cases="${2:-100000}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
http=$(free_port)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

swift build -c release --product rapport-complaints >/dev/null
swift build -c release --product complaints-bench >/dev/null
bin="$(swift build -c release --show-bin-path)"

export RAPPORT_REDIS_URL="redis://127.0.0.1:$port"
export RAPPORT_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export RAPPORT_PARTITIONS=4
export RAPPORT_LOG_LEVEL=warning
export RAPPORT_HTTP_PORT="$http"
export RAPPORT_CONSUMER_NAME=bench

start_service() {
  "$bin/rapport-complaints" >>"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$http/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "rapport-complaints did not become healthy:" >&2; cat "$work/service.log" >&2; exit 1
}
stop_service() { kill -TERM "$pid"; wait "$pid" || true; pid=""; }

start_service
opened=$("$bin/complaints-bench" opens "$RAPPORT_REDIS_URL" "$opens")
stop_service
redis-cli -p "$port" flushall >/dev/null

# Every case must be open before the warnings come due: leave 1.5 times the measured opening
# time plus 20 s.
rate=$(sed -n 's/.*opened_per_second=\([0-9]*\).*/\1/p' <<<"$opened")
margin=$(( cases * 3 / (2 * (rate > 0 ? rate : 1)) + 20 ))
start_service
timers=$("$bin/complaints-bench" timers "$RAPPORT_REDIS_URL" "$cases" "$margin")
stop_service

echo "machine: $(nproc) cores, $(redis-server --version | cut -d' ' -f3), partitions=$RAPPORT_PARTITIONS, 1 replica"
echo "complaints opened: $opened"
echo "timers at $cases open cases: $timers"
echo "redis used_memory: $(redis-cli -p "$port" info memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p')"
