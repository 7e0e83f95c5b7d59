// Search over the term index (chat/search-terms.ts). Every lookup is a range
// of (room, term) within the searcher's own rooms, so other users' rooms cost
// nothing, and the work is bounded whatever the query: the rarest prefix
// drives (at most `maxMatches` index entries, else the query is too broad),
// and the others are looked for in each candidate's one row of terms. The
// few messages not yet in the postings (term-index.ts) are read from their
// rows of terms, past each room's mark.
import type { Database, Statement } from "better-sqlite3";
import { prefixUpperBound } from "../../chat/search-terms";
import type { SearchQuery, SearchResult, Storage } from "../storage";
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from "./rows";

type Scope = "mine" | "room";

const SCOPES: Record<Scope, string> = {
  mine: "SELECT r.num FROM memberships x JOIN rooms r ON r.id = x.room_id WHERE x.user_id = $userId",
  room: "SELECT num FROM rooms WHERE id = $roomId",
};

/** Rows of terms in the scope past their room's mark: messages whose postings are still to be written. */
const TAIL = (scope: Scope) => `SELECT u.room_num, u.seq, u.terms FROM message_terms u
  WHERE u.room_num IN (${SCOPES[scope]})
    AND u.seq > COALESCE((SELECT s.indexed_through FROM search_index_state s WHERE s.room_num = u.room_num), 0)`;

type Params = Record<string, string | number>;

export function searchStore(db: Database): Pick<Storage, "search"> {
  const statements = new Map<string, Statement>();
  const prepared = (key: string, sql: () => string): Statement => {
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = db.prepare(sql())));
    return statement;
  };

  /** How many index entries in the scope begin with the prefix (postings, then rows past the mark), counting no further than `cap`. */
  const count = (scope: Scope, params: Params, cap: number): number =>
    (
      prepared(
        `count:${scope}`,
        () => `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM search_terms t
                 WHERE t.room_num IN (${SCOPES[scope]}) AND t.term >= $lo AND t.term < $hi LIMIT $cap))
              + (SELECT COUNT(*) FROM (SELECT 1 FROM (${TAIL(scope)}) tail WHERE instr(tail.terms, ' ' || $lo) > 0 LIMIT $cap))
              AS n`,
      ).get({ ...params, cap }) as { n: number }
    ).n;

  const matches = (scope: Scope, others: number) =>
    prepared(`match:${scope}:${others}`, () => {
      // ' ' + prefix inside " a b c": some term starts with the prefix (instr is byte-exact).
      const probes = Array.from({ length: others }, (_, i) => `AND instr(mt.terms, ' ' || $lo${i + 1}) > 0`).join("\n");
      return `SELECT ${MESSAGE_COLUMNS} FROM (
                SELECT t.room_num, t.seq FROM search_terms t
                WHERE t.room_num IN (${SCOPES[scope]}) AND t.term >= $lo0 AND t.term < $hi0
                UNION
                SELECT tail.room_num, tail.seq FROM (${TAIL(scope)}) tail WHERE instr(tail.terms, ' ' || $lo0) > 0
              ) c
              JOIN message_terms mt ON mt.room_num = c.room_num AND mt.seq = c.seq
              JOIN rooms r ON r.num = c.room_num
              JOIN messages m ON m.room_id = r.id AND m.seq = c.seq
              JOIN users u ON u.id = m.sender_id
              WHERE m.deleted = 0 ${probes}
              ORDER BY m.created_at DESC, m.seq DESC, m.id
              LIMIT $limit`;
    });

  return {
    async search({ userId, prefixes, roomId, limit, maxMatches }: SearchQuery): Promise<SearchResult> {
      if (prefixes.length === 0) return { tooBroad: false, messages: [] };
      const scope: Scope = roomId === undefined ? "mine" : "room";
      const scopeParams: Params = roomId === undefined ? { userId } : { roomId };
      // Longest first (usually the rarest); each later count need only go one past the best so far.
      const ordered = [...prefixes].sort((a, b) => b.length - a.length);
      let best = maxMatches;
      const counted = ordered
        .map((prefix, order) => {
          const n = count(scope, { ...scopeParams, lo: prefix, hi: prefixUpperBound(prefix) }, best + 1);
          best = Math.min(best, n);
          return { prefix, order, n };
        })
        .sort((a, b) => a.n - b.n || a.order - b.order);
      const rarest = counted[0]!;
      if (rarest.n === 0) return { tooBroad: false, messages: [] };
      if (rarest.n > maxMatches) return { tooBroad: true };
      const params: Params = { ...scopeParams, limit };
      counted.forEach(({ prefix }, i) => {
        params[`lo${i}`] = prefix;
        if (i === 0) params.hi0 = prefixUpperBound(prefix);
      });
      const rows = matches(scope, counted.length - 1).all(params) as MessageRow[];
      return { tooBroad: false, messages: rows.map(toMessage) };
    },
  };
}
