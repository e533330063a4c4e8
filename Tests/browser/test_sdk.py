"""huddle.js on a minimal page that uses only the SDK (sdk_page/), against the real server.

The page records every frame it receives and sends (`window.wire`) and every
lifecycle event (`window.events`); the tests drive the SDK's public API and
check what reached the other side.
"""
import json
import urllib.request
from urllib.parse import urlencode

from selenium.webdriver.common.action_chains import ActionChains

from conftest import ROOT, mint_token

CLIENT_COPY = ROOT / "clients/js/huddle.js"
SERVED_SOURCE = ROOT / "Sources/HuddleServer/Client/huddle.js"


class SDKPage:
    """One browser on sdk_page/, with the SDK's client as `window.client`."""

    def __init__(self, tab, page_url, server, workspace, **params):
        self.tab = tab
        query = {"server": server, "ws": workspace, **{k: str(v) for k, v in params.items()}}
        tab.driver.get(f"{page_url}?{urlencode(query)}")

    def wait_state(self, state):
        self.tab.wait_for(lambda d: self.tab.js("return document.body.dataset.state") == state, f"the SDK state {state}")
        return self

    def js(self, script, *args):
        return self.tab.js(script, *args)

    def settle(self, expression):
        """Evaluates a promise-valued expression: {"ok": value} or {"error": reason}."""
        return self.tab.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({expression})).then((ok) => done({{ok}}), (error) => done({{error}}));")

    def received(self, message_type):
        return self.js("return window.wire.filter(([d, m]) => d === 'in' && m.type === arguments[0]).map(([, m]) => m)", message_type)

    def sent(self, message_type):
        return self.js("return window.wire.filter(([d, m]) => d === 'out' && m.type === arguments[0]).map(([, m]) => m)", message_type)

    def wait_received(self, message_type, matching=lambda m: True, what=None):
        return self.tab.wait_for(lambda d: next((m for m in self.received(message_type) if matching(m)), None),
                                 what or f"a {message_type} message")

    def wire_types(self):
        return self.js("return window.wire.map(([d, m]) => `${d}:${m.type}`)")


def open_page(open_tab, sdk_page, server, workspace, user, **params):
    page = SDKPage(open_tab(), sdk_page, server, workspace, user=user, name=user.capitalize(), **params)
    return page.wait_state("online")


def idle_page(open_tab, sdk_page, server, workspace, **params):
    """A page whose client is made but not connected, or a place of the page's origin to script the SDK in."""
    page = SDKPage(open_tab(), sdk_page, server, workspace, user="alice", connect="no", **params)
    page.tab.wait_for(lambda d: page.js("return Boolean(window.client)"), "the page to create its client")
    return page


# MARK: the SDK file


def test_served_sdk_is_the_published_copy(server):
    with urllib.request.urlopen(f"{server}/huddle.js") as response:
        served = response.read()
        content_type = response.headers["Content-Type"]
    assert content_type.startswith("text/javascript")
    assert served == SERVED_SOURCE.read_bytes()
    assert CLIENT_COPY.read_bytes() == SERVED_SOURCE.read_bytes(), \
        "clients/js/huddle.js drifted from Sources/HuddleServer/Client/huddle.js: copy the served file over it"


# MARK: connect and presence


