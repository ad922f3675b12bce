#!/usr/bin/env bash
#
# Runs Rapport locally: one redis-server (AOF on, data kept in .local/redis) plus the five
# services, ready for webhooks. Ctrl-C stops the services, then Redis, cleanly.
#
# See usage() below, or run: Compose/run-local.sh --help
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: Compose/run-local.sh [--no-build] [--help]

Runs Rapport on this machine: a redis-server on 127.0.0.1 plus rapport-intake (8080),
rapport-classification (8081), rapport-loyalty (8082), rapport-complaints (8083) and
rapport-notifications (8084). Stops everything on Ctrl-C.

Options:
  --no-build   use the binaries already built (swift build) instead of building first
  -h, --help   show this help

Environment:
  RAPPORT_LOCAL_REDIS_PORT       port of the local redis-server (default 6379)
  RAPPORT_BUILD                  debug or release (default debug)
  RAPPORT_LOCAL_START_TIMEOUT    seconds to wait for every /health (default 60)
  RAPPORT_MASTER_KEY, RAPPORT_MASTER_KEY_ID, RAPPORT_ADMIN_TOKEN,
  RAPPORT_SHOPIFY_SECRETS, RAPPORT_WOOCOMMERCE_SECRETS, RAPPORT_STANDARD_WEBHOOK_SECRETS
                                 used when set; otherwise local values are generated once
                                 into .local/ (master.key, admin.token, webhook-secrets.env)
  RAPPORT_PARTITIONS, RAPPORT_CONFIG, RAPPORT_LOG_FORMAT, RAPPORT_MAX_DELIVERIES,
  RAPPORT_CLAIM_IDLE_SECONDS, RAPPORT_CONSUMER_NAME, RAPPORT_HTTP_HOST
                                 passed to the services (RAPPORT_CONFIG defaults to
                                 Compose/rapport.yaml when that file exists)

Everything local lives in .local/ at the repository root (git ignores it): Redis data
(.local/redis), logs (.local/logs/<service>.log, .local/redis.log) and the generated secrets.
Delete .local/ to start from scratch.
USAGE
}

BUILD=yes
while [ $# -gt 0 ]; do
    case "$1" in
    --no-build) BUILD=no ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        printf 'error: unknown argument: %s\n\n' "$1" >&2
        usage >&2
        exit 2
        ;;
    esac
    shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/install-deps.sh

LOCAL_DIR="$ROOT/.local"
LOG_DIR="$LOCAL_DIR/logs"
REDIS_DIR="$LOCAL_DIR/redis"
REDIS_PORT="${RAPPORT_LOCAL_REDIS_PORT:-6379}"
CONFIGURATION="${RAPPORT_BUILD:-debug}"
START_TIMEOUT="${RAPPORT_LOCAL_START_TIMEOUT:-60}"
HTTP_HOST="${RAPPORT_HTTP_HOST:-127.0.0.1}"
SERVICES=(intake classification loyalty complaints notifications)
declare -A PORT=([intake]=8080 [classification]=8081 [loyalty]=8082 [complaints]=8083 [notifications]=8084)

case "$REDIS_PORT" in
'' | *[!0-9]*) rapport_die "RAPPORT_LOCAL_REDIS_PORT must be a port number, got '$REDIS_PORT'" ;;
esac
case "$CONFIGURATION" in
debug | release) ;;
*) rapport_die "RAPPORT_BUILD must be debug or release, got '$CONFIGURATION'" ;;
esac
case "$START_TIMEOUT" in
'' | *[!0-9]*) rapport_die "RAPPORT_LOCAL_START_TIMEOUT must be a number of seconds, got '$START_TIMEOUT'" ;;
esac
# Where to reach a service from here: a wildcard listen address is reachable on loopback.
case "$HTTP_HOST" in
0.0.0.0 | '::' | '[::]') PROBE_HOST=127.0.0.1 ;;
*) PROBE_HOST="$HTTP_HOST" ;;
esac

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
rapport_step "Checking system packages"
wants=(hiredis pkg-config redis curl openssl)
if grep -q 'libcurl' Package.swift; then
    wants+=(libcurl-dev)
fi
rapport_install_deps "${wants[@]}"

