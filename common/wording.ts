// How clients name rooms and tell system events, the same on the page and in
// the CLI. Text in, text out: a terminal cleans it, the page sets it as text.
import type { Room, SystemEvent } from "./protocol";

/**
 * `#general` for a public or private room; a dm is named after the other
 * user: `bob`, or `@bob` with `dmPrefix: "@"` (the CLI's, where a bare name
 * could be taken for a room).
 */
export function roomLabel(room: Pick<Room, "kind" | "name">, { dmPrefix = "" }: { dmPrefix?: string } = {}): string {
  return room.kind === "dm" ? `${dmPrefix}${room.name}` : `#${room.name}`;
}

const SYSTEM_VERBS: Record<SystemEvent["type"], string> = {
  "member-joined": "joined",
  "member-left": "left",
  "member-invited": "was invited",
};

/** `alice joined`, `alice left`, `alice was invited`. */
export function systemEventText(event: Pick<SystemEvent, "type" | "user">): string {
  return `${event.user.username} ${SYSTEM_VERBS[event.type]}`;
}

/** `14:02`, local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** `1 message`, `3 messages`. */
export const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;
