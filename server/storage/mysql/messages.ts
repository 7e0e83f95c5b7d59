// Messages: the seq-assigning insert, edits, deletes, history and read
// markers, with each message's mentions and search terms kept in step.
import { joinTerms } from "../../chat/search-terms";
import type { InsertResult, MessageEdit, NewMessage, Storage } from "../storage";
import { change, isDuplicate, read, select, type Conn, type Db } from "./pool";
import { int, jsonList, MESSAGE_COLUMNS, text, toMessage, usernameKey, type Bytes, type MessageRow } from "./rows";
import { MessageBatcher } from "./message-batch";
import { transaction, write } from "./transaction";

type MessageStore = Pick<
  Storage,
  "insertMessage" | "findMessageByClientId" | "findMessage" | "editMessage" | "deleteMessage" | "history" | "markRead"
>;

/** Thrown inside the insert's transaction to roll it back (seq bump included) when a retry's clientId is already stored. */
class DuplicateClientId extends Error {}
/** Thrown inside the insert's transaction to roll the seq bump back when the sender is not a member. */
class NotMember extends Error {}

const byId = `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id`;
const MESSAGE_BY_ID = `${byId} WHERE m.id = ?`;
const MESSAGE_BY_CLIENT_ID = `${byId} WHERE m.sender_id = ? AND m.client_id = ?`;
/** The message with its room's search-index number, by a plain (non-locking) read. */
const MESSAGE_AND_NUM = `SELECT ${MESSAGE_COLUMNS}, r.num FROM messages m JOIN users u ON u.id = m.sender_id
  JOIN rooms r ON r.id = m.room_id WHERE m.id = ?`;

