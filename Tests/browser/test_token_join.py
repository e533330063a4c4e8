"""A server in jwt mode: the join screen asks for a token, and a minted one lets the user in."""
from urllib.parse import urlencode

from conftest import mint_token


def test_jwt_server_asks_for_a_token_and_accepts_a_minted_one(open_tab, jwt_server, workspace):
    tab = open_tab(base_url=jwt_server)
    tab.driver.get(f"{jwt_server}/?{urlencode({'ws': workspace, 'name': 'Alice'})}")

    token_field = tab.wait_visible('[data-testid="join-token"]')
    tab.wait_for(lambda d: "requires an access token" in tab.text_of('[data-testid="join-error"]'),
                 "the join screen to explain that a token is needed")
    token_field.send_keys(mint_token("alice", "Alice"))
    tab.find('[data-testid="join-submit"]').click()

    tab.wait_online()
    tab.wait_visible(tab.presence_item("alice"))
