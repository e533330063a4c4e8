// Entry point: the join screen, then one App per joined workspace, built on the SDK (huddle.js).
import { el, setChildren, $, toast, relativeTime } from "./ui.js";
import { avatar, colorFor, isValidUserId, isValidWorkspace, userIdFromName } from "./identity.js";
import { HuddleClient } from "./huddle.js";
import { PresenceView, STATUSES } from "./presence.js";
import { TypingStore, TypingFields, renderTypingLines } from "./typing.js";
import { Cursors } from "./cursors.js";
import { ContactsPanel } from "./contacts.js";
import { KanbanBoard } from "./kanban.js";
import { DetailPane } from "./detail.js";
import { RecordsPanel } from "./records.js";
import { EventLog } from "./eventlog.js";
import { describeError } from "./errors.js";

const MAX_ACTIVITY = 60;
/** Matches the breakpoint in style.css where panels stack. */
const NARROW_LAYOUT = "(max-width: 860px)";
const TOKEN_KEY = "huddle.token";
const STATUS_KEY = "huddle.status";

const HANDSHAKE_ERRORS = {
  missing_token: "This server requires an access token. Paste one below — mint one with “huddle token --user <you>”.",
  invalid_token: "The server rejected that token (bad signature, malformed, or unknown role).",
  token_expired: "That token has expired or is not valid yet. Mint a fresh one.",
  workspace_forbidden: "Your token does not grant access to this workspace.",
  bad_workspace: "That workspace name is not valid: letters, digits, “_ . -”, up to 64 characters.",
  bad_user: "That user id or name is not accepted: ids use letters, digits and “_ . @ -”; names are 1–64 characters.",
  origin_not_allowed: "The server does not accept connections from this page's origin.",
  removed: "The server removed you from this workspace (your access may have changed).",
  session_removed: "The server removed you from this workspace (your access may have changed).",
};

// MARK: join screen

function sessionGet(key) {
  try { return sessionStorage.getItem(key); } catch { return null; }
}

function sessionSet(key, value) {
  try {
    if (value) sessionStorage.setItem(key, value); else sessionStorage.removeItem(key);
  } catch { /* storage disabled: the token is simply not remembered */ }
}

function showJoinError(text) {
  const node = $("#join-error");
  node.textContent = text;
  node.hidden = !text;
}

function showTokenField(show) {
  $("#token-field").hidden = !show;
}

/** Tells whether the server is up and whether it wants tokens (jwt mode answers 401). */
async function probeServer(workspace) {
  const line = $("#server-line");
  try {
    const health = await (await fetch("/healthz", { cache: "no-store" })).json();
    line.dataset.state = health.status === "ok" ? "ok" : "warn";
    line.querySelector(".text").textContent = health.status === "ok"
      ? `Server online · ${health.connections} open session${health.connections === 1 ? "" : "s"} in ${health.workspaces} workspace${health.workspaces === 1 ? "" : "s"}`
      : "Server reachable, but its storage is failing.";
  } catch {
    line.dataset.state = "down";
    line.querySelector(".text").textContent = "Server unreachable — is “huddle serve” running?";
    return;
  }
  try {
    const probe = await fetch(`/api/workspaces/${encodeURIComponent(isValidWorkspace(workspace) ? workspace : "lobby")}/presence`, { cache: "no-store" });
    if (probe.status === 401) showTokenField(true);
  } catch { /* the health line already says what is wrong */ }
}

function updateDerived() {
  const form = $("#join-form");
  const explicit = form.elements.user.value.trim();
  const id = explicit || userIdFromName(form.elements.name.value);
  $("#join-derived").replaceChildren(...(id
    ? ["You will join as ", avatar(id, form.elements.name.value || id, "xs"), " ", el("code", {}, id)]
    : []));
}