# ---------------------------------------------------------------------------------------------
rapport_step "Checking ports"
if port_in_use "$REDIS_PORT"; then
    answer="$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1 || true)"
    case "$answer" in
    *PONG* | *NOAUTH*)
        rapport_die "a Redis server already answers on 127.0.0.1:$REDIS_PORT (a system redis-server service, or an earlier run of this script still running?).
       This script runs its own Redis with its data in .local/redis; pick another port, for example:
         RAPPORT_LOCAL_REDIS_PORT=$((REDIS_PORT + 1)) Compose/run-local.sh"
        ;;
    *)
        rapport_die "port $REDIS_PORT on 127.0.0.1 is in use by something that is not Redis; choose another one, for example:
         RAPPORT_LOCAL_REDIS_PORT=$((REDIS_PORT + 1)) Compose/run-local.sh"
        ;;
    esac
fi
for service in "${SERVICES[@]}"; do
    if port_in_use "${PORT[$service]}"; then
        rapport_die "port ${PORT[$service]} (rapport-$service) is already in use on 127.0.0.1; stop what listens there (an earlier run of this script?) and try again"
    fi
done
rapport_info "free: redis $REDIS_PORT, services ${PORT[intake]}-${PORT[notifications]}"

# ---------------------------------------------------------------------------------------------
rapport_step "Preparing .local/"
mkdir -p "$LOCAL_DIR" "$LOG_DIR" "$REDIS_DIR"
chmod 700 "$LOCAL_DIR"

# Writes a secret file once (mode 600) with the output of the given command.
make_secret_once() {
    local file="$1"
    shift
    if [ ! -s "$file" ]; then
        (
            umask 077
            "$@" >"$file.tmp"
            mv "$file.tmp" "$file"
        )
        rapport_info "generated $(basename "$file")"
    fi
    chmod 600 "$file"
}

if [ -n "${RAPPORT_MASTER_KEY:-}" ]; then
    rapport_info "master key: from RAPPORT_MASTER_KEY"
else
    make_secret_once "$LOCAL_DIR/master.key" openssl rand -base64 32
    RAPPORT_MASTER_KEY="$(tr -d '\r\n' <"$LOCAL_DIR/master.key")"
    rapport_info "master key: .local/master.key"
fi
if [ "$(printf '%s' "$RAPPORT_MASTER_KEY" | base64 -d 2>/dev/null | wc -c)" -ne 32 ]; then
    rapport_die "the master key must be base64 of exactly 32 bytes (check RAPPORT_MASTER_KEY or .local/master.key)"
fi

if [ -n "${RAPPORT_ADMIN_TOKEN:-}" ]; then
    ADMIN_TOKEN_SOURCE="the RAPPORT_ADMIN_TOKEN environment variable"
    # shellcheck disable=SC2016 # shown to the user, expanded in their shell
    TOKEN_EXPR='$RAPPORT_ADMIN_TOKEN'
else
    make_secret_once "$LOCAL_DIR/admin.token" openssl rand -hex 32
    RAPPORT_ADMIN_TOKEN="$(tr -d '\r\n' <"$LOCAL_DIR/admin.token")"
    ADMIN_TOKEN_SOURCE=".local/admin.token"
    # shellcheck disable=SC2016 # shown to the user, expanded in their shell
    TOKEN_EXPR='$(cat .local/admin.token)'
fi
rapport_info "admin token: $ADMIN_TOKEN_SOURCE"

SECRETS_FILE="$LOCAL_DIR/webhook-secrets.env"
generate_webhook_secrets() {
    echo "# Local development webhook secrets, generated once by Compose/run-local.sh."
    echo "# Environment variables of the same names take precedence."
    echo "RAPPORT_SHOPIFY_SECRETS=$(openssl rand -hex 32)"
    echo "RAPPORT_WOOCOMMERCE_SECRETS=$(openssl rand -hex 32)"
    echo "RAPPORT_STANDARD_WEBHOOK_SECRETS=whsec_$(openssl rand -base64 32)"
}
USING_LOCAL_SECRETS=()
if [ -z "${RAPPORT_SHOPIFY_SECRETS:-}" ] || [ -z "${RAPPORT_WOOCOMMERCE_SECRETS:-}" ] ||
    [ -z "${RAPPORT_STANDARD_WEBHOOK_SECRETS:-}" ]; then
    make_secret_once "$SECRETS_FILE" generate_webhook_secrets
    # Read KEY=value lines (the file is ours, but never execute it).
    # Split at the first '=' only: `read` with IFS='=' would drop a base64 value's padding.
    while IFS= read -r line; do
        key="${line%%=*}"
        value="${line#*=}"
        case "$key" in
        RAPPORT_SHOPIFY_SECRETS | RAPPORT_WOOCOMMERCE_SECRETS | RAPPORT_STANDARD_WEBHOOK_SECRETS)
            if [ -z "${!key:-}" ]; then
                printf -v "$key" '%s' "$value"
                USING_LOCAL_SECRETS+=("$key")
            fi
            ;;
        esac
    done <"$SECRETS_FILE"
