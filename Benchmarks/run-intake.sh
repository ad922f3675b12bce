#!/usr/bin/env bash
# Signed Shopify orders/create deliveries per second through rapport-intake (verified, deduped,
# persisted to Redis), beside nginx answering 202 to the same requests, measured with wrk from
# loopback in the same run, and the same request to a path intake has no route for (the HTTP
# server alone, answering 404). Prints requests/s, p50 and p99 latency of each and the ratios.
#
# Usage: Benchmarks/run-intake.sh [duration=15s] [connections=64] [threads=2]
# Needs: redis-server, nginx (nginx-light), wrk, openssl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15s}"
connections="${2:-64}"
threads="${3:-2}"

for tool in redis-server redis-cli nginx wrk openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is needed" >&2; exit 1; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # url log
  for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "error: $1 did not answer" >&2
  cat "$2" >&2
  exit 1
}

echo "building rapport-intake (release)..."
swift build -c release --product rapport-intake 2>&1 | grep -E "error|Compiling|complete" || true
bin="$(swift build -c release --show-bin-path)"

redis_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no \
  --logfile "$work/redis.log" &
pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done

# The measured request: a realistic orders/create body, signed once (the HMAC covers the body only).
secret="bench-$(openssl rand -hex 16)"
body="$work/orders-create.json"
cp Tests/IntakeTests/Fixtures/shopify/orders-create.json "$body"
signature="$(openssl dgst -sha256 -hmac "$secret" -binary <"$body" | openssl base64 -A)"
export INTAKE_BENCH_BODY="$body" INTAKE_BENCH_SIGNATURE="$signature"

# The rate limit protects production from floods; the benchmark measures throughput, so lift it.
cat >"$work/rules.yaml" <<YAML
intake:
  rate_limit:
    per_second: 1000000
    burst: 1000000
YAML

intake_port="$(free_port)"
RAPPORT_REDIS_URL="redis://127.0.0.1:$redis_port" RAPPORT_HTTP_PORT="$intake_port" \
  RAPPORT_SHOPIFY_SECRETS="$secret" RAPPORT_MASTER_KEY="$(openssl rand -base64 32)" \
  RAPPORT_CONFIG="$work/rules.yaml" "$bin/rapport-intake" >"$work/intake.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$intake_port/health" "$work/intake.log"

nginx_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /webhooks/shopify {
      client_max_body_size 1m;
      return 202;
    }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
wait_for "http://127.0.0.1:$nginx_port/" "$work/nginx/error.log"

# Check one request end to end before measuring: intake must answer 202 and store one entry.
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$intake_port/webhooks/shopify" \
  -H 'Content-Type: application/json' -H 'X-Shopify-Topic: orders/create' \
  -H 'X-Shopify-Shop-Domain: bench-shop.myshopify.com' -H 'X-Shopify-Event-Id: bench-check' \
  -H "X-Shopify-Hmac-Sha256: $signature" --data-binary "@$body")"
[ "$status" = 202 ] || { echo "error: intake answered $status to a signed delivery; see $work/intake.log" >&2; cat "$work/intake.log" >&2; exit 1; }

measure() { # url -> "rps p50 p99 non2xx"
  local url="$1" out
  wrk -t"$threads" -c"$connections" -d3s -s Benchmarks/shopify-order.lua "$url" >/dev/null # warm-up
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s Benchmarks/shopify-order.lua "$url")"
  echo "$out" >>"$work/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {bad.group(1) if bad else 0} {'errors' if errors else 'ok'}")
PY
}

echo "measuring: wrk -t$threads -c$connections -d$duration --latency -s Benchmarks/shopify-order.lua"
# Both servers share the machine with wrk; other work on it skews both, so say how busy it was.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
read -r n_rps n_p50 n_p99 n_bad n_err <<<"$(measure "http://127.0.0.1:$nginx_port/webhooks/shopify")"
# The same request to a path intake has no route for: the HTTP server alone answers 404, the
# ceiling any handler in this process starts from.
read -r h_rps h_p50 h_p99 _ _ <<<"$(INTAKE_BENCH_PATH=/webhooks/unrouted measure "http://127.0.0.1:$intake_port/webhooks/unrouted")"
redis-cli -p "$redis_port" flushall >/dev/null
read -r i_rps i_p50 i_p99 i_bad i_err <<<"$(measure "http://127.0.0.1:$intake_port/webhooks/shopify")"
stored="$(redis-cli -p "$redis_port" eval "local n=0 for _,k in ipairs(redis.call('KEYS','rapport:*:stream:intake')) do n=n+redis.call('XLEN',k) end return n" 0)"

printf '%-14s %12s %10s %10s %10s\n' "" "requests/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-14s %12s %10s %10s %10s\n' "nginx 202" "$n_rps" "$n_p50" "$n_p99" "$n_bad"
printf '%-14s %12s %10s %10s %10s\n' "intake 404" "$h_rps" "$h_p50" "$h_p99" "(all)"
printf '%-14s %12s %10s %10s %10s\n' "rapport-intake" "$i_rps" "$i_p50" "$i_p99" "$i_bad"
python3 -c "import sys; print(f'ratio intake/nginx = {float(sys.argv[1])/float(sys.argv[2]):.1%}')" "$i_rps" "$n_rps"
python3 -c "import sys; print(f'ratio intake 404/nginx = {float(sys.argv[1])/float(sys.argv[2]):.1%} (the HTTP server alone)')" "$h_rps" "$n_rps"
echo "intake entries stored during the measured run and its warm-up: $stored"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$i_bad" != 0 ] || [ "$i_err" != ok ]; then
  echo "warning: intake answered non-2xx or had socket errors; see the wrk output:" >&2
  cat "$work/wrk.log" >&2
fi
