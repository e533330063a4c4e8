"""The client rides out a server restart: it reconnects on its own and catches up."""


def test_server_restart_reconnects_and_catches_up(open_tab, own_server, workspace):
    alice = open_tab(base_url=own_server.url).join(workspace, "Alice")
    bob = open_tab(base_url=own_server.url).join(workspace, "Bob")
    bob.wait_visible(bob.presence_item("alice"))

    own_server.stop()
    for tab in (alice, bob):
        tab.wait_for(lambda d, tab=tab: tab.find('[data-testid="connection-status"]').get_attribute("data-state") == "reconnecting",
                     "the status to say reconnecting")
    own_server.start()

    alice.wait_online()
    bob.wait_online()
    bob.wait_visible(bob.presence_item("alice"))
    contact_id = alice.create_contact("After Restart Inc")
    bob.wait_visible(f'[data-testid="contact-row"][data-contact-id="{contact_id}"]')
