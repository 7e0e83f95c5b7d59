// How the CLI shows rooms, messages, system events and errors. Pure
// functions: everything here is text in, text out.
import { ChatError } from "../../common/chat-error";
import type { Contact, Message, Room, SystemEvent } from "../../common/protocol";
import { clockTime as clock, count, roomLabel, systemEventText } from "../../common/wording";

export { count };

/** A failure of the CLI's own making (bad usage, unknown name), shown like a server error. */
export class CliError extends Error {
  constructor(
    readonly code: "USAGE" | "NO_ROOM" | "NOT_FOUND",
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Other users choose room names and message text. Control characters could
 * move the cursor or recolour the terminal, and a newline could fake a line
 * from someone else, so they are replaced and continuation lines indented.
 */
export function clean(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    // Matching control characters is the point of this pattern.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd")
    .replace(/\n/g, "\n    ");
}

/** `#general` for rooms, `@bob` for a dm (whose name is the other user's). */
export function label(room: Pick<Room, "kind" | "name">): string {
  return roomLabel({ kind: room.kind, name: clean(room.name) }, { dmPrefix: "@" });
}


export type MessageStyle = {
  /** The message @mentions the user: the line starts with `! `. */
  mention?: boolean;
  /** Show the seq (`#12 `), which /edit and /delete take: in listings, not live lines. */
  seq?: boolean;
};

/** `[#room 14:02] bob: text`, `! [...]` when it mentions the user, `#12 [...]` in listings. */
export function formatMessage(roomLabel: string, m: Message, { mention = false, seq = false }: MessageStyle = {}): string {
  const text = m.deleted ? "(deleted)" : clean(m.text) + (m.editedAt === null ? "" : " (edited)");
  const prefix = `${mention ? "! " : ""}${seq ? `#${m.seq} ` : ""}`;
  return `${prefix}[${roomLabel} ${clock(m.createdAt)}] ${m.sender.username}: ${text}`;
}

export function formatSystem(roomLabel: string, e: SystemEvent): string {
  return `[${roomLabel} ${clock(e.at)}] * ${clean(systemEventText(e))}`;
}

/** What /rooms says of a room's unread messages: the room directory's counts. */
export type UnreadCounts = { unread: number; mentions: number };

/** One row of /rooms; `*` marks the current room; a joined room shows `3 unread, 1 mention`. */
export function formatRoomRow(room: Room, current: boolean, { unread, mentions }: UnreadCounts): string {
  const mark = current ? "*" : " ";
  const joined = room.joined ? "joined" : "-";
  const row = `${mark} ${label(room).padEnd(24)} ${room.kind.padEnd(7)} ${joined.padEnd(6)} lastSeq=${room.lastSeq}`;
  if (!room.joined) return row;
  return `${row.padEnd(56)} ${unread} unread${mentions > 0 ? `, ${count(mentions, "mention")}` : ""}`;
}

/** One row of /contacts. */
export function formatContact(contact: Contact): string {
  return `  ${contact.username.padEnd(32)} ${contact.online ? "online" : "offline"}`;
}

export function formatPresence(username: string, online: boolean): string {
  return `* ${username} is ${online ? "online" : "offline"}`;
}

/** `error: CODE message` for anything a command can throw. */
export function formatError(err: unknown): string {
  if (err instanceof ChatError || err instanceof CliError) return `error: ${err.code} ${err.message}`;
  return `error: INTERNAL ${err instanceof Error ? err.message : String(err)}`;
}
