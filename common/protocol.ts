// The chat wire protocol, version 1 (../shared/PROTOCOL.md), as one module
// that the server, the browser bundle and Node scripts all import. Every
// inbound payload has a zod schema here and its TypeScript type is inferred
// from that schema, so the validator and the type cannot drift apart.
// Imports nothing server-only: it is bundled for the browser.
import { z } from "zod";
import { codePointLength, FIELD_LIMITS, USERNAME_PATTERN } from "./rules";

export {
  codePointLength,
  FIELD_LIMITS,
  mentionedUsernames,
  PROTOCOL_VERSION,
  roomNameKey,
  UNSUPPORTED_PROTOCOL,
  USERNAME_PATTERN,
  type HandshakeAuth,
} from "./rules";


// ---------------------------------------------------------------- errors

export const ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type ErrorBody = { code: ErrorCode; message: string };
export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type Ack<T> = (result: Result<T>) => void;

// ---------------------------------------------------------------- field rules

/** A lone surrogate cannot be stored as UTF-8: it would come back as other text than was acknowledged. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

const textOf = (min: number, max: number, what: string) =>
  z
    .string()
    .refine((s) => s.length <= max * 2 && codePointLength(s) >= min && codePointLength(s) <= max, {
      message: `${what} must be ${min}-${max} characters`,
    })
    .refine((s) => !LONE_SURROGATE.test(s), { message: `${what} must be well-formed Unicode` });

/** Not empty and not only white space (JavaScript's `\s`). */
const visibleText = (max: number, what: string) =>
  textOf(1, max, what).refine((s) => /\S/.test(s), { message: `${what} must not be only white space` });

export const Username = z.string().regex(USERNAME_PATTERN, "username must be 3-32 characters of A-Z a-z 0-9 _ . -");
export const Password = textOf(8, 256, "password");
/** Room, message and user ids are opaque strings to clients. */
export const Id = z.string().min(1).max(64);
/**
 * Format characters (Unicode Cf: zero-width spaces and joiners, bidi
 * overrides) are invisible or reorder text: in a name they make look-alikes
 * of other rooms and scramble the lists that show them.
 */
const FORMAT_CHARACTER = /\p{Cf}/u;
export const RoomName = visibleText(64, "room name")
  .refine((s) => !FORMAT_CHARACTER.test(s), { message: "room name must not contain invisible or direction-changing characters" })
  .transform((s) => s.trim());
export const MessageText = visibleText(4000, "text");
export const ClientId = textOf(1, 64, "clientId");
const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Limit = (max: number) => z.number().int().min(1).max(max);

// ---------------------------------------------------------------- HTTP bodies

export const Credentials = z.object({ username: Username, password: Password });
export type Credentials = z.infer<typeof Credentials>;

// ---------------------------------------------------------------- event payloads

export const Payloads = {
  "room:create": z.object({ name: RoomName, private: z.boolean().optional() }),
  "room:list": z.object({}),
  "room:join": z.object({ roomId: Id }),
  "room:leave": z.object({ roomId: Id }),
  "room:invite": z.object({ roomId: Id, username: Username }),
  "dm:open": z.object({ username: Username }),
  message: z.object({ roomId: Id, text: MessageText, clientId: ClientId }),
  history: z
    .object({ roomId: Id, before: Seq.optional(), after: Seq.optional(), limit: Limit(FIELD_LIMITS.historyMax).optional() })
    .refine((p) => p.before === undefined || p.after === undefined, { message: "give before or after, not both" }),
  "message:edit": z.object({ messageId: Id, text: MessageText }),
  "message:delete": z.object({ messageId: Id }),
  read: z.object({ roomId: Id, seq: Seq }),
  typing: z.object({ roomId: Id, typing: z.boolean() }),
  search: z.object({ query: textOf(1, 256, "query"), roomId: Id.optional(), limit: Limit(FIELD_LIMITS.searchMax).optional() }),
  "contacts:add": z.object({ username: Username }),
  "contacts:remove": z.object({ username: Username }),
  "contacts:list": z.object({}),
  /** Beyond protocol v1: who is in a room, for a member list with online dots. */
  "room:members": z.object({ roomId: Id }),
  /**
   * Beyond protocol v1: public rooms by name, a page at a time (room:list
   * holds only some of the public rooms a user has not joined). `query` is
   * matched anywhere in the name, ignoring case; `cursor` is the previous
   * page's `nextCursor`.
   */
  "room:browse": z.object({
    query: z.string().max(FIELD_LIMITS.roomName * 4).optional(),
    cursor: z.string().max(FIELD_LIMITS.roomName * 4).optional(),
    limit: Limit(FIELD_LIMITS.browseMax).optional(),
  }),
  /**
   * Beyond protocol v1: people to suggest while a username is typed (a dm,
   * an invitation, a contact, an @mention): those whose username begins with
   * `query`, ignoring case, among the user's contacts and the members of
   * rooms they share; contacts first, then members of `roomId` if given.
   * Strangers are never suggested (dm:open finds them by their full name).
   */
  "people:suggest": z.object({
    query: z.string().regex(/^[A-Za-z0-9_.-]{0,32}$/, "query must be up to 32 characters of A-Z a-z 0-9 _ . -"),
    roomId: Id.optional(),
    limit: Limit(FIELD_LIMITS.suggestMax).optional(),
  }),
} as const;

