#!/usr/bin/env python3
"""A presence-webhook receiver for Huddle's tests, as a CRM backend would run one.

Usage: receiver.py LOG [--port PORT] [--fail N]. Listens on loopback (PORT, or
a free one), prints its port, answers the first N POSTs 500, and appends each
accepted POST to LOG as one JSON line: {"signature": <X-Huddle-Signature>,
"body": <the raw body as text>}.
"""
import argparse, json, signal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("log")
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--fail", type=int, default=0)
options = parser.parse_args()
# The test runner starts us with SIGTERM blocked (a child inherits the
# spawning thread's mask) and the test stops us with SIGTERM: unblock it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
failures_left = options.fail


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        global failures_left
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if failures_left > 0:
            failures_left -= 1
            return self.answer(500)
        with open(options.log, "a") as log:
            log.write(json.dumps({"signature": self.headers.get("X-Huddle-Signature"), "body": body.decode()}) + "\n")
        self.answer(200)

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
