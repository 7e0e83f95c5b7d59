// Users and session tokens.
import type { Database } from "better-sqlite3";
import type { Storage, UserRecord } from "../storage";
import { isUniqueViolation } from "./rows";
import type { GroupCommitWriter } from "./writer";

type AccountStore = Pick<Storage, "createUser" | "findUserByName" | "createToken" | "findSession" | "deleteToken" | "purgeExpiredTokens">;

export function accountStore(db: Database, writer: GroupCommitWriter): AccountStore {
  const q = {
    insertUser: db.prepare("INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)"),
    userByName: db.prepare<[string], { id: string; username: string; password_hash: string }>(
      "SELECT id, username, password_hash FROM users WHERE username = ? COLLATE NOCASE",
    ),
    insertToken: db.prepare("INSERT INTO tokens (hash, user_id, expires_at) VALUES (?, ?, ?)"),
    session: db.prepare<[string, number], { id: string; username: string; expires_at: number }>(
      `SELECT u.id, u.username, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id
       WHERE t.hash = ? AND t.expires_at > ?`,
    ),
    deleteToken: db.prepare("DELETE FROM tokens WHERE hash = ?"),
    purgeTokens: db.prepare("DELETE FROM tokens WHERE expires_at <= ?"),
  };

  return {
    async createUser(user: UserRecord, createdAt: number) {
      try {
        await writer.run(() => q.insertUser.run(user.id, user.username, user.passwordHash, createdAt));
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
      await writer.run(() => q.insertToken.run(tokenHash, userId, expiresAt));
    },
    async findSession(tokenHash, now) {
      const row = q.session.get(tokenHash, now);
      return row ? { user: { id: row.id, username: row.username }, expiresAt: row.expires_at } : null;
    },
    async deleteToken(tokenHash) {
      return (await writer.run(() => q.deleteToken.run(tokenHash))).changes > 0;
    },
    async purgeExpiredTokens(now) {
      return (await writer.run(() => q.purgeTokens.run(now))).changes;
    },
  };
}
