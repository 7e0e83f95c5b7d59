// Contacts: each user's own list of people, and the people a user knows
// (contacts and room-mates) for suggestions.
import type { Database } from "better-sqlite3";
import type { Storage } from "../storage";
import type { GroupCommitWriter } from "./writer";

export function contactStore(db: Database, writer: GroupCommitWriter): Pick<Storage, "addContact" | "removeContact" | "contacts" | "contactOf" | "suggestPeople"> {
  const q = {
    add: db.prepare("INSERT INTO contacts (user_id, contact_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
    remove: db.prepare("DELETE FROM contacts WHERE user_id = ? AND contact_id = ?"),
    list: db.prepare<[string], { id: string; username: string }>(
      "SELECT u.id, u.username FROM contacts c JOIN users u ON u.id = c.contact_id WHERE c.user_id = ? ORDER BY u.username",
    ),
    watchers: db.prepare<[string], { user_id: string }>("SELECT user_id FROM contacts WHERE contact_id = ?"),
    // The NOCASE index on username serves the prefix; LIKE folds ASCII case, which is all a username holds.
    suggest: db.prepare<{ me: string; pattern: string; roomId: string | null; limit: number }, { id: string; username: string }>(
      `SELECT u.id, u.username FROM users u
       WHERE u.username LIKE $pattern ESCAPE '\\' AND u.id <> $me
         AND (EXISTS (SELECT 1 FROM contacts c WHERE c.user_id = $me AND c.contact_id = u.id)
           OR EXISTS (SELECT 1 FROM memberships a JOIN memberships b ON b.room_id = a.room_id AND b.user_id = $me
                      WHERE a.user_id = u.id))
       ORDER BY EXISTS (SELECT 1 FROM contacts c WHERE c.user_id = $me AND c.contact_id = u.id) DESC,
         EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = $roomId AND m.user_id = u.id) DESC,
         u.username COLLATE NOCASE, u.id
       LIMIT $limit`,
    ),
  };
  return {
    async addContact(userId, contactId, now) {
      return (await writer.run(() => q.add.run(userId, contactId, now))).changes > 0;
    },
    async removeContact(userId, contactId) {
      return (await writer.run(() => q.remove.run(userId, contactId))).changes > 0;
    },
    async contacts(userId) {
      return q.list.all(userId).map((u) => ({ id: u.id, username: u.username }));
    },
    async contactOf(userId) {
      return q.watchers.all(userId).map((r) => r.user_id);
    },
    async suggestPeople(userId, { prefix, roomId, limit }) {
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return q.suggest.all({ me: userId, pattern, roomId: roomId ?? null, limit }).map((u) => ({ id: u.id, username: u.username }));
    },
  };
}
