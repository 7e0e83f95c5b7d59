// Contacts: each user's own list of people.
import type { Database } from "better-sqlite3";
import type { Storage } from "../storage";

export function contactStore(db: Database): Pick<Storage, "addContact" | "removeContact" | "contacts" | "contactOf"> {
  const q = {
    add: db.prepare("INSERT INTO contacts (user_id, contact_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
    remove: db.prepare("DELETE FROM contacts WHERE user_id = ? AND contact_id = ?"),
    list: db.prepare<[string], { id: string; username: string }>(
      "SELECT u.id, u.username FROM contacts c JOIN users u ON u.id = c.contact_id WHERE c.user_id = ? ORDER BY u.username",
    ),
    watchers: db.prepare<[string], { user_id: string }>("SELECT user_id FROM contacts WHERE contact_id = ?"),
  };
  return {
    async addContact(userId, contactId, now) {
      return q.add.run(userId, contactId, now).changes > 0;
    },
    async removeContact(userId, contactId) {
      return q.remove.run(userId, contactId).changes > 0;
    },
    async contacts(userId) {
      return q.list.all(userId).map((u) => ({ id: u.id, username: u.username }));
    },
    async contactOf(userId) {
      return q.watchers.all(userId).map((r) => r.user_id);
    },
  };
}
