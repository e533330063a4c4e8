// The live event log: every frame in and out, for testers who want the wire view.
import { el, $, clockTime } from "./ui.js";

const MAX_ENTRIES = 500;
/** High-rate types hidden unless "show noisy" is ticked. */
const NOISY = new Set(["cursor", "typing", "ping", "pong"]);

export class EventLog {
  constructor() {
    this.list = $("#log-list");
    this.count = $("#log-count");
    this.showNoisy = $("#log-noisy");
    this.total = 0;
    this.showNoisy.addEventListener("change", () => this.list.classList.toggle("show-noisy", this.showNoisy.checked));
    $("#log-clear").addEventListener("click", () => { this.list.replaceChildren(); this.total = 0; this.count.textContent = "0"; });
    $("#log-toggle").addEventListener("click", () => this.toggle());
  }

  toggle(open = $("#log").classList.contains("collapsed")) {
    $("#log").classList.toggle("collapsed", !open);
    $("#log-toggle").setAttribute("aria-expanded", String(open));
    if (open) this.list.scrollTop = this.list.scrollHeight;
  }

  /** `direction` is "in", "out" or "sys" (connection state changes). */
  add(direction, message) {
    const type = message.type ?? "?";
    const stick = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 8;
    const { type: _omit, ...rest } = message;
    const entry = el(`li.log-entry.log-${direction}`, { "data-type": type, "data-testid": "log-entry" },
      el("span.log-time", {}, clockTime()),
      el("span.log-dir", { title: { in: "received", out: "sent", sys: "client" }[direction] }, { in: "↓", out: "↑", sys: "•" }[direction]),
      el("span.log-type", {}, type),
      el("code.log-body", {}, JSON.stringify(rest)));
    if (NOISY.has(type)) entry.classList.add("noisy");
    if (type === "error") entry.classList.add("log-error");
    this.list.append(entry);
    while (this.list.children.length > MAX_ENTRIES) this.list.firstElementChild.remove();
    this.total += 1;
    this.count.textContent = String(this.total);
    if (stick) this.list.scrollTop = this.list.scrollHeight;
  }
}
