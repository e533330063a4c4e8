// Types for huddle.js, the Huddle client SDK. The wire contract is docs/protocol.md.

/** An `error` message from the server, or one the client makes (`queue_full`, `disconnected`, `timeout`, `closed`). */
export interface HuddleError {
  type: "error";
  id?: string | number;
  code: string;
  message: string;
  details?: { field: string; problem: string }[];
  current?: Record<string, unknown>;
  retry_after_ms?: number;
  seq?: number;
  epoch?: string | null;
}

export interface Ack<R = any> {
  type: "ack";
  id: string | number;
  seq?: number;
  result: R;
}

/** Any server message; durable events carry `seq`, `at`, `by` and `data`. */
export interface ServerMessage {
  type: string;
  [field: string]: any;
}

export interface Welcome extends ServerMessage {
  type: "welcome";
  protocol: number;
  session: string;
  resumed: boolean;
  user: { id: string; name: string; role: "viewer" | "editor" | "admin" };
  workspace: string;
  seq: number;
  /** `null` while the server's storage is unreachable: no history is known. */
  epoch: string | null;
  heartbeat_ms: number;
  typing_ttl_ms?: number;
  cursor_max_hz?: number;
  presence: { user: string; name: string; sessions: PresenceSession[] }[];
  typing: { user: string; session: string; target: string }[];
  plugins: PluginEntry[];
}

export interface PluginEntry {
  name: string;
  types: string[];
  /** `"builtin"`, `"records"` (with `fields` and `index`), or a kind this client does not know. */
  kind?: string;
  fields?: RecordField[];
  index?: string[];
}

export interface RecordField {
  name: string;
  type: "string" | "text" | "integer" | "number" | "boolean" | "enum" | "email" | "url" | "date" | "datetime" | "user" | "tags";
  required?: boolean;
  default?: unknown;
  unique?: boolean;
  min?: number;
  max?: number;
  min_length?: number;
  max_length?: number;
  max_count?: number;
  values?: string[];
}

export type PresenceStatus = "online" | "away" | "busy";

export interface PresenceSession {
  session: string;
  status: PresenceStatus;
  focus: string | null;
  meta: Record<string, unknown>;
  since: string | null;
  /** Grows with every change of any session: the highest is the latest. */
  changed?: number;
}

export interface PresenceUser {
  id: string;
  name: string;
  sessions: Map<string, PresenceSession>;
}

export interface PresenceFields {
  status?: PresenceStatus;
  focus?: string | null;
  meta?: Record<string, unknown>;
}

export declare class Presence {
  readonly users: Map<string, PresenceUser>;
  /** Every name seen, kept after its user leaves. */
  readonly names: Map<string, string>;
  /** What this client asked for with `set`; re-applied to every new session. */
  readonly desired: PresenceFields;
  list(): PresenceUser[];
  get(userId: string): PresenceUser | null;
  nameOf(userId: string): string;
  session(sessionId: string): PresenceSession | null;
  /** Returns whether it went out now; offline, it is sent when the session is back. */
  set(fields: PresenceFields): boolean;
}

export type ConnectionState = "idle" | "connecting" | "online" | "reconnecting" | "offline";

export interface HuddleClientOptions {
  workspace: string;
  /** The server's base URL (http, https, ws or wss); defaults to the page's origin. */
  url?: string;
  /** A JWT, or a function returning one (or a promise of one), called on every connect. */
  token?: string | (() => string | Promise<string>);
  /** Dev mode only: the user id and display name. */
  user?: string;
  name?: string;
  /** Where resume state (session, seq, epoch) survives a reload, e.g. `sessionStorage`. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** Default `huddle.resume:<workspace>`. */
  storageKey?: string;
  /** A WebSocket constructor where there is no global one. */
  WebSocket?: typeof WebSocket;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  requestTimeoutMs?: number;
  /** Default: the server's `heartbeat_ms`. */
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** Requests waiting for the connection; one more is rejected with `queue_full`. Default 100. */
  maxQueue?: number;
  typingIdleMs?: number;
}

export interface ClientEvents {
  state: { state: ConnectionState; attempt?: number; delayMs?: number };
  /** Load your snapshots now: first session, no replay possible, or `history_gone`. */
  reload: { seq: number | null; epoch: string | null };
  presence: Presence;
  message: ServerMessage;
  sent: { type: string; id?: string | number; data?: unknown };
  /** `code`: the server's (`token_expired`, …), `removed` (closed with 4003), or `bad_url`. */
  fatal: { status: number | null; code: string; message?: string };
  rtt: number;
  /** After `auth.expiring`: the new token and its `exp`, or why the refresh failed. */
  token: { token?: string; exp?: number; error?: string };
  welcome: Welcome;
  error: HuddleError;
}

export declare class HuddleClient {
  constructor(options: HuddleClientOptions);
  readonly workspace: string;
  readonly state: ConnectionState;
  readonly session: string | null;
  readonly me: Welcome["user"] | null;
  readonly plugins: PluginEntry[];
  /** The last durable event applied, with its epoch; both null when no history is known. */
  readonly seq: number | null;
  readonly epoch: string | null;
  readonly presence: Presence;
  readonly isOpen: boolean;
  readonly typingTargets: string[];
  on<K extends keyof ClientEvents>(type: K, handler: (payload: ClientEvents[K]) => void): () => void;
  on(type: string, handler: (message: ServerMessage) => void): () => void;
  off(type: string, handler: (payload: any) => void): void;
  connect(): void;
  /** Closes without leaving: the session stays in its grace period and `connect()` resumes it. */
  disconnect(): void;
  /** Leaves at once, stops reconnecting and forgets the session. */
  leave(): void;
  send(type: string, data?: Record<string, unknown>, id?: string | number): boolean;
  request<R = any>(type: string, data?: Record<string, unknown>, options?: { timeoutMs?: number }): Promise<Ack<R>>;
  typing(target: string, active?: boolean): void;
  cursor(x: number, y: number, target?: string): void;
  cursor(data: Record<string, unknown>): void;
}
