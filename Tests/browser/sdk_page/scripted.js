// A WebSocket stand-in for the tests that need a server misbehaving in a precise way
// (no epoch, no pong, never opening): the test plays the server through these methods.
export class ScriptedSocket extends EventTarget {
  /** Every socket the client made, in order; `onCreate(socket)` is the test's script. */
  static created = [];
  static onCreate = null;

  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    ScriptedSocket.created.push(this);
    // After the constructor returns, as a real socket's events come later.
    setTimeout(() => ScriptedSocket.onCreate?.(this));
  }

  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }

  receive(message) {
    this.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(message) }));
  }

  drop(code = 1006) {
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent("close", { code }));
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.readyState = 3;
  }
}

export function welcome(fields = {}) {
  return { type: "welcome", session: "s_1", resumed: false, user: { id: "alice", name: "Alice", role: "editor" },
           seq: 0, epoch: "e_1", heartbeat_ms: 20000, presence: [], typing: [], plugins: [], ...fields };
}
