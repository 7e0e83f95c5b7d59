// What the chat logic needs from a database. SQLite implements it now
// (storage/sqlite.ts); a MySQL implementation can stand beside it, and the
// storage contract tests run against every implementation.
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
};

/** `created: false` means the (sender, clientId) pair existed: `message` is the stored original. */
export type InsertResult = { created: boolean; message: Message };

export type HistoryQuery = { before?: number; after?: number; limit: number };

/** Every word must match (as a prefix); `roomId` limits to one room, else the user's rooms. */
export type SearchQuery = { userId: string; words: string[]; roomId?: string; limit: number };

export interface Storage {
  readonly dialect: string;
  ping(): Promise<void>;
  close(): Promise<void>;

  /** false when the username is taken (ignoring case). */
  createUser(user: UserRecord, createdAt: number): Promise<boolean>;
  findUserByName(username: string): Promise<UserRecord | null>;

  createToken(tokenHash: string, userId: string, expiresAt: number): Promise<void>;
  findUserByToken(tokenHash: string, now: number): Promise<User | null>;
  deleteToken(tokenHash: string): Promise<boolean>;

  /** Creates the room with its creator as the first member; false when a public name is taken. */
  createRoom(room: RoomRecord, creatorId: string, createdAt: number): Promise<boolean>;
  findRoom(roomId: string): Promise<RoomRecord | null>;
  /** The dm room of these two users, created if needed; both become members. */
  openDm(newRoomId: string, users: [string, string], now: number): Promise<RoomRecord>;
  /** Every public room and every room the user is a member of, as that user sees them. */
  listRooms(userId: string): Promise<Room[]>;
  roomFor(roomId: string, userId: string): Promise<Room | null>;

  /** true when the user was not a member before. */
  addMember(roomId: string, userId: string, now: number): Promise<boolean>;
  /** true when the user was a member before. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  memberIds(roomId: string): Promise<string[]>;
  /** The room's members, by username. */
  members(roomId: string): Promise<User[]>;
  roomIdsOf(userId: string): Promise<string[]>;

  /** Assigns the next seq of the room and stores the message in one transaction. */
  insertMessage(message: NewMessage): Promise<InsertResult>;
  findMessageByClientId(senderId: string, clientId: string): Promise<Message | null>;
  findMessage(messageId: string): Promise<Message | null>;
  /** Replaces the text (and the mentions) of a message that is not deleted; null when there is none. */
  editMessage(messageId: string, text: string, mentions: string[], editedAt: number): Promise<Message | null>;
  /** Blanks the text, drops its mentions and marks it deleted (its seq stays); the message as it is now. */
  deleteMessage(messageId: string, deletedAt: number): Promise<Message | null>;
  /** Ascending seq. */
  history(roomId: string, query: HistoryQuery): Promise<Message[]>;
  /** Best-ranked matches (newest first among equals), at most `limit`. */
  search(query: SearchQuery): Promise<Message[]>;

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
}
