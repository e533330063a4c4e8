"""A wss:// and https:// client for the TLS tests, driven line by line.

client.py PORT CAFILE...: trusts the given certificates (each its own CA),
offers ALPN h2 and http/1.1, and answers each command read from stdin with
one line on stdout:

  open NAME PATH    a WebSocket on PATH  -> "NAME <first message type> <alpn> <peer CN>"
  ping NAME         ping on that socket  -> "NAME <answer type>"
  get PATH          an HTTPS GET         -> "<status> <alpn>"
  metric NAME       GET /metrics         -> "<NAME's value, or none>"
  cert              a new handshake      -> "<SHA-256 fingerprint of the peer certificate> <peer CN>"
  flood N PATH      N WebSockets on PATH (users flood0…), then a thread that keeps
                    pinging each in turn with a new id and waits for that pong
                                         -> "flood N welcome"
  answered          pongs the flood got so far -> "answered N"
  stop              ends the flood after its current round
                                         -> "stopped sessions=N sent=S answered=A error=<none|what broke>"
"""
import base64
import hashlib
import json
import os
import signal
import socket
import ssl
import sys
import threading

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
    while True:
        need(2)
        opcode, length, offset = buffer[0] & 15, buffer[1] & 127, 2
        if length == 126:
            need(4)
            length, offset = int.from_bytes(buffer[2:4], "big"), 4
        need(offset + length)
        payload, buffer = buffer[offset:offset + length], buffer[offset + length:]
        if opcode == 9:  # the server's heartbeat
            send_frame(tls, 0x8A, payload)
        elif opcode == 1:
            return json.loads(payload), buffer


def send_frame(tls, first_byte, payload):
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    tls.sendall(bytes([first_byte, 0x80 | len(payload)]) + mask + masked)


def send_text(tls, text):
    send_frame(tls, 0x81, text.encode())


def open_socket(path):
    tls, alpn, cn = connect()
    key = base64.b64encode(os.urandom(16)).decode()
    tls.sendall((f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    status, rest = read_head(tls)
    message, rest = read_message(tls, rest)
    return tls, rest, message, alpn, cn


class Flood:
    """Pings every socket in turn, one outstanding ping each, until stopped;
    each pong must carry the id of its ping."""

    def __init__(self, count, path):
        self.sockets = []
        for index in range(count):
            tls, rest, message, _, _ = open_socket(f"{path}?user=flood{index}")
            if message["type"] != "welcome":
                raise RuntimeError(f"flood{index} got {message['type']}")
            self.sockets.append([tls, rest])
        self.sent = self.answered = 0
        self.error = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        next_id = 1
        try:
            while not self.stopping.is_set():
                first = next_id
                for tls, _ in self.sockets:
                    send_text(tls, json.dumps({"type": "ping", "id": next_id}))
                    next_id += 1
                    self.sent += 1
                for index, entry in enumerate(self.sockets):
                    while True:
                        message, entry[1] = read_message(entry[0], entry[1])
                        if message["type"] == "pong":
                            break
                    if message.get("id") != first + index:
                        raise RuntimeError(f"flood{index} got pong {message.get('id')}, expected {first + index}")
                    self.answered += 1
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}".replace("\n", " ").replace(" ", "_")

    def stop(self):
        self.stopping.set()
        self.thread.join()
        return (f"stopped sessions={len(self.sockets)} sent={self.sent} answered={self.answered} "
                f"error={self.error or 'none'}")


flood = None


for line in sys.stdin:
    words = line.split()
    try:
        if words[0] == "open":
            tls, rest, message, alpn, cn = open_socket(words[2])
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
        elif words[0] == "metric":
            tls, _, _ = connect()
            tls.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            _, body = read_head(tls)
            while chunk := tls.recv(65536):
                body += chunk
            values = [line.split()[1] for line in body.decode().splitlines() if line.startswith(words[1] + " ")]
            print(values[0] if values else "none", flush=True)
        elif words[0] == "cert":
            tls, _, cn = connect()
            print(hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest(), cn, flush=True)
            tls.close()
        elif words[0] == "flood":
            flood = Flood(int(words[1]), words[2])
            print("flood", words[1], "welcome", flush=True)
        elif words[0] == "answered":
            print("answered", flood.answered, flush=True)
        elif words[0] == "stop":
            print(flood.stop(), flush=True)
    except Exception as error:  # the test reads the failure as the answer
        print("failed", type(error).__name__, str(error).replace("\n", " "), flush=True)
