// A generic table for any records plugin (welcome.plugins entry with "kind":"records"),
// with a create/edit form built from the field schema the server sends.
import { el, setChildren, toast } from "./ui.js";
import { describeError, problemText } from "./errors.js";
import { displayValue, fieldInput, fieldLabel, isKnownType, readField, sameValue, writeField } from "./recordfields.js";

const PAGE_SIZE = 100;
/** Wider tables stop being readable; the form still shows every field. */
const MAX_COLUMNS = 6;

export class RecordsPanel {
  /** @param plugin the welcome.plugins entry: `{name, kind: "records", types, fields, index}` */
  constructor({ plugin, client, nameOf, onFocus }) {
    this.name = plugin.name;
    this.schema = JSON.stringify(plugin.fields);
    this.fields = plugin.fields.filter(isKnownType);
    this.columns = this.fields.filter((f) => f.type !== "text").slice(0, MAX_COLUMNS);
    this.client = client;
    this.nameOf = nameOf;
    this.onFocus = onFocus;
    this.records = new Map();
    this.next = null;
    this.editing = null;
    this.root = this.build();
  }

  get title() {
    return fieldLabel({ name: this.name });
  }

  /** The record's name in sentences: its first string field, else its id. */
  labelOf(record) {
    const field = this.fields.find((f) => f.type === "string" && record?.[f.name]);
    return field ? record[field.name] : record?.id ?? "?";
  }

  get(id) {
    return this.records.get(id) ?? null;
  }

  // MARK: building

  build() {
    const testid = (suffix) => `records-${suffix}`;
    this.inputs = new Map();
    this.errors = new Map();
    const rows = this.fields.map((field) => {
      const input = fieldInput(field, `records-input-${field.name}`);
      const error = el("span.field-error", { "data-testid": testid("field-error"), "data-field": field.name, role: "alert", hidden: true });
      this.inputs.set(field.name, input);
      this.errors.set(field.name, error);
      const label = `${fieldLabel(field)}${field.required ? " *" : ""}`;
      return el(`label.field.records-field${field.type === "boolean" ? ".records-check" : ""}`, { "data-field": field.name },
        el("span.field-label", {}, label), input, error);
    });
    this.formError = el("p.form-error", { hidden: true, role: "alert", "data-testid": testid("form-error") });
    this.deleteButton = el("button.btn.btn-danger-ghost.btn-sm", { type: "button", "data-testid": testid("delete"), onclick: () => this.remove() }, "Delete");
    this.form = el("form.records-form", { "data-testid": testid("form"), novalidate: true, hidden: true,
      onsubmit: (event) => { event.preventDefault(); this.save(); } },
      el("div.records-fields", {}, rows),
      this.formError,
      el("div.add-card-actions", {},
        el("button.btn.btn-primary.btn-sm", { type: "submit", "data-testid": testid("save") }, "Save"),
        this.deleteButton,
        el("button.btn.btn-ghost.btn-sm", { type: "button", onclick: () => this.closeForm() }, "Cancel")));
    this.body = el("tbody");
    this.count = el("span.count");
    this.empty = el("p.empty-note", {}, `No ${this.name} yet — add the first one.`);
    this.more = el("button.btn.btn-ghost.btn-sm.more", { type: "button", hidden: true, onclick: () => this.load(this.next) }, "Load more");
    return el("section.panel.records-panel", { "data-panel": `records:${this.name}`, "data-testid": "records-panel", "data-plugin": this.name },
      el("header.panel-head", {},
        el("h2", {}, this.title, this.count),
        el("button.btn.btn-sm.btn-primary", { type: "button", "data-testid": testid("new"), onclick: () => this.openForm(null) }, "+ New")),
      this.form,
      el("div.records-scroll", {},
        el("table.records-table", { "data-testid": testid("table") },
          el("thead", {}, el("tr", {}, this.columns.map((f) => el("th", { scope: "col" }, fieldLabel(f))))),
          this.body)),
      this.empty,
      this.more);
  }

  // MARK: loading and events

  /** The first page, or the page after `cursor`. */
  async load(cursor = null) {
    const data = { limit: PAGE_SIZE };
    if (cursor) data.cursor = cursor;
    try {
      const ack = await this.client.request(`${this.name}.list`, data);
      if (!cursor) this.records = new Map();
      for (const record of ack.result.records ?? []) this.records.set(record.id, record);
      this.next = ack.result.next ?? null;
      this.render();
    } catch (error) {
      if (error.code !== "disconnected") toast(`${this.title}: ${describeError(error)}`, "error");
    }
  }