/** Fills the join form from the address; joins at once when it says who and where. */
function bootJoinScreen() {
  const params = new URLSearchParams(location.search);
  // Refused joins come back through the address (see App.fatal) so the page starts clean.
  const error = params.get("error");
  if (error) {
    params.delete("error");
    history.replaceState(null, "", `${location.pathname}?${params}`);
    showJoinError(HANDSHAKE_ERRORS[error] ?? `The server refused the connection (${error}).`);
    if (error.includes("token")) showTokenField(true);
  }
  const form = $("#join-form");
  form.elements.ws.value = params.get("ws") ?? "";
  form.elements.name.value = params.get("name") ?? "";
  form.elements.user.value = params.get("user") ?? "";
  if (params.get("user")) form.querySelector("details").open = true;
  const token = params.get("token") ?? sessionGet(TOKEN_KEY) ?? "";
  form.elements.token.value = token;
  if (token) showTokenField(true);
  form.addEventListener("input", updateDerived);
  updateDerived();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    join({
      workspace: form.elements.ws.value.trim(),
      name: form.elements.name.value.trim(),
      user: form.elements.user.value.trim(),
      token: form.elements.token.value.trim(),
      tokenURL: params.get("token_url"),
    });
  });
  probeServer(params.get("ws") ?? "");
  if (!error && params.get("ws") && (params.get("name") || params.get("user") || token)) form.requestSubmit();
  else (form.elements.ws.value ? form.elements.name : form.elements.ws).focus();
}

function join({ workspace, name, user, token, tokenURL }) {
  if (!isValidWorkspace(workspace)) {
    showJoinError(HANDSHAKE_ERRORS.bad_workspace);
    return;
  }
  if (!token && !name && !user) {
    showJoinError("Tell the others who you are: enter a display name.");
    return;
  }
  const userId = token ? "" : (user || userIdFromName(name));
  if (!token && user && !isValidUserId(user)) {
    showJoinError(HANDSHAKE_ERRORS.bad_user);
    return;
  }
  showJoinError("");
  sessionSet(TOKEN_KEY, token);
  // The address carries the workspace and name so a reload (or a shared link) rejoins.
  const params = new URLSearchParams({ ws: workspace });
  if (name) params.set("name", name);
  if (user) params.set("user", user);
  if (tokenURL) params.set("token_url", tokenURL);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  const app = new App({ workspace, name: name || userId, user: userId, token, tokenURL });
  // A handle for testers poking at the live state from the console.
  window.huddle = app;
  app.start();
}

/**
 * The token the SDK connects with: the one typed in, or with `?token_url=`
 * of this page's own origin (the request carries the page's cookies) a
 * provider that asks that URL for a fresh one (a POST answering `{"token"}`
 * or the bare JWT) on every reconnect and when the token runs out.
 */
function tokenSource(token, tokenURL) {
  if (!tokenURL || new URL(tokenURL, location.href).origin !== location.origin) return token;
  let first = token;
  return async () => {
    if (first) {
      const typed = first;
      first = null;
      return typed;
    }
    const response = await fetch(tokenURL, { method: "POST", credentials: "same-origin" });
    if (!response.ok) throw { code: `http_${response.status}` };
    const text = (await response.text()).trim();
    return text.startsWith("{") ? JSON.parse(text).token : text;
  };
}

// MARK: the app

class App {
  constructor({ workspace, name, user, token, tokenURL }) {
    this.workspace = workspace;
    // sessionStorage is per tab: a reload resumes this tab's session, another tab gets its own.
    this.client = new HuddleClient({ workspace, user, name, token: tokenSource(token, tokenURL), storage: sessionStorage });
    this.presence = this.client.presence;
    this.typingStore = new TypingStore();
    this.self = { id: user, name, role: "editor" };
    this.myStatus = STATUSES.includes(sessionGet(STATUS_KEY)) ? sessionGet(STATUS_KEY) : "online";
    // The SDK sends it once the session is up, and again to any new session.
    if (this.myStatus !== "online") this.presence.set({ status: this.myStatus });
    this.firstLoad = true;
    /** Records plugins by name, from welcome.plugins. */
    this.records = new Map();
  }

