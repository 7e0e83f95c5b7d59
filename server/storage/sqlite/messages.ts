// Messages: the seq-assigning insert, edits, deletes, history and read
// markers, with each message's mentions and search terms kept in step.
import type { Database } from "better-sqlite3";
import type { InsertResult, MessageEdit, NewMessage, Storage } from "../storage";
import { joinTerms } from "../../chat/search-terms";
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from "./rows";
import type { TermIndex } from "./term-index";
import type { GroupCommitWriter } from "./writer";

type MessageStore = Pick<
  Storage,
  "insertMessage" | "findMessageByClientId" | "findMessage" | "editMessage" | "deleteMessage" | "history" | "markRead"
>;

/** Thrown inside a transaction to roll it back when a retry's clientId is already stored. */
const DUPLICATE = Symbol("duplicate");

const byId = `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.sender_id`;

export function messageStore(db: Database, writer: GroupCommitWriter, index: TermIndex): MessageStore {
  const q = {
    isMember: db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM memberships WHERE room_id = ? AND user_id = ?"),
    bumpSeq: db.prepare<[string], { last_seq: number; num: number }>(
      "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq, num",
    ),
    roomNum: db.prepare<[string], { num: number }>("SELECT num FROM rooms WHERE id = ?"),
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
    messageById: db.prepare<[string], MessageRow>(`${byId} WHERE m.id = ?`),
    messageByClientId: db.prepare<[string, string], MessageRow>(`${byId} WHERE m.sender_id = ? AND m.client_id = ?`),
    editMessage: db.prepare("UPDATE messages SET text = ?, edited_at = ? WHERE id = ? AND deleted = 0"),
    deleteMessage: db.prepare("UPDATE messages SET text = '', deleted = 1, edited_at = ? WHERE id = ? AND deleted = 0"),
    authorRead: db.prepare("UPDATE memberships SET last_read_seq = ? WHERE room_id = ? AND user_id = ? AND last_read_seq < ?"),
    markRead: db.prepare<{ roomId: string; userId: string; seq: number }, { last_read_seq: number }>(
      `UPDATE memberships
       SET last_read_seq = MIN($seq, (SELECT last_seq FROM rooms WHERE id = $roomId))
       WHERE room_id = $roomId AND user_id = $userId
         AND last_read_seq < MIN($seq, (SELECT last_seq FROM rooms WHERE id = $roomId))
       RETURNING last_read_seq`,
    ),
    newest: db.prepare<[string, number], MessageRow>(`${byId} WHERE m.room_id = ? ORDER BY m.seq DESC LIMIT ?`),
    before: db.prepare<[string, number, number], MessageRow>(
      `${byId} WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
    ),
    after: db.prepare<[string, number, number], MessageRow>(`${byId} WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`),
  };

  const indexTerms = (num: number, seq: number, terms: string[]) => index.added(num, seq, joinTerms(terms));
  const unindexTerms = (num: number, seq: number) => index.removed(num, seq);
  // Mentions follow the text: an edit may add or drop one, a delete drops them all.
  const setMentions = (m: { roomId: string; seq: number; sender: { id: string } }, usernames: string[]) => {
    q.deleteMentions.run(m.roomId, m.seq);
    for (const username of usernames) q.insertMention.run({ roomId: m.roomId, seq: m.seq, username, senderId: m.sender.id });
  };

  // Membership, the seq bump and the insert in one savepoint of the writer's
  // batch (writer.ts): seq is gap-free and unique, and a sender who has just
  // left (on any node) is refused by the database whatever a cache says. A
  // retry's clientId hits the unique (sender, clientId) index; throwing rolls
  // the seq bump back.
  const insertMessageTx = (m: NewMessage): number | null => {
    if (!q.isMember.get(m.roomId, m.sender.id)) return null;
    const bumped = q.bumpSeq.get(m.roomId);
    if (!bumped) return null;
    const seq = bumped.last_seq;
    if (q.insertMessage.run(m.id, m.roomId, seq, m.sender.id, m.clientId, m.text, m.createdAt).changes === 0) throw DUPLICATE;
    // Whoever writes a message has read the room up to it.
    q.authorRead.run(seq, m.roomId, m.sender.id, seq);
    for (const username of m.mentions) q.insertMention.run({ roomId: m.roomId, seq, username, senderId: m.sender.id });
    indexTerms(bumped.num, seq, m.terms);
    return seq;
  };

  const editMessageTx = ({ messageId, text, mentions, terms, editedAt }: MessageEdit) => {
    if (q.editMessage.run(text, editedAt, messageId).changes === 0) return null;
    const message = toMessage(q.messageById.get(messageId)!);
    setMentions(message, mentions);
    const { num } = q.roomNum.get(message.roomId)!;
    unindexTerms(num, message.seq);
    indexTerms(num, message.seq, terms);
    return message;
  };

  const deleteMessageTx = (messageId: string, deletedAt: number) => {
    q.deleteMessage.run(deletedAt, messageId);
    const row = q.messageById.get(messageId);
    if (!row) return null;
    const message = toMessage(row);
    setMentions(message, []);
    unindexTerms(q.roomNum.get(message.roomId)!.num, message.seq);
    return message;
  };

  return {
    async insertMessage(m): Promise<InsertResult> {
      try {
        const seq = await writer.run(() => insertMessageTx(m));
        if (seq === null) return { status: "not-member" };
        const { id, roomId, sender, text, clientId, createdAt } = m;
        return { status: "created", message: { id, roomId, seq, sender, text, clientId, createdAt, editedAt: null, deleted: false } };
      } catch (err) {
        if (err !== DUPLICATE) throw err;
        const row = q.messageByClientId.get(m.sender.id, m.clientId);
        if (!row) throw new Error("insertMessage: duplicate clientId but no stored message", { cause: err });
        return { status: "duplicate", message: toMessage(row) };
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
    async editMessage(edit) {
      return writer.run(() => editMessageTx(edit));
    },
    async deleteMessage(messageId, deletedAt) {
      return writer.run(() => deleteMessageTx(messageId, deletedAt));
    },
    async history(roomId, { before, after, limit }) {
      if (after !== undefined) return q.after.all(roomId, after, limit).map(toMessage);
      const rows = before !== undefined ? q.before.all(roomId, before, limit) : q.newest.all(roomId, limit);
      return rows.reverse().map(toMessage);
    },
    async markRead(roomId, userId, seq) {
      return (await writer.run(() => q.markRead.get({ roomId, userId, seq })))?.last_read_seq ?? null;
    },
  };
}