fi

# The partition count is fixed for a deployment: remember it with the data.
PARTITIONS="${RAPPORT_PARTITIONS:-4}"
if [ -s "$LOCAL_DIR/partitions" ]; then
    recorded="$(tr -d '\r\n' <"$LOCAL_DIR/partitions")"
    if [ "$recorded" != "$PARTITIONS" ]; then
        rapport_die "the local data in .local/redis was written with RAPPORT_PARTITIONS=$recorded; it cannot change for existing data (run with RAPPORT_PARTITIONS=$recorded, or delete .local/ to start afresh)"
    fi
else
    echo "$PARTITIONS" >"$LOCAL_DIR/partitions"
fi

CONFIG_FILE="${RAPPORT_CONFIG:-}"
if [ -z "$CONFIG_FILE" ] && [ -f "$ROOT/Compose/rapport.yaml" ]; then
    CONFIG_FILE="$ROOT/Compose/rapport.yaml"
fi

# ---------------------------------------------------------------------------------------------
if [ "$BUILD" = yes ]; then
    rapport_require_swift
    rapport_step "Building ($CONFIGURATION)"
    for service in "${SERVICES[@]}"; do
        rapport_info "swift build -c $CONFIGURATION --product rapport-$service"
        swift build -c "$CONFIGURATION" --product "rapport-$service"
    done
fi
if command -v swift >/dev/null 2>&1; then
    BIN_DIR="$(swift build -c "$CONFIGURATION" --show-bin-path)"
else
    BIN_DIR="$ROOT/.build/$CONFIGURATION"
fi
for service in "${SERVICES[@]}"; do
    if [ ! -x "$BIN_DIR/rapport-$service" ]; then
        rapport_die "$BIN_DIR/rapport-$service is missing: build it first (run without --no-build)"
    fi
done

# ---------------------------------------------------------------------------------------------
# From here on, whatever happens, stop what we started.
REDIS_PID=""
declare -A SERVICE_PID=()
STOPPING=no

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

show_log_tail() {
    local name="$1" file="$2"
    printf '\n---- last lines of %s (%s) ----\n' "$name" "${file#"$ROOT"/}" >&2
    # Only this run's part of the log: from the last start banner, at most 60 lines.
    awk '/^===== .* run-local.sh starts /{n=0} {line[n++]=$0} END{s=(n>60?n-60:0); for(i=s;i<n;i++) print line[i]}' \
        "$file" >&2 2>/dev/null || true
    printf -- '---- end of %s ----\n' "$name" >&2
}

