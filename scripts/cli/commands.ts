// The slash commands. Each prints one recognizable line when it is done
// (`joined #x`, `-- 3 messages --`, ...), so whoever drives the CLI through
// a pipe can wait for it.
import { FIELD_LIMITS, type Message, type Room } from "../../common/protocol";
import { CliError, count, formatContact, formatError, formatRoomRow, label } from "./format";
import { renderMessage } from "./live-lines";
import type { CliState } from "./state";

type Command = { usage: string; help: string; run: (state: CliState, args: string) => Promise<void> };

const commands: Record<string, Command> = {
  rooms: {
    usage: "/rooms",
    help: "list public rooms and your rooms, with unread messages and mentions",
    async run(s) {
      // The current room's read mark may still be on its way; the counts should include it.
      await s.reads.settled();
      const rooms = await s.refresh();
      const counts = (id: string) => ({ unread: s.directory.unread(id), mentions: s.directory.mentions(id) });
      for (const room of rooms) s.print(formatRoomRow(room, room.id === s.current?.id, counts(room.id)));
      s.print(`-- ${count(rooms.length, "room")} --`);
    },
  },
  join: {
    usage: "/join <room name or id>",
    help: "join a public room and make it current",
    async run(s, args) {
      const room = await s.find(required(args, "/join <room name or id>"));
      s.setCurrent(await s.client.call("room:join", { roomId: room.id }));
      s.print(`joined ${label(room)}`);
    },
  },
  create: {
    usage: "/create <name> [--private]",
    help: "create a room and make it current",
    async run(s, args) {
      const words = args.split(/\s+/);
      const isPrivate = words.includes("--private");
      const name = required(words.filter((w) => w !== "--private").join(" "), "/create <name> [--private]");
      const room = await s.client.call("room:create", { name, private: isPrivate });
      s.setCurrent(room);
      s.print(`created ${label(room)}${isPrivate ? " (private)" : ""}`);
    },
  },
  invite: {
    usage: "/invite <username>",
    help: "invite someone into the current (private) room",
    async run(s, args) {
      const room = s.requireCurrent();
      const username = required(args, "/invite <username>");
      await s.client.call("room:invite", { roomId: room.id, username });
      s.print(`invited ${username} to ${label(room)}`);
    },
  },
  dm: {
    usage: "/dm <username>",
    help: "open a direct conversation and make it current",
    async run(s, args) {
      const room = await s.client.call("dm:open", { username: required(args, "/dm <username>") });
      s.setCurrent(room);
      s.print(`opened dm ${label(room)}`);
    },
  },
  room: {
    usage: "/room [name]",
    help: "switch to one of your rooms (without a name: show the current one)",
    async run(s, args) {
      if (args) s.setCurrent(await s.find(args, (room) => room.joined));
      const current = s.current;
      s.print(`current room: ${current ? label(current) : "none"}`);
    },
  },
  history: {
    usage: "/history [n]",
    help: `show the last n messages of the current room with their seqs (default 20, at most ${FIELD_LIMITS.historyMax})`,
    async run(s, args) {
      const room = s.requireCurrent();
      const limit = args ? Number(args) : 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > FIELD_LIMITS.historyMax) {
        throw new CliError("USAGE", `/history [n]: n is a whole number from 1 to ${FIELD_LIMITS.historyMax}`);
      }
      const messages = await s.client.call("history", { roomId: room.id, limit });
      for (const m of messages) s.print(await renderMessage(s, m, { seq: true }));
      s.print(`-- ${count(messages.length, "message")} in ${label(room)} --`);
    },
  },
  search: {
    usage: "/search [--here] <words>",
    help: "find messages with every word in your rooms (--here: the current room), newest first",
    async run(s, args) {
      const usage = "/search [--here] <words>";
      const [, here, query = ""] = /^(--here(?:\s+|$))?(.*)$/s.exec(args) ?? [];
      required(query, usage);
      const roomId = here ? s.requireCurrent().id : undefined;
      const found = await s.client.call("search", { query, ...(roomId ? { roomId } : {}) });
      for (const m of found) s.print(await renderMessage(s, m, { seq: true }));
      s.print(`-- ${count(found.length, "result")} --`);
    },
  },
  edit: {
    usage: "/edit <seq> <new text>",
    help: "change one of your messages in the current room (seqs show in /history)",
    async run(s, args) {
      const usage = "/edit <seq> <new text>";
      const [, seq = "", text = ""] = /^(\S*)\s*(.*)$/s.exec(args) ?? [];
      const wanted = parseSeq(seq, usage);
      required(text, usage);
      const message = await messageAt(s, s.requireCurrent(), wanted);
      await s.client.call("message:edit", { messageId: message.id, text });
      s.print(`edited #${message.seq}`);
    },
  },
  delete: {
    usage: "/delete <seq>",
    help: "delete one of your messages in the current room",
    async run(s, args) {
      const wanted = parseSeq(args, "/delete <seq>");
      const message = await messageAt(s, s.requireCurrent(), wanted);
      await s.client.call("message:delete", { messageId: message.id });
      s.print(`deleted #${message.seq}`);
    },
  },
  contacts: {
    usage: "/contacts [add|remove <user>]",
    help: "list your contacts, online or not, or add or remove one",
    async run(s, args) {
      const usage = "/contacts [add|remove <user>]";
      const [action = "", username = "", extra] = args.split(/\s+/);
      if (!action) {
        const contacts = await s.loadContacts();
        for (const contact of contacts) s.print(formatContact(contact));
        s.print(`-- ${count(contacts.length, "contact")} --`);
      } else if (action === "add" && username && extra === undefined) {
        await s.client.call("contacts:add", { username });
        await s.loadContacts();
        s.print(`added ${s.contactNamed(username)?.username ?? username} to contacts`);
      } else if (action === "remove" && username && extra === undefined) {
        const name = s.contactNamed(username)?.username ?? username;
        await s.client.call("contacts:remove", { username });
        await s.loadContacts();
        s.print(`removed ${name} from contacts`);
      } else {
        throw new CliError("USAGE", usage);
      }
    },
  },
  leave: {
    usage: "/leave",
    help: "leave the current room",
    async run(s) {
      const room = s.requireCurrent();
      await s.client.call("room:leave", { roomId: room.id });
      s.forget(room.id);
      s.print(`left ${label(room)}`);
    },
  },
  help: {
    usage: "/help",
    help: "show this help",
    async run(s) {
      for (const { usage, help } of Object.values(commands)) s.print(`  ${usage.padEnd(30)} ${help}`);
      s.print(`  ${"/quit".padEnd(30)} leave the CLI (so does end of input)`);
      s.print("Any other line is sent to the current room; start it with // to send a line beginning with /.");
      s.print("Lines starting with ! mention you; the current room is marked read as its messages arrive.");
    },
  },
};

