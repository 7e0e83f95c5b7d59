// The smallest useful integration: a bot that answers every message with
// `echo: <text>`. Run it with `npm run bot`; configure it with CHAT_URL,
// BOT_USER (default echo-bot), BOT_PASSWORD and BOT_ROOM (default general),
// or the flags --url, --user, --password and --room.
import { parseArgs } from "node:util";
import { ChatClient, ChatError } from "../common/client";
import { FIELD_LIMITS, type Room } from "../common/protocol";
import { RoomDirectory } from "../common/room-directory";

const { values: args } = parseArgs({
  options: { url: { type: "string" }, user: { type: "string" }, password: { type: "string" }, room: { type: "string" } },
});
const url = args.url ?? process.env.CHAT_URL ?? "http://localhost:3000";
const username = args.user ?? process.env.BOT_USER ?? "echo-bot";
const password = args.password ?? process.env.BOT_PASSWORD;
const roomName = args.room ?? process.env.BOT_ROOM ?? "general";
if (!password) {
  console.error("set BOT_PASSWORD (8 characters or more)");
  process.exit(2);
}

// register: true makes the first run create the account and later runs log in.
const { client, user } = await ChatClient.connectAs(url, { username, password, register: true });

// Public room names are unique as the server folds them ("Straße" and
// "STRASSE" are one room); the client core's room directory compares them
// the same way, where a plain toLowerCase() would miss the existing room and
// then fail to create it.
const rooms = new RoomDirectory(user, () => client.call("room:list", {}));
async function joinOrCreate(name: string): Promise<Room> {
  const find = async () => {
    await rooms.refresh();
    return rooms.publicRoomNamed(name);
  };
  const existing = await find();
  if (existing) return client.call("room:join", { roomId: existing.id });
  try {
    return await client.call("room:create", { name });
  } catch (err) {
    // Another client (a second bot starting at once) created it since we looked: join theirs.
    const theirs = err instanceof ChatError && err.code === "CONFLICT" ? await find() : undefined;
    if (!theirs) throw err;
    return client.call("room:join", { roomId: theirs.id });
  }
}
const room = await joinOrCreate(roomName);

// onMessage (not the raw socket event) delivers each message once, in order,
// including any missed while reconnecting. The bot hears its own replies too,
// so skipping them is what keeps it from echoing itself forever. It answers in
// whichever room the message came from, so a dm to the bot is echoed as well.
client.onMessage((message) => {
  if (message.sender.id === user.id || message.deleted) return;
  // The prefix can push a maximum-length message over the limit: cut in code points, as the server counts.
  const reply = [...`echo: ${message.text}`].slice(0, FIELD_LIMITS.messageText).join("");
  client.send(message.roomId, reply).catch((err: unknown) => console.error(`could not reply: ${(err as Error).message}`));
});
console.log(`${user.username} is echoing in #${room.name} on ${url}`);

// Closing the socket is all the cleanup there is; the process then exits by itself with code 0.
const stop = () => client.close();
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
