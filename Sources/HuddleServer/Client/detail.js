// The detail pane: one contact or task, edited with versions, plus its notes.
import { el, setChildren, $, toast, relativeTime } from "./ui.js";
import { avatar } from "./identity.js";
import { describeError } from "./errors.js";
import { CONTACT_FIELDS, markProblems, parseTags } from "./contacts.js";

const KINDS = {
  contact: {
    label: "Contact", plugin: "contacts", fields: [...CONTACT_FIELDS, "tags"],
    typingField: null,
  },
  task: {
    label: "Task", plugin: "kanban", fields: ["title", "description", "assignee"],
    typingField: "description",
  },
};

function formValue(kind, field, value) {
  if (field === "tags") return (value ?? []).join(", ");
  return value ?? "";
}

/** What changed between the record the form was loaded from and the form now. */
function changesBetween(kind, base, form) {
  const changes = {};
  for (const field of KINDS[kind].fields) {
    const raw = form.elements[field].value;
    if (field === "tags") {
      const tags = parseTags(raw);
      if (JSON.stringify(tags) !== JSON.stringify(base.tags ?? [])) changes.tags = tags.length ? tags : null;
      continue;
    }
    const value = field === "description" ? raw : raw.trim();
    const before = base[field] ?? "";
    if (value !== before) changes[field] = value === "" ? null : value;
  }
  return changes;
}

export class DetailPane {
  constructor({ client, typing, nameOf, viewersOf, selfId, onClose, onFocus, contacts, board }) {
    this.client = client;
    this.typing = typing;
    this.nameOf = nameOf;
    this.viewersOf = viewersOf;
    this.selfId = selfId;
    this.onClose = onClose;
    this.onFocus = onFocus;
    this.contacts = contacts;
    this.board = board;
    this.root = $("#detail");
    this.current = null;
    this.notes = [];
    this.showEmpty();
  }

  get subject() {
    return this.current ? `${this.current.kind}:${this.current.id}` : null;
  }

  lookup(kind, id) {
    return kind === "contact" ? this.contacts.get(id) : this.board.get(id);
  }

  showEmpty() {
    this.current = null;
    this.root.replaceChildren(el("div.detail-empty", { "data-testid": "detail-empty" },
      el("div.empty-illustration", { "aria-hidden": "true" }, "☰"),
      el("p", {}, "Select a contact or a task to see its details and notes."),
      el("p.hint", {}, "Everyone in this workspace sees your changes as you make them.")));
  }

  async open(kind, id) {
    let record = this.lookup(kind, id);
    if (!record && kind === "contact") {
      try {
        record = (await this.client.request("contacts.get", { id })).result.contact;
        this.contacts.remember(record);
      } catch (error) {
        toast(describeError(error), "error");
        return;
      }
    }
    if (!record) return;
    this.current = { kind, id, base: { ...record }, dirty: false, deletedBy: null };
    this.onFocus(`${kind}:${id}`);
    this.build(record);
    this.loadNotes();
  }

  close() {
    this.typing.stopAll();
    this.showEmpty();
    this.onClose();
  }