export type Payloads = typeof Payloads;
export type EventName = keyof Payloads;
/** What a client sends (before the schema's transforms). */
export type PayloadIn<E extends EventName> = z.input<Payloads[E]>;
/** What a handler receives (after validation and transforms). */
export type Payload<E extends EventName> = z.output<Payloads[E]>;

// ---------------------------------------------------------------- shapes

export type User = { id: string; username: string };
export type RoomKind = "public" | "private" | "dm";
export type Room = {
  id: string;
  kind: RoomKind;
  /** For a dm: the other participant's username. */
  name: string;
  /** seq of the newest message, 0 when empty. */
  lastSeq: number;
  joined: boolean;
  lastReadSeq: number;
  /** Beyond protocol v1's fields: messages after the read marker that @mention the asking user. */
  unreadMentions: number;
};
export type Message = {
  id: string;
  roomId: string;
  /** 1, 2, 3 … per room: strictly increasing, no gaps. */
  seq: number;
  sender: User;
  text: string;
  clientId: string;
  createdAt: number;
  editedAt: number | null;
  /** A deleted message keeps its seq; its text is "". */
  deleted: boolean;
};
export type SystemEvent = {
  type: "member-joined" | "member-left" | "member-invited";
  roomId: string;
  user: User;
  at: number;
};
export type Contact = User & { online: boolean };
/** A room member; `online` is told only to the room's own members. */
export type RoomMember = User & { online?: boolean };
export type RoomPage = { rooms: Room[]; nextCursor: string | null };
export type Empty = Record<string, never>;

export type AuthResponse = { token: string; user: User };

/** What each acknowledged event answers with. */
export type AckData = {
  "room:create": Room;
  "room:list": Room[];
  "room:join": Room;
  "room:leave": Empty;
  "room:invite": Empty;
  "dm:open": Room;
  message: Message;
  history: Message[];
  "message:edit": Message;
  "message:delete": Empty;
  read: Empty;
  search: Message[];
  "contacts:add": Empty;
  "contacts:remove": Empty;
  "contacts:list": Contact[];
  "room:members": RoomMember[];
  "room:browse": RoomPage;
  "people:suggest": User[];
};
export type AckEventName = keyof AckData;

// ---------------------------------------------------------------- event maps

export type ClientToServerEvents = {
  [E in AckEventName]: (payload: PayloadIn<E>, ack: Ack<AckData[E]>) => void;
} & {
  typing: (payload: PayloadIn<"typing">) => void;
};

export type ServerToClientEvents = {
  message: (message: Message) => void;
  "message:updated": (message: Message) => void;
  system: (event: SystemEvent) => void;
  typing: (event: { roomId: string; user: User; typing: boolean }) => void;
  read: (event: { roomId: string; user: User; seq: number }) => void;
  presence: (event: { user: User; online: boolean }) => void;
};
