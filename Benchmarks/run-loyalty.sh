#!/usr/bin/env bash
# Paid-order events per second through rapport-loyalty with two replicas (real processes, release
# build), beside the foundation's runtime figure (rapport-bench runtime, 2 replicas: consume + one
# state write + one output per entry) measured on the same Redis in the same run.
# Usage: Benchmarks/run-loyalty.sh [orders=50000] [customers=5000]
set -euo pipefail
cd "$(dirname "$0")/.."
orders="${1:-50000}"
customers="${2:-5000}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

for product in rapport-bench rapport-loyalty loyalty-bench; do
  swift build -c release --product "$product" >/dev/null
done
bin="$(swift build -c release --show-bin-path)"
http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

runtime=$("$bin/rapport-bench" runtime "redis://127.0.0.1:$port" "$orders" 2 128)
loyalty=$("$bin/loyalty-bench" "redis://127.0.0.1:$port" "$bin/rapport-loyalty" "$orders" 2 "$customers" "$http")
rate_runtime=$(sed -n 's/.*entries_per_second=\([0-9]*\).*/\1/p' <<<"$runtime")
rate_loyalty=$(sed -n 's/.*orders_per_second=\([0-9]*\).*/\1/p' <<<"$loyalty")

echo "foundation runtime, 2 replicas: $runtime"
echo "rapport-loyalty, 2 replicas:    $loyalty"
python3 - "$rate_loyalty" "$rate_runtime" <<'PY'
import sys
loyalty, runtime = map(float, sys.argv[1:])
print(f"loyalty / runtime = {loyalty / runtime:.1%}")
PY
