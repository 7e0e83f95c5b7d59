// Users and session tokens.
import type { Storage, UserRecord } from "../storage";
import { read, type Db } from "./pool";
import { int, text, usernameKey, type Bytes } from "./rows";
import { insertNew, write } from "./transaction";

type AccountStore = Pick<Storage, "createUser" | "findUserByName" | "createToken" | "findSession" | "deleteToken" | "purgeExpiredTokens">;

export function accountStore(db: Db): AccountStore {
  return {
    async createUser(user: UserRecord, createdAt: number) {
      return insertNew(db, "INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)", [
        user.id,
        user.username,
        usernameKey(user.username),
        user.passwordHash,
        createdAt,
      ]);
    },
    async findUserByName(username) {
      const [row] = await read<{ id: Bytes; username: string; password_hash: string }>(
        db,
        "SELECT id, username, password_hash FROM users WHERE username_key = ?",
        [usernameKey(username)],
      );
      return row ? { id: text(row.id), username: row.username, passwordHash: row.password_hash } : null;
    },
    async createToken(tokenHash, userId, expiresAt) {
      await write(db, "INSERT INTO tokens (hash, user_id, expires_at) VALUES (?, ?, ?)", [tokenHash, userId, expiresAt]);
    },
    async findSession(tokenHash, now) {
      const [row] = await read<{ id: Bytes; username: string; expires_at: number }>(
        db,
        `SELECT u.id, u.username, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.hash = ? AND t.expires_at > ?`,
        [tokenHash, now],
      );
      return row ? { user: { id: text(row.id), username: row.username }, expiresAt: int(row.expires_at) } : null;
    },
    async deleteToken(tokenHash) {
      return (await write(db, "DELETE FROM tokens WHERE hash = ?", [tokenHash])).affectedRows > 0;
    },
    async purgeExpiredTokens(now) {
      return (await write(db, "DELETE FROM tokens WHERE expires_at <= ?", [now])).affectedRows;
    },
  };
}
