// The search index, kept in step off the message path. A message's commit
// writes only its row of terms (message_terms: one row, next to the room's
// last one); its postings in search_terms, one a term and each in another
// part of the table, are written a little later, many messages at once, in
// a writer job of their own. Each room records how far it is indexed
// (search_index_state), and search reads the indexed part through
// search_terms and the few rows past that mark straight from message_terms,
// so a message is found as soon as it is acknowledged.
import type { Database } from "better-sqlite3";
import type { GroupCommitWriter } from "./writer";

/** Messages indexed per job: a job blocks the event loop while it runs, so it is kept short. */
const PER_JOB = 400;
/** Indexing waits this long for more messages to come, unless this many are pending. */
const DELAY_MS = 250;
const PENDING_NOW = 2000;

export type TermIndex = {
  /** In a write job: the message's terms, not yet in the postings. */
  added(num: number, seq: number, joined: string): void;
  /** In a write job: drops the message's terms (an edit then adds its new ones). */
  removed(num: number, seq: number): void;
  /** Whether anything is waiting to be indexed (tests). */
  pending(): number;
  /** Indexes everything pending now (tests, and before a close). */
  catchUp(): Promise<void>;
  close(): void;
};

/** `deferred: false` writes postings with the message (the tests' way to cover search through postings alone). */
export function termIndex(db: Database, writer: GroupCommitWriter, onError: (err: unknown) => void, deferred = true): TermIndex {
  const q = {
    insertAll: db.prepare("INSERT OR REPLACE INTO message_terms (room_num, seq, terms) VALUES (?, ?, ?)"),
    all: db.prepare<[number, number], { terms: string }>("SELECT terms FROM message_terms WHERE room_num = ? AND seq = ?"),
    deleteAll: db.prepare("DELETE FROM message_terms WHERE room_num = ? AND seq = ?"),
    insertPosting: db.prepare("INSERT OR IGNORE INTO search_terms (room_num, term, seq) VALUES (?, ?, ?)"),
    deletePosting: db.prepare("DELETE FROM search_terms WHERE room_num = ? AND term = ? AND seq = ?"),
    mark: db.prepare<[number], { through: number }>("SELECT indexed_through AS through FROM search_index_state WHERE room_num = ?"),
    setMark: db.prepare(
      `INSERT INTO search_index_state (room_num, indexed_through) VALUES (?, ?)
       ON CONFLICT (room_num) DO UPDATE SET indexed_through = excluded.indexed_through`,
    ),
    lastSeq: db.prepare<[number], { last_seq: number }>("SELECT last_seq FROM rooms WHERE num = ?"),
    unindexed: db.prepare<[number, number, number], { seq: number; terms: string }>(
      "SELECT seq, terms FROM message_terms WHERE room_num = ? AND seq > ? ORDER BY seq LIMIT ?",
    ),
    behind: db.prepare<[], { num: number }>(
      `SELECT r.num FROM rooms r LEFT JOIN search_index_state s ON s.room_num = r.num
       WHERE r.last_seq > COALESCE(s.indexed_through, 0)`,
    ),
  };
  const markOf = (num: number) => q.mark.get(num)?.through ?? 0;

  // Rooms with messages past their mark, and how many such messages (for the timing only).
  const dirty = new Set<number>(q.behind.all().map((r) => r.num));
  let waiting = dirty.size;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  /** One job: some rooms' pending messages into the postings, in term order within a room. */
  const indexSome = () => {
    let budget = PER_JOB;
    for (const num of dirty) {
      const from = markOf(num);
      const rows = q.unindexed.all(num, from, budget);
      const postings = rows.flatMap((r) => r.terms.split(" ").filter(Boolean).map((term) => [term, r.seq] as const));
      postings.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
      for (const [term, seq] of postings) q.insertPosting.run(num, term, seq);
      budget -= rows.length;
      if (budget > 0) {
        // Every row past the mark was read: the room is indexed up to its last message.
        q.setMark.run(num, q.lastSeq.get(num)?.last_seq ?? from);
        dirty.delete(num);
      } else {
        q.setMark.run(num, rows[rows.length - 1]!.seq);
        break;
      }
    }
  };

  const run = (): Promise<void> => {
    running ??= (async () => {
      while (dirty.size > 0 && !closed) {
        waiting = 0;
        await writer.run(indexSome);
      }
    })()
      .catch(onError)
      .finally(() => (running = null));
    return running;
  };

  const schedule = () => {
    if (closed || running) return;
    if (waiting >= PENDING_NOW) {
      if (timer) clearTimeout(timer);
      timer = null;
      void run();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        void run();
      }, DELAY_MS);
      timer.unref();
    }
  };
  if (dirty.size > 0) schedule();

  return {
    added(num, seq, joined) {
      if (!joined) return;
      q.insertAll.run(num, seq, joined);
      // An edit of a message already indexed: its new postings go in now (edits are rare).
      if (!deferred || seq <= markOf(num)) {
        for (const term of joined.split(" ")) if (term) q.insertPosting.run(num, term, seq);
        if (seq > markOf(num)) q.setMark.run(num, seq);
        return;
      }
      dirty.add(num);
      waiting++;
      // Scheduling is only a timer: harmless if this job then rolls back.
      queueMicrotask(schedule);
    },
    removed(num, seq) {
      const row = q.all.get(num, seq);
      if (!row) return;
      // Postings exist only for messages at or below the room's mark.
      if (seq <= markOf(num)) for (const term of row.terms.split(" ")) if (term) q.deletePosting.run(num, term, seq);
      q.deleteAll.run(num, seq);
    },
    pending: () => dirty.size,
    async catchUp() {
      if (timer) clearTimeout(timer);
      timer = null;
      await run();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
