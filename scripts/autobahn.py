#!/usr/bin/env python3
"""Runs the Autobahn|Testsuite fuzzing-client cases (through kosoku) against
Huddle's diagnostics echo endpoint and prints a summary by verdict.

Usage: scripts/autobahn.py [--tls] [--cases "1.* 2.* ..."] [--huddle PATH] [--outdir DIR]
Exits non-zero if any case is FAILED or ERROR; the same rule with --tls.

--tls: Huddle serves wss:// with a throw-away certificate (the openssl CLI)
and kosoku, which speaks ws:// only, reaches it through socat as a TLS
client (`socat TCP-LISTEN:P,fork OPENSSL:127.0.0.1:TLSPORT`), so every frame
goes through Huddle's TLS layer.
"""
import argparse
import asyncio
import collections
import os
import socket
import subprocess
import sys
import tempfile
import time

from kosoku import FailureError, run_fuzzingclient
from kosoku._report import write_reports

ACCEPTED = {"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED"}


def start_server(binary, storage_dir, tls_pair=None):
    env = dict(os.environ, HUDDLE_DIAGNOSTICS_ECHO="true", HUDDLE_LOG_LEVEL="error",
               HUDDLE_LIMITS_MAX_MESSAGE_BYTES="16777216")
    scheme = "http"
    if tls_pair:
        env.update(HUDDLE_TLS_CERT_FILE=tls_pair[0], HUDDLE_TLS_KEY_FILE=tls_pair[1])
        scheme = "https"
    proc = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--storage", os.path.join(storage_dir, "h.sqlite")],
        stdout=subprocess.PIPE, env=env, text=True)
    line = proc.stdout.readline()
    if not line.startswith(f"huddle listening on {scheme}://"):
        proc.kill()
        sys.exit(f"huddle did not start: {line!r}")
    return proc, line.strip().rsplit(":", 1)[1]


def make_certificate(directory):
    """A self-signed P-256 certificate for 127.0.0.1, valid for a day."""
    certificate, key = os.path.join(directory, "tls.crt"), os.path.join(directory, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return certificate, key


def start_tls_originator(tls_port, certificate):
    """socat on a free loopback port, opening a verified TLS connection to
    Huddle for every TCP connection kosoku makes; answers the process and port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr",
                             f"OPENSSL:127.0.0.1:{tls_port},cafile={certificate},verify=1"])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("socat did not listen")


def label(behavior):
    return str(behavior).split(".")[-1].replace("_", "-")


async def run(url, cases, exclude):
    try:
        return await run_fuzzingclient(url, cases, exclude, concurrency=2)
    except FailureError as failure:
        return failure.results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", default="1.* 2.* 3.* 4.* 5.* 6.* 7.* 9.* 10.*")
    parser.add_argument("--exclude", default="12.* 13.*", help="permessage-deflate is not negotiated in v1")
    parser.add_argument("--huddle", default=os.environ.get("HUDDLE_BIN", ".build/debug/huddle"))
    parser.add_argument("--outdir", help="default test-output/autobahn, or test-output/autobahn-tls with --tls")
    parser.add_argument("--tls", action="store_true", help="through Huddle's TLS layer, with socat as the TLS client")
    args = parser.parse_args()
    args.outdir = args.outdir or ("test-output/autobahn-tls" if args.tls else "test-output/autobahn")

    with tempfile.TemporaryDirectory() as storage:
        pair = make_certificate(storage) if args.tls else None
        proc, port = start_server(args.huddle, storage, pair)
        originator = None
        try:
            if args.tls:
                originator, port = start_tls_originator(port, pair[0])
            results = asyncio.run(run(f"ws://127.0.0.1:{port}/echo", args.cases.split(), args.exclude.split()))
        finally:
            for process in filter(None, (originator, proc)):
                process.terminate()
                process.wait(timeout=10)

    write_reports(results, args.outdir, produce_html=False)
    verdicts = collections.Counter(label(r.behavior) for r in results)
    closes = collections.Counter(label(r.behavior_close) for r in results)
    bad = [r for r in results if label(r.behavior) not in ACCEPTED or label(r.behavior_close) not in ACCEPTED]
    over = " over TLS (socat to Huddle's wss://)" if args.tls else ""
    print(f"Autobahn (kosoku){over} cases {args.cases}: {len(results)} run")
    print("  behavior: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print("  close:    " + ", ".join(f"{k} {v}" for k, v in sorted(closes.items())))
    for r in bad:
        print(f"  {r.case_id}: {label(r.behavior)} / close {label(r.behavior_close)}")
    if bad or not results:
        sys.exit(1)


if __name__ == "__main__":
    main()
