// What the message log shows, in order, built from a room's log with no DOM:
// a day separator before each new day, stored messages by seq with system
// events placed by time between them, a "New messages" line before the
// first unread one, then the user's pending messages. Messages from one
// sender close together are grouped (one name and time).
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
/** Where the unread part begins: before the message with `seq`. */
export type UnreadItem = { kind: "unread"; key: "unread"; seq: number };
export type TimelineItem = MessageItem | DayItem | SystemItem | UnreadItem;

export function buildTimeline(log: RoomLogView, pending: readonly PendingMessage[], me: User): TimelineItem[] {
  const out: TimelineItem[] = [];
  const system = log.system;
  let s = 0;
  let lastDay = "";
  let lastAt = 0;
  let runHead: MessageItem | null = null;
  const push = (item: MessageItem | SystemItem, firstUnread = false) => {
    lastAt = item.at;
    const day = dayKey(item.at);
    if (day !== lastDay) {
      out.push({ kind: "day", key: `d:${day}`, at: item.at });
      lastDay = day;
      runHead = null;
    }
    if (firstUnread && item.kind === "message" && item.message) {
      // After the day it falls on; the line starts a fresh run: the first unread message shows its sender.
      out.push({ kind: "unread", key: "unread", seq: item.message.seq });
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
    // Only where the loaded stretch reaches back to the marker: otherwise the line would sit at the wrong place.
    const firstUnread = log.unreadAfter !== null && m.seq === log.unreadAfter + 1;
    const item: MessageItem = {
      kind: "message",
      key: `m:${m.sender.id}:${m.clientId}`,
      senderId: m.sender.id,
      senderName: m.sender.username,
      at: m.createdAt,
      message: m,
      pending: null,
      grouped: false,
    };
    push(item, firstUnread);
  }
  pushSystemUntil(Number.POSITIVE_INFINITY);
  for (const p of pending) {
    push({
      kind: "message",
      key: `m:${me.id}:${p.clientId}`,
      senderId: me.id,
      senderName: me.username,
      at: Math.max(p.createdAt, lastAt),
      message: null,
      pending: p,
      grouped: false,
    });
  }
  return out;
}
