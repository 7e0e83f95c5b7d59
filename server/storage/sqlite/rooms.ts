// Rooms, memberships and direct messages.
import type { Database } from "better-sqlite3";
import { roomNameKey } from "../../../common/protocol";
import type { RoomRecord, Storage } from "../storage";
import type { GroupCommitWriter } from "./writer";
import { isUniqueViolation, ROOM_VIEW, toRoom, toRoomRecord, type RoomRow, type RoomViewRow } from "./rows";

type RoomStore = Pick<
  Storage,
  | "createRoom"
  | "roomsCreatedBy"
  | "findRoom"
  | "openDm"
  | "listRooms"
  | "browseRooms"
  | "roomFor"
  | "addMember"
  | "removeMember"
  | "isMember"
  | "memberIds"
  | "members"
  | "roomIdsOf"
>;

export function roomStore(db: Database, writer: GroupCommitWriter): RoomStore {
  const q = {
    // Rooms are numbered for the search index; one writer, so MAX+1 is safe here.
    insertRoom: db.prepare(
      `INSERT INTO rooms (id, kind, name, name_key, dm_a, dm_b, created_at, created_by, num)
       VALUES ($id, $kind, $name, $nameKey, $dmA, $dmB, $createdAt, $createdBy, (SELECT COALESCE(MAX(num), 0) + 1 FROM rooms))`,
    ),
    createdBy: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM rooms WHERE created_by = ?"),
    room: db.prepare<[string], RoomRow>("SELECT id, kind, name, dm_a, dm_b FROM rooms WHERE id = ?"),
    dmRoom: db.prepare<[string, string], RoomRow>(
      "SELECT id, kind, name, dm_a, dm_b FROM rooms WHERE kind = 'dm' AND dm_a = ? AND dm_b = ?",
    ),
    joinedRooms: db.prepare<{ me: string }, RoomViewRow>(
      `${ROOM_VIEW} WHERE r.id IN (SELECT room_id FROM memberships WHERE user_id = $me) ORDER BY r.created_at, r.id`,
    ),
    // Walks the public-activity index from the busiest room down, skipping the user's own.
    unjoinedPublic: db.prepare<{ me: string; limit: number }, RoomViewRow>(
      `${ROOM_VIEW} WHERE r.kind = 'public' AND m.user_id IS NULL ORDER BY r.last_seq DESC, r.created_at DESC LIMIT $limit`,
    ),
    browse: db.prepare<{ me: string; query: string; after: string; limit: number }, RoomViewRow>(
      `${ROOM_VIEW} WHERE r.kind = 'public' AND r.name_key > $after AND instr(r.name_key, $query) > 0
       ORDER BY r.name_key LIMIT $limit`,
    ),
    roomFor: db.prepare<{ me: string; id: string }, RoomViewRow>(`${ROOM_VIEW} WHERE r.id = $id`),
    addMember: db.prepare(
      "INSERT INTO memberships (room_id, user_id, joined_at) VALUES (?, ?, ?) ON CONFLICT (room_id, user_id) DO NOTHING",
    ),
    removeMember: db.prepare("DELETE FROM memberships WHERE room_id = ? AND user_id = ?"),
    isMember: db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM memberships WHERE room_id = ? AND user_id = ?"),
    memberIds: db.prepare<[string], { user_id: string }>("SELECT user_id FROM memberships WHERE room_id = ?"),
    members: db.prepare<[string], { id: string; username: string }>(
      "SELECT u.id, u.username FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username",
    ),
    roomIdsOf: db.prepare<[string], { room_id: string }>("SELECT room_id FROM memberships WHERE user_id = ?"),
  };

  const insertRoom = (room: RoomRecord, createdAt: number, createdBy: string | null) =>
    q.insertRoom.run({
      id: room.id,
      kind: room.kind,
      name: room.name,
      nameKey: room.name === null ? null : roomNameKey(room.name),
      dmA: room.dmUsers?.[0] ?? null,
      dmB: room.dmUsers?.[1] ?? null,
      createdAt,
      createdBy,
    });

  const createRoomTx = (room: RoomRecord, creatorId: string, createdAt: number) => {
    insertRoom(room, createdAt, creatorId);
    q.addMember.run(room.id, creatorId, createdAt);
  };

  const openDmTx = (newRoomId: string, users: [string, string], now: number): RoomRow => {
    let row = q.dmRoom.get(users[0], users[1]);
    if (!row) {
      insertRoom({ id: newRoomId, kind: "dm", name: null, dmUsers: users }, now, null);
      row = { id: newRoomId, kind: "dm", name: null, dm_a: users[0], dm_b: users[1] };
    }
    q.addMember.run(row.id, users[0], now);
    q.addMember.run(row.id, users[1], now);
    return row;
  };

  return {
    async createRoom(room, creatorId, createdAt) {
      try {
        await writer.run(() => createRoomTx(room, creatorId, createdAt));
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async roomsCreatedBy(userId) {
      return q.createdBy.get(userId)!.n;
    },
    async findRoom(roomId) {
      const row = q.room.get(roomId);
      return row ? toRoomRecord(row) : null;
    },
    async openDm(newRoomId, users, now) {
      return toRoomRecord(await writer.run(() => openDmTx(newRoomId, users, now)));
    },
    async listRooms(userId, { unjoinedPublic }) {
      const joined = q.joinedRooms.all({ me: userId });
      const others = unjoinedPublic > 0 ? q.unjoinedPublic.all({ me: userId, limit: unjoinedPublic }) : [];
      return [...joined, ...others].map(toRoom);
    },
    async browseRooms(userId, { query = "", after = "", limit }) {
      // One more than asked tells whether another page follows.
      const rows = q.browse.all({ me: userId, query, after, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return { rooms: page.map(toRoom), nextCursor: rows.length > limit ? page[page.length - 1]!.name_key : null };
    },
    async roomFor(roomId, userId) {
      const row = q.roomFor.get({ me: userId, id: roomId });
      return row ? toRoom(row) : null;
    },
    async addMember(roomId, userId, now) {
      return (await writer.run(() => q.addMember.run(roomId, userId, now))).changes > 0;
    },
    async removeMember(roomId, userId) {
      return (await writer.run(() => q.removeMember.run(roomId, userId))).changes > 0;
    },
    async isMember(roomId, userId) {
      return q.isMember.get(roomId, userId) !== undefined;
    },
    async memberIds(roomId) {
      return q.memberIds.all(roomId).map((r) => r.user_id);
    },
    async members(roomId) {
      return q.members.all(roomId).map((u) => ({ id: u.id, username: u.username }));
    },
    async roomIdsOf(userId) {
      return q.roomIdsOf.all(userId).map((r) => r.room_id);
    },
  };
}
