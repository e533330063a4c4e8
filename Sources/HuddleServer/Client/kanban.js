// The kanban board: columns with WIP limits, pointer-event drag and drop, live moves.
import { el, setChildren, $, toast } from "./ui.js";
import { avatar } from "./identity.js";
import { describeError } from "./errors.js";

/** Pixels the pointer must travel before a press becomes a drag (a click stays a click). */
const DRAG_THRESHOLD_PX = 5;

/** Why a move was refused, in the board's words. */
export function explainMoveError(error, column, limit) {
  const wip = (error.details ?? []).some((d) => d.problem === "wip_limit");
  if (wip) {
    return limit != null
      ? `“${column}” is at its WIP limit (${limit}) — finish something there first.`
      : `“${column}” is at its WIP limit — finish something there first.`;
  }
  if (error.code === "conflict") return "Someone moved or changed this task first — the board was refreshed.";
  return describeError(error);
}

export class KanbanBoard {
  constructor({ client, onSelect, viewersOf, typingTargets, nameOf }) {
    this.client = client;
    this.onSelect = onSelect;
    this.viewersOf = viewersOf;
    this.typingTargets = typingTargets;
    this.nameOf = nameOf;
    this.root = $("#board");
    this.columns = [];
    this.tasks = new Map();
    this.cards = new Map();
    this.columnNodes = new Map();
    this.drag = null;
    this.renderDeferred = false;
    this.selectedId = null;
    this.enabled = true;
    this.loading = null;
    this.reloadWanted = false;
  }

  setEnabled(enabled) {
    this.enabled = enabled;
    $("#board-panel").classList.toggle("disabled", !enabled);
    $("#board-disabled").hidden = enabled;
  }

  /** Fetches the board; calls made while a fetch is under way coalesce into one more fetch. */
  load() {
    if (!this.enabled) return Promise.resolve();
    if (this.loading) {
      this.reloadWanted = true;
      return this.loading;
    }
    this.loading = this.fetchBoard().finally(() => {
      this.loading = null;
      if (this.reloadWanted) {
        this.reloadWanted = false;
        this.load();
      }
    });
    return this.loading;
  }

  async fetchBoard() {
    try {
      const ack = await this.client.request("kanban.board");
      this.columns = ack.result.columns.map((c) => ({ name: c.name, wip_limit: c.wip_limit ?? null, ids: c.tasks.map((t) => t.id) }));
      this.tasks = new Map();
      for (const column of ack.result.columns) for (const task of column.tasks) this.tasks.set(task.id, task);
      this.buildColumns();
      this.render();
    } catch (error) {
      if (error.code !== "disconnected") toast(`Board: ${describeError(error)}`, "error");
    }
  }

  get(id) {
    return this.tasks.get(id) ?? null;
  }

  column(name) {
    return this.columns.find((c) => c.name === name);
  }

  /** `order` names the full order of each column a write changed. */
  applyOrder(order) {
    // Before the first snapshot there is nothing to reorder; the snapshot will have it all.
    if (this.columns.length === 0) return;
    let unknown = false;
    for (const [name, ids] of Object.entries(order ?? {})) {
      const column = this.column(name);
      if (!column) { unknown = true; continue; }
      column.ids = [...ids];
      ids.forEach((id, position) => {
        const task = this.tasks.get(id);
        if (task) { task.column = name; task.position = position; } else unknown = true;
      });
    }
    // Something was missed (it can only be a task created before our snapshot): refetch.
    if (unknown) this.load();
  }

  rememberTask(task) {
    const known = this.tasks.get(task.id);
    if (known && known.version > task.version) return;
    this.tasks.set(task.id, task);
  }

  apply(message) {
    const data = message.data ?? {};
    switch (message.type) {
      case "kanban.created":
      case "kanban.moved":
        this.rememberTask(data.task);
        this.applyOrder(data.order);
        break;
      case "kanban.updated":
        this.rememberTask(data.task);
        break;
      case "kanban.deleted":
        this.tasks.delete(data.id);
        for (const column of this.columns) column.ids = column.ids.filter((id) => id !== data.id);
        this.applyOrder(data.order);
        break;
      default:
        return;
    }
    this.render();
  }

  buildColumns() {
    this.root.replaceChildren();
    this.columnNodes.clear();
    for (const column of this.columns) {
      const list = el("div.card-list", { "data-testid": "card-list" });
      const addForm = el("form.add-card", { hidden: true, onsubmit: (event) => { event.preventDefault(); this.create(column.name, addForm); } },
        el("input", { name: "title", placeholder: "Task title", maxlength: "200", "aria-label": `New task in ${column.name}`, "data-testid": "add-card-input",
          onkeydown: (event) => { if (event.key === "Escape") addForm.hidden = true; } }),
        el("div.add-card-actions", {}, el("button.btn.btn-primary.btn-sm", { type: "submit" }, "Add"),
          el("button.btn.btn-ghost.btn-sm", { type: "button", onclick: () => { addForm.hidden = true; } }, "Cancel")));
      // An empty add form closes when focus leaves it; a half-typed title stays.
      addForm.addEventListener("focusout", () => setTimeout(() => {
        if (!addForm.contains(document.activeElement) && !addForm.elements.title.value.trim()) addForm.hidden = true;
      }, 0));
      const node = el("section.column", { "data-testid": "column", "data-column": column.name },
        el("header.column-head", {},
          el("h3", {}, column.name),
          el("span.wip", { "data-testid": "column-wip" })),
        list,
        addForm,
        el("button.add-card-btn", { type: "button", "data-testid": "add-card", onclick: () => {
          addForm.hidden = false;
          addForm.elements.title.focus();
        } }, "+ Add task"));
      this.columnNodes.set(column.name, { node, list });
    }
    this.root.append(...[...this.columnNodes.values()].map((c) => c.node));
  }

