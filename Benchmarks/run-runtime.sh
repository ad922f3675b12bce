#!/usr/bin/env bash
# Entries per second through Rapport's consumer runtime (consume + one state write + one output
# XADD per entry, exactly-once commit) beside redis-benchmark's XADD and pipelined EVALSHA on the
# same Redis in the same run, and each service's resident memory when idle after start-up.
# Usage: Benchmarks/run-runtime.sh [entries=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
entries="${1:-100000}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

swift build -c release --product rapport-bench >/dev/null
for product in rapport-intake rapport-classification rapport-loyalty rapport-complaints rapport-notifications; do
  swift build -c release --product "$product" >/dev/null
done
bin="$(swift build -c release --show-bin-path)"

sha=$(redis-cli -p "$port" script load "redis.call('SET', KEYS[1], ARGV[1]); redis.call('XADD', KEYS[2], '*', 'n', ARGV[1]); return 1")
# redis-benchmark -q ends with "<command>: <N> requests per second, p50=...".
rps() { tr '\r' '\n' | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1; }
xadd=$(redis-benchmark -p "$port" -n 200000 -c 16 -P 16 -q XADD bench:xadd '*' f v | rps)
evalsha=$(redis-benchmark -p "$port" -n 200000 -c 16 -P 16 -q EVALSHA "$sha" 2 'bench:k:__rand_int__' bench:evalsha 1 | rps)
redis-cli -p "$port" flushall >/dev/null

one=$("$bin/rapport-bench" runtime "redis://127.0.0.1:$port" "$entries" 1 128)
two=$("$bin/rapport-bench" runtime "redis://127.0.0.1:$port" "$entries" 2 128)
rate1=$(sed -n 's/.*entries_per_second=\([0-9]*\).*/\1/p' <<<"$one")
rate2=$(sed -n 's/.*entries_per_second=\([0-9]*\).*/\1/p' <<<"$two")

echo "redis-benchmark XADD (pipelined 16): ${xadd} req/s"
echo "redis-benchmark EVALSHA SET+XADD (pipelined 16): ${evalsha} req/s"
echo "rapport runtime, 1 replica:  $one"
echo "rapport runtime, 2 replicas: $two"
python3 - "$rate1" "$rate2" "$evalsha" "$xadd" <<'PY'
import sys
r1, r2, ev, xa = map(float, sys.argv[1:])
print(f"ratio runtime(1 replica)/EVALSHA = {r1/ev:.2%}; runtime(2 replicas)/EVALSHA = {r2/ev:.2%}; runtime(1)/XADD = {r1/xa:.2%}")
PY

redis-cli -p "$port" flushall >/dev/null
# Idle memory: all five running side by side, measured once each has answered /health.
# RSS counts shared library pages in full in every process; PSS splits them between the
# processes that share them, which is what five services on one host really cost.
http=18180
pids=()
# Intake seals personal data and refuses to start without a master key.
master_key="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
for service in intake classification loyalty complaints notifications; do
  RAPPORT_REDIS_URL="redis://127.0.0.1:$port" RAPPORT_HTTP_PORT=$http RAPPORT_MASTER_KEY="$master_key" \
    "$bin/rapport-$service" >"$work/$service.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$http/health" >/dev/null 2>&1 && break; sleep 0.1; done
  http=$((http + 1))
done
sleep 2
index=0
for service in intake classification loyalty complaints notifications; do
  pid=${pids[$index]}
  rss=$(awk '/^Rss:/{print $2}' "/proc/$pid/smaps_rollup")
  pss=$(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup")
  anon=$(awk '/^Anonymous:/{print $2}' "/proc/$pid/smaps_rollup")
  echo "rapport-$service idle: RSS $((rss / 1024)) MiB, PSS $((pss / 1024)) MiB, anonymous $((anon / 1024)) MiB"
  index=$((index + 1))
done
kill -TERM "${pids[@]}"
wait
