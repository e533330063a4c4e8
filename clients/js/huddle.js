// huddle.js — the Huddle client SDK: one dependency-free ES module.
//
// Every Huddle server serves it at /huddle.js; clients/js/huddle.js is the
// same file for teams that vendor or publish it (a test keeps them equal).
// The wire contract is docs/protocol.md; the API is in docs/client.md.

const SUBPROTOCOL = "huddle.v1";
const CLOSE_REMOVED = 4003;
/** The token ran out unrefreshed: only a token provider can give a reconnect a new one. */
const CLOSE_TOKEN_EXPIRED = 4001;
/** HTTP answers to the handshake that retrying cannot fix. */
const FATAL_HANDSHAKE_STATUSES = new Set([400, 401, 403]);
/** Used until a welcome says what this server is configured with. */
const SERVER_DEFAULTS = { heartbeatMs: 20000, typingTtlMs: 5000, cursorMaxHz: 30 };
/** Typing refreshes go out at this share of the server's TTL, so the indicator never blinks. */
const TYPING_REFRESH_SHARE = 0.4;

const DEFAULT_OPTIONS = {
  backoffBaseMs: 500,
  backoffCapMs: 15000,
  requestTimeoutMs: 15000,
  /** No pong this long after a ping: the link is dead even if the socket has not noticed. */
  pongTimeoutMs: 10000,
  maxQueue: 100,
  /** Typing stops by itself this long after the last `typing(target, true)`. */
  typingIdleMs: 4000,
};

const now = () => globalThis.performance?.now() ?? Date.now();

function clientError(code, message) {
  return { type: "error", code, message };
}

/**
 * Presence as the server reports it: users, each with their sessions.
 * Kept up to date by the client before any `presence.*` listener runs.
 */
export class Presence {
  #send;
  #changes = 0;

  constructor(send) {
    this.#send = send;
    /** user id → `{id, name, sessions: Map<session id, {session, status, focus, meta, since, changed}>}` */
    this.users = new Map();
    /** Every name seen, kept after its user leaves (for "Alice left"). */
    this.names = new Map();
    /** What this client asked for with `set`; re-applied to every new session. */
    this.desired = {};
  }

  list() {
    return [...this.users.values()];
  }

  get(userId) {
    return this.users.get(userId) ?? null;
  }

  nameOf(userId) {
    return this.names.get(userId) ?? userId;
  }

  session(sessionId) {
    for (const user of this.users.values()) {
      const session = user.sessions.get(sessionId);
      if (session) return session;
    }
    return null;
  }

  /** `{status?, focus?, meta?}`; offline, it is sent when the session is back. Returns whether it went out now. */
  set(fields) {
    Object.assign(this.desired, fields);
    return this.#send("presence.set", fields);
  }

  /** The fields of `desired` that the server's copy of `sessionId` lacks. */
  differences(sessionId) {
    const current = this.session(sessionId) ?? {};
    const diff = {};
    for (const [key, value] of Object.entries(this.desired)) {
      if (JSON.stringify(value) !== JSON.stringify(current[key] ?? null)) diff[key] = value;
    }
    return diff;
  }

  reset(list) {
    this.users.clear();
    for (const entry of list ?? []) {
      for (const session of entry.sessions ?? []) this.#upsert(entry.user, entry.name, session.session, session);
    }
  }

  /** Applies `presence.join`, `presence.leave` or `presence.update`. */
  apply(message) {
    if (message.type === "presence.join") this.#upsert(message.user, message.name, message.session, message);
    else if (message.type === "presence.update" && this.users.has(message.user)) this.#upsert(message.user, null, message.session, message);
    else if (message.type === "presence.leave") {
      const user = this.users.get(message.user);
      user?.sessions.delete(message.session);
      if (user && (message.sessions === 0 || user.sessions.size === 0)) this.users.delete(message.user);
    }
  }