  render() {
    if (this.drag?.active) { this.renderDeferred = true; return; }
    const viewersTyping = this.typingTargets();
    const live = new Set();
    for (const column of this.columns) {
      const nodes = this.columnNodes.get(column.name);
      if (!nodes) continue;
      column.ids.forEach((id, index) => {
        const task = this.tasks.get(id);
        if (!task) return;
        live.add(id);
        const card = this.cards.get(id) ?? this.createCard(id);
        this.fillCard(card, task, viewersTyping);
        if (nodes.list.children[index] !== card) nodes.list.insertBefore(card, nodes.list.children[index] ?? null);
      });
      const wip = nodes.node.querySelector(".wip");
      const count = column.ids.length;
      wip.textContent = column.wip_limit != null ? `${count} / ${column.wip_limit}` : String(count);
      wip.title = column.wip_limit != null ? `WIP limit ${column.wip_limit}` : "No WIP limit";
      nodes.node.classList.toggle("at-limit", column.wip_limit != null && count >= column.wip_limit);
      nodes.node.classList.toggle("over-limit", column.wip_limit != null && count > column.wip_limit);
      nodes.list.classList.toggle("empty", count === 0);
    }
    for (const [id, card] of this.cards) if (!live.has(id)) { card.remove(); this.cards.delete(id); }
    this.setSelected(this.selectedId);
  }

  setSelected(id) {
    this.selectedId = id;
    for (const [cardId, card] of this.cards) card.classList.toggle("selected", cardId === id);
  }

  createCard(id) {
    const card = el("article.card", {
      "data-testid": "kanban-card", "data-task-id": id, tabindex: "0",
      title: "Drag to move · Alt+arrows move with the keyboard · Enter opens",
    });
    card.addEventListener("pointerdown", (event) => this.pointerDown(event, id));
    card.addEventListener("click", () => { if (!this.suppressClick) this.onSelect(id); });
    card.addEventListener("keydown", (event) => this.keyDown(event, id));
    this.cards.set(id, card);
    return card;
  }

  fillCard(card, task, typing) {
    const viewers = this.viewersOf(`task:${task.id}`);
    card.dataset.column = task.column;
    card.dataset.version = String(task.version);
    setChildren(card,
      el("div.card-title", { "data-testid": "card-title" }, task.title),
      task.description ? el("div.card-desc", {}, task.description) : null,
      el("div.card-foot", {},
        task.assignee ? el("span.assignee", { title: `Assigned to ${this.nameOf(task.assignee)}` },
          avatar(task.assignee, this.nameOf(task.assignee), "xs"), this.nameOf(task.assignee)) : el("span.assignee.none", {}, "Unassigned"),
        el("span.row-meta", {},
          typing.has(`task:${task.id}/description`) ? el("span.typing-dots", {}, el("i"), el("i"), el("i")) : null,
          el("span.viewers", {}, viewers.map((u) => avatar(u.id, u.name, "xs"))))),
    );
  }

  async create(columnName, form) {
    const title = form.elements.title.value.trim();
    if (!title) return;
    try {
      await this.client.request("kanban.create", { title, column: columnName });
      form.reset();
      form.elements.title.focus();
    } catch (error) {
      toast(explainMoveError(error, columnName, this.column(columnName)?.wip_limit), "error");
      this.flashColumn(columnName);
    }
  }

  // MARK: moving

  /** Optimistic move; the server's answer (event or error) settles it. */
  async move(id, toColumn, position) {
    const task = this.tasks.get(id);
    if (!task) return;
    const from = this.column(task.column);
    const to = this.column(toColumn);
    if (!from || !to) return;
    const currentIndex = from.ids.indexOf(id);
    if (from === to && currentIndex === position) return;
    const before = this.columns.map((c) => [...c.ids]);
    from.ids.splice(currentIndex, 1);
    to.ids.splice(Math.min(position, to.ids.length), 0, id);
    this.render();
    try {
      await this.client.request("kanban.move", { id, column: toColumn, position, version: task.version });
    } catch (error) {
      this.columns.forEach((c, i) => { c.ids = before[i]; });
      this.render();
      toast(explainMoveError(error, toColumn, to.wip_limit), "error");
      this.flashColumn(toColumn);
      if (error.code !== "validation_failed") this.load();
    }
    this.cards.get(id)?.focus({ preventScroll: true });
  }

