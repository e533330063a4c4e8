// The WebSocket session: connect, resume, reconnect with backoff, requests.

const SUBPROTOCOL = "huddle.v1";
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;
const REQUEST_TIMEOUT_MS = 15000;
const APP_PING_MS = 25000;
/** No pong this long after an app ping: the link is dead even if the socket has not noticed. */
const PONG_DEADLINE_MS = 10000;
const CLOSE_NORMAL = 1000;
// The token ran out unrefreshed: reconnecting with it cannot work.
const CLOSE_TOKEN_EXPIRED = 4001;
/** HTTP answers to the handshake that retrying cannot fix. */
const FATAL_HANDSHAKE_STATUSES = new Set([400, 401, 403]);

/** Per-tab resume state survives a reload (sessionStorage is per tab). */
function resumeKey(workspace) {
  return `huddle.resume:${workspace}`;
}

export function loadResume(workspace) {
  try {
    return JSON.parse(sessionStorage.getItem(resumeKey(workspace)) || "null");
  } catch {
    return null;
  }
}

function saveResume(workspace, state) {
  try {
    sessionStorage.setItem(resumeKey(workspace), JSON.stringify(state));
  } catch {
    // Storage can be disabled (private modes); resuming is then best effort.
  }
}

export function forgetResume(workspace) {
  try { sessionStorage.removeItem(resumeKey(workspace)); } catch { /* see saveResume */ }
}

/**
 * One logical session with the server, surviving reconnects.
 * Events: "status" (detail: {state, attempt, delayMs}), "message" (detail: msg),
 * "sent" (detail: envelope), "fatal" (detail: {status, code}), "rtt" (detail: ms),
 * "token" (detail: {exp} after a refresh, or {error} when one failed).
 */
export class Connection extends EventTarget {
  constructor({ workspace, user, name, token, tokenURL }) {
    super();
    this.workspace = workspace;
    this.user = user;
    this.name = name;
    this.token = token;
    // Only a URL of the page's own origin: the request carries the page's cookies.
    this.tokenURL = tokenURL && new URL(tokenURL, location.href).origin === location.origin ? tokenURL : null;
    this.refreshing = false;
    this.socket = null;
    this.attempt = 0;
    this.nextRequestId = 1;
    this.pending = new Map();
    this.stopped = false;
    this.reconnectTimer = null;
    this.pingTimer = null;
    const saved = loadResume(workspace);
    const usable = saved && (!user || saved.user === user);
    this.session = usable ? saved.session : null;
    this.seq = usable && Number.isInteger(saved.seq) ? saved.seq : null;
    this.epoch = usable ? saved.epoch : null;
    this.userId = usable ? saved.user : user;
    // Back online after a network loss: retry now rather than at the end of the backoff.
    window.addEventListener("online", () => {
      if (this.reconnectTimer && !this.socket && !this.stopped) this.connect();
    });
  }