  build(record) {
    const { kind, id } = this.current;
    const spec = KINDS[kind];
    const form = el("form.detail-form", { "data-testid": "detail-form", novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.save(); } });
    const fieldRow = (name, label, input) => el("label.field", {}, el("span.field-label", {}, label), input);
    if (kind === "contact") {
      form.append(
        fieldRow("name", "Name", el("input", { name: "name", required: true, maxlength: "200", "data-testid": "detail-name" })),
        el("div.field-pair", {},
          fieldRow("email", "Email", el("input", { name: "email", type: "email", "data-testid": "detail-email" })),
          fieldRow("phone", "Phone", el("input", { name: "phone", "data-testid": "detail-phone" }))),
        el("div.field-pair", {},
          fieldRow("company", "Company", el("input", { name: "company", "data-testid": "detail-company" })),
          fieldRow("tags", "Tags", el("input", { name: "tags", placeholder: "comma, separated", "data-testid": "detail-tags" }))));
    } else {
      const description = el("textarea", { name: "description", rows: "3", "data-testid": "detail-description", placeholder: "What needs doing?" });
      this.typing.attach(description, () => this.current && `task:${this.current.id}/description`);
      form.append(
        fieldRow("title", "Title", el("input", { name: "title", required: true, maxlength: "200", "data-testid": "detail-title" })),
        el("label.field", {}, el("span.field-label", {}, "Description"), description,
          el("span.typing-line", { "data-testid": "typing-line", "data-target": `task:${id}/description`, "aria-live": "polite" })),
        fieldRow("assignee", "Assignee", el("input", { name: "assignee", list: "people-ids", placeholder: "user id", "data-testid": "detail-assignee" })));
    }
    form.append(
      el("p.form-error", { hidden: true, role: "alert" }),
      el("div.form-actions", {},
        el("span.record-meta", { "data-testid": "record-meta" }),
        el("button.btn.btn-danger-ghost", { type: "button", "data-testid": "detail-delete", onclick: () => this.remove() }, "Delete"),
        el("button.btn.btn-primary", { type: "submit", "data-testid": "detail-save" }, "Save")));
    form.addEventListener("input", () => { if (this.current) this.current.dirty = true; });

