// Search over the term index (chat/search-terms.ts), with SQLite's plan
// (sqlite/search.ts): count each prefix's index entries in the searched
// rooms up to maxMatches + 1; the rarest drives, and is too broad past
// maxMatches; the others are looked for in each candidate's one row of terms;
// newest first.
//
// MySQL reads a range of (room_num, term) only when room_num is a constant:
// joined to a list of rooms, it walks every term of each room instead. So the
// searcher's room numbers are read first and written into the statements as
// an IN list of placeholders. Lists are padded (repeating a number) to a few
// fixed lengths, so a handful of prepared statements serve every scope, and a
// user in more rooms than the longest list is searched one chunk at a time.
import { prefixUpperBound } from "../../chat/search-terms";
import type { SearchQuery, SearchResult, Storage } from "../storage";
import { read, type Db } from "./pool";
import { int, MESSAGE_COLUMNS, toMessage, type MessageRow } from "./rows";

const LIST_LENGTHS = [1, 4, 16, 64, 256];
const CHUNK = LIST_LENGTHS[LIST_LENGTHS.length - 1]!;

function chunks(nums: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < nums.length; i += CHUNK) out.push(nums.slice(i, i + CHUNK));
  return out;
}

/** `IN (?, …)` for these rooms, padded to a fixed length with the last one. */
function inList(rooms: number[]): { sql: string; params: number[] } {
  const length = LIST_LENGTHS.find((n) => n >= rooms.length)!;
  const params = Array.from({ length }, (_, i) => rooms[Math.min(i, rooms.length - 1)]!);
  return { sql: `IN (${params.map(() => "?").join(", ")})`, params };
}

const range = (prefix: string) => [prefix, prefixUpperBound(prefix)];

/** How many index entries in these rooms begin with each prefix, counting no further than its cap. */
async function countIn(db: Db, rooms: number[], prefixes: string[], caps: number[]): Promise<number[]> {
  const list = inList(rooms);
  const sql = prefixes
    .map(
      (_, i) => `SELECT ${i} AS i, COUNT(*) AS n FROM (SELECT 1 FROM search_terms t
                 WHERE t.room_num ${list.sql} AND t.term >= ? AND t.term < ? LIMIT ?) x${i}`,
    )
    .join("\nUNION ALL\n");
  const params = prefixes.flatMap((prefix, i) => [...list.params, ...range(prefix), caps[i]!]);
  const counts = prefixes.map(() => 0);
  for (const row of await read<{ i: number; n: number }>(db, sql, params)) counts[int(row.i)] = int(row.n);
  return counts;
}

/** Messages in these rooms with every prefix, the first driving, newest first. */
async function matchIn(db: Db, rooms: number[], prefixes: string[], limit: number): Promise<MessageRow[]> {
  const list = inList(rooms);
  // ' ' + prefix inside " a b c" (a binary column, so byte-exact): some term starts with the prefix.
  const probes = prefixes
    .slice(1)
    .map(() => "AND LOCATE(CONCAT(' ', ?), mt.terms) > 0")
    .join("\n");
  // STRAIGHT_JOIN (MySQL and MariaDB alike): the candidates drive, whatever the statistics say.
  const sql = `SELECT STRAIGHT_JOIN ${MESSAGE_COLUMNS} FROM (
                 SELECT DISTINCT t.room_num, t.seq FROM search_terms t
                 WHERE t.room_num ${list.sql} AND t.term >= ? AND t.term < ?
               ) c
               JOIN message_terms mt ON mt.room_num = c.room_num AND mt.seq = c.seq
               JOIN rooms r ON r.num = c.room_num
               JOIN messages m ON m.room_id = r.id AND m.seq = c.seq
               JOIN users u ON u.id = m.sender_id
               WHERE m.deleted = 0 ${probes}
               ORDER BY m.created_at DESC, m.seq DESC, m.id
               LIMIT ?`;
  return read<MessageRow>(db, sql, [...list.params, ...range(prefixes[0]!), ...prefixes.slice(1), limit]);
}

/** The statements' order, for merging chunks: created_at, then seq, newest first; then id in byte order. */
function newestFirst(a: MessageRow, b: MessageRow): number {
  const byId = Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
  return int(b.created_at) - int(a.created_at) || int(b.seq) - int(a.seq) || byId;
}

export function searchStore(db: Db): Pick<Storage, "search"> {
  const scope = async ({ userId, roomId }: SearchQuery): Promise<number[]> => {
    const rows =
      roomId === undefined
        ? await read<{ num: number }>(db, "SELECT r.num FROM memberships x JOIN rooms r ON r.id = x.room_id WHERE x.user_id = ?", [userId])
        : await read<{ num: number }>(db, "SELECT num FROM rooms WHERE id = ?", [roomId]);
    return rows.map((r) => int(r.num));
  };

  return {
    async search(query: SearchQuery): Promise<SearchResult> {
      const { prefixes, limit, maxMatches } = query;
      if (prefixes.length === 0) return { tooBroad: false, messages: [] };
      const scoped = chunks(await scope(query));
      const cap = maxMatches + 1;
      const totals = prefixes.map(() => 0);
      for (const rooms of scoped) {
        if (totals.every((n) => n >= cap)) break;
        const counts = await countIn(db, rooms, prefixes, totals.map((n) => cap - n));
        counts.forEach((n, i) => (totals[i]! += n));
      }
      const counted = prefixes
        .map((prefix, order) => ({ prefix, order, n: totals[order]! }))
        .sort((a, b) => a.n - b.n || a.order - b.order);
      const rarest = counted[0]!;
      if (rarest.n === 0) return { tooBroad: false, messages: [] };
      if (rarest.n > maxMatches) return { tooBroad: true };
      const ordered = counted.map((c) => c.prefix);
      const found: MessageRow[] = [];
      for (const rooms of scoped) found.push(...(await matchIn(db, rooms, ordered, limit)));
      if (scoped.length > 1) found.sort(newestFirst);
      return { tooBroad: false, messages: found.slice(0, limit).map(toMessage) };
    },
  };
}
