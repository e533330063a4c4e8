"""Tokens that run out while the page is open (docs/protocol.md §1): with
`?token_url=` the client refreshes on `auth.expiring` and the session
outlives its first token; without it the session ends at `exp` and the join
screen says the token expired.

The token URL must be of the page's origin, as a CRM's own backend would
be: nginx serves the page and the WebSocket from Huddle and `/token` from a
small token server of this file, all on one origin.
"""
import base64
import hashlib
import hmac
import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from cluster import free_port
from conftest import JWT_SECRET
from processes import terminate

# Long enough to join, short enough that the test sees it run out.
FIRST_TOKEN_TTL_S = 4
REFRESHED_TOKEN_TTL_S = 600

NGINX_CONF = """
user root;
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {dir}/tmp;
  proxy_temp_path {dir}/tmp;
  fastcgi_temp_path {dir}/tmp;
  uwsgi_temp_path {dir}/tmp;
  scgi_temp_path {dir}/tmp;
  server {{
    listen 127.0.0.1:{port};
    location = /token {{ proxy_pass http://127.0.0.1:{token_port}; }}
    location / {{
      proxy_pass http://127.0.0.1:{huddle_port};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header Host $host;
      proxy_read_timeout 600s;
    }}
  }}
}}
"""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(user, ttl_s):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": user, "name": user.capitalize(), "workspaces": ["*"], "exp": int(time.time()) + ttl_s}
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(JWT_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


class TokenBackend(ThreadingHTTPServer):
    """POST /token: a fresh token for alice, as a CRM backend hands one to its signed-in user."""

    def __init__(self):
        self.calls = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler):
                self.calls += 1
                body = json.dumps({"token": hs256_token("alice", REFRESHED_TOKEN_TTL_S)}).encode()
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def same_origin(jwt_server, tmp_path_factory):
    """nginx in front of the jwt-mode server and the token backend; yields (origin URL, backend)."""
    backend = TokenBackend()
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    directory = tmp_path_factory.mktemp("nginx-token")
    (directory / "tmp").mkdir()
    port = free_port()
    (directory / "nginx.conf").write_text(NGINX_CONF.format(
        dir=directory, port=port, token_port=backend.server_address[1], huddle_port=jwt_server.rsplit(":", 1)[1]))
    nginx = subprocess.Popen(["nginx", "-c", str(directory / "nginx.conf"), "-p", str(directory)])
    origin = f"http://127.0.0.1:{port}"
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            subprocess.run(["curl", "-sf", f"{origin}/healthz"], check=True, capture_output=True)
            break
        except subprocess.CalledProcessError:
            time.sleep(0.1)
    yield origin, backend
    terminate(nginx, 10)
    backend.shutdown()


def open_with_token(tab, origin, workspace, **extra):
    query = urlencode({"ws": workspace, "token": hs256_token("alice", FIRST_TOKEN_TTL_S), **extra})
    tab.driver.get(f"{origin}/?{query}")
    tab.wait_online()


def test_with_a_token_url_the_session_outlives_its_first_token(open_tab, same_origin, workspace):
    origin, backend = same_origin
    calls_before = backend.calls
    tab = open_tab(base_url=origin)
    open_with_token(tab, origin, workspace, token_url="/token")
    tab.wait_for(lambda d: backend.calls > calls_before, "the client to ask the token URL on auth.expiring")
    # Past the first token's exp the session is the same live one.
    session = tab.js("return window.huddle.client.session")
    time.sleep(FIRST_TOKEN_TTL_S + 1)
    tab.wait_online()
    assert tab.js("return window.huddle.client.session") == session
    assert tab.js("return window.huddle.client.state") == "online"


def test_without_a_token_url_the_session_ends_and_says_the_token_expired(open_tab, same_origin, workspace):
    origin, _ = same_origin
    tab = open_tab(base_url=origin)
    open_with_token(tab, origin, workspace)
    tab.wait_for(lambda d: "expired" in tab.text_of('[data-testid="join-error"]'),
                 "the join screen to say the token expired", timeout=FIRST_TOKEN_TTL_S + 10)
