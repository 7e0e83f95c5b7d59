// Contacts: each user's own list of people, and the people a user knows
// (contacts and room-mates) for suggestions.
import type { Storage } from "../storage";
import { read, type Db } from "./pool";
import { text, toUser, usernameKey, type Bytes, type UserRow } from "./rows";
import { insertNew, write } from "./transaction";

export function contactStore(db: Db): Pick<Storage, "addContact" | "removeContact" | "contacts" | "contactOf" | "suggestPeople"> {
  return {
    async addContact(userId, contactId, now) {
      return insertNew(db, "INSERT INTO contacts (user_id, contact_id, created_at) VALUES (?, ?, ?)", [userId, contactId, now]);
    },
    async removeContact(userId, contactId) {
      return (await write(db, "DELETE FROM contacts WHERE user_id = ? AND contact_id = ?", [userId, contactId])).affectedRows > 0;
    },
    async contacts(userId) {
      // By username ignoring case, as SQLite's NOCASE column orders them.
      const rows = await read<UserRow>(
        db,
        "SELECT u.id, u.username FROM contacts c JOIN users u ON u.id = c.contact_id WHERE c.user_id = ? ORDER BY u.username_key",
        [userId],
      );
      return rows.map(toUser);
    },
    async contactOf(userId) {
      const rows = await read<{ user_id: Bytes }>(db, "SELECT user_id FROM contacts WHERE contact_id = ?", [userId]);
      return rows.map((r) => text(r.user_id));
    },
    async suggestPeople(userId, { prefix, roomId, limit }) {
      // username_key is VARBINARY, lowercased as SQLite's NOCASE folds: a binary LIKE on it is that prefix.
      const pattern = `${usernameKey(prefix).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await read<UserRow>(
        db,
        `SELECT u.id, u.username FROM users u
         WHERE u.username_key LIKE ? AND u.id <> ?
           AND (EXISTS (SELECT 1 FROM contacts c WHERE c.user_id = ? AND c.contact_id = u.id)
             OR EXISTS (SELECT 1 FROM memberships a JOIN memberships b ON b.room_id = a.room_id AND b.user_id = ?
                        WHERE a.user_id = u.id))
         ORDER BY EXISTS (SELECT 1 FROM contacts c WHERE c.user_id = ? AND c.contact_id = u.id) DESC,
           EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = ? AND m.user_id = u.id) DESC,
           u.username_key, u.id
         LIMIT ${Number(limit)}`,
        [pattern, userId, userId, userId, userId, roomId ?? ""],
      );
      return rows.map(toUser);
    },
  };
}
