// The embedded default storage: one SQLite file (or memory), WAL mode,
// prepared statements, versioned migrations.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { roomNameKey, type Message, type Room } from "../../common/protocol";
import { migrate } from "./sqlite-migrations";
import type { HistoryQuery, InsertResult, NewMessage, RoomRecord, Storage, UserRecord } from "./storage";

type MessageRow = {
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
type RoomRow = { id: string; kind: RoomRecord["kind"]; name: string | null; dm_a: string | null; dm_b: string | null };
type RoomViewRow = {
  id: string;
  kind: Room["kind"];
  name: string;
  last_seq: number;
  joined: number;
  last_read_seq: number;
  unread_mentions: number;
};

const MESSAGE_COLUMNS = `m.id, m.room_id, m.seq, m.sender_id, u.username AS sender_name, m.text, m.client_id,
  m.created_at, m.edited_at, m.deleted`;

// A dm is named after the participant who is not the asking user (`$me`).
const ROOM_VIEW = `SELECT r.id, r.kind,
    CASE WHEN r.kind = 'dm'
      THEN (SELECT username FROM users WHERE id = CASE WHEN r.dm_a = $me THEN r.dm_b ELSE r.dm_a END)
      ELSE r.name END AS name,
    r.last_seq, m.user_id IS NOT NULL AS joined, COALESCE(m.last_read_seq, 0) AS last_read_seq,
    CASE WHEN m.user_id IS NULL THEN 0 ELSE
      (SELECT COUNT(*) FROM mentions x WHERE x.user_id = $me AND x.room_id = r.id AND x.seq > m.last_read_seq) END
      AS unread_mentions
  FROM rooms r LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = $me`;

function toMessage(row: MessageRow): Message {
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

function toRoom(row: RoomViewRow): Room {
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

function toRoomRecord(row: RoomRow): RoomRecord {
  return { id: row.id, kind: row.kind, name: row.name, dmUsers: row.dm_a && row.dm_b ? [row.dm_a, row.dm_b] : null };
}

// Duck-typed: the native module's errors may come from another realm (jest's
// sandbox), where `instanceof Error` is false.
const isUniqueViolation = (err: unknown) =>
  typeof err === "object" && err !== null && (err as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE";

/** Thrown inside a transaction to roll it back when a retry's clientId is already stored. */
const DUPLICATE = Symbol("duplicate");

export type SqliteOptions = {
  /** A file path, or ":memory:". */
  path: string;
  /**
   * NORMAL (the default) in WAL mode loses nothing on a process crash, which
   * is the failure the protocol's guarantee is about; FULL also survives
   * power loss, at the price of an fsync per commit.
   */
  synchronous?: "NORMAL" | "FULL";
};

export function openSqlite(options: SqliteOptions): Storage {
  if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const q = {
    ping: db.prepare("SELECT 1"),
    insertUser: db.prepare("INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)"),
    userByName: db.prepare<[string], { id: string; username: string; password_hash: string }>(
      "SELECT id, username, password_hash FROM users WHERE username = ? COLLATE NOCASE",
    ),
    insertToken: db.prepare("INSERT INTO tokens (hash, user_id, expires_at) VALUES (?, ?, ?)"),
    userByToken: db.prepare<[string, number], { id: string; username: string }>(
      "SELECT u.id, u.username FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.expires_at > ?",
    ),
    deleteToken: db.prepare("DELETE FROM tokens WHERE hash = ?"),
    insertRoom: db.prepare(
      "INSERT INTO rooms (id, kind, name, name_key, dm_a, dm_b, created_at) VALUES ($id, $kind, $name, $nameKey, $dmA, $dmB, $createdAt)",
    ),
    room: db.prepare<[string], RoomRow>("SELECT id, kind, name, dm_a, dm_b FROM rooms WHERE id = ?"),
    dmRoom: db.prepare<[string, string], RoomRow>(
      "SELECT id, kind, name, dm_a, dm_b FROM rooms WHERE kind = 'dm' AND dm_a = ? AND dm_b = ?",
    ),
    listRooms: db.prepare<{ me: string }, RoomViewRow>(
      `${ROOM_VIEW} WHERE r.kind = 'public' OR m.user_id IS NOT NULL ORDER BY r.created_at, r.id`,
    ),
    roomFor: db.prepare<{ me: string; id: string }, RoomViewRow>(`${ROOM_VIEW} WHERE r.id = $id`),
    addMember: db.prepare(
      "INSERT INTO memberships (room_id, user_id, joined_at) VALUES (?, ?, ?) ON CONFLICT (room_id, user_id) DO NOTHING",
    ),
    removeMember: db.prepare("DELETE FROM memberships WHERE room_id = ? AND user_id = ?"),
    memberIds: db.prepare<[string], { user_id: string }>("SELECT user_id FROM memberships WHERE room_id = ?"),
    members: db.prepare<[string], { id: string; username: string }>(
      "SELECT u.id, u.username FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username",
    ),
    roomIdsOf: db.prepare<[string], { room_id: string }>("SELECT room_id FROM memberships WHERE user_id = ?"),
    bumpSeq: db.prepare<[string], { last_seq: number }>(
      "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq",
    ),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, room_id, seq, sender_id, client_id, text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sender_id, client_id) DO NOTHING`,
    ),
    insertMention: db.prepare(
      `INSERT INTO mentions (user_id, room_id, seq)
       SELECT u.id, $roomId, $seq FROM users u JOIN memberships m ON m.user_id = u.id AND m.room_id = $roomId
       WHERE u.username = $username COLLATE NOCASE AND u.id <> $senderId
       ON CONFLICT DO NOTHING`,
    ),
    deleteMentions: db.prepare("DELETE FROM mentions WHERE room_id = ? AND seq = ?"),
    messageById: db.prepare<[string], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id WHERE m.id = ?`,
    ),
    editMessage: db.prepare("UPDATE messages SET text = ?, edited_at = ? WHERE id = ? AND deleted = 0"),
    deleteMessage: db.prepare("UPDATE messages SET text = '', deleted = 1, edited_at = ? WHERE id = ? AND deleted = 0"),
    markRead: db.prepare<{ roomId: string; userId: string; seq: number }, { last_read_seq: number }>(
      `UPDATE memberships
       SET last_read_seq = MIN($seq, (SELECT last_seq FROM rooms WHERE id = $roomId))
       WHERE room_id = $roomId AND user_id = $userId
         AND last_read_seq < MIN($seq, (SELECT last_seq FROM rooms WHERE id = $roomId))
       RETURNING last_read_seq`,
    ),
    authorRead: db.prepare("UPDATE memberships SET last_read_seq = ? WHERE room_id = ? AND user_id = ? AND last_read_seq < ?"),
    addContact: db.prepare(
      "INSERT INTO contacts (user_id, contact_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    removeContact: db.prepare("DELETE FROM contacts WHERE user_id = ? AND contact_id = ?"),
    contacts: db.prepare<[string], { id: string; username: string }>(
      "SELECT u.id, u.username FROM contacts c JOIN users u ON u.id = c.contact_id WHERE c.user_id = ? ORDER BY u.username",
    ),
    contactOf: db.prepare<[string], { user_id: string }>("SELECT user_id FROM contacts WHERE contact_id = ?"),
    messageByClientId: db.prepare<[string, string], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.sender_id = ? AND m.client_id = ?`,
    ),
    // The best-ranked `limit` matches, newest first among equal ranks; the
    // outer query then presents them newest first, as the protocol orders results.
    searchMine: db.prepare<{ match: string; userId: string; limit: number }, MessageRow>(
      `SELECT * FROM (
         SELECT ${MESSAGE_COLUMNS} FROM messages_fts f
         JOIN messages m ON m.rowid = f.rowid JOIN users u ON u.id = m.sender_id
         WHERE messages_fts MATCH $match AND m.deleted = 0
           AND m.room_id IN (SELECT room_id FROM memberships WHERE user_id = $userId)
         ORDER BY f.rank, m.created_at DESC, m.seq DESC LIMIT $limit
       ) ORDER BY created_at DESC, seq DESC`,
    ),
    searchRoom: db.prepare<{ match: string; roomId: string; limit: number }, MessageRow>(
      `SELECT * FROM (
         SELECT ${MESSAGE_COLUMNS} FROM messages_fts f
         JOIN messages m ON m.rowid = f.rowid JOIN users u ON u.id = m.sender_id
         WHERE messages_fts MATCH $match AND m.deleted = 0 AND m.room_id = $roomId
         ORDER BY f.rank, m.created_at DESC, m.seq DESC LIMIT $limit
       ) ORDER BY created_at DESC, seq DESC`,
    ),
    newest: db.prepare<[string, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = ? ORDER BY m.seq DESC LIMIT ?`,
    ),
    before: db.prepare<[string, number, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
    ),
    after: db.prepare<[string, number, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id
       WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`,
    ),
  };

  const createRoomTx = db.transaction((room: RoomRecord, creatorId: string, createdAt: number) => {
    q.insertRoom.run({
      id: room.id,
      kind: room.kind,
      name: room.name,
      nameKey: room.name === null ? null : roomNameKey(room.name),
      dmA: room.dmUsers?.[0] ?? null,
      dmB: room.dmUsers?.[1] ?? null,
      createdAt,
    });
    q.addMember.run(room.id, creatorId, createdAt);
  });

  const openDmTx = db.transaction((newRoomId: string, users: [string, string], now: number): RoomRow => {
    let row = q.dmRoom.get(users[0], users[1]);
    if (!row) {
      q.insertRoom.run({ id: newRoomId, kind: "dm", name: null, nameKey: null, dmA: users[0], dmB: users[1], createdAt: now });
      row = { id: newRoomId, kind: "dm", name: null, dm_a: users[0], dm_b: users[1] };
    }
    q.addMember.run(row.id, users[0], now);
    q.addMember.run(row.id, users[1], now);
    return row;
  });

  // Assigning seq and inserting in one transaction is what makes seq gap-free
  // and unique under concurrent senders. A retry's clientId hits the unique
  // (sender, clientId) index; throwing rolls the seq bump back with it.
  const insertMessageTx = db.transaction((m: NewMessage): number => {
    const bumped = q.bumpSeq.get(m.roomId);
    if (!bumped) throw new Error(`insertMessage: room ${m.roomId} does not exist`);
    const r = q.insertMessage.run(m.id, m.roomId, bumped.last_seq, m.sender.id, m.clientId, m.text, m.createdAt);
    if (r.changes === 0) throw DUPLICATE;
    // Whoever writes a message has read the room up to it.
    q.authorRead.run(bumped.last_seq, m.roomId, m.sender.id, bumped.last_seq);
    for (const username of m.mentions) {
      q.insertMention.run({ roomId: m.roomId, seq: bumped.last_seq, username, senderId: m.sender.id });
    }
    return bumped.last_seq;
  });

  // Mentions follow the text: an edit may add or drop one, a delete drops them all.
  const setMentions = (m: { roomId: string; seq: number; sender: { id: string } }, usernames: string[]) => {
    q.deleteMentions.run(m.roomId, m.seq);
    for (const username of usernames) q.insertMention.run({ roomId: m.roomId, seq: m.seq, username, senderId: m.sender.id });
  };
  const editMessageTx = db.transaction((messageId: string, text: string, mentions: string[], editedAt: number) => {
    if (q.editMessage.run(text, editedAt, messageId).changes === 0) return null;
    const message = toMessage(q.messageById.get(messageId)!);
    setMentions(message, mentions);
    return message;
  });
  const deleteMessageTx = db.transaction((messageId: string, deletedAt: number) => {
    q.deleteMessage.run(deletedAt, messageId);
    const row = q.messageById.get(messageId);
    if (!row) return null;
    const message = toMessage(row);
    setMentions(message, []);
    return message;
  });

  return {
    dialect: "sqlite",
    async ping() {
      q.ping.get();
    },
    async close() {
      if (db.open) db.close();
    },

    async createUser(user: UserRecord, createdAt: number) {
      try {
        q.insertUser.run(user.id, user.username, user.passwordHash, createdAt);
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async findUserByName(username) {
      const row = q.userByName.get(username);
      return row ? { id: row.id, username: row.username, passwordHash: row.password_hash } : null;
    },

    async createToken(tokenHash, userId, expiresAt) {
      q.insertToken.run(tokenHash, userId, expiresAt);
    },
    async findUserByToken(tokenHash, now) {
      const row = q.userByToken.get(tokenHash, now);
      return row ? { id: row.id, username: row.username } : null;
    },
    async deleteToken(tokenHash) {
      return q.deleteToken.run(tokenHash).changes > 0;
    },

    async createRoom(room, creatorId, createdAt) {
      try {
        createRoomTx(room, creatorId, createdAt);
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async findRoom(roomId) {
      const row = q.room.get(roomId);
      return row ? toRoomRecord(row) : null;
    },
    async openDm(newRoomId, users, now) {
      return toRoomRecord(openDmTx(newRoomId, users, now));
    },
    async listRooms(userId) {
      return q.listRooms.all({ me: userId }).map(toRoom);
    },
    async roomFor(roomId, userId) {
      const row = q.roomFor.get({ me: userId, id: roomId });
      return row ? toRoom(row) : null;
    },

    async addMember(roomId, userId, now) {
      return q.addMember.run(roomId, userId, now).changes > 0;
    },
    async removeMember(roomId, userId) {
      return q.removeMember.run(roomId, userId).changes > 0;
    },
    async memberIds(roomId) {
      return q.memberIds.all(roomId).map((r) => r.user_id);
    },
    async members(roomId) {
      return q.members.all(roomId).map((u) => ({ id: u.id, username: u.username }));
    },
    async roomIdsOf(userId) {
      return q.roomIdsOf.all(userId).map((r) => r.room_id);
    },

    async insertMessage(m): Promise<InsertResult> {
      try {
        const seq = insertMessageTx(m);
        return {
          created: true,
          message: {
            id: m.id,
            roomId: m.roomId,
            seq,
            sender: m.sender,
            text: m.text,
            clientId: m.clientId,
            createdAt: m.createdAt,
            editedAt: null,
            deleted: false,
          },
        };
      } catch (err) {
        if (err !== DUPLICATE) throw err;
        const row = q.messageByClientId.get(m.sender.id, m.clientId);
        if (!row) throw new Error("insertMessage: duplicate clientId but no stored message", { cause: err });
        return { created: false, message: toMessage(row) };
      }
    },
    async findMessageByClientId(senderId, clientId) {
      const row = q.messageByClientId.get(senderId, clientId);
      return row ? toMessage(row) : null;
    },
    async findMessage(messageId) {
      const row = q.messageById.get(messageId);
      return row ? toMessage(row) : null;
    },
    async editMessage(messageId, text, mentions, editedAt) {
      return editMessageTx(messageId, text, mentions, editedAt);
    },
    async deleteMessage(messageId, deletedAt) {
      return deleteMessageTx(messageId, deletedAt);
    },
    async search({ userId, words, roomId, limit }) {
      if (words.length === 0) return [];
      // Each word becomes a quoted FTS5 string with a prefix star: whatever the
      // user typed (quotes, *, NEAR, OR, -) is matched as text, never as syntax.
      const match = words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(" ");
      const rows = roomId === undefined ? q.searchMine.all({ match, userId, limit }) : q.searchRoom.all({ match, roomId, limit });
      return rows.map(toMessage);
    },
    async markRead(roomId, userId, seq) {
      return q.markRead.get({ roomId, userId, seq })?.last_read_seq ?? null;
    },
    async addContact(userId, contactId, now) {
      return q.addContact.run(userId, contactId, now).changes > 0;
    },
    async removeContact(userId, contactId) {
      return q.removeContact.run(userId, contactId).changes > 0;
    },
    async contacts(userId) {
      return q.contacts.all(userId).map((u) => ({ id: u.id, username: u.username }));
    },
    async contactOf(userId) {
      return q.contactOf.all(userId).map((r) => r.user_id);
    },
    async history(roomId, { before, after, limit }: HistoryQuery) {
      if (after !== undefined) return q.after.all(roomId, after, limit).map(toMessage);
      const rows = before !== undefined ? q.before.all(roomId, before, limit) : q.newest.all(roomId, limit);
      return rows.reverse().map(toMessage);
    },
  };
}