    const notesInput = el("textarea", { rows: "2", placeholder: "Write a note…", "data-testid": "note-input", maxlength: "10000" });
    this.typing.attach(notesInput, () => this.subject && `${this.subject}/notes`);
    const notesForm = el("form.note-composer", { onsubmit: (event) => { event.preventDefault(); this.addNote(notesInput); } },
      notesInput,
      el("div.composer-foot", {},
        el("span.typing-line", { "data-testid": "typing-line", "data-target": `${kind}:${id}/notes`, "aria-live": "polite" }),
        el("button.btn.btn-primary.btn-sm", { type: "submit", "data-testid": "note-add" }, "Add note")));
    notesInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) notesForm.requestSubmit();
    });

    this.root.replaceChildren(
      el("header.detail-head", {},
        el("span.kind-badge", {}, spec.label),
        el("h2.detail-title", { "data-testid": "detail-title-text" }),
        el("span.viewers.detail-viewers", { "data-testid": "detail-viewers" }),
        el("button.icon-btn", { type: "button", title: "Close", "aria-label": "Close", onclick: () => this.close() }, "✕")),
      el("div.notice", { hidden: true, "data-testid": "detail-notice" }),
      el("div.conflict", { hidden: true, "data-testid": "conflict-banner", role: "alert" }),
      el("div.detail-body", {},
        form,
        el("section.notes", {},
          el("h3", {}, "Notes ", el("span.count", { "data-testid": "notes-count" }, "")),
          el("ul.note-list", { "data-testid": "note-list" }),
          notesForm)));
    this.form = form;
    this.fill(record);
    this.refreshViewers();
  }

  fill(record) {
    const { kind } = this.current;
    for (const field of KINDS[kind].fields) this.form.elements[field].value = formValue(kind, field, record[field]);
    this.current.base = { ...record };
    this.current.dirty = false;
    this.updateHeader(record);
    markProblems(this.form, null);
  }

  updateHeader(record) {
    this.root.querySelector(".detail-title").textContent = record.name ?? record.title;
    const where = record.column ? ` · in ${record.column}` : "";
    this.root.querySelector(".record-meta").textContent =
      `v${record.version}${where} · edited by ${this.nameOf(record.updated_by)} ${relativeTime(record.updated_at)}`;
  }

  refreshViewers() {
    if (!this.current) return;
    const holder = this.root.querySelector(".detail-viewers");
    const viewers = this.viewersOf(this.subject).filter((u) => u.id !== this.selfId());
    holder.replaceChildren(...viewers.map((u) => avatar(u.id, u.name, "sm")));
    holder.title = viewers.length ? `Also here: ${viewers.map((u) => u.name).join(", ")}` : "";
  }

  notice(text, kind = "info") {
    const node = this.root.querySelector(".notice");
    if (!node) return;
    node.textContent = text;
    node.className = `notice notice-${kind}`;
    node.hidden = !text;
  }

  async save() {
    const current = this.current;
    if (!current || current.deletedBy) return;
    const changes = changesBetween(current.kind, current.base, this.form);
    if (Object.keys(changes).length === 0) { this.notice("Nothing changed."); return; }
    const type = current.kind === "contact" ? "contacts.update" : "kanban.update";
    try {
      const ack = await this.client.request(type, { id: current.id, changes, version: current.base.version });
      const record = ack.result.contact ?? ack.result.task;
      if (this.current === current) { this.fill(record); this.notice(""); this.hideConflict(); }
      this.typing.stop(`${this.subject}/description`);
    } catch (error) {
      if (error.code === "conflict" && error.current) this.showConflict(error.current);
      else markProblems(this.form, error);
    }
  }

  /** Someone saved first: show their version and let the user pick. */
  showConflict(theirs) {
    const current = this.current;
    const banner = this.root.querySelector(".conflict");
    const mine = changesBetween(current.kind, current.base, this.form);
    const rows = Object.keys(mine).map((field) => el("tr", {},
      el("th", {}, field),
      el("td.theirs", {}, formValue(current.kind, field, theirs[field]) || "—"),
      el("td.mine", {}, formValue(current.kind, field, mine[field]) || "—")));
    setChildren(banner,
      el("strong", {}, `${this.nameOf(theirs.updated_by)} changed this ${KINDS[current.kind].label.toLowerCase()} first (now v${theirs.version}).`),
      rows.length ? el("table.diff", {}, el("tr", {}, el("th"), el("th", {}, "Theirs"), el("th", {}, "Yours")), rows) : null,
      el("div.conflict-actions", {},
        el("button.btn.btn-sm", { type: "button", "data-testid": "conflict-use-theirs", onclick: () => {
          this.remember(theirs);
          this.fill(theirs);
          this.hideConflict();
        } }, "Use their version"),
        el("button.btn.btn-primary.btn-sm", { type: "button", "data-testid": "conflict-keep-mine", onclick: () => {
          // Rebase our edits on their version, then save again.
          const keep = changesBetween(current.kind, current.base, this.form);
          this.remember(theirs);
          current.base = { ...theirs };
          for (const [field, value] of Object.entries(keep)) this.form.elements[field].value = formValue(current.kind, field, value);
          this.hideConflict();
          this.save();
        } }, "Save mine over theirs")));
    banner.hidden = false;
  }

  remember(record) {
    if (this.current.kind === "contact") this.contacts.remember(record);
    else this.board.rememberTask(record);
  }

  hideConflict() {
    const banner = this.root.querySelector(".conflict");
    if (banner) banner.hidden = true;
  }

  async remove() {
    const current = this.current;
    if (!current) return;
    const label = current.base.name ?? current.base.title;
    if (!confirm(`Delete “${label}” for everyone?`)) return;
    const type = current.kind === "contact" ? "contacts.delete" : "kanban.delete";
    try {
      await this.client.request(type, { id: current.id, version: current.base.version });
      this.close();
    } catch (error) {
      if (error.code === "conflict" && error.current) this.showConflict(error.current);
      else toast(describeError(error), "error");
    }
  }

  /** A record event from anyone (us included) for the record on screen. */
  recordChanged(kind, record, by) {
    const current = this.current;
    if (!current || current.kind !== kind || current.id !== record.id) return;
    if (record.version <= current.base.version) { this.updateHeader(current.base); return; }
    const mine = by?.session === this.client.session;
    if (!current.dirty || mine) {
      this.fill(record);
      if (!mine) this.notice(`${by?.name ?? "Someone"} just updated this ${KINDS[kind].label.toLowerCase()}.`);
    } else {
      this.notice(`${by?.name ?? "Someone"} updated this while you were editing — saving will ask which version to keep.`, "warn");
    }
  }

  recordDeleted(kind, id, by) {
    const current = this.current;
    if (!current || current.kind !== kind || current.id !== id) return;
    if (by?.session === this.client.session) return;
    current.deletedBy = by;
    this.notice(`${by?.name ?? "Someone"} deleted this ${KINDS[kind].label.toLowerCase()}.`, "warn");
    for (const control of this.root.querySelectorAll("input, textarea, button[type=submit], .btn-danger-ghost")) control.disabled = true;
  }

  // MARK: notes

  async loadNotes() {
    const subject = this.subject;
    try {
      const ack = await this.client.request("notes.list", { subject });
      if (subject !== this.subject) return;
      this.notes = ack.result.notes;
      this.renderNotes();
    } catch (error) {
      if (subject !== this.subject) return;
      this.notes = [];
      this.renderNotes(error.code === "unknown_type" ? "Notes are not enabled in this workspace." : describeError(error));
    }
  }

  renderNotes(problem = null) {
    const list = this.root.querySelector(".note-list");
    if (!list) return;
    list.replaceChildren(...this.notes.map((note) => this.noteItem(note)));
    if (problem) list.append(el("li.note-empty", {}, problem));
    else if (!this.notes.length) list.append(el("li.note-empty", {}, "No notes yet."));
    this.root.querySelector('[data-testid="notes-count"]').textContent = this.notes.length ? String(this.notes.length) : "";
  }

  noteItem(note) {
    const own = note.created_by === this.selfId() || this.client.me?.role === "admin";
    const edited = note.version > 1 ? ` · edited` : "";
    return el("li.note", { "data-testid": "note-item", "data-note-id": note.id },
      avatar(note.created_by, this.nameOf(note.created_by), "sm"),
      el("div.note-main", {},
        el("div.note-head", {},
          el("strong", {}, this.nameOf(note.created_by)),
          el("span.muted", {}, `${relativeTime(note.created_at)}${edited}`),
          own ? el("span.note-actions", {},
            el("button.link-btn", { type: "button", onclick: (e) => this.editNote(note, e.target.closest(".note")) }, "Edit"),
            el("button.link-btn.danger", { type: "button", onclick: () => this.deleteNote(note) }, "Delete")) : null),
        el("div.note-body", { "data-testid": "note-body" }, note.body)));
  }

  async addNote(input) {
    const body = input.value.trim();
    if (!body || !this.subject) return;
    const target = `${this.subject}/notes`;
    try {
      await this.client.request("notes.add", { subject: this.subject, body });
      input.value = "";
      this.typing.stop(target);
    } catch (error) {
      toast(describeError(error), "error");
    }
  }

  editNote(note, item) {
    const area = el("textarea", { rows: "3" });
    area.value = note.body;
    const body = item.querySelector(".note-body");
    const editor = el("form.note-editor", { onsubmit: async (event) => {
      event.preventDefault();
      try {
        await this.client.request("notes.edit", { id: note.id, body: area.value.trim(), version: note.version });
      } catch (error) {
        toast(error.code === "conflict" ? "Someone edited this note first — showing their version." : describeError(error), "error");
        this.loadNotes();
      }
    } }, area, el("div.add-card-actions", {},
      el("button.btn.btn-primary.btn-sm", { type: "submit" }, "Save"),
      el("button.btn.btn-ghost.btn-sm", { type: "button", onclick: () => this.renderNotes() }, "Cancel")));
    body.replaceWith(editor);
    area.focus();
  }

  async deleteNote(note) {
    try {
      await this.client.request("notes.delete", { id: note.id, version: note.version });
    } catch (error) {
      toast(describeError(error), "error");
    }
  }

  applyNoteEvent(message) {
    const data = message.data ?? {};
    const subject = data.note?.subject ?? data.subject;
    if (!this.current || subject !== this.subject) return;
    if (message.type === "notes.deleted") {
      this.notes = this.notes.filter((n) => n.id !== data.id);
    } else {
      const index = this.notes.findIndex((n) => n.id === data.note.id);
      if (index >= 0) {
        if (this.notes[index].version <= data.note.version) this.notes[index] = data.note;
      } else this.notes.push(data.note);
    }
    // Keep a note being edited open unless it is the one that changed.
    if (this.root.querySelector(".note-editor")) return;
    this.renderNotes();
  }
}
