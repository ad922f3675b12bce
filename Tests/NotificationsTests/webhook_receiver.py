"""A shop endpoint for the webhook channel test: verifies each request's Standard Webhooks
signature (HMAC-SHA256 of "id.timestamp.body" under the base64 key after "whsec_"), answers 204
when it holds and 401 when not, and appends one JSON line per request to the log file given.
Prints its port on the first line."""
import base64, hashlib, hmac, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

secret = sys.argv[1]; log = sys.argv[2]
key = base64.b64decode(secret[len("whsec_"):])

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
        given = [part.split(",", 1)[1] for part in self.headers.get("webhook-signature", "").split(" ") if part.startswith("v1,")]
        valid = any(hmac.compare_digest(expected, candidate) for candidate in given)
        with open(log, "a") as f:
            f.write(json.dumps({"id": msg_id, "timestamp": timestamp, "valid": valid,
                                "contentType": self.headers.get("Content-Type"), "body": body.decode()}) + "\n")
        self.send_response(204 if valid else 401); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
