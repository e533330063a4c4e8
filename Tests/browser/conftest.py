"""Browser tests of the bundled client against the real `huddle serve`.

Each "tab" is its own headless Chromium (its own WebDriver session), so two
tabs share no storage and both stay live. Run from the repository root:

    swift build && pytest Tests/browser

Environment: HUDDLE_BIN (default .build/debug/huddle), CHROMIUM_BIN
(default /usr/bin/chromium), CHROMEDRIVER_BIN (default /usr/bin/chromedriver).
"""
import os
import re
import subprocess
import threading
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from cluster import Cluster
from huddle_tab import Tab
from processes import terminate

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
READY_LINE = re.compile(r"huddle listening on (https?://\S+)")
SERVER_START_TIMEOUT_S = 60
SERVER_STOP_TIMEOUT_S = 10
# Short enough that expiry and leave tests finish quickly, long enough to cover a reload.
GRACE_MS = 1500
TYPING_TTL_MS = 1500
VIEWPORT = (1280, 800)
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    # Every window must keep running timers and sockets although none has focus.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "screenshot: produces docs artifacts; runs after every other test")


def pytest_collection_modifyitems(items):
    """Tests marked `screenshot` run last, whatever their file name."""
    items.sort(key=lambda item: item.get_closest_marker("screenshot") is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def server_binary():
    binary = Path(os.environ.get("HUDDLE_BIN", ROOT / ".build/debug/huddle"))
    if not binary.exists():
        pytest.fail(f"no server binary at {binary}: run `swift build` or set HUDDLE_BIN")
    return binary


def server_env(**extra):
    return dict(os.environ,
                HUDDLE_PRESENCE_GRACE_MS=str(GRACE_MS),
                HUDDLE_TYPING_TTL_MS=str(TYPING_TTL_MS),
                HUDDLE_PLUGINS_KANBAN_WIP_LIMITS='{ "Review" = 1 }',
                **extra)


class ServerProcess:
    """One `huddle serve` process; `start` can be called again after `stop` (same storage, same port)."""

    def __init__(self, storage, env):
        self.storage = storage
        self.env = env
        self.process = None
        self.url = None
        self.port = 0

    def start(self):
        self.process = subprocess.Popen(
            [str(server_binary()), "serve", "--port", str(self.port), "--storage", str(self.storage)],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found = {}
        ready = threading.Event()
        captured = []
        process = self.process

        def pump():
            # Keeps reading after the ready line so the server never blocks on a full pipe.
            for line in process.stdout:
                captured.append(line)
                match = READY_LINE.search(line)
                if match and not ready.is_set():
                    found["url"] = match.group(1)
                    ready.set()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        ready.wait(SERVER_START_TIMEOUT_S)
        if "url" not in found:
            process.kill()
            pytest.fail("server did not print its ready line:\n" + "".join(captured[-40:]))
        self.url = found["url"]
        self.port = int(self.url.rsplit(":", 1)[1])
        return self.url

    def stop(self):
        if self.process is None:
            return
        terminate(self.process, SERVER_STOP_TIMEOUT_S)
        self.process = None


def run_server(storage, env):
    """Starts a server, yields its base URL, stops it afterwards."""
    server = ServerProcess(storage, env)
    yield server.start()
    server.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A dev-mode server shared by the tests (each test uses its own workspace)."""
    yield from run_server(tmp_path_factory.mktemp("huddle") / "h.sqlite", server_env())


JWT_SECRET = "browser-test-secret-0123456789"


@pytest.fixture(scope="module")
def jwt_server(tmp_path_factory):
    """A server in jwt mode; mint tokens for it with `mint_token`."""
    env = server_env(HUDDLE_AUTH_MODE="jwt", HUDDLE_AUTH_JWT_SECRET=JWT_SECRET)
    yield from run_server(tmp_path_factory.mktemp("huddle-jwt") / "h.sqlite", env)


@pytest.fixture
def own_server(tmp_path):
    """A server for one test that stops and restarts it."""
    server = ServerProcess(tmp_path / "h.sqlite", server_env())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cluster():
    """Three nodes behind nginx, started by `scripts/cluster` itself (with this build's huddle)."""
    running = Cluster(ROOT, server_env(HUDDLE_BIN=str(server_binary()))).start()
    yield running
    running.stop()


def mint_token(user, name):
    """What a tester runs: `huddle token --user U --name N`, with the server's secret."""
    env = server_env(HUDDLE_AUTH_MODE="jwt", HUDDLE_AUTH_JWT_SECRET=JWT_SECRET)
    result = subprocess.run([str(server_binary()), "token", "--user", user, "--name", name],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=30)
    return result.stdout.strip()


def make_driver(width, height, network_log=False):
    """`network_log` keeps Chromium's network events (`driver.get_log("performance")`)."""
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    # The TLS tests' certificates are made at test time and trusted by nothing else.
    options.set_capability("acceptInsecureCerts", True)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", **({"performance": "ALL"} if network_log else {})})
    service = Service(os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    # The window size includes browser chrome; pin the page's viewport itself.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return driver


@pytest.fixture
def open_tab(server, request):
    """`open_tab()` starts a new isolated browser; screenshots of all of them are saved if the test fails."""
    tabs = []

    def factory(width=VIEWPORT[0], height=VIEWPORT[1], base_url=None, network_log=False):
        tab = Tab(make_driver(width, height, network_log), base_url or server)
        tabs.append(tab)
        return tab

    yield factory
    failed = any(getattr(request.node, f"report_{phase}", None) is not None
                 and getattr(request.node, f"report_{phase}").failed for phase in ("setup", "call"))
    if failed:
        OUTPUT_DIR.mkdir(exist_ok=True)
        for index, tab in enumerate(tabs):
            if not tab.alive:
                continue
            stem = OUTPUT_DIR / f"{request.node.name}-tab{index + 1}"
            try:
                tab.driver.save_screenshot(str(stem.with_suffix(".png")))
                stem.with_suffix(".console.txt").write_text(
                    "\n".join(str(entry) for entry in tab.driver.get_log("browser")))
            except Exception as error:  # a crashed browser must not hide the test's own failure
                print(f"could not save {stem}: {error}")
    for tab in tabs:
        tab.close()


@pytest.fixture
def workspace():
    """A fresh workspace per test, so tests never see each other's data."""
    return f"t-{uuid.uuid4().hex[:10]}"


SDK_PAGE_DIR = Path(__file__).resolve().parent / "sdk_page"


class SDKPageHandler(SimpleHTTPRequestHandler):
    """Serves sdk_page/ quietly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(SDK_PAGE_DIR), **kwargs)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def sdk_page():
    """Base URL of a page that uses only the SDK (another origin than the Huddle server, as a team's app would be)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), SDKPageHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()


RECORDS_CONFIG = """
[plugins.contacts]
[plugins.notes]
[plugins.kanban]

[plugins.deals]
kind = "records"
fields.title    = { type = "string", required = true, max_length = 200 }
fields.amount   = { type = "number", min = 0 }
fields.currency = { type = "enum", values = ["EUR", "USD"], default = "EUR" }
fields.stage    = { type = "enum", values = ["lead", "qualified", "won", "lost"], required = true }
fields.owner    = { type = "user" }
fields.close_on = { type = "date" }
fields.tags     = { type = "tags" }
index = ["stage", "owner"]
"""


@pytest.fixture(scope="module")
def records_server(tmp_path_factory):
    """A server with a `deals` records domain (`kind = "records"`) beside the built-in plugins."""
    directory = tmp_path_factory.mktemp("huddle-records")
    config = directory / "huddle.toml"
    config.write_text(RECORDS_CONFIG)
    yield from run_server(directory / "h.sqlite", server_env(HUDDLE_CONFIG=str(config)))
