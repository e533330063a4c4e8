// The contacts list: search, create, and live updates from every tab.
import { el, setChildren, $, debounce, toast } from "./ui.js";
import { avatar } from "./identity.js";
import { describeError, fieldProblems } from "./errors.js";

const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 200;
export const CONTACT_FIELDS = ["name", "email", "phone", "company"];

/** The server's order: name case-insensitively, then id. */
function byName(a, b) {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function matches(contact, query) {
  if (!query) return true;
  const needle = query.toLowerCase();
  return [contact.name, contact.email, contact.company].some((v) => v && v.toLowerCase().includes(needle));
}

/** Reads a contact form into create data (empty fields omitted, tags split on commas). */
export function readContactForm(form) {
  const data = {};
  for (const field of CONTACT_FIELDS) {
    const value = form.elements[field].value.trim();
    if (value) data[field] = value;
  }
  const tags = parseTags(form.elements.tags.value);
  if (tags.length) data.tags = tags;
  return data;
}

export function parseTags(text) {
  return text.split(",").map((t) => t.trim()).filter(Boolean);
}

/** Marks each input the server complained about; returns whether any was marked. */
export function markProblems(form, error) {
  const problems = fieldProblems(error);
  let marked = false;
  for (const input of form.querySelectorAll("[name]")) {
    const problem = problems[input.name];
    input.classList.toggle("invalid", Boolean(problem));
    input.title = problem ? `${input.name} ${problem}` : "";
    if (problem) marked = true;
  }
  const note = form.querySelector(".form-error");
  if (note) {
    note.textContent = error ? describeError(error) : "";
    note.hidden = !error;
  }
  return marked;
}

export class ContactsPanel {
  constructor({ client, onSelect, viewersOf, typingTargets }) {
    this.client = client;
    this.onSelect = onSelect;
    this.viewersOf = viewersOf;
    this.typingTargets = typingTargets;
    this.rows = new Map();
    this.known = new Map();
    this.query = "";
    this.next = null;
    this.selectedId = null;
    this.enabled = true;
    this.list = $("#contact-list");
    this.form = $("#contact-create");
    const search = $("#contact-search");
    search.addEventListener("input", debounce(() => {
      this.query = search.value.trim();
      this.load();
    }, SEARCH_DEBOUNCE_MS));
    $("#contact-new-btn").addEventListener("click", () => this.toggleForm());
    $("#contact-cancel").addEventListener("click", () => this.toggleForm(false));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.create();
    });
    $("#contacts-more").addEventListener("click", () => this.load(this.next));
  }

  setEnabled(enabled) {
    this.enabled = enabled;
    $("#contacts-panel").classList.toggle("disabled", !enabled);
    $("#contacts-disabled").hidden = enabled;
  }

  toggleForm(show = this.form.hidden) {
    this.form.hidden = !show;
    if (show) this.form.elements.name.focus();
    else { this.form.reset(); markProblems(this.form, null); }
  }

  async create() {
    const data = readContactForm(this.form);
    const submit = this.form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const ack = await this.client.request("contacts.create", data);
      this.toggleForm(false);
      this.onSelect(ack.result.contact.id);
    } catch (error) {
      markProblems(this.form, error);
    } finally {
      submit.disabled = false;
    }
  }

  /** Loads the first page for the current query, or the page after `after`. */
  async load(after = null) {
    if (!this.enabled) return;
    const query = this.query;
    const data = { limit: PAGE_SIZE };
    if (query) data.query = query;
    if (after) data.after = after;
    try {
      const ack = await this.client.request("contacts.list", data);
      if (query !== this.query) return;
      if (!after) this.contacts = new Map();
      for (const contact of ack.result.contacts) this.remember(contact);
      this.next = ack.result.next ?? null;
      this.render();
    } catch (error) {
      if (error.code !== "disconnected") toast(`Contacts: ${describeError(error)}`, "error");
    }
  }

  remember(contact) {
    const previous = this.known.get(contact.id);
    if (previous && previous.version > contact.version) return false;
    this.known.set(contact.id, contact);
    if (this.contacts) {
      if (matches(contact, this.query)) this.contacts.set(contact.id, contact);
      else this.contacts.delete(contact.id);
    }
    return true;
  }

  get(id) {
    return this.known.get(id) ?? null;
  }

  /** Applies a contacts.* event; returns the affected contact (or id for deletes). */
  apply(message) {
    const data = message.data ?? {};
    if (message.type === "contacts.deleted") {
      this.known.delete(data.id);
      this.contacts?.delete(data.id);
    } else if (data.contact) {
      this.remember(data.contact);
    }
    this.render();
  }

  setSelected(id) {
    this.selectedId = id;
    for (const [rowId, row] of this.rows) row.classList.toggle("selected", rowId === id);
  }

  render() {
    if (!this.contacts) return;
    const sorted = [...this.contacts.values()].sort(byName);
    const typing = this.typingTargets();
    const seen = new Set();
    sorted.forEach((contact, index) => {
      seen.add(contact.id);
      let row = this.rows.get(contact.id);
      if (!row) {
        row = el("li.contact-row", {
          "data-testid": "contact-row", "data-contact-id": contact.id, tabindex: "0",
          onclick: () => this.onSelect(contact.id),
          onkeydown: (event) => { if (event.key === "Enter") this.onSelect(contact.id); },
        });
        this.rows.set(contact.id, row);
      }
      this.fillRow(row, contact, typing);
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] ?? null);
    });
    for (const [id, row] of this.rows) if (!seen.has(id)) { row.remove(); this.rows.delete(id); }
    $("#contacts-count").textContent = String(sorted.length) + (this.next ? "+" : "");
    $("#contacts-more").hidden = !this.next;
    $("#contacts-empty").hidden = sorted.length > 0;
    $("#contacts-empty").textContent = this.query ? `No contact matches “${this.query}”.` : "No contacts yet — add the first one.";
    this.setSelected(this.selectedId);
  }

  fillRow(row, contact, typing) {
    const sub = [contact.company, contact.email].filter(Boolean).join(" · ");
    const viewers = this.viewersOf(`contact:${contact.id}`);
    const isTyping = typing.has(`contact:${contact.id}/notes`);
    setChildren(row,
      el("span.contact-initial", {}, (contact.name.trim()[0] ?? "?").toUpperCase()),
      el("span.contact-text", {},
        el("span.contact-name", { "data-testid": "contact-name" }, contact.name),
        el("span.contact-sub", {}, sub || contact.phone || "—")),
      el("span.row-meta", {},
        isTyping ? el("span.typing-dots", { title: "someone is writing a note" }, el("i"), el("i"), el("i")) : null,
        el("span.viewers", {}, viewers.map((u) => avatar(u.id, u.name, "xs")))),
    );
    row.dataset.version = String(contact.version);
  }

  /** Viewers and typing badges change with presence, not with contacts. */
  refreshBadges() {
    const typing = this.typingTargets();
    for (const [id, row] of this.rows) {
      const contact = this.contacts?.get(id);
      if (contact) this.fillRow(row, contact, typing);
    }
  }
}
