// The slash commands. Each prints one recognizable line when it is done
// (`joined #x`, `-- 3 messages --`, ...), so whoever drives the CLI through
// a pipe can wait for it.
import { LIMITS } from "../../common/protocol";
import { CliError, formatError, formatMessage, formatRoomRow, label } from "./format";
import type { Session } from "./session";

type Command = { usage: string; help: string; run: (session: Session, args: string) => Promise<void> };

const commands: Record<string, Command> = {
  rooms: {
    usage: "/rooms",
    help: "list public rooms and your rooms",
    async run(s) {
      const rooms = await s.refresh();
      for (const room of rooms) s.print(formatRoomRow(room, room.id === s.current?.id));
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
    help: `show the last n messages of the current room (default 20, at most ${LIMITS.historyMax})`,
    async run(s, args) {
      const room = s.requireCurrent();
      const limit = args ? Number(args) : 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.historyMax) {
        throw new CliError("USAGE", `/history [n]: n is a whole number from 1 to ${LIMITS.historyMax}`);
      }
      const messages = await s.client.call("history", { roomId: room.id, limit });
      for (const m of messages) s.print(formatMessage(label(room), m));
      s.print(`-- ${count(messages.length, "message")} in ${label(room)} --`);
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
      for (const { usage, help } of Object.values(commands)) s.print(`  ${usage.padEnd(28)} ${help}`);
      s.print(`  ${"/quit".padEnd(28)} leave the CLI (so does end of input)`);
      s.print("Any other line is sent to the current room; start it with // to send a line beginning with /.");
    },
  },
};

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function required(value: string, usage: string): string {
  if (!value) throw new CliError("USAGE", usage);
  return value;
}

/**
 * Runs one line of input: a command, or a message for the current room.
 * Errors are printed, never thrown. Answers "quit" when it is time to stop.
 */
export async function runLine(session: Session, line: string): Promise<"quit" | void> {
  if (!line.trim()) return;
  try {
    if (line.startsWith("/") && !line.startsWith("//")) {
      const [, name = "", args = ""] = /^\/(\S*)\s*(.*)$/s.exec(line.trim()) ?? [];
      const key = name.toLowerCase();
      if (key === "quit" || key === "exit") return "quit";
      // hasOwn: "/constructor" must not find Object.prototype's.
      const command = Object.hasOwn(commands, key) ? commands[key] : undefined;
      if (!command) throw new CliError("USAGE", `unknown command /${name} (try /help)`);
      await command.run(session, args.trim());
    } else {
      const room = session.requireCurrent();
      // The message comes back as a live event: that is its confirmation.
      await session.client.send(room.id, line.startsWith("//") ? line.slice(1) : line);
    }
  } catch (err) {
    session.print(formatError(err));
  }
}
