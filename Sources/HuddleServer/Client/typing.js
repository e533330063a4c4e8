// "Alice is typing…": who types where, and telling the others when we do.

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

/** Binds editable fields to the SDK's typing: start on input, stop on blur (the SDK refreshes and idles out). */
export class TypingFields {
  constructor(client) {
    this.client = client;
  }

  /** Wires a field; `target` is read at event time since the subject can change. */
  attach(field, target) {
    field.addEventListener("input", () => { const t = target(); if (t) this.client.typing(t, true); });
    field.addEventListener("blur", () => { const t = target(); if (t) this.client.typing(t, false); });
  }

  stop(target) {
    this.client.typing(target, false);
  }

  /** Closing a field stops everything it was typing (removal fires no blur). */
  stopAll() {
    for (const target of this.client.typingTargets) this.client.typing(target, false);
  }
}
