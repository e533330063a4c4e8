"""One browser window on the Huddle client, with waits phrased as what a user sees."""
from urllib.parse import urlencode

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DEFAULT_WAIT_S = 10


def css(selector):
    return (By.CSS_SELECTOR, selector)


class Tab:
    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.alive = True

    # MARK: navigation

    def join(self, workspace, name, **extra):
        """Opens `/?ws=..&name=..` (a direct join) and waits until the session is live."""
        self.driver.get(f"{self.base_url}/?{urlencode({'ws': workspace, 'name': name, **extra})}")
        self.wait_online()
        return self

    def wait_online(self):
        self.wait_for(lambda d: d.find_element(*css('[data-testid="connection-status"]')).get_attribute("data-state") == "online",
                      "the connection status to become online")

    def close(self):
        if self.alive:
            self.alive = False
            try:
                self.driver.quit()
            except WebDriverException:
                pass

    # MARK: waiting and finding

    def wait_for(self, condition, what, timeout=DEFAULT_WAIT_S):
        """Waits for `condition(driver)` to be truthy; the message names what never happened."""
        def guarded(driver):
            try:
                return condition(driver)
            except StaleElementReferenceException:
                return False
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(guarded, message=f"timed out waiting for {what}")

    def find(self, selector):
        return self.driver.find_element(*css(selector))

    def find_all(self, selector):
        return self.driver.find_elements(*css(selector))

    def wait_visible(self, selector, timeout=DEFAULT_WAIT_S):
        return self.wait_for(lambda d: next((e for e in d.find_elements(*css(selector)) if e.is_displayed()), None),
                             f"{selector} to be visible", timeout)

    def wait_gone(self, selector, timeout=DEFAULT_WAIT_S):
        return self.wait_for(lambda d: not d.find_elements(*css(selector)), f"{selector} to disappear", timeout)

    def text_of(self, selector):
        return self.find(selector).text

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    # MARK: the UI paths a user takes

    def presence_item(self, user):
        return f'[data-testid="presence-item"][data-user="{user}"]'

    def create_contact(self, name, **fields):
        """Fills and submits the New contact form; returns the new contact's id once it opens."""
        self.find('[data-testid="contact-new"]').click()
        self.find('[data-testid="contact-create-name"]').send_keys(name)
        for field, value in fields.items():
            self.find(f'[data-testid="contact-create-{field}"]').send_keys(value)
        self.find('[data-testid="contact-create-submit"]').click()
        row = self.wait_visible(f'[data-testid="contact-row"].selected')
        return row.get_attribute("data-contact-id")

    def open_contact(self, contact_id):
        self.wait_visible(f'[data-testid="contact-row"][data-contact-id="{contact_id}"]').click()
        self.wait_visible('[data-testid="detail-form"]')

    def create_task(self, title, column="Backlog"):
        """Adds a task through the column's "+ Add task" form; returns its id."""
        column_selector = f'[data-testid="column"][data-column="{column}"]'
        before = {e.get_attribute("data-task-id") for e in self.find_all('[data-testid="kanban-card"]')}
        self.find(f'{column_selector} [data-testid="add-card"]').click()
        field = self.wait_visible(f'{column_selector} [data-testid="add-card-input"]')
        field.send_keys(title + "\n")

        def new_card(driver):
            for card in driver.find_elements(*css(f'{column_selector} [data-testid="kanban-card"]')):
                task_id = card.get_attribute("data-task-id")
                if task_id not in before and card.find_element(*css('[data-testid="card-title"]')).text == title:
                    return task_id
            return None
        return self.wait_for(new_card, f"task “{title}” in {column}")

    def card(self, task_id):
        return f'[data-testid="kanban-card"][data-task-id="{task_id}"]'

    def column_of(self, task_id):
        """The column a card is shown in, or None when the card is not on the board."""
        cards = self.find_all(self.card(task_id))
        if not cards:
            return None
        return self.js("return arguments[0].closest('[data-column]')?.dataset.column ?? null", cards[0])

    def cards_in(self, column):
        return [e.get_attribute("data-task-id")
                for e in self.find_all(f'[data-testid="column"][data-column="{column}"] [data-testid="kanban-card"]')]
