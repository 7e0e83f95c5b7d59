// Row shapes of the SQLite schema and how they become the protocol's shapes.
import type { Message, Room } from "../../../common/protocol";
import type { RoomRecord } from "../storage";

export type MessageRow = {
  id: string;
  room_id: string;
  seq: number;
  sender_id: string;
  sender_name: string;
  text: string;
  client_id: string;
  created_at: number;
  edited_at: number | null;
  deleted: number;
};
export type RoomRow = { id: string; kind: RoomRecord["kind"]; name: string | null; dm_a: string | null; dm_b: string | null };
export type RoomViewRow = {
  id: string;
  kind: Room["kind"];
  name: string;
  name_key: string | null;
  last_seq: number;
  joined: number;
  last_read_seq: number;
  unread_mentions: number;
};

export const MESSAGE_COLUMNS = `m.id, m.room_id, m.seq, m.sender_id, u.username AS sender_name, m.text, m.client_id,
  m.created_at, m.edited_at, m.deleted`;

// A room as the user `$me` sees it: a dm is named after the other participant.
export const ROOM_VIEW = `SELECT r.id, r.kind,
    CASE WHEN r.kind = 'dm'
      THEN (SELECT username FROM users WHERE id = CASE WHEN r.dm_a = $me THEN r.dm_b ELSE r.dm_a END)
      ELSE r.name END AS name,
    r.name_key, r.last_seq, m.user_id IS NOT NULL AS joined, COALESCE(m.last_read_seq, 0) AS last_read_seq,
    CASE WHEN m.user_id IS NULL THEN 0 ELSE
      (SELECT COUNT(*) FROM mentions x WHERE x.user_id = $me AND x.room_id = r.id AND x.seq > m.last_read_seq) END
      AS unread_mentions
  FROM rooms r LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = $me`;

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    sender: { id: row.sender_id, username: row.sender_name },
    text: row.deleted ? "" : row.text,
    clientId: row.client_id,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted: row.deleted === 1,
  };
}

export function toRoom(row: RoomViewRow): Room {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    lastSeq: row.last_seq,
    joined: row.joined === 1,
    lastReadSeq: row.last_read_seq,
    unreadMentions: row.unread_mentions,
  };
}

export function toRoomRecord(row: RoomRow): RoomRecord {
  return { id: row.id, kind: row.kind, name: row.name, dmUsers: row.dm_a && row.dm_b ? [row.dm_a, row.dm_b] : null };
}

// Duck-typed: the native module's errors may come from another realm (jest's
// sandbox), where `instanceof Error` is false.
export const isUniqueViolation = (err: unknown) =>
  typeof err === "object" && err !== null && (err as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE";
