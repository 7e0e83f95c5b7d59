// Rooms, memberships and direct messages.
import { roomNameKey } from "../../../common/protocol";
import type { RoomRecord, Storage } from "../storage";
import { change, isDuplicate, read, select, type Conn, type Db } from "./pool";
import { int, ROOM_VIEW, text, toRoom, toRoomRecord, toUser, type Bytes, type RoomRow, type RoomViewRow, type UserRow } from "./rows";
import { insertNew, transaction, write } from "./transaction";

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

const ADD_MEMBER = "INSERT INTO memberships (room_id, user_id, joined_at) VALUES (?, ?, ?)";

/** true when the user was not a member before. A failed duplicate insert leaves the transaction going. */
async function addMemberOn(conn: Conn, roomId: string, userId: string, now: number): Promise<boolean> {
  try {
    await change(conn, ADD_MEMBER, [roomId, userId, now]);
    return true;
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
}

function insertRoom(conn: Conn, room: RoomRecord, createdAt: number, createdBy: string | null) {
  return change(
    conn,
    `INSERT INTO rooms (id, kind, name, name_key, dm_a, dm_b, created_at, created_by)
     VALUES (:id, :kind, :name, :nameKey, :dmA, :dmB, :createdAt, :createdBy)`,
    {
      id: room.id,
      kind: room.kind,
      name: room.name,
      nameKey: room.name === null ? null : roomNameKey(room.name),
      dmA: room.dmUsers?.[0] ?? null,
      dmB: room.dmUsers?.[1] ?? null,
      createdAt,
      createdBy,
    },
  );
}

const ROOM_COLUMNS = "SELECT id, kind, name, dm_a, dm_b FROM rooms";

export function roomStore(db: Db): RoomStore {
  // A locking read: it sees a pair that another node has just committed, and
  // holds off a second creator until this transaction ends.
  const openDmOnce = (newRoomId: string, users: [string, string], now: number) =>
    transaction(db, async (conn) => {
      const [found] = await select<RoomRow>(conn, `${ROOM_COLUMNS} WHERE dm_pair_a = ? AND dm_pair_b = ? LOCK IN SHARE MODE`, users);
      let row: RoomRow | undefined = found;
      if (!row) {
        await insertRoom(conn, { id: newRoomId, kind: "dm", name: null, dmUsers: users }, now, null);
        row = { id: newRoomId, kind: "dm", name: null, dm_a: users[0], dm_b: users[1] };
      }
      const roomId = text(row.id);
      await addMemberOn(conn, roomId, users[0], now);
      await addMemberOn(conn, roomId, users[1], now);
      return row;
    });

  return {
    async createRoom(room, creatorId, createdAt) {
      try {
        await transaction(db, async (conn) => {
          await insertRoom(conn, room, createdAt, creatorId);
          await change(conn, ADD_MEMBER, [room.id, creatorId, createdAt]);
        });
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    async roomsCreatedBy(userId) {
      const [row] = await read<{ n: number }>(db, "SELECT COUNT(*) AS n FROM rooms WHERE created_by = ?", [userId]);
      return int(row!.n);
    },
    async findRoom(roomId) {
      const [row] = await read<RoomRow>(db, `${ROOM_COLUMNS} WHERE id = ?`, [roomId]);
      return row ? toRoomRecord(row) : null;
    },
    async openDm(newRoomId, users, now) {
      try {
        return toRoomRecord(await openDmOnce(newRoomId, users, now));
      } catch (err) {
        // Another node created the pair between our read and insert: it is there now.
        if (!isDuplicate(err)) throw err;
        return toRoomRecord(await openDmOnce(newRoomId, users, now));
      }
    },
    async listRooms(userId, { unjoinedPublic }) {
      const joined = await read<RoomViewRow>(
        db,
        `${ROOM_VIEW} WHERE r.id IN (SELECT room_id FROM memberships WHERE user_id = :me) ORDER BY r.created_at, r.id`,
        { me: userId },
      );
      // Walks the public-activity index from the busiest room down, skipping the user's own.
      const others =
        unjoinedPublic > 0
          ? await read<RoomViewRow>(
              db,
              `${ROOM_VIEW} WHERE r.kind = 'public' AND m.user_id IS NULL ORDER BY r.last_seq DESC, r.created_at DESC LIMIT :limit`,
              { me: userId, limit: unjoinedPublic },
            )
          : [];
      return [...joined, ...others].map(toRoom);
    },
    async browseRooms(userId, { query = "", after = "", limit }) {
      // One more than asked tells whether another page follows.
      const rows = await read<RoomViewRow>(
        db,
        `${ROOM_VIEW} WHERE r.public_name_key > :after AND LOCATE(:query, r.public_name_key) > 0
         ORDER BY r.public_name_key LIMIT :limit`,
        { me: userId, query, after, limit: limit + 1 },
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { rooms: page.map(toRoom), nextCursor: rows.length > limit && last?.name_key ? text(last.name_key) : null };
    },
    async roomFor(roomId, userId) {
      const [row] = await read<RoomViewRow>(db, `${ROOM_VIEW} WHERE r.id = :id`, { me: userId, id: roomId });
      return row ? toRoom(row) : null;
    },
    async addMember(roomId, userId, now) {
      return insertNew(db, ADD_MEMBER, [roomId, userId, now]);
    },
    async removeMember(roomId, userId) {
      return (await write(db, "DELETE FROM memberships WHERE room_id = ? AND user_id = ?", [roomId, userId])).affectedRows > 0;
    },
    async isMember(roomId, userId) {
      return (await read(db, "SELECT 1 FROM memberships WHERE room_id = ? AND user_id = ?", [roomId, userId])).length > 0;
    },
    async memberIds(roomId) {
      const rows = await read<{ user_id: Bytes }>(db, "SELECT user_id FROM memberships WHERE room_id = ?", [roomId]);
      return rows.map((r) => text(r.user_id));
    },
    async members(roomId) {
      // By username ignoring case, as SQLite's NOCASE column orders them.
      const rows = await read<UserRow>(
        db,
        "SELECT u.id, u.username FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username_key",
        [roomId],
      );
      return rows.map(toUser);
    },
    async roomIdsOf(userId) {
      const rows = await read<{ room_id: Bytes }>(db, "SELECT room_id FROM memberships WHERE user_id = ?", [userId]);
      return rows.map((r) => text(r.room_id));
    },
  };
}
