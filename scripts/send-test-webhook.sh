#!/usr/bin/env bash
#
# Sends one signed Shopify webhook delivery to a running intake (Compose/run-local.sh) and
# prints the answer. Expect 202.
#
#   scripts/send-test-webhook.sh                         a sample orders/create
#   scripts/send-test-webhook.sh --topic orders/paid     another topic, same sample body
#   scripts/send-test-webhook.sh --body my-order.json    your own body, sent byte for byte
#
# The secret is the first of RAPPORT_SHOPIFY_SECRETS when set, else the local development
# secret in .local/webhook-secrets.env (written by Compose/run-local.sh).
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/send-test-webhook.sh [--topic TOPIC] [--shop DOMAIN] [--body FILE] [--url URL]

  --topic TOPIC    X-Shopify-Topic (default orders/create)
  --shop DOMAIN    X-Shopify-Shop-Domain (default dev-shop.myshopify.com)
  --body FILE      JSON body to send as is (default: a sample order with a new order id)
  --url URL        intake base URL (default $RAPPORT_INTAKE_URL or http://127.0.0.1:8080)
  -h, --help       show this help
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TOPIC="orders/create"
SHOP="dev-shop.myshopify.com"
BODY_FILE=""
URL="${RAPPORT_INTAKE_URL:-http://127.0.0.1:8080}"
while [ $# -gt 0 ]; do
    case "$1" in
    --topic | --shop | --body | --url)
        if [ $# -lt 2 ]; then
            echo "error: $1 needs a value" >&2
            exit 2
        fi
        case "$1" in
        --topic) TOPIC="$2" ;;
        --shop) SHOP="$2" ;;
        --body) BODY_FILE="$2" ;;
        --url) URL="$2" ;;
        esac
        shift 2
        ;;
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
done

for tool in curl openssl; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "error: $tool is needed (apt-get install $tool)" >&2
        exit 1
    }
done

secret="${RAPPORT_SHOPIFY_SECRETS:-}"
if [ -z "$secret" ] && [ -f .local/webhook-secrets.env ]; then
    secret="$(sed -n 's/^RAPPORT_SHOPIFY_SECRETS=//p' .local/webhook-secrets.env | head -n 1)"
fi
secret="${secret%%,*}"
if [ -z "$secret" ]; then
    echo "error: no Shopify secret: set RAPPORT_SHOPIFY_SECRETS, or start Rapport with Compose/run-local.sh (it writes .local/webhook-secrets.env)" >&2
    exit 1
fi

new_uuid() {
    if [ -r /proc/sys/kernel/random/uuid ]; then
        cat /proc/sys/kernel/random/uuid
    elif command -v uuidgen >/dev/null 2>&1; then
        uuidgen | tr '[:upper:]' '[:lower:]'
    else
        local h
        h="$(openssl rand -hex 16)"
        printf '%s-%s-4%s-a%s-%s\n' "${h:0:8}" "${h:8:4}" "${h:13:3}" "${h:17:3}" "${h:20:12}"
    fi
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ -n "$BODY_FILE" ]; then
    [ -f "$BODY_FILE" ] || {
        echo "error: no such file: $BODY_FILE" >&2
        exit 1
    }
    cp "$BODY_FILE" "$tmp/body.json"
else
    # A new order id each time (Shopify ids are large integers); the customer stays the same.
    order_id="$(date +%s)$(printf '%05d' $((RANDOM % 100000)))"
    now="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
    cat >"$tmp/body.json" <<JSON
{"id":$order_id,"admin_graphql_api_id":"gid://shopify/Order/$order_id","name":"#T$((order_id % 10000))","email":"jon.doe@example.com","created_at":"$now","updated_at":"$now","processed_at":"$now","currency":"CNY","presentment_currency":"CNY","financial_status":"paid","fulfillment_status":null,"subtotal_price":"199.00","total_discounts":"0.00","total_tax":"0.00","total_shipping_price_set":{"shop_money":{"amount":"10.00","currency_code":"CNY"}},"total_price":"209.00","test":true,"customer":{"id":115310627314723954,"email":"jon.doe@example.com","first_name":"Jon","last_name":"Doe","phone":"+8613800000000","currency":"CNY","created_at":"2024-01-05T10:00:00+00:00","updated_at":"$now","accepts_marketing":false,"default_address":{"address1":"1 Example Road","city":"Shanghai","country_code":"CN","zip":"200000"}},"line_items":[{"id":1,"title":"Selected Poems","quantity":1,"price":"199.00","sku":"BOOK-001"}],"refunds":[]}
JSON
fi

signature="$(openssl dgst -sha256 -hmac "$secret" -binary <"$tmp/body.json" | openssl base64 -A)"
event_id="$(new_uuid)"
webhook_id="$(new_uuid)"

echo "POST $URL/webhooks/shopify  topic=$TOPIC shop=$SHOP event=$event_id ($(wc -c <"$tmp/body.json") bytes)"
status="$(curl -sS -o "$tmp/answer" -w '%{http_code}' -X POST "$URL/webhooks/shopify" \
    -H 'Content-Type: application/json' \
    -H "X-Shopify-Topic: $TOPIC" \
    -H "X-Shopify-Shop-Domain: $SHOP" \
    -H "X-Shopify-Event-Id: $event_id" \
    -H "X-Shopify-Webhook-Id: $webhook_id" \
    -H "X-Shopify-Triggered-At: $(date -u +%Y-%m-%dT%H:%M:%S.000Z)" \
    -H 'X-Shopify-API-Version: 2025-01' \
    -H "X-Shopify-Hmac-Sha256: $signature" \
    --data-binary "@$tmp/body.json")" || {
    echo "error: could not reach $URL (is Rapport running? Compose/run-local.sh)" >&2
    exit 1
}
echo "HTTP $status"
if [ -s "$tmp/answer" ]; then
    cat "$tmp/answer"
    echo
fi
case "$status" in
2??) exit 0 ;;
*) exit 1 ;;
esac
