"""Two tabs through nginx on two different nodes of `scripts/cluster` see each other as on one node."""
import json
import urllib.request

import pytest

UPSTREAM_HEADER = "x-huddle-upstream"
# Fresh browsers until one lands on another node than the first tab.
MAX_ATTEMPTS = 8



def websocket_upstream(tab):
    """The node port nginx named on the tab's latest WebSocket handshake (X-Huddle-Upstream), or None."""
    for entry in tab.driver.get_log("performance"):
        event = json.loads(entry["message"])["message"]
        if event["method"] != "Network.webSocketHandshakeResponseReceived":
            continue
        headers = {name.lower(): value for name, value in event["params"]["response"]["headers"].items()}
        if UPSTREAM_HEADER in headers:
            # After a refused node nginx lists every one it tried; the last answered.
            tab.upstream = int(headers[UPSTREAM_HEADER].split(",")[-1].rsplit(":", 1)[1])
    return getattr(tab, "upstream", None)


def join_on_a_node(open_tab, cluster, workspace, name, avoid=None):
    """Opens `name`'s tab through nginx; retries in a fresh browser while it lands on node `avoid`."""
    for _ in range(MAX_ATTEMPTS):
        tab = open_tab(base_url=cluster.url, network_log=True).join(workspace, name)
        node = tab.wait_for(lambda d: websocket_upstream(tab), f"{name}'s WebSocket handshake to name its node")
        assert node in cluster.node_ids, f"nginx named {node}, not one of {cluster.node_ids}"
        if node != avoid:
            return tab, node
        tab.close()
        # Round robin: one request moves the next tab's requests on by one node.
        urllib.request.urlopen(f"{cluster.url}/healthz").close()
    pytest.fail(f"{MAX_ATTEMPTS} tabs in a row landed on {cluster.node_ids[avoid]}: is nginx sticky?")


def test_tabs_on_two_nodes_see_presence_typing_and_writes(open_tab, cluster, workspace):
    alice, alice_node = join_on_a_node(open_tab, cluster, workspace, "Alice")
    bob, bob_node = join_on_a_node(open_tab, cluster, workspace, "Bob", avoid=alice_node)
    assert alice_node != bob_node

    # Presence, both ways.
    alice.wait_visible(alice.presence_item("bob"))
    bob.wait_visible(bob.presence_item("alice"))

    # A durable write on Alice's node reaches Bob's.
    contact_id = alice.create_contact("Acme Ltd", company="Acme")
    row = bob.wait_visible(f'[data-testid="contact-row"][data-contact-id="{contact_id}"]')
    assert "Acme Ltd" in row.text

    # Typing on Alice's node shows on Bob's.
    bob.open_contact(contact_id)
    alice.find('[data-testid="note-input"]').send_keys("Call them back")
    line = f'[data-testid="typing-line"][data-target="contact:{contact_id}/notes"]'
    bob.wait_for(lambda d: bob.text_of(line) == "Alice is typing…", "Bob to see Alice typing across nodes")
