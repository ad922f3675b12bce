#!/usr/bin/env bash
#
# Notifications throughput: birthday e-mails rendered (swift-mustache, both languages) and handed
# over SMTP through libcurl to a local aiosmtpd sink, several in flight. Prints one BENCH line.
#
#   Benchmarks/run-notifications.sh                 2000 messages, 8 in flight
#   RAPPORT_BENCH_MESSAGES=5000 RAPPORT_BENCH_IN_FLIGHT=16 Benchmarks/run-notifications.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python3 -c 'import aiosmtpd' 2>/dev/null || { echo "error: the Python module aiosmtpd is needed (scripts/test.sh installs it)" >&2; exit 1; }
swift build --build-tests -c debug >/dev/null
RAPPORT_BENCH_NOTIFICATIONS=1 swift test --skip-build --filter SMTPThroughputBenchmark 2>&1 | grep -E 'BENCH|passed|failed|error'
