// Contacts: each user's own list of people.
import type { Storage } from "../storage";
import { read, type Db } from "./pool";
import { text, toUser, type Bytes, type UserRow } from "./rows";
import { insertNew, write } from "./transaction";

export function contactStore(db: Db): Pick<Storage, "addContact" | "removeContact" | "contacts" | "contactOf"> {
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
  };
}