// Locks are always taken room row first, then the sender's membership, so
// that writers of one room queue on the room row instead of deadlocking.
// LAST_INSERT_ID(expr) hands the new seq back in the statement's answer, and
// the room row stays locked until commit, so commit order is seq order.
const BUMP_SEQ = "UPDATE rooms SET last_seq = LAST_INSERT_ID(last_seq + 1) WHERE id = ?";
// Whoever writes a message has read the room up to it. This is also the
// membership check: a locking write that matches no row when the sender is
// not a member, sees a leave another node has committed, and waits for one
// in progress.
const AUTHOR_READ = "UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, ?) WHERE room_id = ? AND user_id = ?";
const INSERT_MESSAGE = `INSERT INTO messages (id, room_id, seq, sender_id, client_id, text, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;
// Mentioned names that belong to members other than the sender, one statement for any number.
const INSERT_MENTIONS = `INSERT INTO mentions (user_id, room_id, seq)
  SELECT u.id, :roomId, :seq FROM JSON_TABLE(:names, '$[*]' COLUMNS (name VARCHAR(64) PATH '$')) j
  JOIN users u ON u.username_key = j.name
  JOIN memberships ms ON ms.user_id = u.id AND ms.room_id = :roomId
  WHERE u.id <> :senderId`;
const INSERT_TERMS = `INSERT INTO search_terms (room_num, term, seq)
  SELECT :num, j.term, :seq FROM JSON_TABLE(:terms, '$[*]' COLUMNS (term VARCHAR(128) PATH '$')) j`;
const INSERT_ALL_TERMS = "INSERT INTO message_terms (room_num, seq, terms) VALUES (:num, :seq, :all)";
// In the insert's transaction the room row is ours already, so reading its number costs no wait.
const INSERT_TERMS_OF_ROOM = `INSERT INTO search_terms (room_num, term, seq)
  SELECT r.num, j.term, :seq FROM rooms r JOIN JSON_TABLE(:terms, '$[*]' COLUMNS (term VARCHAR(128) PATH '$')) j
  WHERE r.id = :roomId`;
const INSERT_ALL_TERMS_OF_ROOM = "INSERT INTO message_terms (room_num, seq, terms) SELECT r.num, :seq, :all FROM rooms r WHERE r.id = :roomId";
// The message's own row of terms says which index entries to take out (there is no index by message).
const DELETE_TERMS = `DELETE t FROM search_terms t
  JOIN JSON_TABLE(:terms, '$[*]' COLUMNS (term VARCHAR(128) PATH '$')) j ON t.term = j.term
  WHERE t.room_num = :num AND t.seq = :seq`;

async function insertMentions(conn: Conn, m: { roomId: string; seq: number; senderId: string }, usernames: string[]) {
  if (usernames.length === 0) return;
  await change(conn, INSERT_MENTIONS, { ...m, names: jsonList(usernames.map(usernameKey)) });
}

// Mentions and terms follow the text: an edit may add or drop some, a delete drops them all.
async function reindex(conn: Conn, row: MessageRow & { num: number }, mentions: string[], terms: string[]) {
  const [roomId, seq, num] = [text(row.room_id), int(row.seq), int(row.num)];
  await change(conn, "DELETE FROM mentions WHERE room_id = ? AND seq = ?", [roomId, seq]);
  await insertMentions(conn, { roomId, seq, senderId: text(row.sender_id) }, mentions);
  const [old] = await select<{ terms: Bytes }>(conn, "SELECT terms FROM message_terms WHERE room_num = ? AND seq = ? FOR UPDATE", [num, seq]);
  if (old) {
    await change(conn, DELETE_TERMS, { num, seq, terms: jsonList(text(old.terms).split(" ").filter(Boolean)) });
    await change(conn, "DELETE FROM message_terms WHERE room_num = ? AND seq = ?", [num, seq]);
  }
  if (terms.length > 0) {
    await change(conn, INSERT_TERMS, { num, seq, terms: jsonList(terms) });
    await change(conn, INSERT_ALL_TERMS, { num, seq, all: joinTerms(terms) });
  }
}

/**
 * Answers this node's inserts into each room in seq order. InnoDB releases
 * the room row's lock before the commit is on disk, so the next writer can
 * commit and be answered first; the chat logic broadcasts in the order
 * inserts are answered, and SQLite answers them in seq order.
 */
class InSeqOrder {
  private readonly rooms = new Map<string, Map<number, Promise<void>>>();

  /** Called as `seq` is handed out: every lower seq of the room on this node is pending already. */
  take(roomId: string, seq: number) {
    const pending = this.rooms.get(roomId) ?? new Map<number, Promise<void>>();
    this.rooms.set(roomId, pending);
    const earlier = [...pending.values()];
    let release!: () => void;
    pending.set(seq, new Promise<void>((resolve) => (release = resolve)));
    const done = () => {
      release();
      pending.delete(seq);
      if (pending.size === 0 && this.rooms.get(roomId) === pending) this.rooms.delete(roomId);
    };
    return {
      /** Rolled back or failed: nothing to wait for. */
      drop: done,
      /** Committed: waits until every lower seq taken here has been answered or dropped. */
      async committed() {
        await Promise.all(earlier);
        done();
      },
    };
  }
}

export function messageStore(db: Db, onBatch?: (size: number) => void): MessageStore {
  const inSeqOrder = new InSeqOrder();

  const insertOnce = async (m: NewMessage): Promise<number> => {
    let ticket: ReturnType<InSeqOrder["take"]> | undefined;
    try {
      const seq = await insertTx(m, (seq) => {
        // A retry: the last attempt's seq was rolled back with it.
        ticket?.drop();
        ticket = seq === null ? undefined : inSeqOrder.take(m.roomId, seq);
      });
      await ticket!.committed();
      return seq;
    } catch (err) {
      ticket?.drop();
      throw err;
    }
  };

  const insertTx = (m: NewMessage, onSeq: (seq: number | null) => void) =>
    transaction(db, async (conn): Promise<number> => {
      onSeq(null);
      const bumped = await change(conn, BUMP_SEQ, [m.roomId]);
      if (bumped.affectedRows === 0) throw new NotMember("no such room");
      const seq = int(bumped.insertId);
      onSeq(seq);
      // FOUND_ROWS (the driver's default) counts a matched row even when its marker was ahead.
      if ((await change(conn, AUTHOR_READ, [seq, m.roomId, m.sender.id])).affectedRows === 0) throw new NotMember("not a member");
      try {
        await change(conn, INSERT_MESSAGE, [m.id, m.roomId, seq, m.sender.id, m.clientId, m.text, m.createdAt]);
      } catch (err) {
        // Rolls back the seq bump with everything else: no seq is burnt.
        if (isDuplicate(err)) throw new DuplicateClientId("duplicate clientId", { cause: err });
        throw err;
      }
      await insertMentions(conn, { roomId: m.roomId, seq, senderId: m.sender.id }, m.mentions);
      if (m.terms.length > 0) {
        await change(conn, INSERT_TERMS_OF_ROOM, { roomId: m.roomId, seq, terms: jsonList(m.terms) });
        await change(conn, INSERT_ALL_TERMS_OF_ROOM, { roomId: m.roomId, seq, all: joinTerms(m.terms) });
      }
      return seq;
    });

  const findByClientId = async (senderId: string, clientId: string) => {
    const [row] = await read<MessageRow>(db, MESSAGE_BY_CLIENT_ID, [senderId, clientId]);
    return row ? toMessage(row) : null;
  };

  /** One message in a transaction of its own: what a batch falls back to. */
  const insertSingle = async (m: NewMessage): Promise<InsertResult> => {
    try {
      const seq = await insertOnce(m);
      const { id, roomId, sender, text, clientId, createdAt } = m;
      return { status: "created", message: { id, roomId, seq, sender, text, clientId, createdAt, editedAt: null, deleted: false } };
    } catch (err) {
      if (err instanceof NotMember) return { status: "not-member" };
      if (!(err instanceof DuplicateClientId)) throw err;
      // The unique index made us wait for the original's commit, so it is there to read.
      const original = await findByClientId(m.sender.id, m.clientId);
      if (!original) throw new Error("insertMessage: duplicate key but no message with that clientId", { cause: err });
      return { status: "duplicate", message: original };
    }
  };
  const batcher = new MessageBatcher(db, insertSingle, onBatch);

  return {
    insertMessage: (m) => batcher.insert(m),
    findMessageByClientId: findByClientId,
    async findMessage(messageId) {
      const [row] = await read<MessageRow>(db, MESSAGE_BY_ID, [messageId]);
      return row ? toMessage(row) : null;
    },
    async editMessage({ messageId, text, mentions, terms, editedAt }: MessageEdit) {
      return transaction(db, async (conn) => {
        const edited = await change(conn, "UPDATE messages SET text = ?, edited_at = ? WHERE id = ? AND deleted = 0", [
          text,
          editedAt,
          messageId,
        ]);
        if (edited.affectedRows === 0) return null;
        const [row] = await select<MessageRow & { num: number }>(conn, MESSAGE_AND_NUM, [messageId]);
        await reindex(conn, row!, mentions, terms);
        return toMessage(row!);
      });
    },
    async deleteMessage(messageId, deletedAt) {
      return transaction(db, async (conn) => {
        await change(conn, "UPDATE messages SET text = '', deleted = 1, edited_at = ? WHERE id = ? AND deleted = 0", [
          deletedAt,
          messageId,
        ]);
        const [row] = await select<MessageRow & { num: number }>(conn, MESSAGE_AND_NUM, [messageId]);
        if (!row) return null;
        await reindex(conn, row, [], []);
        return toMessage(row);
      });
    },
    async history(roomId, { before, after, limit }) {
      const page = (where: string, order: "ASC" | "DESC", params: unknown[]) =>
        read<MessageRow>(db, `${byId} WHERE m.room_id = ? ${where} ORDER BY m.seq ${order} LIMIT ?`, [roomId, ...params, limit]);
      if (after !== undefined) return (await page("AND m.seq > ?", "ASC", [after])).map(toMessage);
      const rows = before !== undefined ? await page("AND m.seq < ?", "DESC", [before]) : await page("", "DESC", []);
      return rows.reverse().map(toMessage);
    },
    async markRead(roomId, userId, seq) {
      // The clamp is read without a lock: taking the room row's lock here
      // would queue read markers behind every message being written.
      const [room] = await read<{ last_seq: number }>(db, "SELECT last_seq FROM rooms WHERE id = ?", [roomId]);
      if (!room) return null;
      const target = Math.min(seq, int(room.last_seq));
      const moved = await write(db, "UPDATE memberships SET last_read_seq = ? WHERE room_id = ? AND user_id = ? AND last_read_seq < ?", [
        target,
        roomId,
        userId,
        target,
      ]);
      return moved.affectedRows > 0 ? target : null;
    },
  };
}
