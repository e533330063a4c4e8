// Drives the SDK from the query string and records what it sees, for Tests/browser/test_sdk.py.
const params = new URLSearchParams(location.search);
// Imported from the server under test, across origins, as a team's own front end would.
const { HuddleClient } = await import(`${params.get("server")}/huddle.js`);

const number = (key) => (params.has(key) ? Number(params.get(key)) : undefined);
window.tokenCalls = 0;
const token = params.get("token");
const client = new HuddleClient({
  url: params.get("server"),
  workspace: params.get("ws"),
  user: params.get("user") ?? undefined,
  name: params.get("name") ?? undefined,
  // A provider, as a real app would use to fetch a fresh token on every connect.
  token: token ? async () => { window.tokenCalls += 1; return token; } : undefined,
  maxQueue: number("maxQueue"),
  typingIdleMs: number("typingIdleMs"),
  pingIntervalMs: number("pingIntervalMs"),
});
window.client = client;
/** Every frame in order: ["in", message] or ["out", envelope]; and every lifecycle event. */
window.wire = [];
window.events = [];
client.on("message", (message) => window.wire.push(["in", message]));
client.on("sent", (envelope) => window.wire.push(["out", envelope]));
for (const type of ["state", "reload", "fatal", "rtt"]) client.on(type, (detail) => window.events.push([type, detail]));

client.on("state", ({ state }) => {
  document.body.dataset.state = state;
  document.querySelector("#state").textContent = state;
});
client.on("presence", (presence) => {
  document.querySelector("#people").replaceChildren(...presence.list().map((user) => {
    const item = document.createElement("li");
    const status = [...user.sessions.values()][0]?.status ?? "online";
    Object.assign(item.dataset, { user: user.id, status, testid: "sdk-person" });
    item.textContent = `${user.name} (${status})`;
    return item;
  }));
});
client.on("typing", (message) => {
  document.querySelector("#typing").textContent = message.active ? `${message.name} is typing in ${message.target}` : "";
});
const pad = document.querySelector("#pad");
pad.addEventListener("pointermove", (event) => {
  const rect = pad.getBoundingClientRect();
  client.cursor((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height, "pad");
});
client.on("cursor", (message) => {
  let dot = pad.querySelector(`[data-session="${message.session}"]`);
  if (!dot) {
    dot = Object.assign(document.createElement("div"), { className: "cursor" });
    Object.assign(dot.dataset, { session: message.session, user: message.user, testid: "sdk-cursor" });
    pad.append(dot);
  }
  dot.style.left = `${message.data.x * 100}%`;
  dot.style.top = `${message.data.y * 100}%`;
});

if (params.get("connect") !== "no") client.connect();
