// What the message log shows, in order, built from a room's log with no DOM:
// a day separator before each new day, stored messages by seq with system
// events placed by time between them, then the user's pending messages.
// Messages from one sender close together are grouped (one name and time).
import type { Message, SystemEvent, User } from "../../common/protocol";
import { dayKey } from "./format";
import type { PendingMessage, RoomLogView } from "./room-log";

/** Messages from one sender this close together share one name and time. */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

export type MessageItem = {
  kind: "message";
  /** Stable from pending to stored: sender and clientId. */
  key: string;
  senderId: string;
  senderName: string;
  at: number;
  message: Message | null;
  pending: PendingMessage | null;
  /** Shown under the name and time of the run it continues. */
  grouped: boolean;
};
export type DayItem = { kind: "day"; key: string; at: number };
export type SystemItem = { kind: "system"; key: string; at: number; event: SystemEvent };
export type TimelineItem = MessageItem | DayItem | SystemItem;

export function buildTimeline(log: RoomLogView, me: User): TimelineItem[] {
  const out: TimelineItem[] = [];
  const system = log.system;
  let s = 0;
  let lastDay = "";
  let runHead: MessageItem | null = null;
  const push = (item: MessageItem | SystemItem) => {
    const day = dayKey(item.at);
    if (day !== lastDay) {
      out.push({ kind: "day", key: `d:${day}`, at: item.at });
      lastDay = day;
      runHead = null;
    }
    if (item.kind === "message") {
      // Grouped with the run before it when the same sender wrote it within 5 minutes of the run's
      // first message (whose name and time are the ones shown).
      const head: MessageItem | null = runHead;
      item.grouped = head !== null && head.senderId === item.senderId && item.at - head.at < GROUP_WINDOW_MS && item.at >= head.at;
      if (!item.grouped) runHead = item;
    } else {
      runHead = null;
    }
    out.push(item);
  };
  const pushSystemUntil = (at: number) => {
    while (s < system.length && (system[s] as SystemEvent).at <= at) {
      const event = system[s++] as SystemEvent;
      push({ kind: "system", key: `s:${event.type}:${event.user.id}:${event.at}`, at: event.at, event });
    }
  };
  for (const m of log.messages) {
    pushSystemUntil(m.createdAt - 1);
    push({
      kind: "message",
      key: `m:${m.sender.id}:${m.clientId}`,
      senderId: m.sender.id,
      senderName: m.sender.username,
      at: m.createdAt,
      message: m,
      pending: null,
      grouped: false,
    });
  }
  pushSystemUntil(Number.POSITIVE_INFINITY);
  for (const p of log.pending.values()) {
    push({
      kind: "message",
      key: `m:${me.id}:${p.clientId}`,
      senderId: me.id,
      senderName: me.username,
      at: Math.max(p.createdAt, out[out.length - 1]?.at ?? 0),
      message: null,
      pending: p,
      grouped: false,
    });
  }
  return out;
}
