"""A wss:// and https:// client for the TLS tests, driven line by line.

client.py PORT CAFILE...: trusts the given certificates (each its own CA),
offers ALPN h2 and http/1.1, and answers each command read from stdin with
one line on stdout:

  open NAME PATH    a WebSocket on PATH  -> "NAME <first message type> <alpn> <peer CN>"
  ping NAME         ping on that socket  -> "NAME <answer type>"
  get PATH          an HTTPS GET         -> "<status> <alpn>"
"""
import base64
import json
import os
import signal
import socket
import ssl
import sys

# The test runner starts us with SIGTERM blocked; its stop must still work.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

port = int(sys.argv[1])
context = ssl.create_default_context()
for cafile in sys.argv[2:]:
    context.load_verify_locations(cafile=cafile)
context.set_alpn_protocols(["h2", "http/1.1"])
sockets = {}


def connect():
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    tls = context.wrap_socket(raw, server_hostname="localhost")
    subject = dict(item[0] for item in tls.getpeercert()["subject"])
    return tls, tls.selected_alpn_protocol(), subject.get("commonName")


def read_head(tls):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = tls.recv(4096)
        if not chunk:
            raise EOFError("closed before the response head")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    return int(head.split(b" ")[1]), rest


def read_message(tls, buffer):
    def need(n):
        nonlocal buffer
        while len(buffer) < n:
            chunk = tls.recv(65536)
            if not chunk:
                raise EOFError("closed")
            buffer += chunk
    need(2)
    length, offset = buffer[1] & 127, 2
    if length == 126:
        need(4)
        length, offset = int.from_bytes(buffer[2:4], "big"), 4
    need(offset + length)
    message = json.loads(buffer[offset:offset + length])
    return message, buffer[offset + length:]


def send_text(tls, text):
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    tls.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)


for line in sys.stdin:
    words = line.split()
    try:
        if words[0] == "open":
            tls, alpn, cn = connect()
            key = base64.b64encode(os.urandom(16)).decode()
            tls.sendall((f"GET {words[2]} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            status, rest = read_head(tls)
            message, rest = read_message(tls, rest)
            sockets[words[1]] = [tls, rest]
            print(words[1], message["type"], alpn, cn, flush=True)
        elif words[0] == "ping":
            tls, rest = sockets[words[1]]
            send_text(tls, '{"type":"ping","id":1}')
            while True:
                message, rest = read_message(tls, rest)
                if message["type"] == "pong":
                    break
            sockets[words[1]][1] = rest
            print(words[1], message["type"], flush=True)
        elif words[0] == "get":
            tls, alpn, _ = connect()
            tls.sendall(f"GET {words[1]} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            status, _ = read_head(tls)
            print(status, alpn, flush=True)
    except Exception as error:  # the test reads the failure as the answer
        print("failed", type(error).__name__, str(error).replace("\n", " "), flush=True)
