-- wrk script: signed Shopify orders/create deliveries to POST /webhooks/shopify.
--
-- The body and its signature are prepared by run-intake.sh (INTAKE_BENCH_BODY is the body
-- file, INTAKE_BENCH_SIGNATURE the base64 HMAC-SHA256 of exactly those bytes). Every request
-- carries a new X-Shopify-Event-Id, so intake verifies, dedupes and persists each one instead
-- of answering duplicates; the HMAC covers only the body, so the signature stays valid.

local body_path = assert(os.getenv("INTAKE_BENCH_BODY"), "set INTAKE_BENCH_BODY")
local signature = assert(os.getenv("INTAKE_BENCH_SIGNATURE"), "set INTAKE_BENCH_SIGNATURE")
-- INTAKE_BENCH_PATH, when set, sends the same request elsewhere (the harness's HTTP-only row).
local path = os.getenv("INTAKE_BENCH_PATH") or "/webhooks/shopify"
local file = assert(io.open(body_path, "rb"))
local body = file:read("*a")
file:close()

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  run = os.time()
  counter = 0
end

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Shopify-Topic"] = "orders/create",
    ["X-Shopify-Shop-Domain"] = "bench-shop.myshopify.com",
    ["X-Shopify-Hmac-Sha256"] = signature,
    ["X-Shopify-Event-Id"] = string.format("bench-%d-%d-%d", run, thread_number, counter),
    ["X-Shopify-Webhook-Id"] = string.format("hook-%d-%d-%d", run, thread_number, counter),
    ["X-Shopify-Triggered-At"] = "2025-03-03T11:06:40.000Z",
    ["X-Shopify-API-Version"] = "2025-01",
  }
  return wrk.format("POST", path, headers, body)
end
