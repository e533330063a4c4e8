// Who is here: the SDK's per-session presence folded into one row per user.
import { el } from "./ui.js";
import { avatar, colorFor } from "./identity.js";

export const STATUSES = ["online", "away", "busy"];
const STATUS_LABEL = { online: "Online", away: "Away", busy: "Busy" };

/** One line per user: the most recently changed session speaks for status and focus. */
export function summary(user) {
  const sessions = [...user.sessions.values()].sort((a, b) => b.changed - a.changed);
  const latest = sessions[0];
  const focused = sessions.find((s) => s.focus);
  return { status: latest?.status ?? "online", focus: focused?.focus ?? null, sessions: sessions.length };
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

  /** `presence` is the SDK's store (`client.presence`). */
  render(presence) {
    const users = presence.list().sort((a, b) => {
      if (a.id === this.selfId) return -1;
      if (b.id === this.selfId) return 1;
      return a.name.toLowerCase().localeCompare(b.name.toLowerCase());
    });
    const seen = new Set();
    users.forEach((user, index) => {
      seen.add(user.id);
      const row = this.rows.get(user.id) ?? this.createRow(user);
      const state = summary(user);
      this.fillRow(row, user, state);
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] ?? null);
      const chip = this.chips.get(user.id) ?? this.createChip(user);
      chip.title = `${user.name} — ${STATUS_LABEL[state.status]}`;
      chip.dataset.status = state.status;
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

  fillRow(row, user, state) {
    row.dataset.status = state.status;
    row.classList.toggle("is-self", user.id === this.selfId);
    row.querySelector(".person-label").textContent = user.name;
    row.querySelector(".you-badge").hidden = user.id !== this.selfId;
    const badge = row.querySelector(".sessions-badge");
    badge.hidden = state.sessions < 2;
    badge.textContent = `${state.sessions} tabs`;
    badge.title = `${user.name} has ${state.sessions} open sessions`;
    const focus = state.focus ? this.describeFocus(state.focus) : null;
    row.querySelector(".person-focus").textContent = focus ? `viewing ${focus}` : STATUS_LABEL[state.status] ?? state.status;
    row.title = `${user.name} (${user.id}) — ${STATUS_LABEL[state.status] ?? state.status}`;
  }

  createChip(user) {
    const chip = avatar(user.id, user.name, "sm", { "data-testid": "presence-avatar", "data-user": user.id });
    chip.classList.add("stack-chip");
    chip.style.setProperty("--ring", colorFor(user.id));
    this.chips.set(user.id, chip);
    return chip;
  }
}
