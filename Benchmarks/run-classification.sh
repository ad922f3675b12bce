#!/usr/bin/env bash
# Intake events per second through rapport-classification with two replicas, and Redis memory
# per customer profile.
#
# A fresh redis-server on an ephemeral loopback port; two release rapport-classification
# processes (one consumer group, four partitions); EVENTS order.paid envelopes for CUSTOMERS
# customers appended to the intake streams while both run. The rate is EVENTS divided by the
# time from the first append until the group has read and acknowledged everything. Memory per
# profile is what the classification state (profiles and indexes) adds to used_memory, measured
# after the run with the streams and processed markers removed; the markers' own cost per event
# is reported apart (they expire after 24 h).
# Usage: Benchmarks/run-classification.sh [events=60000] [customers=12000]
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-60000}"
customers="${2:-12000}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
rcli() { redis-cli -p "$port" "$@"; }

swift build -c release --product rapport-classification >/dev/null
bin="$(swift build -c release --show-bin-path)"

baseline=$(rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')

# The envelopes, as intake writes them, in Redis protocol for redis-cli --pipe.
python3 - "$events" "$customers" >"$work/events.resp" <<'PY'
import json, sys
events, customers = int(sys.argv[1]), int(sys.argv[2])
def partition(customer, count=4):
    h = 0xcbf29ce484222325
    for b in customer.encode():
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % count
def command(*args):
    out = [f"*{len(args)}\r\n"]
    for a in args:
        b = a.encode()
        out.append(f"${len(b)}\r\n{a}\r\n")
    return "".join(out)
start = 1_735_689_600_000
write = sys.stdout.write
for i in range(events):
    c = i % customers
    customer = f"shopify:bench-shop.myshopify.com:{c}"
    placed = start + (i // customers) * 86_400_000 * 7 + c * 1000
    amount = 1000 + (i * 7919) % 500_000
    money = lambda m: {"minor": m, "currency": "CNY"}
    order = {"orderID": f"o{i}", "orderNumber": f"#{i}", "currency": "CNY", "total": money(amount),
             "subtotal": money(amount), "shipping": money(0), "tax": money(0), "lines": [],
             "placedAt": placed, "updatedAt": placed, "discountCodes": [], "guest": False}
    data = json.dumps({"order": order, "paidAt": placed}, sort_keys=True, separators=(",", ":"))
    fields = ["id", f"bench-paid-{i}", "type", "order.paid", "v", "1", "customer", customer,
              "occurred", str(placed), "recorded", str(placed), "source", "shopify",
              "correlation", f"bench-paid-{i}", "cause", "", "data", data]
    write(command("XADD", f"rapport:{{p{partition(customer)}}}:stream:intake", "*", *fields))
PY

http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for replica in 1 2; do
  RAPPORT_REDIS_URL="redis://127.0.0.1:$port" RAPPORT_HTTP_PORT=$((http + replica)) RAPPORT_CONSUMER_NAME="bench-$replica" \
    RAPPORT_MASTER_KEY="$(head -c 32 /dev/zero | base64)" "$bin/rapport-classification" >"$work/classification-$replica.log" 2>&1 &
  pids+=($!)
done
for replica in 1 2; do
  for _ in $(seq 1 200); do curl -fsS "http://127.0.0.1:$((http + replica))/health" >/dev/null 2>&1 && break; sleep 0.1; done
done

drained() {
  for p in 0 1 2 3; do
    local info
    info=$(rcli xinfo groups "rapport:{p$p}:stream:intake" | paste -sd' ')
    [[ "$info" =~ pending\ 0\ .*lag\ 0 ]] || return 1
  done
}
cpu_seconds() {  # user+system CPU seconds of a process
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}
redis_cpu() { rcli info cpu | awk -F: '/^used_cpu_(user|sys):/{s += $2} END {printf "%.2f", s}'; }
replica_cpu_before=$(for pid in "${pids[@]}"; do cpu_seconds "$pid"; echo; done | paste -sd+ | bc)
redis_cpu_before=$(redis_cpu)
begin=$(date +%s.%N)
rcli --pipe <"$work/events.resp" >/dev/null
appended=$(date +%s.%N)
until drained; do sleep 0.05; done
end=$(date +%s.%N)
profiles=$(for p in 0 1 2 3; do rcli zcard "rapport:{p$p}:classification:index:all"; done | paste -sd+ | bc)
dead=$(for p in 0 1 2 3; do rcli xlen "rapport:{p$p}:dead:classification"; done | paste -sd+ | bc)
replica_cpu=$(echo "$(for pid in "${pids[@]}"; do cpu_seconds "$pid"; echo; done | paste -sd+ | bc) - $replica_cpu_before" | bc)
redis_cpu_used=$(echo "$(redis_cpu) - $redis_cpu_before" | bc)
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
wait "${pids[@]}" 2>/dev/null || true
pids=()

with_all=$(rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
rcli --scan --pattern 'rapport:*:classification:done:*' | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
without_markers=$(rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
rcli --scan --pattern 'rapport:*:stream:*' | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
rcli --scan --pattern 'rapport:*:audit' | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
state=$(rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
sample=$(set +o pipefail; rcli --scan --pattern 'rapport:*:classification:profile:*' | head -1)

python3 - "$events" "$customers" "$profiles" "$dead" "$begin" "$appended" "$end" "$baseline" "$with_all" "$without_markers" "$state" "$(rcli memory usage "$sample" samples 0)" "$(rcli strlen "$sample")" "$replica_cpu" "$redis_cpu_used" <<'PY'
import sys
events, customers, profiles, dead = map(int, sys.argv[1:5])
begin, appended, end = map(float, sys.argv[5:8])
baseline, with_all, without_markers, state, sample_usage, sample_len = map(int, sys.argv[8:14])
print(f"events={events} customers={customers} profiles={profiles} dead_letters={dead} (2 replicas, 4 partitions, 5 orders per customer)")
print(f"appending took {appended - begin:.2f} s; all applied after {end - begin:.2f} s")
print(f"throughput: {events / (end - begin):.0f} intake events/s through classification (2 replicas)")
import os
replica_cpu, redis_cpu = map(float, sys.argv[14:16])
cores = os.cpu_count()
print(f"CPU while applying: replicas {replica_cpu:.1f} s, redis-server {redis_cpu:.1f} s ({cores} cores, shared)")
print(f"redis memory per profile (profile JSON + indexes): {(state - baseline) / profiles:.0f} bytes; one profile value alone: {sample_usage} bytes ({sample_len} bytes of JSON)")
print(f"processed markers (24 h): {(with_all - without_markers) / events:.0f} bytes per event")
PY