  start() {
    const nameOf = (id) => (id === this.self.id && !this.presence.names.has(id) ? this.self.name : this.presence.nameOf(id));
    const viewersOf = (subject) => [...this.presence.users.values()]
      .filter((u) => [...u.sessions.values()].some((s) => s.focus === subject))
      .map((u) => ({ id: u.id, name: u.name }));
    const typingTargets = () => this.typingStore.targets(this.self.id);
    this.nameOf = nameOf;
    this.log = new EventLog();
    this.presenceView = new PresenceView({
      list: $("#people"), stack: $("#avatar-stack"), count: $("#people-count"),
      describeFocus: (focus) => this.describeFocus(focus),
    });
    this.cursors = new Cursors({ area: $("#workspace"), layer: $("#cursor-layer"), client: this.client, nameOf });
    this.contacts = new ContactsPanel({ client: this.client, viewersOf, typingTargets, onSelect: (id) => this.openDetail("contact", id) });
    this.board = new KanbanBoard({ client: this.client, viewersOf, typingTargets, nameOf, onSelect: (id) => this.openDetail("task", id) });
    this.detail = new DetailPane({
      client: this.client, typing: new TypingFields(this.client), nameOf, viewersOf,
      selfId: () => this.self.id, contacts: this.contacts, board: this.board,
      onFocus: (focus) => this.setFocus(focus),
      onClose: () => { this.setFocus(null); this.contacts.setSelected(null); this.board.setSelected(null); },
    });

    // A reload joins with the refreshed token, not the one that is running out.
    this.client.on("token", ({ token }) => { if (token) sessionSet(TOKEN_KEY, token); });

    $("#join-screen").hidden = true;
    $("#app").hidden = false;
    $("#ws-name").textContent = this.workspace;
    document.title = `${this.workspace} · Huddle`;
    const select = $("#status-select");
    select.value = this.myStatus;
    this.paintMyStatus();
    select.addEventListener("change", () => {
      this.myStatus = select.value;
      sessionSet(STATUS_KEY, this.myStatus);
      this.paintMyStatus();
      this.presence.set({ status: this.myStatus });
    });
    $("#leave-btn").addEventListener("click", () => this.leave());

    const client = this.client;
    client.on("state", (state) => this.showConnection(state));
    client.on("rtt", (ms) => { $("#conn").title = `Round trip ${ms} ms`; });
    client.on("fatal", (detail) => this.fatal(detail));
    client.on("sent", (envelope) => this.log.add("out", envelope));
    client.on("message", (message) => this.receive(message));
    client.on("reload", () => this.loadSnapshots());
    client.on("welcome", (message) => this.welcome(message));
    client.on("presence.join", (message) => this.presenceJoin(message));
    client.on("presence.leave", (message) => this.presenceLeave(message));
    client.on("presence.update", () => this.renderPresence());
    client.on("typing", (message) => { this.typingStore.apply(message); this.renderTyping(); });
    client.on("cursor", (message) => this.cursors.apply(message));
    client.on("error", (message) => this.serverError(message));
    client.connect();
  }

  paintMyStatus() {
    $("#my-status-dot").dataset.status = this.myStatus;
  }

  showConnection({ state, attempt, delayMs }) {
    const pill = $("#conn");
    pill.dataset.state = state;
    const text = {
      connecting: "Connecting…",
      online: "Live",
      reconnecting: delayMs ? `Reconnecting in ${Math.ceil(delayMs / 1000)} s…` : `Reconnecting… (try ${attempt})`,
      offline: "Offline",
    }[state];
    pill.querySelector(".conn-text").textContent = text;
    document.body.dataset.connection = state;
    this.log.add("sys", { type: `connection.${state}`, ...(attempt ? { attempt } : {}), ...(delayMs ? { delay_ms: delayMs } : {}) });
  }

  /** The server refused the handshake for a reason retrying cannot fix (the SDK has forgotten the session). */
  fatal({ code }) {
    // Back to a clean join screen that explains what to fix.
    const params = new URLSearchParams(location.search);
    params.set("error", code);
    location.replace(`${location.pathname}?${params}`);
  }

  leave() {
    this.client.leave();
    // Give the leave frame a moment to go out before the page goes away.
    setTimeout(() => location.assign(`${location.pathname}?ws=${encodeURIComponent(this.workspace)}`), 150);
  }

