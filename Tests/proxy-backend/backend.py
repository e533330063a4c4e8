#!/usr/bin/env python3
"""A proxy plugin's backend for Huddle's tests, in another language on purpose.

Usage: backend.py SECRET. Listens on a free loopback port, prints it, and
answers Huddle's POSTs by the action (the type after the plugin name):
create -> an event, list -> a result, void -> a validation error, weird -> an
error code Huddle does not know, bad_json -> not JSON, crash -> 503, hold ->
waits until some request says release, wrong_event -> an event of another
plugin. A request whose X-Huddle-Signature does not match answers forbidden.
POSTs to /raw/<action> skip the signature (the outbound client's tests).
"""
import hashlib, hmac, json, signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = sys.argv[1].encode()
# The test runner starts us with SIGTERM blocked (a child inherits the
# spawning thread's mask) and the test stops us with SIGTERM: unblock it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
released = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/raw/"):
            # Unsigned, for the outbound client's own tests: the action is the path's last part.
            request = {"type": "raw." + self.path.rsplit("/", 1)[1], "data": {"body": body.decode()}}
        else:
            expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, self.headers.get("X-Huddle-Signature", "")):
                return self.answer(200, {"error": {"code": "forbidden", "message": "bad signature"}})
            request = json.loads(body)
        plugin, action = request["type"].split(".", 1)
        if action == "invoice.create":
            invoice = {"amount": request["data"].get("amount"), "user": request["user"],
                       "workspace": request["workspace"], "request_id": request["id"], "path": self.path}
            return self.answer(200, {"event": {"type": plugin + ".invoice_created", "data": {"invoice": invoice}}})
        if action == "invoice.list":
            return self.answer(200, {"result": {"invoices": [], "data": request["data"]}})
        if action == "invoice.void":
            return self.answer(200, {"error": {"code": "validation_failed", "message": "that invoice cannot be voided",
                                               "details": [{"field": "id", "problem": "required"}]}})
        if action == "invoice.weird":
            return self.answer(200, {"error": {"code": "teapot", "message": "short and stout"}})
        if action == "invoice.bad_json":
            return self.answer(200, b"{not json")
        if action == "invoice.crash":
            return self.answer(503, {"error": {"code": "unavailable", "message": "down for maintenance"}})
        if action == "invoice.wrong_event":
            return self.answer(200, {"event": {"type": "contacts.created", "data": {}}})
        if action == "invoice.hold":
            released.wait()
            return self.answer(200, {"result": {"held": True}})
        if action == "invoice.release":
            released.set()
            return self.answer(200, {"result": {"released": True}})
        return self.answer(404, {"error": {"code": "not_found", "message": "no such action"}})

    def answer(self, status, payload):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
