"""Makes screenshot-two-tabs.png: two users side by side in a lively workspace.

It goes to test-output/; with HUDDLE_UPDATE_SCREENSHOT=1 it replaces the
README's docs/screenshot-two-tabs.png, so an ordinary run leaves the tree clean.
"""
import json
import os
from pathlib import Path

import pytest
import websocket
from selenium.webdriver.common.action_chains import ActionChains

from conftest import ROOT, VIEWPORT

DOCS = ROOT / ("docs" if os.environ.get("HUDDLE_UPDATE_SCREENSHOT") == "1" else "test-output")
DIVIDER_PX = 8

CONTACTS = [
    {"name": "Acme Ltd", "email": "hello@acme.example", "company": "Acme", "tags": ["customer"]},
    {"name": "Bob Stone", "email": "bob@stone.example", "phone": "+44 20 7946 0000", "company": "Stone & Co"},
    {"name": "Dana Lee", "email": "dana@lee-logistics.example", "company": "Lee Logistics"},
    {"name": "Northwind Traders", "company": "Northwind", "tags": ["prospect"]},
]
TASKS = [
    ("Call Bob about the renewal", "Backlog"),
    ("Draft Q3 proposal", "Backlog"),
    ("Fix invoice template", "In Progress"),
    ("Onboard Dana's team", "In Progress"),
    ("Review pricing page", "Review"),
    ("Ship v1.2", "Done"),
]


class ScriptedUser:
    """A third participant speaking the protocol directly, to fill the workspace."""

    def __init__(self, server, workspace, user, name):
        url = server.replace("http://", "ws://") + f"/ws/{workspace}?user={user}&name={name.replace(' ', '%20')}"
        self.socket = websocket.create_connection(url, subprotocols=["huddle.v1"], timeout=10)
        self.welcome = json.loads(self.socket.recv())
        self.next_id = 0

    def send(self, message_type, data):
        self.socket.send(json.dumps({"type": message_type, "data": data}))

    def request(self, message_type, data=None):
        self.next_id += 1
        envelope = {"type": message_type, "id": self.next_id}
        if data is not None:
            envelope["data"] = data
        self.socket.send(json.dumps(envelope))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                assert message["type"] == "ack", message
                return message["result"]

    def close(self):
        self.socket.close()


@pytest.mark.screenshot
def test_two_tabs_screenshot(open_tab, workspace, server):
    carol = ScriptedUser(server, workspace, "carol", "Carol Diaz")
    try:
        contact_ids = [carol.request("contacts.create", c)["contact"]["id"] for c in CONTACTS]
        task_ids = [carol.request("kanban.create", {"title": t, "column": c})["task"]["id"] for t, c in TASKS]
        carol.request("notes.add", {"subject": f"contact:{contact_ids[0]}", "body": "Renewal is due in March; they want a volume discount."})

        alice = open_tab().join(workspace, "Alice Martin", user="alice")
        bob = open_tab().join(workspace, "Bob Okafor", user="bob")
        alice.open_contact(contact_ids[0])
        bob.open_contact(contact_ids[0])
        carol.send("presence.set", {"focus": f"task:{task_ids[2]}"})
        carol.request("kanban.move", {"id": task_ids[4], "column": "Done", "position": 0})

        bob.find('[data-testid="note-input"]').send_keys("Call scheduled for Thursday")
        carol.send("typing", {"target": f"contact:{contact_ids[0]}/notes", "active": True})
        ActionChains(alice.driver).move_to_element_with_offset(alice.find(alice.card(task_ids[1])), 30, 6).perform()
        ActionChains(bob.driver).move_to_element_with_offset(bob.find(bob.card(task_ids[3])), -20, 10).perform()

        line = f'[data-testid="typing-line"][data-target="contact:{contact_ids[0]}/notes"]'
        alice.wait_for(lambda d: alice.text_of(line) == "Bob Okafor and Carol Diaz are typing…", "both typists in Alice's window")
        alice.wait_visible('[data-testid="cursor"][data-user="bob"]')
        bob.wait_visible('[data-testid="cursor"][data-user="alice"]')

        DOCS.mkdir(exist_ok=True)
        shots = [DOCS / "screenshot-tab-alice.png", DOCS / "screenshot-tab-bob.png"]
        alice.driver.save_screenshot(str(shots[0]))
        bob.driver.save_screenshot(str(shots[1]))
    finally:
        carol.close()
    stitch(shots, DOCS / "screenshot-two-tabs.png")


def stitch(shots, target: Path):
    """Side by side with a thin divider; without Pillow the two halves stay as they are."""
    try:
        from PIL import Image
    except ImportError:
        pytest.skip("Pillow is not installed: kept the two screenshots unstitched")
    images = [Image.open(path) for path in shots]
    width, height = VIEWPORT
    canvas = Image.new("RGB", (width * 2 + DIVIDER_PX, height), (40, 42, 54))
    canvas.paste(images[0].crop((0, 0, width, height)), (0, 0))
    canvas.paste(images[1].crop((0, 0, width, height)), (width + DIVIDER_PX, 0))
    canvas.save(target, optimize=True)
    for path in shots:
        path.unlink()