  get isOpen() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const params = new URLSearchParams();
    if (this.token) params.set("token", this.token);
    else {
      if (this.user) params.set("user", this.user);
      if (this.name) params.set("name", this.name);
    }
    if (this.session) params.set("session", this.session);
    if (this.seq !== null && this.epoch) {
      params.set("since", String(this.seq));
      params.set("epoch", this.epoch);
    }
    return `${scheme}//${location.host}/ws/${encodeURIComponent(this.workspace)}?${params}`;
  }

  connect() {
    this.stopped = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.emit("status", { state: this.attempt === 0 ? "connecting" : "reconnecting", attempt: this.attempt });
    let opened = false;
    const socket = new WebSocket(this.url(), SUBPROTOCOL);
    this.socket = socket;
    socket.addEventListener("open", () => {
      opened = true;
      this.startPinging();
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPinging();
      this.failPending("disconnected");
      if (this.stopped || event.code === CLOSE_NORMAL && this.leaving) {
        this.emit("status", { state: "offline" });
        return;
      }
      if (event.code === CLOSE_TOKEN_EXPIRED) this.tokenExpired();
      else if (!opened) this.diagnoseHandshake();
      else this.scheduleReconnect();
    });
  }

  /** The browser hides why an upgrade failed; the same checks over HTTP say it. */
  async diagnoseHandshake() {
    try {
      const params = new URLSearchParams();
      if (!this.token) {
        if (this.user) params.set("user", this.user);
        if (this.name) params.set("name", this.name);
      }
      const headers = this.token ? { Authorization: `Bearer ${this.token}` } : {};
      const response = await fetch(`/api/workspaces/${encodeURIComponent(this.workspace)}/presence?${params}`, { headers });
      if (FATAL_HANDSHAKE_STATUSES.has(response.status)) {
        const body = await response.json().catch(() => ({}));
        this.stopped = true;
        this.emit("fatal", { status: response.status, code: body.error || `http_${response.status}` });
        this.emit("status", { state: "offline" });
        return;
      }
    } catch {
      // The server is unreachable: keep retrying below.
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.attempt += 1;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (this.attempt - 1));
    // Half fixed, half random: spreads a crowd of reconnecting tabs apart.
    const delayMs = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.emit("status", { state: "reconnecting", attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === "welcome") {
      this.attempt = 0;
      this.session = message.session;
      this.userId = message.user?.id ?? this.userId;
      if (this.epoch !== message.epoch || this.seq === null) {
        // A new history (or none yet): the snapshots define the state, not a replay.
        this.epoch = message.epoch;
        if (this.seq === null) this.seq = message.seq;
      }
      this.persist();
    }
    if (typeof message.seq === "number" && message.type !== "welcome" && message.type !== "ack") {
      this.noteSeq(message.seq, message.epoch);
    }
    if ((message.type === "ack" || message.type === "error") && message.id != null) {
      const waiter = this.pending.get(message.id);
      if (waiter) {
        this.pending.delete(message.id);
        clearTimeout(waiter.timer);
        if (message.type === "ack") waiter.resolve(message);
        else waiter.reject(message);
      }
    }
    if (message.type === "auth.expiring") this.refreshToken();
    if (message.type === "pong" && message.id != null && this.pingSentAt?.id === message.id) {
      clearTimeout(this.pongDeadline);
      this.emit("rtt", Math.round(performance.now() - this.pingSentAt.at));
    }
    this.emit("message", message);
  }

  /** Records the newest event applied; `history_gone` and `synced` also move the epoch. */
  noteSeq(seq, epoch) {
    if (epoch && epoch !== this.epoch) {
      this.epoch = epoch;
      this.seq = seq;
    } else if (this.seq === null || seq > this.seq) {
      this.seq = seq;
    }
    this.persist();
  }

  /** After `history_gone` the snapshots are reloaded and counting restarts there. */
  resetHistory(seq, epoch) {
    this.seq = seq;
    this.epoch = epoch;
    this.persist();
  }

  persist() {
    saveResume(this.workspace, { user: this.userId, session: this.session, seq: this.seq, epoch: this.epoch });
  }

  /** Fire-and-forget message (presence, typing, cursor). */
  send(type, data, id) {
    if (!this.isOpen) return false;
    const envelope = { type };
    if (id !== undefined) envelope.id = id;
    if (data !== undefined) envelope.data = data;
    this.socket.send(JSON.stringify(envelope));
    this.emit("sent", envelope);
    return true;
  }

  /** A plugin request: resolves with the ack, rejects with the error message. */
  request(type, data) {
    const id = `r${this.nextRequestId++}`;
    return new Promise((resolve, reject) => {
      if (!this.send(type, data, id)) {
        reject({ type: "error", code: "disconnected", message: "Not connected — retrying soon." });
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject({ type: "error", code: "timeout", message: "The server did not answer in time." });
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  /**
   * `auth.expiring`: asks the page's token URL for a new token and hands it
   * to the server. Without a token URL the session ends at `exp` (close 4001)
   * and the join screen asks for a new token.
   */
  async refreshToken() {
    if (!this.tokenURL || this.refreshing) return;
    this.refreshing = true;
    try {
      const token = await this.fetchToken();
      const ack = await this.request("auth.refresh", { token });
      // Reconnects use the new token too.
      this.token = token;
      this.emit("token", { exp: ack.exp });
    } catch (error) {
      this.emit("token", { error: error?.code ?? String(error) });
    } finally {
      this.refreshing = false;
    }
  }

  /** A new token from the token URL: POST, the answer `{"token": …}` or the bare JWT. */
  async fetchToken() {
    const response = await fetch(this.tokenURL, { method: "POST", credentials: "same-origin" });
    if (!response.ok) throw { code: `http_${response.status}` };
    const text = (await response.text()).trim();
    return text.startsWith("{") ? JSON.parse(text).token : text;
  }

  /** Close 4001: with a token URL, a new token and a reconnect; without, the session is over. */
  async tokenExpired() {
    const token = this.tokenURL ? await this.fetchToken().catch(() => null) : null;
    if (token) {
      this.token = token;
      this.emit("token", {});
      this.scheduleReconnect();
      return;
    }
    this.stopped = true;
    this.emit("fatal", { status: 401, code: "token_expired" });
    this.emit("status", { state: "offline" });
  }

  failPending(code) {
    for (const [, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject({ type: "error", code, message: "The connection dropped before the answer came." });
    }
    this.pending.clear();
  }

  startPinging() {
    this.stopPinging();
    const socket = this.socket;
    this.pingTimer = setInterval(() => {
      const id = `p${this.nextRequestId++}`;
      this.pingSentAt = { id, at: performance.now() };
      this.send("ping", undefined, id);
      this.pongDeadline = setTimeout(() => this.abandon(socket), PONG_DEADLINE_MS);
    }, APP_PING_MS);
  }

  stopPinging() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongDeadline);
    this.pingTimer = null;
  }

  /** Gives up on a silent socket without waiting for its close handshake, which may never end. */
  abandon(socket) {
    if (this.socket !== socket) return;
    this.socket = null;
    this.stopPinging();
    this.failPending("disconnected");
    socket.close();
    this.scheduleReconnect();
  }

  /** Leaves at once (no grace period) and stops reconnecting. */
  leave() {
    this.stopped = true;
    this.leaving = true;
    clearTimeout(this.reconnectTimer);
    if (this.isOpen) this.send("leave");
    forgetResume(this.workspace);
    this.emit("status", { state: "offline" });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
