"""A minimal HTTP function on the standard library's http.server.

Responds to every GET with a greeting and the time since the process started.
"""

import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

HOST = "127.0.0.1"
PORT = int(os.environ.get("PORT", "18081"))
STARTED_AT = time.monotonic()


class HelloHandler(BaseHTTPRequestHandler):
    """Responds to every GET request with a small JSON document."""

    def do_GET(self):
        body = json.dumps({
            "message": "Hello from python-hello",
            "path": self.path,
            "uptimeMs": round((time.monotonic() - STARTED_AT) * 1000, 3),
        }).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # One line per request on standard error would slow down the measured request.
        pass


def main():
    server = HTTPServer((HOST, PORT), HelloHandler)
    # Containers are stopped with SIGTERM; exit at once instead of waiting for a request.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    print(f"python-hello listening on http://{HOST}:{PORT}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