  flashColumn(name) {
    const node = this.columnNodes.get(name)?.node;
    if (!node) return;
    node.classList.remove("refused");
    void node.offsetWidth;
    node.classList.add("refused");
  }

  keyDown(event, id) {
    const task = this.tasks.get(id);
    if (!task) return;
    if (event.key === "Enter") { this.onSelect(id); return; }
    if (!event.altKey) return;
    const columnIndex = this.columns.findIndex((c) => c.name === task.column);
    const position = this.columns[columnIndex].ids.indexOf(id);
    const moves = {
      ArrowLeft: () => columnIndex > 0 && [this.columns[columnIndex - 1].name, this.columns[columnIndex - 1].ids.length],
      ArrowRight: () => columnIndex < this.columns.length - 1 && [this.columns[columnIndex + 1].name, this.columns[columnIndex + 1].ids.length],
      ArrowUp: () => position > 0 && [task.column, position - 1],
      ArrowDown: () => position < this.columns[columnIndex].ids.length - 1 && [task.column, position + 1],
    };
    const target = moves[event.key]?.();
    if (!target) return;
    event.preventDefault();
    this.move(id, target[0], target[1]);
  }

  pointerDown(event, id) {
    if (event.button !== 0 || event.target.closest("button, input, a")) return;
    const card = this.cards.get(id);
    this.drag = { id, card, startX: event.clientX, startY: event.clientY, active: false, pointerId: event.pointerId };
    card.setPointerCapture?.(event.pointerId);
    const onMove = (e) => this.pointerMove(e);
    const onUp = (e) => { cleanup(); this.pointerUp(e); };
    const onCancel = () => { cleanup(); this.cancelDrag(); };
    const cleanup = () => {
      card.removeEventListener("pointermove", onMove);
      card.removeEventListener("pointerup", onUp);
      card.removeEventListener("pointercancel", onCancel);
    };
    card.addEventListener("pointermove", onMove);
    card.addEventListener("pointerup", onUp);
    card.addEventListener("pointercancel", onCancel);
  }

  pointerMove(event) {
    const drag = this.drag;
    if (!drag) return;
    if (!drag.active) {
      if (Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) < DRAG_THRESHOLD_PX) return;
      this.startDrag();
    }
    drag.ghost.style.transform = `translate(${event.clientX - drag.offsetX}px, ${event.clientY - drag.offsetY}px) rotate(2deg)`;
    this.placePlaceholder(event.clientX, event.clientY);
  }

  startDrag() {
    const drag = this.drag;
    const rect = drag.card.getBoundingClientRect();
    drag.active = true;
    drag.offsetX = drag.startX - rect.left;
    drag.offsetY = drag.startY - rect.top;
    drag.ghost = drag.card.cloneNode(true);
    drag.ghost.classList.add("drag-ghost");
    drag.ghost.removeAttribute("data-testid");
    drag.ghost.style.width = `${rect.width}px`;
    document.body.append(drag.ghost);
    drag.placeholder = el("div.card-placeholder", { style: { height: `${rect.height}px` } });
    drag.card.after(drag.placeholder);
    drag.card.classList.add("dragging");
    document.body.classList.add("is-dragging");
  }

  /** Puts the placeholder where the card would land: before the first card whose middle is below the pointer. */
  placePlaceholder(x, y) {
    const drag = this.drag;
    const hit = document.elementFromPoint(x, y)?.closest("[data-column]");
    if (!hit) return;
    const list = this.columnNodes.get(hit.dataset.column)?.list;
    if (!list) return;
    const others = [...list.querySelectorAll(".card:not(.dragging)")];
    const before = others.find((card) => {
      const r = card.getBoundingClientRect();
      return y < r.top + r.height / 2;
    });
    for (const node of this.columnNodes.values()) node.node.classList.toggle("drop-target", node.list === list);
    if (before) list.insertBefore(drag.placeholder, before);
    else list.append(drag.placeholder);
  }

  pointerUp() {
    const drag = this.drag;
    if (!drag?.active) { this.drag = null; return; }
    const list = drag.placeholder.parentElement;
    const columnName = list?.closest("[data-column]")?.dataset.column;
    const position = list ? [...list.children].filter((n) => n.classList.contains("card") && !n.classList.contains("dragging") || n === drag.placeholder).indexOf(drag.placeholder) : -1;
    this.endDrag();
    // The click that follows a drag must not open the card.
    this.suppressClick = true;
    setTimeout(() => { this.suppressClick = false; }, 0);
    if (columnName && position >= 0) this.move(drag.id, columnName, position);
  }

  cancelDrag() {
    if (this.drag?.active) this.endDrag();
    this.drag = null;
  }

  endDrag() {
    const drag = this.drag;
    drag.ghost?.remove();
    drag.placeholder?.remove();
    drag.card.classList.remove("dragging");
    document.body.classList.remove("is-dragging");
    for (const node of this.columnNodes.values()) node.node.classList.remove("drop-target");
    this.drag = null;
    if (this.renderDeferred) { this.renderDeferred = false; this.render(); }
  }
}
