// Chat logic with no network: an Effects (server/chat/effects.ts) that records
// what the chat functions asked of the transport, and a small model of it
// (which users' sockets are in which rooms), so a test can ask who would have
// heard an event. Who is connected is the chat's PresenceStore, not this. Users start in no room: the
// model learns memberships only from addUserToRoom and removeUserFromRoom,
// which is how the chat functions move sockets.
import type { Message } from "../../common/protocol";
import type { Audience, Effects, ServerEvent, ServerEventPayload } from "../../server/chat/effects";

/** `reached`: the users the audience meant when it was emitted, had every user been connected. */
export type Emitted = { audience: Audience; event: ServerEvent; payload: unknown; reached: string[] };

export class RecordingEffects implements Effects {
  readonly emitted: Emitted[] = [];
  /** Every membership change announced to other nodes, in order. */
  readonly announced: Array<{ roomId: string; userId: string; member: boolean }> = [];
  private readonly socketsIn = new Map<string, Set<string>>(); // roomId → userIds with sockets in it

  emit<E extends ServerEvent>(audience: Audience, event: E, payload: ServerEventPayload<E>): void {
    this.emitted.push({ audience, event, payload, reached: this.reached(audience) });
  }

  /** Recorded as what it is: a "message" to everyone in its room. */
  deliver(message: Message): void {
    this.emit({ rooms: [message.roomId] }, "message", message);
  }

  addUserToRoom(userId: string, roomId: string): void {
    let users = this.socketsIn.get(roomId);
    if (!users) this.socketsIn.set(roomId, (users = new Set()));
    users.add(userId);
  }

  removeUserFromRoom(userId: string, roomId: string): void {
    this.socketsIn.get(roomId)?.delete(userId);
  }

  membershipChanged(roomId: string, userId: string, member: boolean): void {
    this.announced.push({ roomId, userId, member });
  }

  // ---------------------------------------------------------------- for tests

  /** Whether `userId`'s sockets are in `roomId` now. */
  inRoom(userId: string, roomId: string): boolean {
    return this.socketsIn.get(roomId)?.has(userId) ?? false;
  }

  /** The payloads of every `event` emitted so far. */
  payloads<E extends ServerEvent>(event: E): Array<ServerEventPayload<E>> {
    return this.emitted.filter((e) => e.event === event).map((e) => e.payload as ServerEventPayload<E>);
  }

  /** Whom each `event` reached when it was emitted (user ids, sorted), had every user been connected. */
  audiences(event: ServerEvent): string[][] {
    return this.emitted.filter((e) => e.event === event).map((e) => e.reached);
  }

  /** Forgets what was emitted so far (the setup's events). */
  clear(): void {
    this.emitted.length = 0;
    this.announced.length = 0;
  }

  private reached({ rooms = [], users = [], exceptUsers = [] }: Audience): string[] {
    const reached = new Set(users);
    for (const roomId of rooms) for (const userId of this.socketsIn.get(roomId) ?? []) reached.add(userId);
    for (const userId of exceptUsers) reached.delete(userId);
    return [...reached].sort();
  }
}
