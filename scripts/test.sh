#!/usr/bin/env bash
#
# Rapport's test command (the README's second command; .ci/run calls it).
#
#   scripts/test.sh                        build everything, run every test
#   scripts/test.sh --filter ModelTests    extra arguments go to `swift test`
#
# Installs what is missing, and only that: libhiredis-dev, redis-server (integration tests
# start their own redis-server on an ephemeral port), docker-compose (the Compose file test
# validates Compose/compose.yaml without a Docker engine), pkg-config; and, best effort, the
# Python module aiosmtpd (a local SMTP server for the notification tests).
# Exits with the exit code of `swift test`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/install-deps.sh

rapport_step "Checking system packages"
wants=(hiredis pkg-config redis compose)
# The SMTP channel links libcurl through a system-library target once there is one.
if grep -q 'libcurl' Package.swift; then
    wants+=(libcurl-dev)
fi
rapport_install_deps "${wants[@]}"
rapport_ensure_python_module aiosmtpd
rapport_ensure_python_module openapi_spec_validator openapi-spec-validator python3-openapi-spec-validator
rapport_require_swift
rapport_info "$(swift --version 2>&1 | head -n 1)"

rapport_step "Building (swift build --build-tests)"
swift build --build-tests

rapport_step "Testing (swift test --skip-build${*:+ $*})"
status=0
swift test --skip-build "$@" || status=$?

if [ "$status" -eq 0 ]; then
    rapport_step "Tests passed"
else
    rapport_step "Tests FAILED (swift test exited with $status)"
fi
exit "$status"
