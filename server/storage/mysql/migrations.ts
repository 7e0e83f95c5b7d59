// Versioned schema for the MySQL storage (MySQL 8 and MariaDB 10.6+ alike).
// `schema_migrations` records each version applied. Several nodes may start
// at once on an empty database, so the whole run holds a named lock
// (GET_LOCK, one per database); whoever waits finds the work done.
//
// MySQL commits around every DDL statement, so a migration cannot be rolled
// back: each is written to be run again if it stopped half way (CREATE TABLE
// IF NOT EXISTS with its indexes inline), and is recorded only when complete.
// Append new migrations; never edit one that has shipped.
//
// How the schema keeps SQLite's answers:
// - Ids, keys and terms are VARBINARY: compared and ordered byte for byte
//   like SQLite's BINARY (UTF-8 bytes sort in code-point order), with no
//   PAD SPACE rule ("a" and "a " differ) and no case folding by a collation.
// - Usernames are unique by `username_key`, lowercased in ASCII only, as
//   SQLite's NOCASE does; room names by `name_key` (roomNameKey, in JS).
// - A generated column that is NULL outside its kind stands in for each of
//   SQLite's partial unique indexes (public names, dm pairs).
// - `name_key` holds roomNameKey of up to 64 code points: one code point
//   folds to at most 33 bytes (U+FDFA), so 2112 bytes, within InnoDB's
//   3072-byte index keys. A term is at most 32 code points: 128 bytes.
import type { PoolConnection } from "mysql2/promise";

const TABLE = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

