// The authorization matrix: every client event × every role, each cell
// stating the exact answer PROTOCOL.md requires ("ok" or an error code).
// The events come from the protocol module's `Payloads`, so a new event
// without a row here fails both the type check (MATRIX is a mapped type over
// the event names) and the coverage test below.
//
// Every cell gets its own fixture (its own room, message and, for dms, its
// own partner), built before any cell of its row runs, so a success that
// changes state (a join, a leave, a delete) cannot change another cell.
import type { ClientSocket } from "../common/client";
import { Payloads, type EventName, type PayloadIn } from "../common/protocol";
import { callRaw, flush, harness, next, ok, record, uniqueName } from "./helpers/harness";

const h = harness();

/** The acting user's relation to the room (and message) each cell targets. */
const ROLES = [
  "publicMember", // joined a public room
  "publicNonMember", // has not joined the public room
  "privateMember", // created the private room
  "privateNonMember", // was never in the private room
  "invited", // member of a private room through room:invite
  "left", // was invited into a private room, then room:leave
  "dmParticipant", // one of the dm's two users
  "dmOutsider", // a third user
  "author", // member of a public room who wrote the target message
  "nonAuthor", // member of the same kind of room; another member wrote the target message
] as const;
type Role = (typeof ROLES)[number];
type Answer = "ok" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "CONFLICT";
type AckedEvent = Exclude<EventName, "typing">;

type Fixture = {
  roomId: string;
  /** A message in the room: the actor's own for `author`, another member's for every other role. */
  messageId: string;
  /** Another user of the room (its owner, or the dm's other participant). */
  other: string;
  /** A user in none of the cell's rooms, for room:invite. */
  guest: string;
  /** A socket of a member other than the actor, for typing. */
  receiver: ClientSocket;
};

type Cast = Awaited<ReturnType<typeof cast>>;

/** One server per row: the room owner, the actor every cell is played by, and an invitee. */
async function cast() {
  const s = await h.startServer();
  const [owner, actor, guest] = await Promise.all([
    h.user(s, uniqueName("owner")),
    h.user(s, uniqueName("actor")),
    h.register(s, uniqueName("guest")),
  ]);
  return { s, owner, actor, guest };
}

async function say(socket: ClientSocket, roomId: string): Promise<string> {
  return (await ok(socket, "message", { roomId, text: "hello there", clientId: uniqueName("c") })).id;
}

const room = (c: Cast, isPrivate: boolean) =>
  ok(c.owner.socket, "room:create", { name: uniqueName(isPrivate ? "priv" : "pub"), private: isPrivate });

/** The usual shape: a room owned by `owner`, who also wrote the target message. */
async function ownedBy(c: Cast, roomId: string): Promise<Fixture> {
  return {
    roomId,
    messageId: await say(c.owner.socket, roomId),
    other: c.owner.user.username,
    guest: c.guest.user.username,
    receiver: c.owner.socket,
  };
}

const FIXTURES: Record<Role, (c: Cast) => Promise<Fixture>> = {
  async publicMember(c) {
    const r = await room(c, false);
    await ok(c.actor.socket, "room:join", { roomId: r.id });
    return ownedBy(c, r.id);
  },
  async publicNonMember(c) {
    return ownedBy(c, (await room(c, false)).id);
  },
  async privateMember(c) {
    const r = await ok(c.actor.socket, "room:create", { name: uniqueName("mine"), private: true });
    await ok(c.actor.socket, "room:invite", { roomId: r.id, username: c.owner.user.username });
    return ownedBy(c, r.id);
  },
  async privateNonMember(c) {
    return ownedBy(c, (await room(c, true)).id);
  },
  async invited(c) {
    const r = await room(c, true);
    await ok(c.owner.socket, "room:invite", { roomId: r.id, username: c.actor.user.username });
    return ownedBy(c, r.id);
  },
  async left(c) {
    const r = await room(c, true);
    await ok(c.owner.socket, "room:invite", { roomId: r.id, username: c.actor.user.username });
    await ok(c.actor.socket, "room:leave", { roomId: r.id });
    return ownedBy(c, r.id);
  },
  async dmParticipant(c) {
    // dm:open gives one room per pair, so each cell needs its own partner.
    const partner = await h.user(c.s, uniqueName("partner"));
    const dm = await ok(c.actor.socket, "dm:open", { username: partner.user.username });
    return {
      roomId: dm.id,
      messageId: await say(partner.socket, dm.id),
      other: partner.user.username,
      guest: c.guest.user.username,
      receiver: partner.socket,
    };
  },
  async dmOutsider(c) {
    const partner = await h.register(c.s, uniqueName("partner"));
    const dm = await ok(c.owner.socket, "dm:open", { username: partner.user.username });
    return ownedBy(c, dm.id);
  },
  async author(c) {
    const r = await room(c, false);
    await ok(c.actor.socket, "room:join", { roomId: r.id });
    return { ...(await ownedBy(c, r.id)), messageId: await say(c.actor.socket, r.id) };
  },
  async nonAuthor(c) {
    const r = await room(c, false);
    await ok(c.actor.socket, "room:join", { roomId: r.id });
    await say(c.actor.socket, r.id); // the actor has written in the room too, just not the target message
    return ownedBy(c, r.id);
  },
};

