"""The bundled client over native TLS: the page over https://, the session over wss://."""
import subprocess

import pytest

from conftest import run_server, server_env


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """A server with a certificate the openssl CLI made for 127.0.0.1."""
    directory = tmp_path_factory.mktemp("huddle-tls")
    cert, key = directory / "server.crt", directory / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    env = server_env(HUDDLE_TLS_CERT_FILE=str(cert), HUDDLE_TLS_KEY_FILE=str(key))
    yield from run_server(directory / "h.sqlite", env)


def test_two_tabs_meet_over_https_and_wss(open_tab, tls_server, workspace):
    assert tls_server.startswith("https://")
    alice = open_tab(base_url=tls_server).join(workspace, "Alice")
    bob = open_tab(base_url=tls_server).join(workspace, "Bob")
    # An https page may only open wss:// sockets (mixed content is blocked), so a live session is a wss one.
    assert alice.js("return location.protocol") == "https:"
    assert alice.js("return window.huddle.client.state") == "online"
    alice.wait_visible(alice.presence_item("bob"))
    bob.wait_visible(bob.presence_item("alice"))
