// Live cursors: ours sent as fractions of the workspace area, theirs drawn on it.
import { el } from "./ui.js";
import { colorFor } from "./identity.js";

const IDLE_FADE_MS = 8000;
const PRECISION = 10000;

const ARROW_SVG = '<svg viewBox="0 0 16 20" width="16" height="20" aria-hidden="true">' +
  '<path d="M1 1 L1 16 L5 12.5 L8 19 L10.5 18 L7.6 11.6 L13 11.3 Z" fill="currentColor" stroke="white" stroke-width="1.3" stroke-linejoin="round"/></svg>';

export class Cursors {
  /**
   * @param area the workspace element positions are relative to
   * @param layer an overlay inside `area` that holds the others' cursors
   */
  constructor({ area, layer, client, nameOf }) {
    this.area = area;
    this.layer = layer;
    this.nameOf = nameOf;
    this.bySession = new Map();
    this.visible = false;
    area.addEventListener("pointermove", (event) => {
      const rect = area.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) return;
      const round = (value) => Math.round(Math.min(1, Math.max(0, value)) * PRECISION) / PRECISION;
      const panel = event.target.closest?.("[data-panel]")?.dataset.panel ?? "workspace";
      this.visible = true;
      // The SDK paces sends to the server's relay rate.
      client.cursor(round((event.clientX - rect.left) / rect.width), round((event.clientY - rect.top) / rect.height), panel);
    });
    area.addEventListener("pointerleave", () => {
      if (!this.visible) return;
      this.visible = false;
      client.cursor({ hidden: true });
    });
    this.fadeTimer = setInterval(() => this.fadeIdle(), IDLE_FADE_MS / 4);
  }

  apply(message) {
    const data = message.data ?? {};
    let cursor = this.bySession.get(message.session);
    if (data.hidden || typeof data.x !== "number" || typeof data.y !== "number") {
      if (cursor) cursor.node.classList.add("hidden");
      return;
    }
    if (!cursor) {
      const node = el("div.cursor", {
        "data-testid": "cursor", "data-user": message.user, "data-session": message.session,
        style: { color: colorFor(message.user) },
      });
      node.innerHTML = ARROW_SVG;
      node.append(el("span.cursor-label", { style: { background: colorFor(message.user) } }, this.nameOf(message.user)));
      this.layer.append(node);
      cursor = { node, seenAt: 0 };
      this.bySession.set(message.session, cursor);
      // First placement jumps; later moves glide (see .cursor.placed in style.css).
      requestAnimationFrame(() => node.classList.add("placed"));
    }
    cursor.seenAt = performance.now();
    cursor.node.classList.remove("hidden", "idle");
    cursor.node.style.left = `${data.x * 100}%`;
    cursor.node.style.top = `${data.y * 100}%`;
    cursor.node.dataset.target = String(data.target ?? "");
  }

  /** Names can arrive after the first cursor (join order); keep labels current. */
  relabel() {
    for (const cursor of this.bySession.values()) {
      cursor.node.querySelector(".cursor-label").textContent = this.nameOf(cursor.node.dataset.user);
    }
  }

  removeSession(session) {
    const cursor = this.bySession.get(session);
    if (!cursor) return;
    cursor.node.remove();
    this.bySession.delete(session);
  }

  /** Drops cursors of sessions that are no longer present (after a fresh welcome). */
  retain(isPresent) {
    for (const session of [...this.bySession.keys()]) if (!isPresent(session)) this.removeSession(session);
  }

  fadeIdle() {
    const now = performance.now();
    for (const cursor of this.bySession.values()) {
      if (now - cursor.seenAt > IDLE_FADE_MS) cursor.node.classList.add("idle");
    }
  }
}
