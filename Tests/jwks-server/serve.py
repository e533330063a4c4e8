"""A JWKS endpoint over HTTPS for the JWKS rotation tests.

serve.py CERT KEY JWKS_FILE: serves JWKS_FILE, read anew on each request
(the test rotates keys by rewriting it), at GET /jwks.json, and writes how
many times it was served to JWKS_FILE.fetches. Prints its port on stdout
once it listens on 127.0.0.1.
"""
import http.server
import signal
import ssl
import sys

# The test runner starts us with SIGTERM blocked; its stop must still work.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

cert, key, jwks_path = sys.argv[1:4]
fetches = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global fetches
        if self.path == "/jwks.json":
            fetches += 1
            with open(jwks_path, "rb") as f:
                body = f.read()
            with open(jwks_path + ".fetches", "w") as f:
                f.write(str(fetches))
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
