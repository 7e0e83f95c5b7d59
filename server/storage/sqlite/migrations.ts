// Versioned schema for the SQLite storage. `PRAGMA user_version` records how
// many migrations a file has had; each runs once, in its own transaction.
// Append new migrations; never edit one that has shipped. A migration is SQL,
// or a function when it must compute rows in JavaScript (search terms).
import type { Database } from "better-sqlite3";
import { joinTerms, termsOf } from "../../chat/search-terms";

type Migration = string | ((db: Database) => void);

const MIGRATIONS: Migration[] = [
  // 1: accounts, rooms, memberships, messages
  `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
  );
  CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX tokens_user ON tokens(user_id);
  CREATE TABLE rooms (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('public', 'private', 'dm')),
    name       TEXT,
    -- name folded for uniqueness (roomNameKey): NOCASE folds ASCII only
    name_key   TEXT,
    dm_a       TEXT REFERENCES users(id),
    dm_b       TEXT REFERENCES users(id),
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  -- public names are unique ignoring case; private names need not be
  CREATE UNIQUE INDEX rooms_public_name ON rooms(name_key) WHERE kind = 'public';
  CREATE UNIQUE INDEX rooms_dm_pair ON rooms(dm_a, dm_b) WHERE kind = 'dm';
  CREATE TABLE memberships (
    room_id       TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_read_seq INTEGER NOT NULL DEFAULT 0,
    joined_at     INTEGER NOT NULL,
    PRIMARY KEY (room_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX memberships_user ON memberships(user_id, room_id);
  -- An ordinary rowid table so that a later FTS5 index can use it as content.
  CREATE TABLE messages (
    id         TEXT NOT NULL UNIQUE,
    room_id    TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    sender_id  TEXT NOT NULL REFERENCES users(id),
    client_id  TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    edited_at  INTEGER,
    deleted    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (room_id, seq),
    UNIQUE (sender_id, client_id)
  );
  `,
  // 2: contacts, mentions, and full-text search kept in step with messages
  `
  CREATE TABLE contacts (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, contact_id)
  ) WITHOUT ROWID;
  CREATE INDEX contacts_reverse ON contacts(contact_id, user_id);
  CREATE TABLE mentions (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (user_id, room_id, seq)
  ) WITHOUT ROWID;
  -- External content: the index stores no second copy of the text. The
  -- triggers keep it in step with inserts, edits and deletes (a delete blanks
  -- the text, so a deleted message is no longer found).
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
  `,
  // 3: search through our own term index instead of FTS5 (the same terms on
  // every backend; every lookup is bounded to the searcher's rooms), rooms
  // numbered for that index and counted per creator, tokens purged by expiry
  (db) => {
    db.exec(`
      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_delete;
      DROP TRIGGER messages_fts_update;
      DROP TABLE messages_fts;
      ALTER TABLE rooms ADD COLUMN num INTEGER;
      ALTER TABLE rooms ADD COLUMN created_by TEXT REFERENCES users(id);
      UPDATE rooms SET num = rowid;
      CREATE UNIQUE INDEX rooms_num ON rooms(num);
      CREATE INDEX rooms_created_by ON rooms(created_by) WHERE created_by IS NOT NULL;
      -- the busiest public rooms first, for room:list's capped list of rooms not joined
      CREATE INDEX rooms_public_activity ON rooms(last_seq DESC, created_at DESC) WHERE kind = 'public';
      CREATE INDEX tokens_expiry ON tokens(expires_at);
      -- (room, term, seq) finds a word's messages within given rooms;
      -- message_terms holds each message's terms in one row (" a b c"), to
      -- tell whether one message has a word: one row a message is cheaper to
      -- write than a second index of every term.
      CREATE TABLE search_terms (
        room_num INTEGER NOT NULL,
        term     TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        PRIMARY KEY (room_num, term, seq)
      ) WITHOUT ROWID;
      CREATE TABLE message_terms (
        room_num INTEGER NOT NULL,
        seq      INTEGER NOT NULL,
        terms    TEXT NOT NULL,
        PRIMARY KEY (room_num, seq)
      ) WITHOUT ROWID;
      -- Every message of the room up to indexed_through has its postings in
      -- search_terms; later ones only their row in message_terms (term-index.ts).
      CREATE TABLE search_index_state (
        room_num        INTEGER PRIMARY KEY,
        indexed_through INTEGER NOT NULL
      );
    `);
    const insert = db.prepare("INSERT OR IGNORE INTO search_terms (room_num, term, seq) VALUES (?, ?, ?)");
    const insertAll = db.prepare("INSERT INTO message_terms (room_num, seq, terms) VALUES (?, ?, ?)");
    // In pages: better-sqlite3 runs no other statement while one is being iterated.
    const page = db.prepare<[number], { rowid: number; num: number; seq: number; text: string }>(
      `SELECT m.rowid, r.num, m.seq, m.text FROM messages m JOIN rooms r ON r.id = m.room_id
       WHERE m.rowid > ? AND m.deleted = 0 ORDER BY m.rowid LIMIT 2000`,
    );
    for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.rowid)) {
      for (const row of rows) {
        const terms = termsOf(row.text);
        for (const term of terms) insert.run(row.num, term, row.seq);
        if (terms.length) insertAll.run(row.num, row.seq, joinTerms(terms));
      }
    }
    db.exec("INSERT INTO search_index_state (room_num, indexed_through) SELECT num, last_seq FROM rooms");
  },
];

/**
 * Runs the migrations a file has not had. Each takes the write lock first
 * (BEGIN IMMEDIATE) and reads the version under it, so processes that start
 * at the same moment on one file migrate it once, one after the other.
 */
export function migrate(db: Database): void {
  for (;;) {
    const ran = db
      .transaction(() => {
        const version = db.pragma("user_version", { simple: true }) as number;
        const migration = MIGRATIONS[version];
        if (!migration) return false;
        if (typeof migration === "string") db.exec(migration);
        else migration(db);
        db.pragma(`user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!ran) return;
  }
}