  #upsert(userId, name, sessionId, fields) {
    let user = this.users.get(userId);
    if (!user) {
      user = { id: userId, name: name || userId, sessions: new Map() };
      this.users.set(userId, user);
    }
    if (name) user.name = name;
    this.names.set(userId, user.name);
    const session = user.sessions.get(sessionId) ?? { session: sessionId, status: "online", focus: null, meta: {}, since: null };
    for (const key of ["status", "focus", "meta", "since"]) {
      if (fields[key] !== undefined) session[key] = fields[key];
    }
    // A counter, not a clock: "the session changed last" must not depend on timer resolution.
    session.changed = ++this.#changes;
    user.sessions.set(sessionId, session);
  }
}

/**
 * One logical session with a Huddle server, surviving reconnects.
 *
 * Lifecycle events (besides every server message type): "state"
 * `{state, attempt?, delayMs?}`, "reload" `{seq, epoch}` (load snapshots
 * now), "presence" (the presence store changed), "message" (every message),
 * "sent" (every envelope sent), "fatal" `{status, code}`, "rtt" (ms), "token" (`{token, exp}`
 * after a refresh, `{error}` when one failed).
 */
export class HuddleClient {
  #options;
  #listeners = new Map();
  #socket = null;
  #opening = false;
  #stopped = true;
  /** After `leave` or a fatal refusal: requests fail at once until `connect()`. */
  #closed = false;
  #attempt = 0;
  #reconnectTimer = null;
  #nextId = 1;
  #pending = new Map();
  #queue = [];
  #ready = false;
  #replaying = false;
  #loadedOnce = false;
  #server = { ...SERVER_DEFAULTS };
  #ping = { timer: null, deadline: null, id: null, at: 0 };
  #typing = new Map();
  #cursor = { last: -Infinity, timer: null, pending: null };

  /**
   * @param options `{workspace, url?, token?, user?, name?, storage?, storageKey?, WebSocket?, ...tunables}`;
   *   `token` is a string or a function returning one (or a promise of one), called on every connect
   *   and on `auth.expiring`, when the SDK hands the server a new token (`auth.refresh`).
   */
  constructor(options) {
    if (!options?.workspace) throw new TypeError("HuddleClient needs a workspace");
    // An option given as undefined keeps its default (`{typingIdleMs: maybeNumber}` is common).
    const given = Object.entries(options).filter(([, value]) => value !== undefined);
    this.#options = { ...DEFAULT_OPTIONS, ...Object.fromEntries(given) };
    this.workspace = options.workspace;
    this.state = "idle";
    this.session = null;
    this.me = null;
    this.plugins = [];
    this.seq = null;
    this.epoch = null;
    this.presence = new Presence((type, data) => this.send(type, data));
    this.#restore();
    // Back online after a network loss: retry now rather than at the end of the backoff.
    globalThis.addEventListener?.("online", () => {
      if (this.#reconnectTimer && !this.#stopped) this.connect();
    });
  }

  // MARK: events

  /** Calls `handler(payload)` for a server message type or a lifecycle event; returns an unsubscribe function. */
  on(type, handler) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(handler);
    return () => this.off(type, handler);
  }

  off(type, handler) {
    this.#listeners.get(type)?.delete(handler);
  }

  #emit(type, payload) {
    for (const handler of [...(this.#listeners.get(type) ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        // One broken listener must not stop the others or the client; report it as uncaught.
        setTimeout(() => { throw error; });
      }
    }
  }