def test_sdk_connects_and_follows_presence(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice", pingIntervalMs=200)
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")

    alice.tab.wait_visible('[data-testid="sdk-person"][data-user="bob"]')
    assert alice.received("presence.join")[0]["user"] == "bob"
    assert sorted(u["id"] for u in bob.js("return client.presence.list().map((u) => ({id: u.id}))")) == ["alice", "bob"]
    # Heartbeats: the SDK's own pings are answered and timed.
    alice.tab.wait_for(lambda d: alice.js("return window.events.some(([t]) => t === 'rtt')"), "a measured round trip")

    alice.js("client.presence.set({status: 'busy', focus: 'doc:1'})")

    bob.tab.wait_visible('[data-testid="sdk-person"][data-user="alice"][data-status="busy"]')
    update = bob.wait_received("presence.update")
    assert (update["status"], update["focus"]) == ("busy", "doc:1")


def test_sdk_leave_removes_the_user_at_once(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")
    bob.tab.wait_visible('[data-testid="sdk-person"][data-user="alice"]')

    alice.js("client.leave()")

    leave = bob.wait_received("presence.leave")
    assert leave["reason"] == "left"
    bob.tab.wait_gone('[data-testid="sdk-person"][data-user="alice"]')
    assert alice.settle("client.request('contacts.list', {})")["error"]["code"] == "closed"


def test_sdk_resumes_its_session_after_a_drop(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    first = alice.received("welcome")[0]

    alice.js("client.disconnect()")
    alice.wait_state("offline")
    alice.js("client.connect()")
    alice.wait_state("online")

    second = alice.received("welcome")[1]
    assert second["session"] == first["session"]
    assert second["resumed"] is True


# MARK: typing and cursors


def test_sdk_typing_starts_and_stops(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")

    alice.js("client.typing('doc:1/body', true)")
    bob.tab.wait_for(lambda d: bob.tab.text_of('[data-testid="sdk-typing"]') == "Alice is typing in doc:1/body",
                     "Bob to see Alice typing")
    alice.js("client.typing('doc:1/body', false)")

    stop = bob.wait_received("typing", lambda m: not m["active"])
    assert stop["reason"] == "stopped"


def test_sdk_typing_stops_by_itself_when_idle(open_tab, sdk_page, server, workspace):
    # Idle well before the server's TTL (1500 ms in these tests): the stop must be the SDK's, not an expiry.
    alice = open_page(open_tab, sdk_page, server, workspace, "alice", typingIdleMs=200)
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")

    alice.js("client.typing('doc:1/body', true)")

    stop = bob.wait_received("typing", lambda m: not m["active"])
    assert stop["reason"] == "stopped"
    assert alice.js("return client.typingTargets") == []


def test_sdk_typing_refreshes_while_the_user_types(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")

    # Keystrokes every 100 ms for twice the server's typing TTL.
    alice.settle("new Promise((resolve) => { let n = 0; const t = setInterval(() => {"
                 " client.typing('doc:1/body', true); if (++n === 30) { clearInterval(t); resolve(); } }, 100); })")
    alice.js("client.typing('doc:1/body', false)")

    stop = bob.wait_received("typing", lambda m: not m["active"])
    assert stop["reason"] == "stopped", "the server expired the typing although the SDK should have refreshed it"
    assert len(alice.sent("typing")) > 2


def test_sdk_cursor_burst_sends_first_and_last(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")

    # One task, no timer can run in between: the throttle keeps only the first and the latest.
    alice.js("for (let i = 0; i <= 50; i++) client.cursor(i / 50, 0.5, 'pad');")

    bob.wait_received("cursor", lambda m: m["data"]["x"] == 1, "the last position of the burst")
    assert [m["data"]["x"] for m in alice.sent("cursor")] == [0, 1]
    assert [m["data"] for m in bob.received("cursor")] == [{"x": 0, "y": 0.5, "target": "pad"}, {"x": 1, "y": 0.5, "target": "pad"}]


def test_sdk_pointer_moves_show_as_a_cursor(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")
    bob.tab.wait_visible('[data-testid="sdk-person"][data-user="alice"]')

    ActionChains(alice.tab.driver).move_to_element(alice.tab.find('[data-testid="sdk-pad"]')).perform()

    dot = bob.tab.wait_visible('[data-testid="sdk-cursor"][data-user="alice"]')
    shown = bob.js("return [parseFloat(arguments[0].style.left), parseFloat(arguments[0].style.top)]", dot)
    assert abs(shown[0] - 50) < 1 and abs(shown[1] - 50) < 1


# MARK: requests and events


def test_sdk_request_resolves_with_the_ack(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")
    bob.js("window.created = []; client.on('contacts.created', (event) => window.created.push(event));")

    ack = alice.settle("client.request('contacts.create', {name: 'Acme Ltd'})")["ok"]

    assert ack["type"] == "ack"
    assert ack["result"]["contact"]["name"] == "Acme Ltd"
    event = bob.tab.wait_for(lambda d: bob.js("return window.created[0]"), "the durable event in Bob's handler")
    assert event["seq"] == ack["seq"]
    assert event["by"]["user"] == "alice"


def test_sdk_request_rejects_with_the_error_object(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")

    error = alice.settle("client.request('contacts.create', {email: 'not-an-address'})")["error"]

    assert error["type"] == "error"
    assert error["code"] == "validation_failed"
    assert {(d["field"], d["problem"]) for d in error["details"]} == {("name", "required"), ("email", "invalid_format")}


def test_sdk_queue_is_bounded(open_tab, sdk_page, server, workspace):
    page = idle_page(open_tab, sdk_page, server, workspace, maxQueue=2)

    page.js("client.request('contacts.list', {}); client.request('contacts.list', {});")
    error = page.settle("client.request('contacts.list', {})")["error"]

    assert error["code"] == "queue_full"


def test_sdk_token_provider_is_asked_on_every_connect(open_tab, sdk_page, jwt_server, workspace):
    page = SDKPage(open_tab(), sdk_page, jwt_server, workspace, token=mint_token("alice", "Alice")).wait_state("online")
    assert page.received("welcome")[0]["user"]["id"] == "alice"

    page.js("client.disconnect(); client.connect();")
    page.wait_state("online")

    assert page.js("return window.tokenCalls") == 2


def post(server, path, body):
    """What a CRM's backend does (dev mode: the server API is open without a key)."""
    request = urllib.request.Request(f"{server}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_sdk_app_events_from_the_backend_reach_their_handler(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    alice.js("window.appEvents = []; client.on('app.deal_closed', (event) => window.appEvents.push(event));")

    post(server, f"/api/workspaces/{workspace}/publish", {"type": "app.deal_closed", "data": {"deal": 7}})
    post(server, f"/api/workspaces/{workspace}/publish", {"type": "app.deal_closed", "data": {"deal": 8}, "durable": True})

    events = alice.tab.wait_for(lambda d: (lambda e: len(e) == 2 and e)(alice.js("return window.appEvents")), "both app events")
    assert [(e["data"]["deal"], e["by"]["user"]) for e in events] == [(7, "server"), (8, "server")]
    assert "seq" not in events[0] and events[1]["seq"] == alice.js("return client.seq")


def test_sdk_removed_user_stops_for_good(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")

    post(server, f"/api/workspaces/{workspace}/disconnect", {"user": "alice"})

    alice.wait_state("offline")
    assert [d for t, d in alice.js("return window.events") if t == "fatal"] == [{"status": None, "code": "removed"}]
    assert bob.wait_received("presence.leave")["reason"] == "kicked"
    assert alice.js("return client.session") is None


# MARK: offline, restart, replay


def test_sdk_queues_offline_requests_and_replays_after_a_restart(open_tab, sdk_page, own_server, workspace):
    alice = open_page(open_tab, sdk_page, own_server.url, workspace, "alice")
    bob = open_page(open_tab, sdk_page, own_server.url, workspace, "bob")
    bob.settle("client.request('contacts.create', {name: 'Before'})")
    alice.wait_received("contacts.created")

    own_server.stop()
    alice.wait_state("reconnecting")
    alice.js("window.queued = client.request('contacts.create', {name: 'Written offline'})"
             ".then((ok) => window.queuedResult = {ok}, (error) => window.queuedResult = {error});")
    own_server.start()

    result = alice.tab.wait_for(lambda d: alice.js("return window.queuedResult"), "the queued request to be answered")
    assert result["ok"]["result"]["contact"]["name"] == "Written offline"
    types = alice.wire_types()
    assert types.index("in:synced") < types.index("out:contacts.create"), "the queued request went out before synced"
    bob.wait_received("contacts.created", lambda m: m["data"]["contact"]["name"] == "Written offline")


def test_sdk_replays_what_it_missed_while_disconnected(open_tab, sdk_page, server, workspace):
    alice = open_page(open_tab, sdk_page, server, workspace, "alice")
    bob = open_page(open_tab, sdk_page, server, workspace, "bob")
    alice.js("client.disconnect()")
    alice.wait_state("offline")

    missed = bob.settle("client.request('contacts.create', {name: 'Missed Co'})")["ok"]
    alice.js("client.connect()")

    event = alice.wait_received("contacts.created", lambda m: m["seq"] == missed["seq"], "the missed event replayed")
    assert event["data"]["contact"]["name"] == "Missed Co"
    synced = alice.wait_received("synced")
    assert synced["seq"] >= missed["seq"]
    # A replay fills the gap: no snapshot reload is asked for after the first one.
    assert [t for t, _ in alice.js("return window.events")].count("reload") == 1


def scripted(page, server, script, **options):
    """Runs a client on ScriptedSocket (sdk_page/scripted.js); `script` plays the server and calls done(result)."""
    return page.tab.driver.execute_async_script("""
        const [server, options, done] = arguments;
        Promise.all([import(server + '/huddle.js'), import('./scripted.js')]).then(([{ HuddleClient }, { ScriptedSocket, welcome }]) => {
          const client = new HuddleClient({url: server, workspace: 'w', user: 'alice', WebSocket: ScriptedSocket, ...options});
          """ + script + """
          client.connect();
        });
    """, server, options)


def test_sdk_asks_for_no_replay_while_the_epoch_is_unknown(open_tab, sdk_page, server, workspace):
    """A welcome with `epoch: null` (storage unreachable) means no history is known: reconnect without since/epoch."""
    page = idle_page(open_tab, sdk_page, server, workspace)
    urls = scripted(page, server, """
        ScriptedSocket.onCreate = (socket) => {
          if (ScriptedSocket.created.length === 2) return done(ScriptedSocket.created.map((s) => s.url));
          socket.open();
          socket.receive(welcome({seq: 7, epoch: null}));
          socket.receive({type: 'x.done', seq: 8, by: {}});
          socket.drop();
        };
    """, backoffBaseMs=1)

    assert "session=s_1" in urls[1]
    assert "since" not in urls[1] and "epoch" not in urls[1]


def test_sdk_reconnects_when_pings_go_unanswered(open_tab, sdk_page, server, workspace):
    """A link that stays open but answers nothing: the script finishes only when the client opens a second socket."""
    page = idle_page(open_tab, sdk_page, server, workspace)
    pings = scripted(page, server, """
        ScriptedSocket.onCreate = (socket) => {
          if (ScriptedSocket.created.length === 2) return done(ScriptedSocket.created[0].sent.filter((m) => m.type === 'ping'));
          socket.open();
          socket.receive(welcome());  // and then silence: no pong, no close
        };
    """, pingIntervalMs=20, pongTimeoutMs=50, backoffBaseMs=1)

    assert len(pings) >= 1


def test_sdk_backoff_doubles_with_jitter_up_to_the_cap(open_tab, sdk_page, server, workspace):
    page = idle_page(open_tab, sdk_page, server, workspace)
    # A link that never opens: every attempt fails, and the handshake check over HTTP finds nothing fatal.
    delays = scripted(page, server, """
        ScriptedSocket.onCreate = (socket) => socket.drop();
        const delays = [];
        client.on('state', ({ delayMs }) => {
          if (delayMs === undefined) return;
          delays.push(delayMs);
          if (delays.length === 8) { client.disconnect(); done(delays); }
        });
    """, backoffBaseMs=10, backoffCapMs=40)

    ceilings = [10, 20, 40, 40, 40, 40, 40, 40]
    assert all(ceiling / 2 <= delay <= ceiling for delay, ceiling in zip(delays, ceilings)), delays
    assert len(set(delays[2:])) > 1, "delays at the cap are all the same: no jitter"
