"""Two users in two isolated browsers see each other's presence, typing, cursors and changes live."""
import json
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import GRACE_MS

# A leave must arrive well after the grace period, but not take forever.
LEAVE_TIMEOUT_S = GRACE_MS / 1000 + 10
FRACTION_TOLERANCE = 0.02


def server_presence(server, workspace):
    with urllib.request.urlopen(f"{server}/api/workspaces/{workspace}/presence") as response:
        return json.load(response)


def sessions_of(server, workspace, user):
    for entry in server_presence(server, workspace)["users"]:
        if entry["user"] == user:
            return len(entry["sessions"])
    return 0


def drag(tab, source, target):
    """A real pointer drag: press, move past the threshold, move over the target, release."""
    ActionChains(tab.driver).click_and_hold(source).move_by_offset(12, 12).move_to_element(target).pause(0.1).release().perform()


# MARK: presence


def test_two_users_see_each_other_join(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")

    alice.wait_visible(alice.presence_item("bob"))
    bob.wait_visible(bob.presence_item("alice"))
    assert "you" in bob.find(bob.presence_item("bob")).text
    assert "you" not in bob.find(bob.presence_item("alice")).text


def test_status_and_focus_show_in_other_tab(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    contact_id = alice.create_contact("Acme Ltd")

    bob.wait_for(lambda d: "viewing Contact: Acme Ltd" in bob.text_of(f'{bob.presence_item("alice")} [data-testid="presence-focus"]'),
                 "Bob to see Alice viewing the contact")
    Select(alice.find('[data-testid="status-select"]')).select_by_value("busy")
    bob.wait_for(lambda d: bob.find(bob.presence_item("alice")).get_attribute("data-status") == "busy",
                 "Bob to see Alice busy")
    assert contact_id


def test_second_tab_of_a_user_shows_session_count(open_tab, workspace):
    open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    open_tab().join(workspace, "Alice")

    bob.wait_for(lambda d: bob.text_of(f'{bob.presence_item("alice")} [data-testid="session-count"]') == "2 tabs",
                 "Bob to see Alice with 2 tabs")
    assert len(bob.find_all(bob.presence_item("alice"))) == 1


def test_reload_never_shows_user_offline(open_tab, workspace, server):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    bob.wait_visible(bob.presence_item("alice"))
    bob.js("""
        window.aliceRemovals = [];
        new MutationObserver((mutations) => {
          for (const m of mutations) for (const node of m.removedNodes)
            if (node.nodeType === 1 && (node.dataset.user === 'alice' || node.querySelector?.('[data-user="alice"]')))
              window.aliceRemovals.push(m.target.className);
        }).observe(document.querySelector('[data-testid="presence-list"]'), {childList: true, subtree: true});
    """)

    alice.driver.refresh()
    alice.wait_online()
    # Once the server holds exactly one session for Alice, any session left in grace is gone:
    # if a leave was ever going to reach Bob, it has been sent.
    alice.wait_for(lambda d: sessions_of(server, workspace, "alice") == 1, "the server to hold one session for Alice",
                   timeout=LEAVE_TIMEOUT_S)
    bob.wait_visible(bob.presence_item("alice"))
    assert bob.js("return window.aliceRemovals") == []


def test_reload_resumes_the_same_session(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    first = alice.js("return JSON.parse(sessionStorage.getItem(arguments[0])).session", f"huddle.resume:{workspace}")

    alice.driver.refresh()
    alice.wait_online()
    welcome = alice.wait_for(lambda d: alice.js(
        "const e = [...document.querySelectorAll('[data-testid=log-entry][data-type=welcome]')].pop();"
        "return e && e.querySelector('.log-body').textContent"), "the welcome after the reload")
    assert f'"session":"{first}"' in welcome
    assert '"resumed":true' in welcome


def test_closing_tab_shows_leave_after_grace(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    bob.wait_visible(bob.presence_item("alice"))

    alice.close()

    bob.wait_gone(bob.presence_item("alice"), timeout=LEAVE_TIMEOUT_S)
    bob.wait_for(lambda d: any("Alice left" in e.text for e in bob.find_all('[data-testid="activity-item"]')),
                 "the activity line saying Alice left")


def test_leave_button_leaves_at_once(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    bob.wait_visible(bob.presence_item("alice"))

    alice.find('[data-testid="leave"]').click()

    alice.wait_visible('[data-testid="join-screen"]')
    bob.wait_gone(bob.presence_item("alice"))
    leave = bob.wait_for(lambda d: bob.js(
        "const e = [...document.querySelectorAll('[data-testid=log-entry][data-type=\"presence.leave\"]')].pop();"
        "return e && e.querySelector('.log-body').textContent"), "the presence.leave in Bob's log")
    assert '"reason":"left"' in leave


def test_reconnect_replays_what_was_missed(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    bob.wait_visible(bob.presence_item("alice"))
    # Drop Alice's socket and hold her reconnect until Bob has changed something.
    alice.js("huddle.client.disconnect();")
    alice.wait_for(lambda d: alice.find('[data-testid="connection-status"]').get_attribute("data-state") == "offline",
                   "Alice to be offline")

    contact_id = bob.create_contact("Missed Co")
    alice.js("huddle.client.connect();")

    alice.wait_online()
    alice.wait_visible(f'[data-testid="contact-row"][data-contact-id="{contact_id}"]')
    synced = alice.wait_for(lambda d: alice.js(
        "const e = [...document.querySelectorAll('[data-testid=log-entry][data-type=synced]')].pop();"
        "return e && e.querySelector('.log-body').textContent"), "the synced after the replay")
    assert '"seq"' in synced


# MARK: typing and cursors


def test_typing_shows_in_other_tab_and_clears_after_expiry(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    contact_id = alice.create_contact("Acme Ltd")
    bob.open_contact(contact_id)
    line = f'[data-testid="typing-line"][data-target="contact:{contact_id}/notes"]'

    alice.find('[data-testid="note-input"]').send_keys("Met them at the fair")

    bob.wait_for(lambda d: bob.text_of(line) == "Alice is typing…", "Bob to see Alice typing")
    # No more keystrokes: the server's typing TTL runs out and the line empties.
    bob.wait_for(lambda d: bob.text_of(line) == "", "the typing line to clear after expiry")


def test_typing_sentence_names_up_to_two_people(open_tab, server):
    tab = open_tab()
    tab.driver.get(server + "/")
    sentences = tab.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/typing.js').then((m) => done([
          m.typingSentence(['Alice']), m.typingSentence(['Alice', 'Bob']), m.typingSentence(['Alice', 'Bob', 'Carol'])]));
    """)
    assert sentences == ["Alice is typing…", "Alice and Bob are typing…", "3 people are typing…"]


def test_cursor_move_appears_in_other_tab(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    bob.wait_visible(bob.presence_item("alice"))
    area = alice.find('[data-testid="workspace"]')
    rect = alice.js("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", area)
    offset = (rect[0] * 0.2, rect[1] * 0.1)

    ActionChains(alice.driver).move_to_element_with_offset(area, *offset).perform()

    cursor = bob.wait_visible('[data-testid="cursor"][data-user="alice"]')
    expected = (0.5 + offset[0] / rect[0], 0.5 + offset[1] / rect[1])
    shown = bob.js("return [parseFloat(arguments[0].style.left) / 100, parseFloat(arguments[0].style.top) / 100]", cursor)
    assert abs(shown[0] - expected[0]) < FRACTION_TOLERANCE
    assert abs(shown[1] - expected[1]) < FRACTION_TOLERANCE
    assert "Alice" in cursor.text


# MARK: records


def test_contact_created_in_one_tab_appears_in_other(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")

    contact_id = alice.create_contact("Acme Ltd", email="hello@acme.example", company="Acme")

    row = bob.wait_visible(f'[data-testid="contact-row"][data-contact-id="{contact_id}"]')
    assert "Acme Ltd" in row.text
    bob.wait_for(lambda d: any("Alice added contact “Acme Ltd”" in e.text for e in bob.find_all('[data-testid="activity-item"]')),
                 "the activity line naming Alice")


def test_conflicting_edit_offers_the_other_version(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    contact_id = alice.create_contact("Acme Ltd", company="Acme")
    bob.open_contact(contact_id)
    alice.find('[data-testid="detail-name"]').send_keys(" Group")

    company = bob.find('[data-testid="detail-company"]')
    company.clear()
    company.send_keys("Acme Holdings")
    bob.find('[data-testid="detail-save"]').click()
    alice.wait_for(lambda d: "while you were editing" in alice.text_of('[data-testid="detail-notice"]'),
                   "Alice to be told Bob changed the contact")
    alice.find('[data-testid="detail-save"]').click()

    banner = alice.wait_visible('[data-testid="conflict-banner"]')
    assert "Bob changed this contact first" in banner.text
    alice.find('[data-testid="conflict-use-theirs"]').click()
    assert alice.find('[data-testid="detail-company"]').get_attribute("value") == "Acme Holdings"


def test_kanban_drag_moves_card_in_other_tab(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    task_id = alice.create_task("Call Bob", "Backlog")
    bob.wait_visible(bob.card(task_id))

    drag(alice, alice.find(alice.card(task_id)),
         alice.find('[data-testid="column"][data-column="Done"] [data-testid="card-list"]'))

    bob.wait_for(lambda d: bob.column_of(task_id) == "Done", "Bob to see the card in Done")
    assert alice.column_of(task_id) == "Done"
    bob.wait_for(lambda d: any("Alice moved “Call Bob” to Done" in e.text for e in bob.find_all('[data-testid="activity-item"]')),
                 "the activity line naming the move")


def test_kanban_drag_reorders_within_a_column(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    first = alice.create_task("First", "Backlog")
    second = alice.create_task("Second", "Backlog")
    bob.wait_for(lambda d: bob.cards_in("Backlog") == [first, second], "Bob to see both tasks in order")

    drag(alice, alice.find(alice.card(second)), alice.find(alice.card(first)))

    bob.wait_for(lambda d: bob.cards_in("Backlog") == [second, first], "Bob to see the new order")


def test_keyboard_moves_a_card(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    bob = open_tab().join(workspace, "Bob")
    task_id = alice.create_task("Write tests", "Backlog")

    alice.find(alice.card(task_id)).send_keys(Keys.ALT, Keys.ARROW_RIGHT)

    bob.wait_for(lambda d: bob.column_of(task_id) == "In Progress", "Bob to see the card in In Progress")


def test_move_over_wip_limit_is_refused_and_explained(open_tab, workspace):
    alice = open_tab().join(workspace, "Alice")
    alice.create_task("Already in review", "Review")
    task_id = alice.create_task("Wants review", "Backlog")
    alice.wait_for(lambda d: alice.text_of('[data-testid="column"][data-column="Review"] [data-testid="column-wip"]') == "1 / 1",
                   "the Review header to show its WIP limit reached")

    drag(alice, alice.find(alice.card(task_id)),
         alice.find('[data-testid="column"][data-column="Review"] [data-testid="card-list"]'))

    toast = alice.wait_for(lambda d: next((t.text for t in alice.find_all('[data-testid="toast"]') if "WIP limit" in t.text), None),
                           "a toast explaining the WIP limit")
    assert "Review" in toast
    alice.wait_for(lambda d: alice.column_of(task_id) == "Backlog", "the card to return to Backlog")


def test_narrow_layout_has_no_horizontal_scroll(open_tab, workspace):
    phone = open_tab(390, 800).join(workspace, "Alice")
    phone.create_task("Fits on a phone", "Backlog")

    width = phone.js("return document.documentElement.scrollWidth")
    assert width <= 390
    assert phone.find('[data-testid="contacts-panel"]').is_displayed()

