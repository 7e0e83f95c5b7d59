// What the chat logic needs from a database. Each backend lives in its own
// folder (storage/sqlite/, storage/mysql/) with its own migrations, and the
// storage contract tests run every one of them through the same cases.
// Methods are async even where SQLite is synchronous, so that networked
// databases fit the same interface.
import type { Message, Room, RoomKind, User } from "../../common/protocol";

export type UserRecord = User & { passwordHash: string };

export type RoomRecord = {
  id: string;
  kind: RoomKind;
  /** null for a dm: a dm is named after the other participant. */
  name: string | null;
  /** For a dm: its two participants' ids, sorted. */
  dmUsers: [string, string] | null;
};

export type NewMessage = {
  id: string;
  roomId: string;
  sender: User;
  text: string;
  clientId: string;
  createdAt: number;
  /** Usernames named with @ in the text; those who are members get a mention. */
  mentions: string[];
  /** The text's search terms (chat/search-terms.ts), so every backend indexes the same. */
  terms: string[];
};

/**
 * `created`: stored with the next seq. `duplicate`: the (sender, clientId)
 * pair existed, and `message` is the stored original (nothing was written).
 * `not-member`: the sender is not a member of the room as the database sees
 * it (nothing was written), whatever a cache said.
 */
export type InsertResult =
  | { status: "created"; message: Message }
  | { status: "duplicate"; message: Message }
  | { status: "not-member" };

export type MessageEdit = {
  messageId: string;
  text: string;
  mentions: string[];
  terms: string[];
  editedAt: number;
};

export type HistoryQuery = { before?: number; after?: number; limit: number };

/**
 * Every prefix must begin some term of a message. `roomId` searches that one
 * room, else the rooms the user is a member of. `maxMatches` bounds the work:
 * when even the rarest prefix begins more than that many indexed terms in
 * the searched rooms, the answer is `tooBroad` instead of a scan.
 */
export type SearchQuery = { userId: string; prefixes: string[]; roomId?: string; limit: number; maxMatches: number };
export type SearchResult = { tooBroad: false; messages: Message[] } | { tooBroad: true };

/** Public rooms by name: `query` is a folded name fragment, `after` the cursor of the previous page. */
export type BrowseQuery = { query?: string; after?: string; limit: number };
export type BrowsePage = { rooms: Room[]; nextCursor: string | null };

export type Session = { user: User; expiresAt: number };

/** People whose username begins with `prefix` (ignoring case) among the user's contacts and room-mates. */
export type SuggestQuery = { prefix: string; roomId?: string; limit: number };

export interface Storage {
  readonly dialect: "sqlite" | "mysql";
  ping(): Promise<void>;
  close(): Promise<void>;

  /** false when the username is taken (ignoring case). */
  createUser(user: UserRecord, createdAt: number): Promise<boolean>;
  findUserByName(username: string): Promise<UserRecord | null>;

  createToken(tokenHash: string, userId: string, expiresAt: number): Promise<void>;
  /** The token's user and expiry, when the token exists and has not expired at `now`. */
  findSession(tokenHash: string, now: number): Promise<Session | null>;
  deleteToken(tokenHash: string): Promise<boolean>;
  /** Deletes tokens expired at `now`; how many. */
  purgeExpiredTokens(now: number): Promise<number>;

  /** Creates the room with its creator as the first member; false when a public name is taken. */
  createRoom(room: RoomRecord, creatorId: string, createdAt: number): Promise<boolean>;
  /** How many public and private rooms this user has created (dms do not count). */
  roomsCreatedBy(userId: string): Promise<number>;
  findRoom(roomId: string): Promise<RoomRecord | null>;
  /** The dm room of these two users, created if needed; both become members. */
  openDm(newRoomId: string, users: [string, string], now: number): Promise<RoomRecord>;
  /**
   * The rooms the user is a member of, and at most `unjoinedPublic` public
   * rooms they are not in (the busiest first), as that user sees them.
   */
  listRooms(userId: string, options: { unjoinedPublic: number }): Promise<Room[]>;
  /** Public rooms (joined or not) whose name key contains `query`, in name-key order. */
  browseRooms(userId: string, query: BrowseQuery): Promise<BrowsePage>;
  roomFor(roomId: string, userId: string): Promise<Room | null>;

  /** true when the user was not a member before. */
  addMember(roomId: string, userId: string, now: number): Promise<boolean>;
  /** true when the user was a member before. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  memberIds(roomId: string): Promise<string[]>;
  /** The room's members, by username. */
  members(roomId: string): Promise<User[]>;
  roomIdsOf(userId: string): Promise<string[]>;

  /** Assigns the next seq of the room and stores the message in one transaction, if the sender is a member. */
  insertMessage(message: NewMessage): Promise<InsertResult>;
  findMessageByClientId(senderId: string, clientId: string): Promise<Message | null>;
  findMessage(messageId: string): Promise<Message | null>;
  /** Replaces the text, mentions and terms of a message that is not deleted; null when there is none. */
  editMessage(edit: MessageEdit): Promise<Message | null>;
  /** Blanks the text, drops its mentions and terms and marks it deleted (its seq stays); the message as it is now. */
  deleteMessage(messageId: string, deletedAt: number): Promise<Message | null>;
  /** Ascending seq. */
  history(roomId: string, query: HistoryQuery): Promise<Message[]>;
  /** Newest first (created_at, then seq), at most `limit`. */
  search(query: SearchQuery): Promise<SearchResult>;

  /**
   * Moves the user's read marker forward to `seq` (clamped to the room's
   * last seq). Returns the new marker, or null when it did not move.
   */
  markRead(roomId: string, userId: string, seq: number): Promise<number | null>;

  /** false when already a contact. */
  addContact(userId: string, contactId: string, now: number): Promise<boolean>;
  removeContact(userId: string, contactId: string): Promise<boolean>;
  contacts(userId: string): Promise<User[]>;
  /** Who has this user among their contacts. */
  contactOf(userId: string): Promise<string[]>;
  /** Never the user, never a stranger: contacts first, then members of `roomId`, then by username. */
  suggestPeople(userId: string, query: SuggestQuery): Promise<User[]>;
}
