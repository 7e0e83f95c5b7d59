// Group commit for MySQL: the messages of one room that arrive together (in
// one turn of the event loop, or while that room's previous batch is being
// committed) go into one transaction: the room row is locked once, every
// sender's membership and every clientId are checked in one statement each,
// the accepted ones get consecutive seqs and go in with one multi-row insert
// (their mentions and search terms likewise), and one commit (one redo-log
// flush under innodb_flush_log_at_trx_commit=1) makes them all durable. Each
// message still gets its own answer: created with its seq, a duplicate with
// the stored original, or not-member. Batches of one room run one after
// another on a node, so they are answered in seq order; across nodes the
// room row's lock orders them.
//
// A clientId that another node stored in another room at the same moment is
// found only by the insert's unique key; then the whole batch rolls back and
// its messages go one by one through the single-message path.
import type { PoolConnection } from "mysql2/promise";
import { joinTerms } from "../../chat/search-terms";
import type { InsertResult, NewMessage } from "../storage";
import { change, isDuplicate, select, type Db } from "./pool";
import { int, MESSAGE_COLUMNS, text, toMessage, usernameKey, type Bytes, type MessageRow } from "./rows";
import { transaction } from "./transaction";

type Pending = { message: NewMessage; resolve: (result: InsertResult) => void; reject: (err: unknown) => void };
type RoomQueue = { waiting: Pending[]; busy: boolean };

const LOCK_ROOM = "SELECT last_seq, num FROM rooms WHERE id = ? FOR UPDATE";
// A locking read, so a leave in progress elsewhere is waited for and one committed is seen.
const MEMBERS = `SELECT m.user_id FROM JSON_TABLE(?, '$[*]' COLUMNS (id VARBINARY(64) PATH '$')) j
  JOIN memberships m ON m.room_id = ? AND m.user_id = j.id FOR UPDATE`;
const STORED = `SELECT ${MESSAGE_COLUMNS} FROM JSON_TABLE(?, '$[*]' COLUMNS (s VARBINARY(64) PATH '$[0]', c VARBINARY(256) PATH '$[1]')) j
  JOIN messages m ON m.sender_id = j.s AND m.client_id = j.c JOIN users u ON u.id = m.sender_id`;
const INSERT_MESSAGES = `INSERT INTO messages (id, room_id, seq, sender_id, client_id, text, created_at)
  SELECT j.id, ?, j.seq, j.sender, j.client, j.body, j.at FROM JSON_TABLE(?, '$[*]' COLUMNS (
    id VARBINARY(64) PATH '$.id', seq BIGINT PATH '$.seq', sender VARBINARY(64) PATH '$.sender',
    client VARBINARY(256) PATH '$.client', body TEXT CHARACTER SET utf8mb4 PATH '$.text', at BIGINT PATH '$.at')) j`;
const SET_LAST_SEQ = "UPDATE rooms SET last_seq = ? WHERE id = ?";
// Whoever writes a message has read the room up to it.
const AUTHOR_READ = "UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, ?) WHERE room_id = ? AND user_id = ?";
const INSERT_MENTIONS = `INSERT IGNORE INTO mentions (user_id, room_id, seq)
  SELECT u.id, ?, j.seq FROM JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(64) PATH '$.name', seq BIGINT PATH '$.seq', sender VARBINARY(64) PATH '$.sender')) j
  JOIN users u ON u.username_key = j.name
  JOIN memberships ms ON ms.user_id = u.id AND ms.room_id = ?
  WHERE u.id <> j.sender`;
const INSERT_TERMS = `INSERT IGNORE INTO search_terms (room_num, term, seq)
  SELECT ?, j.term, j.seq FROM JSON_TABLE(?, '$[*]' COLUMNS (term VARCHAR(128) PATH '$.t', seq BIGINT PATH '$.s')) j`;
const INSERT_ALL_TERMS = `INSERT INTO message_terms (room_num, seq, terms)
  SELECT ?, j.seq, j.terms FROM JSON_TABLE(?, '$[*]' COLUMNS (seq BIGINT PATH '$.s', terms LONGTEXT CHARACTER SET utf8mb4 PATH '$.a')) j`;

const pairKey = (senderId: string, clientId: string) => `${senderId}\n${clientId}`;

export class MessageBatcher {
  private readonly rooms = new Map<string, RoomQueue>();

