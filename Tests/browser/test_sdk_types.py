"""clients/js/huddle.d.ts: the documented uses type-check, wrong ones do not (clients/js/test/usage.ts)."""
import json
import shlex
import shutil
import subprocess

from conftest import ROOT

PACKAGE = ROOT / "clients/js"


def test_typescript_declarations_accept_the_documented_uses():
    assert shutil.which("tsc"), "tsc is missing: run scripts/install-deps --test (Debian's node-typescript)"
    # The package's own script, so `npm run check-types` and this test cannot disagree.
    command = json.loads((PACKAGE / "package.json").read_text())["scripts"]["check-types"]
    result = subprocess.run(shlex.split(command), cwd=PACKAGE, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