const MIGRATIONS: string[][] = [
  // 1: the whole schema of SQLite's migrations 1-3
  [
    `CREATE TABLE IF NOT EXISTS users (
      id            VARBINARY(64) NOT NULL,
      username      VARCHAR(32) NOT NULL,
      username_key  VARBINARY(32) NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      created_at    BIGINT NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY users_username (username_key)
    ) ${TABLE}`,
    `CREATE TABLE IF NOT EXISTS tokens (
      hash       VARBINARY(128) NOT NULL,
      user_id    VARBINARY(64) NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (hash),
      KEY tokens_user (user_id),
      KEY tokens_expiry (expires_at),
      CONSTRAINT tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
    ) ${TABLE}`,
    // num numbers rooms for the search index only; seq never comes from AUTO_INCREMENT.
    `CREATE TABLE IF NOT EXISTS rooms (
      id              VARBINARY(64) NOT NULL,
      num             BIGINT NOT NULL AUTO_INCREMENT,
      kind            ENUM('public', 'private', 'dm') NOT NULL,
      name            VARCHAR(64) NULL,
      name_key        VARBINARY(2112) NULL,
      public_name_key VARBINARY(2112) GENERATED ALWAYS AS (CASE WHEN kind = 'public' THEN name_key END) STORED,
      dm_a            VARBINARY(64) NULL,
      dm_b            VARBINARY(64) NULL,
      dm_pair_a       VARBINARY(64) GENERATED ALWAYS AS (CASE WHEN kind = 'dm' THEN dm_a END) STORED,
      dm_pair_b       VARBINARY(64) GENERATED ALWAYS AS (CASE WHEN kind = 'dm' THEN dm_b END) STORED,
      last_seq        BIGINT NOT NULL DEFAULT 0,
      created_at      BIGINT NOT NULL,
      created_by      VARBINARY(64) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY rooms_num (num),
      UNIQUE KEY rooms_public_name (public_name_key),
      UNIQUE KEY rooms_dm_pair (dm_pair_a, dm_pair_b),
      KEY rooms_public_activity (kind, last_seq, created_at),
      KEY rooms_created_by (created_by),
      CONSTRAINT rooms_dm_a FOREIGN KEY (dm_a) REFERENCES users (id),
      CONSTRAINT rooms_dm_b FOREIGN KEY (dm_b) REFERENCES users (id),
      CONSTRAINT rooms_created_by FOREIGN KEY (created_by) REFERENCES users (id)
    ) ${TABLE}`,
    `CREATE TABLE IF NOT EXISTS memberships (
      room_id       VARBINARY(64) NOT NULL,
      user_id       VARBINARY(64) NOT NULL,
      last_read_seq BIGINT NOT NULL DEFAULT 0,
      joined_at     BIGINT NOT NULL,
      PRIMARY KEY (room_id, user_id),
      KEY memberships_user (user_id, room_id),
      CONSTRAINT memberships_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
      CONSTRAINT memberships_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
    ) ${TABLE}`,
    // Clustered by (room, seq): a page of history is one range of the primary key.
    `CREATE TABLE IF NOT EXISTS messages (
      room_id    VARBINARY(64) NOT NULL,
      seq        BIGINT NOT NULL,
      id         VARBINARY(64) NOT NULL,
      sender_id  VARBINARY(64) NOT NULL,
      client_id  VARBINARY(256) NOT NULL,
      text       TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      edited_at  BIGINT NULL,
      deleted    TINYINT NOT NULL DEFAULT 0,
      PRIMARY KEY (room_id, seq),
      UNIQUE KEY messages_id (id),
      UNIQUE KEY messages_client (sender_id, client_id),
      CONSTRAINT messages_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
      CONSTRAINT messages_sender FOREIGN KEY (sender_id) REFERENCES users (id)
    ) ${TABLE}`,
    `CREATE TABLE IF NOT EXISTS contacts (
      user_id    VARBINARY(64) NOT NULL,
      contact_id VARBINARY(64) NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (user_id, contact_id),
      KEY contacts_reverse (contact_id, user_id),
      CONSTRAINT contacts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
      CONSTRAINT contacts_contact FOREIGN KEY (contact_id) REFERENCES users (id) ON DELETE CASCADE
    ) ${TABLE}`,
    // (room, seq) finds one message's mentions when it is edited or deleted.
    `CREATE TABLE IF NOT EXISTS mentions (
      user_id VARBINARY(64) NOT NULL,
      room_id VARBINARY(64) NOT NULL,
      seq     BIGINT NOT NULL,
      PRIMARY KEY (user_id, room_id, seq),
      KEY mentions_message (room_id, seq),
      CONSTRAINT mentions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
      CONSTRAINT mentions_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
    ) ${TABLE}`,
    // (room, term, seq) finds a word's messages within given rooms;
    // message_terms holds each message's terms in one row (" a b c"), to tell
    // whether one message has a word (as SQLite's schema does).
    `CREATE TABLE IF NOT EXISTS search_terms (
      room_num BIGINT NOT NULL,
      term     VARBINARY(128) NOT NULL,
      seq      BIGINT NOT NULL,
      PRIMARY KEY (room_num, term, seq)
    ) ${TABLE}`,
    `CREATE TABLE IF NOT EXISTS message_terms (
      room_num BIGINT NOT NULL,
      seq      BIGINT NOT NULL,
      terms    MEDIUMBLOB NOT NULL,
      PRIMARY KEY (room_num, seq)
    ) ${TABLE}`,
  ],
];

/** The lock is the server's, so it is named after the database (hashed: lock names are at most 64 characters). */
const LOCK = "CONCAT('chat-migrate:', SHA1(DATABASE()))";

export async function migrate(conn: PoolConnection, lockTimeoutSeconds = 60): Promise<void> {
  const [[lock]] = (await conn.query(`SELECT GET_LOCK(${LOCK}, ?) AS got`, [lockTimeoutSeconds])) as unknown as [[{ got: number | null }]];
  if (lock?.got !== 1) throw new Error(`mysql: another node held the migration lock for more than ${lockTimeoutSeconds} s`);
  try {
    await conn.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL) ${TABLE}`,
    );
    const [rows] = (await conn.query("SELECT version FROM schema_migrations")) as unknown as [Array<{ version: number }>];
    const applied = new Set(rows.map((r) => Number(r.version)));
    for (const [index, statements] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      for (const sql of statements) await conn.query(sql);
      await conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [version, Date.now()]);
    }
  } finally {
    await conn.query(`DO RELEASE_LOCK(${LOCK})`);
  }
}

/** How many migrations this code knows, for tests. */
export const SCHEMA_VERSION = MIGRATIONS.length;