  #setState(state, extra = {}) {
    this.state = state;
    this.#emit("state", { state, ...extra });
  }

  // MARK: connecting

  get isOpen() {
    return this.#socket?.readyState === 1;
  }

  /** Opens the session (again after `disconnect`); reconnects by itself until `disconnect`, `leave` or a fatal refusal. */
  connect() {
    this.#stopped = false;
    this.#closed = false;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    if (this.#socket || this.#opening) return;
    this.#setState(this.#attempt === 0 ? "connecting" : "reconnecting", { attempt: this.#attempt });
    this.#open();
  }

  async #open() {
    this.#opening = true;
    let token;
    try {
      token = await this.#token();
    } catch {
      token = undefined;
    }
    this.#opening = false;
    if (this.#stopped) return;
    const url = this.#url("ws", `/ws/${encodeURIComponent(this.workspace)}`, token, true);
    this.#replaying = url.searchParams.has("since");
    const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
    let socket;
    try {
      socket = new Socket(url.href, SUBPROTOCOL);
    } catch (error) {
      // A malformed url or a blocked port: no retry can fix it.
      this.#fatal({ status: null, code: "bad_url", message: String(error?.message ?? error) });
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.addEventListener("open", () => { opened = true; });
    socket.addEventListener("message", (event) => { if (this.#socket === socket) this.#receive(event.data); });
    socket.addEventListener("close", (event) => {
      if (this.#socket !== socket) return;
      this.#dropSocket();
      if (event.code === CLOSE_REMOVED) this.#fatal({ status: null, code: "removed" });
      else if (event.code === CLOSE_TOKEN_EXPIRED && typeof this.#options.token !== "function") {
        this.#fatal({ status: null, code: "token_expired" });
      }
      else if (this.#stopped) this.#setState("offline");
      else if (!opened) this.#diagnoseHandshake(token);
      else this.#scheduleReconnect();
    });
  }

  async #token() {
    const token = this.#options.token;
    return typeof token === "function" ? await token() : token;
  }

  #refreshing = false;

  /** `auth.expiring`: a new token from the provider, handed to the server; without a provider the session ends at `exp`. */
  async #refreshToken() {
    if (typeof this.#options.token !== "function" || this.#refreshing) return;
    this.#refreshing = true;
    try {
      const token = await this.#token();
      const ack = await this.request("auth.refresh", { token });
      this.#emit("token", { token, exp: ack.exp });
    } catch (error) {
      this.#emit("token", { error: error?.code ?? String(error) });
    } finally {
      this.#refreshing = false;
    }
  }

  /** An address on the server: `kind` "ws" or "http"; identity and (for the socket) resume state in the query. */
  #url(kind, path, token, resume) {
    const base = this.#options.url ?? globalThis.location?.origin;
    if (!base) throw new TypeError("HuddleClient needs a url outside a browser");
    const url = new URL(base);
    const secure = url.protocol === "https:" || url.protocol === "wss:";
    url.protocol = kind === "ws" ? (secure ? "wss:" : "ws:") : (secure ? "https:" : "http:");
    url.pathname = url.pathname.replace(/\/+$/, "") + path;
    url.hash = "";
    const params = new URLSearchParams();
    if (token) params.set("token", token);
    else {
      if (this.#options.user) params.set("user", this.#options.user);
      if (this.#options.name) params.set("name", this.#options.name);
    }
    if (resume && this.session) params.set("session", this.session);
    // A seq means nothing without its epoch; with no epoch known, ask for no replay at all.
    if (resume && this.seq !== null && this.epoch) {
      params.set("since", String(this.seq));
      params.set("epoch", this.epoch);
    }
    url.search = params.toString();
    return url;
  }

  /** The browser hides why an upgrade failed; the same checks over HTTP say it. */
  async #diagnoseHandshake(token) {
    try {
      const url = this.#url("http", `/api/workspaces/${encodeURIComponent(this.workspace)}/presence`, null, false);
      if (token) url.search = "";
      const headers = token ? { Authorization: `Bearer ${token}` } : {};
      const response = await fetch(url.href, { headers, cache: "no-store" });
      if (FATAL_HANDSHAKE_STATUSES.has(response.status)) {
        const body = await response.json().catch(() => ({}));
        this.#fatal({ status: response.status, code: body.error || `http_${response.status}` });
        return;
      }
    } catch {
      // The server is unreachable: keep retrying below.
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    if (this.#stopped) return;
    this.#attempt += 1;
    const ceiling = Math.min(this.#options.backoffCapMs, this.#options.backoffBaseMs * 2 ** (this.#attempt - 1));
    // Half fixed, half random: spreads a crowd of reconnecting clients apart.
    const delayMs = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.#setState("reconnecting", { attempt: this.#attempt, delayMs });
    this.#reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  #dropSocket() {
    this.#socket = null;
    this.#ready = false;
    this.#stopPinging();
    clearTimeout(this.#cursor.timer);
    this.#cursor = { last: -Infinity, timer: null, pending: null };
    this.#failPending("disconnected", "The connection dropped before the answer came.");
  }

  /** Closes the socket without leaving: the session stays in its grace period and `connect()` resumes it. */
  disconnect() {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const socket = this.#socket;
    if (socket) {
      this.#dropSocket();
      socket.close();
    }
    this.#setState("offline");
  }

  /** Leaves at once (no grace period), stops reconnecting and forgets the session. */
  leave() {
    if (this.isOpen) this.send("leave");
    this.disconnect();
    this.session = null;
    this.#closed = true;
    this.#forget();
    this.#rejectQueue("closed", "The client left the workspace.");
  }

  #fatal(detail) {
    this.#stopped = true;
    this.#closed = true;
    this.session = null;
    this.#forget();
    this.#rejectQueue(detail.code, "The server refused this session.");
    this.#emit("fatal", detail);
    this.#setState("offline");
  }

  // MARK: receiving

  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!message || typeof message.type !== "string") return;
    const type = message.type;
    if (type === "auth.expiring") this.#refreshToken();
    if (type === "welcome") this.#welcome(message);
    else if (type === "presence.join" || type === "presence.leave" || type === "presence.update") this.presence.apply(message);
    else if (type === "synced") this.#noteSeq(message.seq, message.epoch);
    else if (type === "pong") this.#pong(message.id);
    else if (type !== "ack" && type !== "error" && typeof message.seq === "number") this.#noteSeq(message.seq);
    if ((type === "ack" || type === "error") && message.id != null) this.#settle(message);
    if (type === "error" && message.id == null) this.#unrequestedError(message);
    this.#emit("message", message);
    this.#emit(type, message);
    if (type.startsWith("presence.") || type === "welcome") this.#emit("presence", this.presence);
    if (type === "synced" && this.#replaying) this.#becomeReady();
    if (type === "welcome" && !this.#replaying) this.#becomeReady();
  }

  #welcome(message) {
    this.#attempt = 0;
    this.session = message.session;
    this.me = message.user ?? null;
    this.plugins = message.plugins ?? [];
    this.#server = {
      heartbeatMs: message.heartbeat_ms ?? SERVER_DEFAULTS.heartbeatMs,
      typingTtlMs: message.typing_ttl_ms ?? SERVER_DEFAULTS.typingTtlMs,
      cursorMaxHz: message.cursor_max_hz ?? SERVER_DEFAULTS.cursorMaxHz,
    };
    if (!this.#replaying) {
      // No replay asked: the snapshots loaded now define the state, counted from here.
      // A null epoch (the server's storage is unreachable) means no history is known.
      this.epoch = message.epoch ?? null;
      this.seq = this.epoch ? message.seq : null;
    }
    this.#persist();
    this.presence.reset(message.presence);
    // Whatever this session typed ended with its previous connection (protocol §4).
    for (const state of this.#typing.values()) clearTimeout(state.idle);
    this.#typing.clear();
    const restore = this.presence.differences(message.session);
    if (Object.keys(restore).length) this.send("presence.set", restore);
    this.#startPinging();
    this.#setState("online");
  }

  #noteSeq(seq, epoch) {
    if (typeof seq !== "number") return;
    if (epoch && epoch !== this.epoch) {
      this.epoch = epoch;
      this.seq = seq;
    } else if (this.epoch && (this.seq === null || seq > this.seq)) {
      this.seq = seq;
    }
    this.#persist();
  }

  /** Errors nobody asked for: a replay that cannot happen ends the wait for `synced`. */
  #unrequestedError(message) {
    if (message.code === "history_gone") {
      this.seq = typeof message.seq === "number" ? message.seq : null;
      this.epoch = message.epoch ?? null;
      if (!this.epoch) this.seq = null;
      this.#persist();
      this.#becomeReady(true);
    } else if (message.code === "unavailable" && this.#replaying) {
      this.#becomeReady();
    }
  }

  /**
   * The replay (if any) is over: send what was queued, then tell listeners if snapshots must
   * load (first session of this client, no replay possible, or `history_gone`).
   */
  #becomeReady(historyLost = false) {
    if (!this.isOpen) return;
    const reload = historyLost || (!this.#ready && (!this.#loadedOnce || !this.#replaying));
    if (!this.#ready) {
      this.#ready = true;
      this.#replaying = false;
      this.#loadedOnce = true;
      for (const entry of this.#queue.splice(0)) this.#dispatch(entry);
    }
    if (reload) this.#emit("reload", { seq: this.seq, epoch: this.epoch });
  }

  // MARK: sending

  /** A fire-and-forget message; returns false (and drops it) when not connected. */
  send(type, data, id) {
    if (!this.isOpen) return false;
    const envelope = { type };
    if (id !== undefined) envelope.id = id;
    if (data !== undefined) envelope.data = data;
    this.#socket.send(JSON.stringify(envelope));
    this.#emit("sent", envelope);
    return true;
  }

  /**
   * A plugin request: resolves with the `ack`, rejects with the `error` object.
   * Made while offline or during a replay, it waits in a bounded queue and goes out after `synced`.
   * Client-side rejections use codes `queue_full`, `disconnected` (sent, but the link dropped
   * before the answer: it may or may not have been applied), `timeout` and `closed`.
   */
  request(type, data, { timeoutMs = this.#options.requestTimeoutMs } = {}) {
    return new Promise((resolve, reject) => {
      const entry = { type, data, timeoutMs, resolve, reject };
      if (this.#ready && this.isOpen) this.#dispatch(entry);
      else if (this.#closed) reject(clientError("closed", "The client left or was refused; call connect() first."));
      else if (this.#queue.length >= this.#options.maxQueue) {
        reject(clientError("queue_full", `More than ${this.#options.maxQueue} requests are waiting for the connection.`));
      } else this.#queue.push(entry);
    });
  }

  #dispatch(entry) {
    const id = `r${this.#nextId++}`;
    if (!this.send(entry.type, entry.data, id)) {
      this.#queue.push(entry);
      return;
    }
    entry.timer = setTimeout(() => {
      this.#pending.delete(id);
      entry.reject(clientError("timeout", "The server did not answer in time."));
    }, entry.timeoutMs);
    this.#pending.set(id, entry);
  }

  #settle(message) {
    const entry = this.#pending.get(message.id);
    if (!entry) return;
    this.#pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.type === "ack") entry.resolve(message);
    else entry.reject(message);
  }

  #failPending(code, text) {
    for (const entry of this.#pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(clientError(code, text));
    }
    this.#pending.clear();
  }

  #rejectQueue(code, text) {
    for (const entry of this.#queue.splice(0)) entry.reject(clientError(code, text));
  }

  // MARK: typing and cursors

  /**
   * `typing(target, true)` on every keystroke: the first one and then one per refresh period
   * go out, and the client stops by itself after `typingIdleMs` without a call.
   * `typing(target, false)` stops at once (blur, submit).
   */
  typing(target, active = true) {
    const state = this.#typing.get(target);
    if (!active) {
      if (!state) return;
      clearTimeout(state.idle);
      this.#typing.delete(target);
      this.send("typing", { target, active: false });
      return;
    }
    const current = state ?? { sentAt: -Infinity, idle: null };
    const refreshMs = this.#server.typingTtlMs * TYPING_REFRESH_SHARE;
    if (now() - current.sentAt >= refreshMs && this.send("typing", { target, active: true })) current.sentAt = now();
    if (current.sentAt === -Infinity) return;
    clearTimeout(current.idle);
    current.idle = setTimeout(() => this.typing(target, false), this.#options.typingIdleMs);
    this.#typing.set(target, current);
  }

  /** Targets this client is typing in now. */
  get typingTargets() {
    return [...this.#typing.keys()];
  }

  /**
   * `cursor(x, y, target)`, or `cursor(data)` with any object (≤ 512 bytes). Sent no faster
   * than the server relays (`cursor_max_hz`): in between only the latest is kept, and it
   * goes out when the window ends, so the final position always arrives.
   */
  cursor(x, y, target) {
    const data = typeof x === "object" && x !== null ? x : { x, y, ...(target === undefined ? {} : { target }) };
    const windowMs = 1000 / this.#server.cursorMaxHz;
    const wait = this.#cursor.last + windowMs - now();
    if (wait <= 0 && !this.#cursor.timer) {
      this.#cursor.last = now();
      this.send("cursor", data);
      return;
    }
    this.#cursor.pending = data;
    this.#cursor.timer ??= setTimeout(() => {
      this.#cursor.timer = null;
      this.#cursor.last = now();
      this.send("cursor", this.#cursor.pending);
    }, wait);
  }

  // MARK: heartbeats

  /** The server pings at the WebSocket level; our own pings find a dead link the socket has not noticed. */
  #startPinging() {
    this.#stopPinging();
    const socket = this.#socket;
    this.#ping.timer = setInterval(() => {
      this.#ping.id = `p${this.#nextId++}`;
      this.#ping.at = now();
      this.send("ping", undefined, this.#ping.id);
      // Counted from the oldest unanswered ping, so pings faster than the timeout cannot postpone it.
      this.#ping.deadline ??= setTimeout(() => this.#abandon(socket), this.#options.pongTimeoutMs);
    }, this.#options.pingIntervalMs ?? this.#server.heartbeatMs);
  }

  /** Any pong proves the link alive; only the latest ping's is timed. */
  #pong(id) {
    clearTimeout(this.#ping.deadline);
    this.#ping.deadline = null;
    if (id === this.#ping.id) this.#emit("rtt", Math.round(now() - this.#ping.at));
  }

  #stopPinging() {
    clearInterval(this.#ping.timer);
    clearTimeout(this.#ping.deadline);
    this.#ping.timer = null;
    this.#ping.deadline = null;
  }

  /** Gives up on a silent socket without waiting for its close handshake, which may never end. */
  #abandon(socket) {
    if (this.#socket !== socket) return;
    this.#dropSocket();
    socket.close();
    this.#scheduleReconnect();
  }

  // MARK: resume state

  /** Resume state survives a reload when `storage` is given (sessionStorage keeps it per tab). */
  get #storageKey() {
    return this.#options.storageKey ?? `huddle.resume:${this.workspace}`;
  }

  #restore() {
    let saved = null;
    try {
      saved = JSON.parse(this.#options.storage?.getItem(this.#storageKey) || "null");
    } catch {
      saved = null;
    }
    // Another user's session or history is no use to this one.
    if (!saved || (this.#options.user && saved.user !== this.#options.user)) return;
    this.session = saved.session ?? null;
    this.epoch = typeof saved.epoch === "string" && saved.epoch ? saved.epoch : null;
    this.seq = this.epoch && Number.isInteger(saved.seq) ? saved.seq : null;
  }

  #persist() {
    try {
      this.#options.storage?.setItem(this.#storageKey,
        JSON.stringify({ user: this.me?.id ?? this.#options.user, session: this.session, seq: this.seq, epoch: this.epoch }));
    } catch {
      // Storage can be full or disabled (private modes); resuming is then best effort.
    }
  }

  #forget() {
    try { this.#options.storage?.removeItem(this.#storageKey); } catch { /* see #persist */ }
  }
}
