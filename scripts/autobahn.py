#!/usr/bin/env python3
"""Runs the Autobahn|Testsuite fuzzing-client cases (through kosoku) against
Huddle's diagnostics echo endpoint and prints a summary by verdict.

Usage: scripts/autobahn.py [--cases "1.* 2.* ..."] [--huddle PATH] [--outdir DIR]
Exits non-zero if any case is FAILED or ERROR.
"""
import argparse
import asyncio
import collections
import os
import subprocess
import sys
import tempfile

from kosoku import FailureError, run_fuzzingclient
from kosoku._report import write_reports

ACCEPTED = {"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED"}


def start_server(binary, storage_dir):
    env = dict(os.environ, HUDDLE_DIAGNOSTICS_ECHO="true", HUDDLE_LOG_LEVEL="error",
               HUDDLE_LIMITS_MAX_MESSAGE_BYTES="16777216")
    proc = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--storage", os.path.join(storage_dir, "h.sqlite")],
        stdout=subprocess.PIPE, env=env, text=True)
    line = proc.stdout.readline()
    if not line.startswith("huddle listening on http://"):
        proc.kill()
        sys.exit(f"huddle did not start: {line!r}")
    return proc, line.strip().rsplit(":", 1)[1]


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
    parser.add_argument("--outdir", default="test-output/autobahn")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as storage:
        proc, port = start_server(args.huddle, storage)
        try:
            results = asyncio.run(run(f"ws://127.0.0.1:{port}/echo", args.cases.split(), args.exclude.split()))
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    write_reports(results, args.outdir, produce_html=False)
    verdicts = collections.Counter(label(r.behavior) for r in results)
    closes = collections.Counter(label(r.behavior_close) for r in results)
    bad = [r for r in results if label(r.behavior) not in ACCEPTED or label(r.behavior_close) not in ACCEPTED]
    print(f"Autobahn (kosoku) cases {args.cases}: {len(results)} run")
    print("  behavior: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print("  close:    " + ", ".join(f"{k} {v}" for k, v in sorted(closes.items())))
    for r in bad:
        print(f"  {r.case_id}: {label(r.behavior)} / close {label(r.behavior_close)}")
    if bad or not results:
        sys.exit(1)


if __name__ == "__main__":
    main()