  constructor(
    private readonly db: Db,
    /** The single-message path, for a batch that met a clientId stored elsewhere meanwhile. */
    private readonly single: (message: NewMessage) => Promise<InsertResult>,
    private readonly onBatch?: (size: number) => void,
  ) {}

  insert(message: NewMessage): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      let room = this.rooms.get(message.roomId);
      if (!room) this.rooms.set(message.roomId, (room = { waiting: [], busy: false }));
      room.waiting.push({ message, resolve, reject });
      // One turn of the event loop: whatever arrives with this message joins it.
      if (!room.busy && room.waiting.length === 1) setImmediate(() => void this.run(message.roomId));
    });
  }

  private async run(roomId: string): Promise<void> {
    const room = this.rooms.get(roomId)!;
    const batch = room.waiting;
    room.waiting = [];
    room.busy = true;
    this.onBatch?.(batch.length);
    try {
      const results = await transaction(this.db, (conn) => this.store(conn, roomId, batch.map((p) => p.message)));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (isDuplicate(err)) {
        for (const p of batch) await this.single(p.message).then(p.resolve, p.reject);
      } else {
        for (const p of batch) p.reject(err);
      }
    }
    room.busy = false;
    if (room.waiting.length > 0) void this.run(roomId);
    else this.rooms.delete(roomId);
  }

  private async store(conn: PoolConnection, roomId: string, messages: NewMessage[]): Promise<InsertResult[]> {
    const [locked] = await select<{ last_seq: number; num: number }>(conn, LOCK_ROOM, [roomId]);
    if (!locked) return messages.map(() => ({ status: "not-member" }));
    const senders = [...new Set(messages.map((m) => m.sender.id))];
    const members = new Set((await select<{ user_id: Bytes }>(conn, MEMBERS, [JSON.stringify(senders), roomId])).map((r) => text(r.user_id)));
    const pairs = messages.map((m) => [m.sender.id, m.clientId]);
    const stored = new Map(
      (await select<MessageRow>(conn, STORED, [JSON.stringify(pairs)])).map((row) => {
        const message = toMessage(row);
        return [pairKey(message.sender.id, message.clientId), message] as const;
      }),
    );

    let seq = int(locked.last_seq);
    const accepted: Array<NewMessage & { seq: number }> = [];
    const results = messages.map((m): InsertResult => {
      if (!members.has(m.sender.id)) return { status: "not-member" };
      const key = pairKey(m.sender.id, m.clientId);
      const original = stored.get(key);
      if (original) return { status: "duplicate", message: original };
      const { id, sender, text: body, clientId, createdAt } = m;
      const message = { id, roomId, seq: ++seq, sender, text: body, clientId, createdAt, editedAt: null, deleted: false };
      // A second send of the same clientId in this batch answers with the first.
      stored.set(key, message);
      accepted.push({ ...m, seq });
      return { status: "created", message };
    });
    if (accepted.length === 0) return results;

    const rows = accepted.map((m) => ({ id: m.id, seq: m.seq, sender: m.sender.id, client: m.clientId, text: m.text, at: m.createdAt }));
    await change(conn, INSERT_MESSAGES, [roomId, JSON.stringify(rows)]);
    await change(conn, SET_LAST_SEQ, [seq, roomId]);
    const lastOf = new Map<string, number>();
    for (const m of accepted) lastOf.set(m.sender.id, m.seq);
    for (const [userId, last] of lastOf) await change(conn, AUTHOR_READ, [last, roomId, userId]);
    const mentions = accepted.flatMap((m) => m.mentions.map((name) => ({ name: usernameKey(name), seq: m.seq, sender: m.sender.id })));
    if (mentions.length > 0) await change(conn, INSERT_MENTIONS, [roomId, JSON.stringify(mentions), roomId]);
    const terms = accepted.flatMap((m) => m.terms.map((t) => ({ t, s: m.seq })));
    if (terms.length > 0) {
      await change(conn, INSERT_TERMS, [int(locked.num), JSON.stringify(terms)]);
      const all = accepted.filter((m) => m.terms.length > 0).map((m) => ({ s: m.seq, a: joinTerms(m.terms) }));
      await change(conn, INSERT_ALL_TERMS, [int(locked.num), JSON.stringify(all)]);
    }
    return results;
  }
}
