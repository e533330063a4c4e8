// Who is here: per-session presence folded into one row per user.
import { el } from "./ui.js";
import { avatar, colorFor } from "./identity.js";

export const STATUSES = ["online", "away", "busy"];
const STATUS_LABEL = { online: "Online", away: "Away", busy: "Busy" };

/** Presence as the server reports it: users, each with their sessions. */
export class PresenceStore {
  constructor() {
    this.users = new Map();
    this.clock = 0;
  }

  /** Replaces everything with a welcome's `presence` list. */
  reset(list) {
    this.users.clear();
    for (const entry of list ?? []) {
      for (const session of entry.sessions ?? []) {
        this.upsertSession(entry.user, entry.name, session.session, session);
      }
    }
  }

  upsertSession(userId, name, sessionId, fields) {
    let user = this.users.get(userId);
    if (!user) {
      user = { id: userId, name: name || userId, sessions: new Map() };
      this.users.set(userId, user);
    }
    if (name) user.name = name;
    const session = user.sessions.get(sessionId) ?? { session: sessionId, status: "online", focus: null, meta: {} };
    for (const key of ["status", "focus", "meta"]) {
      if (fields[key] !== undefined) session[key] = fields[key];
    }
    session.touched = ++this.clock;
    user.sessions.set(sessionId, session);
  }

  join(message) {
    this.upsertSession(message.user, message.name, message.session, message);
  }

  update(message) {
    const user = this.users.get(message.user);
    if (!user) return;
    this.upsertSession(message.user, null, message.session, message);
  }

  /** Returns true when the user went offline with this leave. */
  leave(message) {
    const user = this.users.get(message.user);
    if (!user) return false;
    user.sessions.delete(message.session);
    if (message.sessions === 0 || user.sessions.size === 0) {
      this.users.delete(message.user);
      return true;
    }
    return false;
  }

  nameOf(userId) {
    return this.users.get(userId)?.name ?? userId;
  }

  hasSession(sessionId) {
    for (const user of this.users.values()) if (user.sessions.has(sessionId)) return true;
    return false;
  }

  /** The most recently changed session speaks for the user's status and focus. */
  summary(user) {
    const sessions = [...user.sessions.values()].sort((a, b) => b.touched - a.touched);
    const latest = sessions[0];
    const focused = sessions.find((s) => s.focus);
    return { status: latest?.status ?? "online", focus: focused?.focus ?? null, sessions: sessions.length };
  }
}

/**
 * Renders the people list and the avatar stack. Rows are keyed by user and
 * updated in place: a row is removed only when its user goes offline, so a
 * reload elsewhere never flickers here.
 */
export class PresenceView {
  constructor({ list, stack, count, describeFocus }) {
    this.list = list;
    this.stack = stack;
    this.count = count;
    this.describeFocus = describeFocus;
    this.rows = new Map();
    this.chips = new Map();
    this.selfId = null;
  }

  render(store) {
    const users = [...store.users.values()].sort((a, b) => {
      if (a.id === this.selfId) return -1;
      if (b.id === this.selfId) return 1;
      return a.name.toLowerCase().localeCompare(b.name.toLowerCase());
    });
    const seen = new Set();
    users.forEach((user, index) => {
      seen.add(user.id);
      const row = this.rows.get(user.id) ?? this.createRow(user);
      this.fillRow(row, user, store.summary(user));
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] ?? null);
      const chip = this.chips.get(user.id) ?? this.createChip(user);
      chip.title = `${user.name} — ${STATUS_LABEL[store.summary(user).status]}`;
      chip.dataset.status = store.summary(user).status;
      if (this.stack.children[index] !== chip) this.stack.insertBefore(chip, this.stack.children[index] ?? null);
    });
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) { row.remove(); this.rows.delete(id); }
    }
    for (const [id, chip] of this.chips) {
      if (!seen.has(id)) { chip.remove(); this.chips.delete(id); }
    }
    this.count.textContent = String(users.length);
  }

  createRow(user) {
    const row = el("li.person", { "data-testid": "presence-item", "data-user": user.id });
    row.append(
      el("span.person-avatar", {}, avatar(user.id, user.name, "md"), el("span.status-dot")),
      el("span.person-text", {},
        el("span.person-name", {}, el("span.person-label"), el("span.you-badge", { hidden: true }, "you"),
          el("span.sessions-badge", { "data-testid": "session-count", hidden: true })),
        el("span.person-focus", { "data-testid": "presence-focus" })),
    );
    this.rows.set(user.id, row);
    return row;
  }

  fillRow(row, user, summary) {
    row.dataset.status = summary.status;
    row.classList.toggle("is-self", user.id === this.selfId);
    row.querySelector(".person-label").textContent = user.name;
    row.querySelector(".you-badge").hidden = user.id !== this.selfId;
    const badge = row.querySelector(".sessions-badge");
    badge.hidden = summary.sessions < 2;
    badge.textContent = `${summary.sessions} tabs`;
    badge.title = `${user.name} has ${summary.sessions} open sessions`;
    const focus = summary.focus ? this.describeFocus(summary.focus) : null;
    row.querySelector(".person-focus").textContent = focus ? `viewing ${focus}` : STATUS_LABEL[summary.status] ?? summary.status;
    row.title = `${user.name} (${user.id}) — ${STATUS_LABEL[summary.status] ?? summary.status}`;
  }

  createChip(user) {
    const chip = avatar(user.id, user.name, "sm", { "data-testid": "presence-avatar", "data-user": user.id });
    chip.classList.add("stack-chip");
    chip.style.setProperty("--ring", colorFor(user.id));
    this.chips.set(user.id, chip);
    return chip;
  }
}