  /** Applies `<name>.created/updated/deleted`; returns the record (or null for a delete). */
  apply(message) {
    const data = message.data ?? {};
    if (message.type === `${this.name}.deleted`) {
      this.records.delete(data.id);
      if (this.editing?.id === data.id) this.closeForm();
    } else if (data.record) {
      const previous = this.records.get(data.record.id);
      // Replays can bring an older version after a fresher snapshot.
      if (!previous || previous.version <= data.record.version) this.records.set(data.record.id, data.record);
      if (this.editing?.id === data.record.id && !this.editing.dirty) this.fillForm(data.record);
    }
    this.render();
  }

  render() {
    const rows = [...this.records.values()].map((record) => el("tr.records-row", {
      "data-testid": "records-row", "data-record-id": record.id, "data-version": String(record.version), tabindex: "0",
      onclick: () => this.openForm(record.id),
      onkeydown: (event) => { if (event.key === "Enter") this.openForm(record.id); },
    }, this.columns.map((field) => el("td", { "data-field": field.name }, displayValue(field, record[field.name], this.nameOf)))));
    setChildren(this.body, rows);
    for (const row of rows) row.classList.toggle("selected", row.dataset.recordId === this.editing?.id);
    this.count.textContent = String(this.records.size) + (this.next ? "+" : "");
    this.empty.hidden = this.records.size > 0;
    this.more.hidden = !this.next;
  }

  // MARK: the form

  /** `id` null: a new record with the schema's defaults. */
  openForm(id) {
    const record = id ? this.records.get(id) : null;
    this.editing = record ? { id, base: record, dirty: false } : null;
    this.form.hidden = false;
    this.deleteButton.hidden = !record;
    this.showProblems(null);
    this.fillForm(record);
    this.form.oninput = () => { if (this.editing) this.editing.dirty = true; };
    this.inputs.get(this.fields[0]?.name)?.focus();
    this.onFocus(record ? `${this.name}:${id}` : null);
    this.render();
  }

  fillForm(record) {
    if (record && this.editing) this.editing.base = record;
    for (const field of this.fields) writeField(field, this.inputs.get(field.name), record ? record[field.name] : field.default);
  }

  closeForm() {
    this.form.hidden = true;
    this.editing = null;
    this.showProblems(null);
    this.onFocus(null);
    this.render();
  }

  async save() {
    const editing = this.editing;
    let type;
    let data;
    if (editing) {
      const changes = {};
      for (const field of this.fields) {
        const value = readField(field, this.inputs.get(field.name));
        // An emptied field is sent as null: the server clears it (or says it is required).
        if (!sameValue(value, editing.base[field.name])) changes[field.name] = value ?? null;
      }
      if (Object.keys(changes).length === 0) return this.closeForm();
      type = `${this.name}.update`;
      data = { id: editing.id, changes, version: editing.base.version };
    } else {
      type = `${this.name}.create`;
      data = {};
      for (const field of this.fields) {
        const value = readField(field, this.inputs.get(field.name));
        if (value !== undefined) data[field.name] = value;
      }
    }
    await this.submit(type, data);
  }

  async remove() {
    if (!this.editing) return;
    await this.submit(`${this.name}.delete`, { id: this.editing.id, version: this.editing.base.version });
  }

  async submit(type, data) {
    this.form.classList.add("busy");
    try {
      await this.client.request(type, data);
      this.closeForm();
    } catch (error) {
      if (error.code === "conflict" && error.current && this.editing) {
        // Show what is stored now; the user re-applies their change on top of it.
        this.records.set(error.current.id, error.current);
        this.editing.dirty = false;
        this.fillForm(error.current);
        this.render();
      }
      this.showProblems(error);
    } finally {
      this.form.classList.remove("busy");
    }
  }

  /** Each field's problem next to its input; whatever names no field goes above the buttons. */
  showProblems(error) {
    const byField = new Map();
    for (const detail of error?.details ?? []) byField.set(detail.field, problemText(detail.problem));
    for (const [name, node] of this.errors) {
      const problem = byField.get(name);
      node.textContent = problem ? `${fieldLabel({ name })} ${problem}` : "";
      node.hidden = !problem;
      this.inputs.get(name).classList.toggle("invalid", Boolean(problem));
    }
    const unplaced = [...byField.keys()].some((name) => !this.errors.has(name));
    const message = error && (unplaced || byField.size === 0)
      ? (error.code === "conflict" ? "Someone else changed this first — the form now shows their version." : describeError(error))
      : "";
    this.formError.textContent = message;
    this.formError.hidden = !message;
  }
}