function required(value: string, usage: string): string {
  if (!value) throw new CliError("USAGE", usage);
  return value;
}

function parseSeq(value: string, usage: string): number {
  const seq = /^#?\d+$/.test(value) ? Number(value.replace("#", "")) : NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) throw new CliError("USAGE", `${usage}: seq is a message number from /history`);
  return seq;
}

/** The message with this seq in `room` (its id is what edit and delete take). */
async function messageAt(s: CliState, room: Room, seq: number): Promise<Message> {
  const [message] = await s.client.call("history", { roomId: room.id, after: seq - 1, limit: 1 });
  if (message?.seq !== seq) throw new CliError("NOT_FOUND", `no message #${seq} in ${label(room)}`);
  return message;
}

/**
 * Runs one line of input: a command, or a message for the current room.
 * Errors are printed, never thrown. Answers "quit" when it is time to stop.
 */
export async function runLine(state: CliState, line: string): Promise<"quit" | void> {
  if (!line.trim()) return;
  try {
    if (line.startsWith("/") && !line.startsWith("//")) {
      const [, name = "", args = ""] = /^\/(\S*)\s*(.*)$/s.exec(line.trim()) ?? [];
      const key = name.toLowerCase();
      if (key === "quit" || key === "exit") return "quit";
      // hasOwn: "/constructor" must not find Object.prototype's.
      const command = Object.hasOwn(commands, key) ? commands[key] : undefined;
      if (!command) throw new CliError("USAGE", `unknown command /${name} (try /help)`);
      await command.run(state, args.trim());
    } else {
      const room = state.requireCurrent();
      // The message comes back as a live event: that is its confirmation.
      await state.client.send(room.id, line.startsWith("//") ? line.slice(1) : line);
    }
  } catch (err) {
    state.print(formatError(err));
  }
}
