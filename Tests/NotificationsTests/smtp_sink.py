"""A local SMTP server for the notification tests and benchmark: prints its port, then writes
each received message to <dir>/<n>.eml (or only counts them when no dir is given)."""
import asyncio, os, socket, sys, threading
from aiosmtpd.controller import Controller

directory = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None
count = 0
lock = threading.Lock()

class Sink:
    async def handle_DATA(self, server, session, envelope):
        global count
        with lock:
            count += 1
            n = count
        if directory:
            path = os.path.join(directory, f"{n}.eml")
            with open(path + ".tmp", "wb") as f:
                f.write(b"X-Rcpt: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n" + envelope.content)
            os.rename(path + ".tmp", path)
        return "250 OK"

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
try:
    threading.Event().wait()
finally:
    controller.stop()
