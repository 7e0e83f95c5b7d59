// Row shapes of the MySQL schema and how they become the protocol's shapes.
// Ids and keys are VARBINARY, so the driver hands them over as Buffers of
// UTF-8; BIGINTs arrive as numbers (supportBigNumbers off), each checked
// to be exact rather than trusted.
import type { Message, Room } from "../../../common/protocol";
import type { RoomRecord } from "../storage";

/** A VARBINARY value (a Buffer), or a string where SQL computed one. */
export type Bytes = Buffer | string;
type Int = number | string;

export const text = (value: Bytes): string => (typeof value === "string" ? value : value.toString("utf8"));
export const textOrNull = (value: Bytes | null): string | null => (value === null ? null : text(value));

export function int(value: Int): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`mysql: ${String(value)} is not an exact integer`);
  return n;
}

/** What SQLite's NOCASE compares: ASCII letters folded, nothing else (a Kelvin sign is not a k). */
export const usernameKey = (username: string) => username.replace(/[A-Z]+/g, (s) => s.toLowerCase());

export type MessageRow = {
  id: Bytes;
  room_id: Bytes;
  seq: Int;
  sender_id: Bytes;
  sender_name: string;
  text: string;
  client_id: Bytes;
  created_at: Int;
  edited_at: Int | null;
  deleted: Int;
};
export type RoomRow = { id: Bytes; kind: RoomRecord["kind"]; name: string | null; dm_a: Bytes | null; dm_b: Bytes | null };
export type RoomViewRow = {
  id: Bytes;
  kind: Room["kind"];
  name: string;
  name_key: Bytes | null;
  last_seq: Int;
  joined: Int;
  last_read_seq: Int;
  unread_mentions: Int;
};
export type UserRow = { id: Bytes; username: string };

export const MESSAGE_COLUMNS = `m.id, m.room_id, m.seq, m.sender_id, u.username AS sender_name, m.text, m.client_id,
  m.created_at, m.edited_at, m.deleted`;

// A room as the user `:me` sees it: a dm is named after the other participant.
export const ROOM_VIEW = `SELECT r.id, r.kind,
    CASE WHEN r.kind = 'dm'
      THEN (SELECT username FROM users WHERE id = CASE WHEN r.dm_a = :me THEN r.dm_b ELSE r.dm_a END)
      ELSE r.name END AS name,
    r.name_key, r.last_seq, m.user_id IS NOT NULL AS joined, COALESCE(m.last_read_seq, 0) AS last_read_seq,
    CASE WHEN m.user_id IS NULL THEN 0 ELSE
      (SELECT COUNT(*) FROM mentions x WHERE x.user_id = :me AND x.room_id = r.id AND x.seq > m.last_read_seq) END
      AS unread_mentions
  FROM rooms r LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = :me`;

export function toMessage(row: MessageRow): Message {
  const deleted = int(row.deleted) === 1;
  return {
    id: text(row.id),
    roomId: text(row.room_id),
    seq: int(row.seq),
    sender: { id: text(row.sender_id), username: row.sender_name },
    text: deleted ? "" : row.text,
    clientId: text(row.client_id),
    createdAt: int(row.created_at),
    editedAt: row.edited_at === null ? null : int(row.edited_at),
    deleted,
  };
}

export function toRoom(row: RoomViewRow): Room {
  return {
    id: text(row.id),
    kind: row.kind,
    name: row.name,
    lastSeq: int(row.last_seq),
    joined: int(row.joined) === 1,
    lastReadSeq: int(row.last_read_seq),
    unreadMentions: int(row.unread_mentions),
  };
}

export function toRoomRecord(row: RoomRow): RoomRecord {
  const [a, b] = [textOrNull(row.dm_a), textOrNull(row.dm_b)];
  return { id: text(row.id), kind: row.kind, name: row.name, dmUsers: a && b ? [a, b] : null };
}

export const toUser = (row: UserRow) => ({ id: text(row.id), username: row.username });

/** A JSON array for JSON_TABLE: one statement for any number of values, so one prepared statement. */
export const jsonList = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);
