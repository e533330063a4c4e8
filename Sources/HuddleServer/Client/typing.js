// "Alice is typing…": who types where, and telling the others when we do.

/** Refresh well inside the server's default 5 s TTL so the indicator never blinks. */
const REFRESH_MS = 2000;
/** Stop on our own after this long without a keystroke. */
const IDLE_STOP_MS = 4000;

/** Sentence for the people typing in one field. */
export function typingSentence(names) {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** What the others are typing, keyed by session and target. */
export class TypingStore {
  constructor() {
    this.entries = new Map();
  }

  key(session, target) {
    return `${session}\u0000${target}`;
  }

  reset(list) {
    this.entries.clear();
    for (const item of list ?? []) this.entries.set(this.key(item.session, item.target), { ...item });
  }

  apply(message) {
    const key = this.key(message.session, message.target);
    if (message.active) this.entries.set(key, { user: message.user, name: message.name, session: message.session, target: message.target });
    else this.entries.delete(key);
  }

  dropSession(session) {
    for (const [key, entry] of this.entries) if (entry.session === session) this.entries.delete(key);
  }

  /** Distinct users typing in `target`, excluding `selfId`, oldest first. */
  usersIn(target, selfId) {
    const users = new Map();
    for (const entry of this.entries.values()) {
      if (entry.target === target && entry.user !== selfId) users.set(entry.user, entry);
    }
    return [...users.values()];
  }

  /** Every target someone is typing in, for list badges. */
  targets(selfId) {
    const set = new Set();
    for (const entry of this.entries.values()) if (entry.user !== selfId) set.add(entry.target);
    return set;
  }
}

/** Fills every `[data-testid=typing-line]` in the page from the store. */
export function renderTypingLines(store, selfId, nameOf) {
  for (const line of document.querySelectorAll('[data-testid="typing-line"]')) {
    const users = store.usersIn(line.dataset.target, selfId);
    const text = typingSentence(users.map((u) => u.name || nameOf(u.user)));
    if (line.textContent !== text) line.textContent = text;
    line.classList.toggle("active", users.length > 0);
  }
}

/** Sends `typing` for the fields we edit: start on input, refresh, stop on blur/submit. */
export class TypingSender {
  constructor(connection) {
    this.connection = connection;
    this.active = new Map();
  }

  /** Wires a field; `target` is read at event time since the subject can change. */
  attach(field, target) {
    field.addEventListener("input", () => this.touch(target()));
    field.addEventListener("blur", () => this.stop(target()));
  }

  touch(target) {
    if (!target) return;
    const now = performance.now();
    const state = this.active.get(target);
    if (!state || now - state.sentAt >= REFRESH_MS) {
      if (this.connection.send("typing", { target, active: true })) {
        this.active.set(target, { sentAt: now, idle: state?.idle });
      }
    }
    const current = this.active.get(target);
    if (current) {
      clearTimeout(current.idle);
      current.idle = setTimeout(() => this.stop(target), IDLE_STOP_MS);
    }
  }

  stop(target) {
    const state = this.active.get(target);
    if (!state) return;
    clearTimeout(state.idle);
    this.active.delete(target);
    this.connection.send("typing", { target, active: false });
  }

  /** Closing a field stops everything it was typing (removal fires no blur). */
  stopAll() {
    for (const target of [...this.active.keys()]) this.stop(target);
  }

  /** A new session starts with nothing typed. */
  forget() {
    for (const state of this.active.values()) clearTimeout(state.idle);
    this.active.clear();
  }
}