type Row<E extends AckedEvent> = { payload: (f: Fixture) => PayloadIn<E>; answers: Record<Role, Answer> };

const MATRIX: { [E in AckedEvent]: Row<E> } = {
  // Not about any room: open to every signed-in user whatever their role.
  "room:create": {
    payload: () => ({ name: uniqueName("new") }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  "room:list": {
    payload: () => ({}),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  // Anyone may join a public room; a private room or a dm is FORBIDDEN to a
  // non-member (the left user included: only a new invitation lets them
  // back); a member joining again is not an error.
  "room:join": {
    payload: (f) => ({ roomId: f.roomId }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // PROTOCOL.md is silent on leaving a room one is not in (or a dm): the
  // project answers ok and changes nothing (leave is idempotent, like join).
  "room:leave": {
    payload: (f) => ({ roomId: f.roomId }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  // Public rooms and dms take no invitations (BAD_REQUEST, member or not);
  // into a private room only a member may invite (FORBIDDEN).
  "room:invite": {
    payload: (f) => ({ roomId: f.roomId, username: f.guest }),
    answers: {
      publicMember: "BAD_REQUEST", publicNonMember: "BAD_REQUEST", privateMember: "ok", privateNonMember: "FORBIDDEN",
      invited: "ok", left: "FORBIDDEN", dmParticipant: "BAD_REQUEST", dmOutsider: "BAD_REQUEST", author: "BAD_REQUEST",
      nonAuthor: "BAD_REQUEST",
    },
  },
  // Anyone may open a dm with another existing user (for the dm participant:
  // the same dm again; for the outsider: their own dm with a participant).
  "dm:open": {
    payload: (f) => ({ username: f.other }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  // Only members may send, in any kind of room.
  message: {
    payload: (f) => ({ roomId: f.roomId, text: "a new message", clientId: uniqueName("c") }),
    answers: {
      publicMember: "ok", publicNonMember: "FORBIDDEN", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // Any user for public rooms; members only for private rooms and dms.
  history: {
    payload: (f) => ({ roomId: f.roomId }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // Only the author (FORBIDDEN): every role but `author` targets a message
  // another member wrote, so only the author's cell succeeds.
  "message:edit": {
    payload: (f) => ({ messageId: f.messageId, text: "edited text" }),
    answers: {
      publicMember: "FORBIDDEN", publicNonMember: "FORBIDDEN", privateMember: "FORBIDDEN", privateNonMember: "FORBIDDEN",
      invited: "FORBIDDEN", left: "FORBIDDEN", dmParticipant: "FORBIDDEN", dmOutsider: "FORBIDDEN", author: "ok",
      nonAuthor: "FORBIDDEN",
    },
  },
  "message:delete": {
    payload: (f) => ({ messageId: f.messageId }),
    answers: {
      publicMember: "FORBIDDEN", publicNonMember: "FORBIDDEN", privateMember: "FORBIDDEN", privateNonMember: "FORBIDDEN",
      invited: "FORBIDDEN", left: "FORBIDDEN", dmParticipant: "FORBIDDEN", dmOutsider: "FORBIDDEN", author: "ok",
      nonAuthor: "FORBIDDEN",
    },
  },
  // Members only, even for a public room anyone may read.
  read: {
    payload: (f) => ({ roomId: f.roomId, seq: 1 }),
    answers: {
      publicMember: "ok", publicNonMember: "FORBIDDEN", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // With a roomId: any room the user may read (the readability rule of
  // history); a room they may not read is FORBIDDEN, never an empty answer.
  search: {
    payload: (f) => ({ query: "hello", roomId: f.roomId }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // Contacts are the user's own list of any other users: no room rule applies.
  "contacts:add": {
    payload: (f) => ({ username: f.other }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  // PROTOCOL.md is silent on removing someone who is not a contact: the
  // project answers ok (removal is idempotent).
  "contacts:remove": {
    payload: (f) => ({ username: f.other }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  "contacts:list": {
    payload: () => ({}),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
  // Beyond protocol v1, so the project's choice: the readability rule
  // (public: anyone; private rooms and dms: members only).
  "room:members": {
    payload: (f) => ({ roomId: f.roomId }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // Beyond protocol v1: suggests only people the actor already knows; a roomId
  // to order them by follows the readability rule (else it would tell who of
  // them is in a private room).
  "people:suggest": {
    payload: (f) => ({ query: "", roomId: f.roomId }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "FORBIDDEN", invited: "ok",
      left: "FORBIDDEN", dmParticipant: "ok", dmOutsider: "FORBIDDEN", author: "ok", nonAuthor: "ok",
    },
  },
  // Beyond protocol v1: lists public rooms only, so open to everyone.
  "room:browse": {
    payload: () => ({ query: "pub" }),
    answers: {
      publicMember: "ok", publicNonMember: "ok", privateMember: "ok", privateNonMember: "ok", invited: "ok",
      left: "ok", dmParticipant: "ok", dmOutsider: "ok", author: "ok", nonAuthor: "ok",
    },
  },
};

/** Every client event with an ack, straight from the protocol module. */
const ACKED_EVENTS = Object.keys(Payloads).filter((e) => e !== "typing");

async function fixtures(c: Cast): Promise<Record<Role, Fixture>> {
  const built = await Promise.all(ROLES.map((role) => FIXTURES[role](c)));
  return Object.fromEntries(ROLES.map((role, i) => [role, built[i]])) as Record<Role, Fixture>;
}

describe("authorization matrix", () => {
  test("has exactly one row per client event with an ack, each with one answer per role", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACKED_EVENTS].sort());
    for (const row of Object.values(MATRIX)) expect(Object.keys(row.answers).sort()).toEqual([...ROLES].sort());
  });

  test.each(ACKED_EVENTS)("%s answers each role as the protocol requires", async (event) => {
    const row = (MATRIX as Partial<Record<string, Row<AckedEvent>>>)[event];
    if (!row) throw new Error(`no row in the authorization matrix for "${event}"`);
    const c = await cast();
    const cells = await fixtures(c);
    const answers: Record<string, string> = {};
    for (const role of ROLES) {
      const result = await callRaw(c.actor.socket, event, row.payload(cells[role]));
      answers[role] = result.ok ? "ok" : result.error.code;
    }
    expect(answers).toEqual(row.answers);
  });
});

/** Whether the room's other members hear the actor's `typing`: members are relayed, anyone else dropped. */
const TYPING: Record<Role, "relayed" | "dropped"> = {
  publicMember: "relayed",
  publicNonMember: "dropped",
  privateMember: "relayed",
  privateNonMember: "dropped",
  invited: "relayed",
  left: "dropped",
  dmParticipant: "relayed",
  dmOutsider: "dropped",
  author: "relayed",
  nonAuthor: "relayed",
};

test("typing (no ack): a non-member's typing is never relayed; a member's is", async () => {
  const c = await cast();
  const cells = await fixtures(c);
  const heard: Record<string, string> = {};
  for (const role of ROLES) {
    const { roomId, receiver } = cells[role];
    const seen = record(receiver, "typing");
    const relayed = TYPING[role] === "relayed" ? next(receiver, "typing", (e) => e.roomId === roomId) : null;
    c.actor.socket.emit("typing", { roomId, typing: true });
    if (relayed) await relayed;
    // A round trip on the typist, then one on the receiver: the typing event has been
    // handled by then, and anything it relayed would have reached the receiver first.
    await flush(c.actor.socket);
    await flush(receiver);
    heard[role] = seen.some((e) => e.roomId === roomId && e.user.id === c.actor.user.id) ? "relayed" : "dropped";
  }
  expect(heard).toEqual(TYPING);
});

test("a revoked token: logout disconnects its socket, and a new handshake fails with UNAUTHORIZED", async () => {
  // Asserted once for the role rather than per event: a revoked token never gets a socket to send on.
  const c = await cast();
  const cell = await FIXTURES.publicMember(c);
  const disconnected = new Promise<string>((resolve) => c.actor.socket.once("disconnect", resolve));
  const res = await fetch(`${c.s.url}/api/logout`, { method: "POST", headers: { authorization: `Bearer ${c.actor.token}` } });
  expect(res.status).toBe(204);
  expect(await disconnected).toBe("io server disconnect");
  await expect(h.connect(c.s, c.actor.token)).rejects.toMatchObject({ message: "UNAUTHORIZED" });
  // The room goes on without the revoked user's socket.
  expect(await ok(c.owner.socket, "history", { roomId: cell.roomId })).toHaveLength(1);
});
