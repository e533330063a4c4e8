"""The generic table for a records plugin (issue 15): built from welcome.plugins' field schema, live in two tabs.

Runs against a server configured with `[plugins.deals] kind = "records"`.
"""
from selenium.webdriver.support.ui import Select

PANEL = '[data-testid="records-panel"][data-plugin="deals"]'


def field(tab, name):
    return tab.find(f'{PANEL} [data-testid="records-input-{name}"]')


def field_error(tab, name):
    return tab.find(f'{PANEL} [data-testid="records-field-error"][data-field="{name}"]')


def row(record_id):
    return f'{PANEL} [data-testid="records-row"][data-record-id="{record_id}"]'


def test_records_form_follows_the_schema(open_tab, records_server, workspace):
    alice = open_tab(base_url=records_server).join(workspace, "Alice")
    alice.wait_visible(PANEL)

    alice.find(f'{PANEL} [data-testid="records-new"]').click()

    assert field(alice, "title").get_attribute("type") == "text"
    assert field(alice, "amount").get_attribute("type") == "number"
    assert field(alice, "close_on").get_attribute("type") == "date"
    assert field(alice, "owner").get_attribute("list") == "people-ids"
    assert Select(field(alice, "currency")).first_selected_option.get_attribute("value") == "EUR"
    assert [o.get_attribute("value") for o in Select(field(alice, "stage")).options] == ["", "lead", "qualified", "won", "lost"]


def test_records_errors_show_next_to_their_fields(open_tab, records_server, workspace):
    alice = open_tab(base_url=records_server).join(workspace, "Alice")
    alice.wait_visible(PANEL)
    alice.find(f'{PANEL} [data-testid="records-new"]').click()

    field(alice, "amount").send_keys("-5")
    alice.find(f'{PANEL} [data-testid="records-save"]').click()

    alice.wait_for(lambda d: field_error(alice, "title").is_displayed(), "the error next to the title")
    assert "required" in field_error(alice, "title").text
    assert "required" in field_error(alice, "stage").text
    assert "out of range" in field_error(alice, "amount").text
    assert not field_error(alice, "currency").is_displayed()
    assert "invalid" in field(alice, "title").get_attribute("class")


def test_records_created_edited_and_deleted_live_in_the_other_tab(open_tab, records_server, workspace):
    alice = open_tab(base_url=records_server).join(workspace, "Alice")
    bob = open_tab(base_url=records_server).join(workspace, "Bob")
    bob.wait_visible(PANEL)

    alice.find(f'{PANEL} [data-testid="records-new"]').click()
    field(alice, "title").send_keys("Big deal")
    field(alice, "amount").send_keys("1200")
    Select(field(alice, "stage")).select_by_value("qualified")
    field(alice, "tags").send_keys("renewal, q3")
    alice.find(f'{PANEL} [data-testid="records-save"]').click()

    shown = bob.wait_visible(f'{PANEL} [data-testid="records-row"]')
    record_id = shown.get_attribute("data-record-id")
    assert "Big deal" in shown.text and "qualified" in shown.text
    bob.wait_for(lambda d: any("Alice added “Big deal” to Deals" in e.text for e in bob.find_all('[data-testid="activity-item"]')),
                 "the activity line naming Alice")

    bob.find(row(record_id)).click()
    amount = field(bob, "amount")
    amount.clear()
    amount.send_keys("1500")
    bob.find(f'{PANEL} [data-testid="records-save"]').click()
    alice.wait_for(lambda d: alice.find(row(record_id)).get_attribute("data-version") == "2", "Alice to see version 2")
    assert "1,500" in alice.find(f'{row(record_id)} td[data-field="amount"]').text

    alice.find(row(record_id)).click()
    alice.find(f'{PANEL} [data-testid="records-delete"]').click()
    bob.wait_gone(row(record_id))