  openDetail(kind, id) {
    this.contacts.setSelected(kind === "contact" ? id : null);
    this.board.setSelected(kind === "task" ? id : null);
    this.detail.open(kind, id);
    // Stacked panels: bring the pane into view, it may be far below.
    if (matchMedia(NARROW_LAYOUT).matches) $(".detail-panel").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  setFocus(focus) {
    if (focus === (this.presence.desired.focus ?? null)) return;
    this.presence.set({ focus });
  }

  describeFocus(focus) {
    const [kind, id] = focus.split(":");
    if (kind === "contact") {
      const contact = this.contacts.get(id);
      return contact ? `Contact: ${contact.name}` : "a contact";
    }
    if (kind === "task") {
      const task = this.board.get(id);
      return task ? `Task: ${task.title}` : "a task";
    }
    const records = this.records.get(kind);
    if (records) return `${records.title}: ${records.labelOf(records.get(id))}`;
    return focus;
  }

  // MARK: incoming

  /** Every message goes to the log; durable events (they carry `seq` and `by`) to the panels. */
  receive(message) {
    this.log.add("in", message);
    if (typeof message.seq === "number" && message.by) this.durableEvent(message);
  }

  welcome(message) {
    this.self = { id: message.user.id, name: message.user.name, role: message.user.role };
    this.presenceView.selfId = this.self.id;
    setChildren($("#me"), avatar(this.self.id, this.self.name, "sm"), el("span.me-name", {}, this.self.name),
      this.self.role !== "editor" ? el("span.role-badge", {}, this.self.role) : null);
    this.typingStore.reset(message.typing);
    this.cursors.retain((session) => this.presence.hasSession(session));
    const enabled = new Set((message.plugins ?? []).map((p) => p.name));
    this.contacts.setEnabled(enabled.has("contacts"));
    this.board.setEnabled(enabled.has("kanban"));
    this.syncRecordPanels(message.plugins ?? []);
    this.renderPresence();
    this.renderTyping();
  }

  /** The SDK says when: on the first session, and whenever the missed events cannot be replayed. */
  loadSnapshots() {
    if (!this.firstLoad) toast("Missed too much while away — reloaded the board and contacts.", "warn");
    this.firstLoad = false;
    this.contacts.load();
    this.board.load().then(() => this.renderPresence());
    for (const panel of this.records.values()) panel.load();
    if (this.detail.current) this.detail.loadNotes();
  }

  /** A panel per `"kind":"records"` entry; a changed schema rebuilds its panel, other kinds are not ours to show. */
  syncRecordPanels(plugins) {
    const wanted = plugins.filter((p) => p.kind === "records" && Array.isArray(p.fields));
    for (const [name, panel] of this.records) {
      const entry = wanted.find((p) => p.name === name);
      if (!entry || JSON.stringify(entry.fields) !== panel.schema) {
        panel.root.remove();
        this.records.delete(name);
      }
    }
    for (const plugin of wanted) {
      if (this.records.has(plugin.name)) continue;
      const panel = new RecordsPanel({ plugin, client: this.client, nameOf: this.nameOf, onFocus: (focus) => this.setFocus(focus) });
      this.records.set(plugin.name, panel);
      $("#records-area").append(panel.root);
      // Panels made after the snapshots were loaded fetch their own.
      if (!this.firstLoad) panel.load();
    }
    $("#records-area").hidden = this.records.size === 0;
    $("#workspace").classList.toggle("has-records", this.records.size > 0);
  }

  presenceJoin(message) {
    this.renderPresence();
    this.cursors.relabel();
    // `sessions` counts the user's sessions after this join: 1 means they just came online.
    if (message.sessions === 1 && message.user !== this.self.id) {
      this.activity(message.user, `${message.name} joined`);
      toast(`${message.name} joined`, "info", avatar(message.user, message.name, "xs"));
    }
  }

  presenceLeave(message) {
    const name = this.nameOf(message.user);
    this.typingStore.dropSession(message.session);
    this.cursors.removeSession(message.session);
    const offline = !this.presence.users.has(message.user);
    this.renderPresence();
    this.renderTyping();
    if (offline && message.user !== this.self.id) this.activity(message.user, `${name} left`);
  }

  serverError(message) {
    // Replies to requests are handled by whoever asked; typing and cursor limits are harmless;
    // after history_gone the SDK asks for a reload, which says so.
    if (message.id != null || message.code === "rate_limited" || message.code === "history_gone") return;
    toast(describeError(message), "error");
  }

  durableEvent(message) {
    const sentence = this.describeEvent(message);
    const data = message.data ?? {};
    const [plugin] = message.type.split(".");
    if (plugin === "contacts") {
      this.contacts.apply(message);
      if (message.type === "contacts.deleted") this.detail.recordDeleted("contact", data.id, message.by);
      else this.detail.recordChanged("contact", data.contact, message.by);
    } else if (plugin === "kanban") {
      this.board.apply(message);
      if (message.type === "kanban.deleted") this.detail.recordDeleted("task", data.id, message.by);
      else if (data.task) this.detail.recordChanged("task", data.task, message.by);
    } else if (plugin === "notes") {
      this.detail.applyNoteEvent(message);
    } else if (this.records.has(plugin)) {
      this.records.get(plugin).apply(message);
    }
    if (sentence) {
      this.activity(message.by?.user, sentence, message.at);
      const byOtherTab = message.by?.session !== this.client.session;
      if (byOtherTab) toast(sentence, "info", avatar(message.by?.user ?? "api", message.by?.name ?? "?", "xs"));
    }
    this.renderPresence();
  }

  describeEvent(message) {
    const data = message.data ?? {};
    const by = message.by;
    const who = !by ? "Someone" : by.session && by.session === this.client.session ? "You" : (by.name ?? by.user);
    const contactName = (id) => this.contacts.get(id)?.name;
    const taskTitle = (id) => this.board.get(id)?.title;
    const subject = (s) => {
      const [kind, id] = String(s ?? "").split(":");
      if (kind === "contact") return contactName(id) ? `“${contactName(id)}”` : "a contact";
      if (kind === "task") return taskTitle(id) ? `“${taskTitle(id)}”` : "a task";
      return s;
    };
    switch (message.type) {
      case "contacts.created": return `${who} added contact “${data.contact.name}”`;
      case "contacts.updated": return `${who} updated “${data.contact.name}” (${Object.keys(data.changes ?? {}).join(", ")})`;
      case "contacts.deleted": return `${who} deleted contact ${contactName(data.id) ? `“${contactName(data.id)}”` : data.id}`;
      case "notes.added": return `${who} added a note on ${subject(data.note.subject)}`;
      case "notes.edited": return `${who} edited a note on ${subject(data.note.subject)}`;
      case "notes.deleted": return `${who} deleted a note on ${subject(data.subject)}`;
      case "kanban.created": return `${who} created “${data.task.title}” in ${data.task.column}`;
      case "kanban.updated": return `${who} edited “${data.task.title}”`;
      case "kanban.moved": return data.from === data.to
        ? `${who} reordered “${data.task.title}” in ${data.to}`
        : `${who} moved “${data.task.title}” to ${data.to}`;
      case "kanban.deleted": return `${who} deleted “${taskTitle(data.id) ?? "a task"}”`;
      default: return this.describeRecordEvent(who, message) ?? `${who}: ${message.type}`;
    }
  }

  /** Sentences for a records plugin's events (before the panel applies a delete, the label is still known). */
  describeRecordEvent(who, message) {
    const [plugin, action] = message.type.split(".");
    const panel = this.records.get(plugin);
    if (!panel) return null;
    const data = message.data ?? {};
    const label = `“${panel.labelOf(data.record ?? panel.get(data.id))}”`;
    if (action === "created") return `${who} added ${label} to ${panel.title}`;
    if (action === "updated") return `${who} updated ${label} in ${panel.title}`;
    if (action === "deleted") return `${who} deleted ${label} from ${panel.title}`;
    return null;
  }

  activity(userId, sentence, at = null) {
    const list = $("#activity");
    const when = at ? relativeTime(at) : "just now";
    list.prepend(el("li.activity-item", { "data-testid": "activity-item" },
      el("span.activity-dot", { style: { background: colorFor(userId ?? "?") } }),
      el("span.activity-text", {}, sentence),
      el("time.muted", { datetime: at ?? new Date().toISOString() }, when)));
    while (list.children.length > MAX_ACTIVITY) list.lastElementChild.remove();
  }

  // MARK: rendering

  renderPresence() {
    this.presenceView.render(this.presence);
    this.contacts.refreshBadges();
    this.board.render();
    this.detail.refreshViewers();
    $("#people-ids").replaceChildren(...[...this.presence.users.values()].map((u) => el("option", { value: u.id }, u.name)));
  }

  renderTyping() {
    renderTypingLines(this.typingStore, this.self.id, this.nameOf);
    this.contacts.refreshBadges();
    this.board.render();
  }
}

bootJoinScreen();
