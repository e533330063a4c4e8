// Compiled with `tsc --noEmit --strict` by Tests/browser/test_sdk_types.py: the declarations
// must accept the documented uses and reject wrong ones (the @ts-expect-error lines).
import { HuddleClient, type Ack, type HuddleError, type Welcome } from "../huddle.js";

const client = new HuddleClient({
  url: "http://127.0.0.1:8080",
  workspace: "acme",
  token: async () => "jwt",
  storage: sessionStorage,
  maxQueue: 10,
});

const off: () => void = client.on("state", ({ state, delayMs }) => console.log(state, delayMs ?? 0));
off();
client.on("welcome", (welcome: Welcome) => console.log(welcome.epoch ?? "no history", welcome.plugins.map((p) => p.kind)));
client.on("reload", ({ seq, epoch }) => console.log(seq, epoch));
client.on("presence", (presence) => presence.list().forEach((user) => console.log(user.name, user.sessions.size)));
client.on("contacts.created", (event) => console.log(event.seq, event.by));
client.on("fatal", ({ code }) => console.log(code));

client.presence.set({ status: "busy", focus: "contact:42" });
// @ts-expect-error not a status the server knows
client.presence.set({ status: "asleep" });

client.typing("contact:42/notes", true);
client.typing("contact:42/notes", false);
client.cursor(0.5, 0.25, "board");
client.cursor({ hidden: true });
// @ts-expect-error x without y
client.cursor(0.5);

async function create(): Promise<string> {
  try {
    const ack: Ack<{ contact: { id: string } }> = await client.request("contacts.create", { name: "Acme" });
    return ack.result.contact.id;
  } catch (error) {
    const failure = error as HuddleError;
    return failure.details?.map((d) => `${d.field} ${d.problem}`).join("; ") ?? failure.code;
  }
}
create();
client.connect();
client.disconnect();
client.leave();
