"""clients/js/huddle.d.ts: the documented uses type-check, wrong ones do not (clients/js/test/usage.ts)."""
import shutil
import subprocess

from conftest import ROOT

TSC_FLAGS = ["--noEmit", "--strict", "--target", "es2020", "--module", "es2020", "--moduleResolution", "node", "--lib", "es2020,dom"]


def test_typescript_declarations_accept_the_documented_uses():
    tsc = shutil.which("tsc")
    assert tsc, "tsc is missing: run scripts/install-deps --test (Debian's node-typescript)"
    result = subprocess.run([tsc, *TSC_FLAGS, "clients/js/test/usage.ts"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
