"""An HTTP receiver that answers 500 to the first N requests, then 200. Prints its port, and
appends one line per request ("<status> <idempotency key>") to the log file given."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

failures = int(sys.argv[1]); log = sys.argv[2]; seen = 0

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        seen += 1
        status = 500 if seen <= failures else 200
        with open(log, "a") as f:
            f.write(f"{status} {self.headers.get('Idempotency-Key')}\n")
        self.send_response(status); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