stop_all() {
    [ "$STOPPING" = yes ] && return 0
    STOPPING=yes
    trap '' INT TERM HUP
    local service pid waited=0 any
    if [ "${#SERVICE_PID[@]}" -gt 0 ]; then
        rapport_step "Stopping the services (SIGTERM)"
        for service in "${SERVICES[@]}"; do
            pid="${SERVICE_PID[$service]:-}"
            if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
        done
        # They stop within 5 s; give them 10 before forcing.
        while :; do
            any=no
            for service in "${SERVICES[@]}"; do
                alive "${SERVICE_PID[$service]:-}" && any=yes
            done
            [ "$any" = no ] && break
            if [ "$waited" -ge 100 ]; then
                for service in "${SERVICES[@]}"; do
                    pid="${SERVICE_PID[$service]:-}"
                    if alive "$pid"; then
                        rapport_warn "rapport-$service did not stop within 10 s: SIGKILL"
                        kill -KILL "$pid" 2>/dev/null || true
                    fi
                done
                break
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
        for service in "${SERVICES[@]}"; do
            wait "${SERVICE_PID[$service]:-}" 2>/dev/null || true
        done
        rapport_info "services stopped"
    fi
    if alive "$REDIS_PID"; then
        rapport_step "Stopping Redis (redis-cli -p $REDIS_PORT shutdown)"
        if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1; then
            kill -TERM "$REDIS_PID" 2>/dev/null || true
        fi
        waited=0
        while alive "$REDIS_PID" && [ "$waited" -lt 300 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if alive "$REDIS_PID"; then
            rapport_warn "redis-server did not stop within 30 s: SIGKILL (the AOF keeps all but the last second)"
            kill -KILL "$REDIS_PID" 2>/dev/null || true
        fi
        wait "$REDIS_PID" 2>/dev/null || true
        rapport_info "redis stopped; data kept in .local/redis"
    fi
}

on_signal() {
    printf '\n'
    stop_all
    exit 0
}
trap on_signal INT TERM HUP
trap stop_all EXIT

# Start a process in its own session, so that Ctrl-C reaches only this script and the
# shutdown order stays ours: services first, then Redis.
if command -v setsid >/dev/null 2>&1; then
    DETACH=(setsid)
else
    DETACH=()
fi

# ---------------------------------------------------------------------------------------------
rapport_step "Starting Redis on 127.0.0.1:$REDIS_PORT (data in .local/redis)"
"${DETACH[@]}" redis-server \
    --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --daemonize no --dir "$REDIS_DIR" --logfile "$LOCAL_DIR/redis.log" \
    --appendonly yes --appendfsync everysec --aof-use-rdb-preamble yes \
    --save "900 1 300 10 60 10000" --maxmemory-policy noeviction \
    </dev/null >/dev/null 2>&1 &
REDIS_PID=$!
waited=0
until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ]; do
    if ! alive "$REDIS_PID"; then
        show_log_tail redis-server "$LOCAL_DIR/redis.log"
        rapport_die "redis-server exited during start-up"
    fi
    if [ "$waited" -ge 150 ]; then
        show_log_tail redis-server "$LOCAL_DIR/redis.log"
        rapport_die "redis-server did not answer PING within 15 s"
    fi
    sleep 0.1
    waited=$((waited + 1))
done
rapport_info "redis-server pid $REDIS_PID answers PING"

# ---------------------------------------------------------------------------------------------
rapport_step "Starting the services from ${BIN_DIR#"$ROOT"/}"
export RAPPORT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export RAPPORT_HTTP_HOST="$HTTP_HOST"
export RAPPORT_PARTITIONS="$PARTITIONS"
export RAPPORT_MASTER_KEY
export RAPPORT_MASTER_KEY_ID="${RAPPORT_MASTER_KEY_ID:-k1}"
export RAPPORT_ADMIN_TOKEN
export RAPPORT_SHOPIFY_SECRETS RAPPORT_WOOCOMMERCE_SECRETS RAPPORT_STANDARD_WEBHOOK_SECRETS
export RAPPORT_LOG_FORMAT="${RAPPORT_LOG_FORMAT:-text}"
export RAPPORT_CONSUMER_NAME="${RAPPORT_CONSUMER_NAME:-local}"
if [ -n "$CONFIG_FILE" ]; then
    export RAPPORT_CONFIG="$CONFIG_FILE"
    rapport_info "rules: ${CONFIG_FILE#"$ROOT"/}"
else
    unset RAPPORT_CONFIG
    rapport_info "rules: built-in defaults"
fi
if [ -n "${RAPPORT_MAX_DELIVERIES:-}" ]; then export RAPPORT_MAX_DELIVERIES; fi
if [ -n "${RAPPORT_CLAIM_IDLE_SECONDS:-}" ]; then export RAPPORT_CLAIM_IDLE_SECONDS; fi

for service in "${SERVICES[@]}"; do
    log="$LOG_DIR/$service.log"
    printf '\n===== %s: run-local.sh starts rapport-%s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$service" >>"$log"
    RAPPORT_HTTP_PORT="${PORT[$service]}" "${DETACH[@]}" "$BIN_DIR/rapport-$service" </dev/null >>"$log" 2>&1 &
    SERVICE_PID[$service]=$!
    rapport_info "rapport-$service pid ${SERVICE_PID[$service]}, log .local/logs/$service.log"
done

rapport_step "Waiting for every /health to answer 200 (up to ${START_TIMEOUT} s)"
declare -A HEALTHY=()
deadline=$((SECONDS + START_TIMEOUT))
while [ "${#HEALTHY[@]}" -lt "${#SERVICES[@]}" ]; do
    for service in "${SERVICES[@]}"; do
        [ -n "${HEALTHY[$service]:-}" ] && continue
        if ! alive "${SERVICE_PID[$service]}"; then
            show_log_tail "rapport-$service" "$LOG_DIR/$service.log"
            rapport_warn "rapport-$service exited during start-up; stopping everything"
            exit 1
        fi
        if curl -fsS -o /dev/null -m 2 "http://$PROBE_HOST:${PORT[$service]}/health" 2>/dev/null; then
            HEALTHY[$service]=yes
            rapport_info "rapport-$service healthy"
        fi
    done
    [ "${#HEALTHY[@]}" -eq "${#SERVICES[@]}" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
        for service in "${SERVICES[@]}"; do
            if [ -z "${HEALTHY[$service]:-}" ]; then
                show_log_tail "rapport-$service" "$LOG_DIR/$service.log"
                rapport_warn "rapport-$service did not answer 200 on /health within ${START_TIMEOUT} s"
            fi
        done
        exit 1
    fi
    sleep 0.5
done

# ---------------------------------------------------------------------------------------------
rapport_step "Rapport is running"
printf '\n    %-24s %-32s %s\n' service url log
for service in "${SERVICES[@]}"; do
    printf '    %-24s %-32s %s\n' "rapport-$service" "http://$PROBE_HOST:${PORT[$service]}" ".local/logs/$service.log"
done
printf '    %-24s %-32s %s\n' "redis-server" "redis://127.0.0.1:$REDIS_PORT" ".local/redis.log"

printf '\n    Admin token (every scope): %s\n' "$ADMIN_TOKEN_SOURCE"
if [ "${#USING_LOCAL_SECRETS[@]}" -gt 0 ]; then
    printf '\n    Local development webhook secrets (.local/webhook-secrets.env; set the variables to use your own):\n'
    for key in "${USING_LOCAL_SECRETS[@]}"; do
        printf '      %s=%s\n' "$key" "${!key}"
    done
fi

if [[ " ${USING_LOCAL_SECRETS[*]} " == *" RAPPORT_SHOPIFY_SECRETS "* ]]; then
    # shellcheck disable=SC2016 # shown to the user, expanded in their shell
    SECRET_EXPR='$(grep ^RAPPORT_SHOPIFY_SECRETS= .local/webhook-secrets.env | cut -d= -f2- | cut -d, -f1)'
else
    # shellcheck disable=SC2016 # shown to the user, expanded in their shell
    SECRET_EXPR='${RAPPORT_SHOPIFY_SECRETS%%,*}'
fi

cat <<EXAMPLES

    Try it (in another terminal, from the repository root):

      # a signed Shopify orders/create delivery (expects 202)
      scripts/send-test-webhook.sh

      # the same by hand
      secret="$SECRET_EXPR"
      body='{"id":820982911946154508,"email":"jon@example.com","currency":"CNY","total_price":"199.00","customer":{"id":115310627314723954}}'
      curl -i http://$PROBE_HOST:${PORT[intake]}/webhooks/shopify \\
        -H 'Content-Type: application/json' \\
        -H 'X-Shopify-Topic: orders/create' \\
        -H 'X-Shopify-Shop-Domain: dev-shop.myshopify.com' \\
        -H "X-Shopify-Event-Id: \$(cat /proc/sys/kernel/random/uuid)" \\
        -H "X-Shopify-Hmac-Sha256: \$(printf '%s' "\$body" | openssl dgst -sha256 -hmac "\$secret" -binary | openssl base64 -A)" \\
        --data-binary "\$body"

      # a customer, with the admin token
      curl -s -H "Authorization: Bearer $TOKEN_EXPR" \\
        http://$PROBE_HOST:${PORT[classification]}/v1/customers/shopify%3Adev-shop.myshopify.com%3A115310627314723954

      # health and metrics of any service
      curl -s http://$PROBE_HOST:${PORT[loyalty]}/health
      curl -s http://$PROBE_HOST:${PORT[loyalty]}/metrics | head

    Press Ctrl-C to stop the services and Redis.
EXAMPLES

# ---------------------------------------------------------------------------------------------
# Keep running; if a service or Redis dies, say so and stop everything.
while :; do
    sleep 2 &
    wait $! || true
    if ! alive "$REDIS_PID"; then
        show_log_tail redis-server "$LOCAL_DIR/redis.log"
        rapport_warn "redis-server exited; stopping everything"
        exit 1
    fi
    for service in "${SERVICES[@]}"; do
        if ! alive "${SERVICE_PID[$service]}"; then
            show_log_tail "rapport-$service" "$LOG_DIR/$service.log"
            rapport_warn "rapport-$service exited; stopping everything"
            exit 1
        fi
    done
done
