// What the CLI knows while it runs: the connected client, the rooms it has
// heard of (for naming them in output) and the current room, which plain
// lines are sent to. Live events are printed from here.
import type { ChatClient } from "../../common/client";
import { roomNameKey, type Room } from "../../common/protocol";
import { CliError, formatError, formatMessage, formatSystem, label } from "./format";

export class Session {
  private readonly rooms = new Map<string, Room>();
  private currentId: string | null = null;

  constructor(
    readonly client: ChatClient,
    readonly print: (line: string) => void,
  ) {}

  /** Asks the server for every room this user can see, and remembers them. */
  async refresh(): Promise<Room[]> {
    const rooms = await this.client.call("room:list", {});
    this.rooms.clear();
    for (const room of rooms) this.rooms.set(room.id, room);
    return rooms;
  }

  remember(room: Room): Room {
    this.rooms.set(room.id, room);
    return room;
  }

  forget(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (room) this.rooms.set(roomId, { ...room, joined: false });
    if (this.currentId === roomId) this.currentId = null;
  }

  get current(): Room | null {
    return this.currentId === null ? null : (this.rooms.get(this.currentId) ?? null);
  }

  setCurrent(room: Room): void {
    this.remember(room);
    this.currentId = room.id;
  }

  requireCurrent(): Room {
    const room = this.current;
    if (!room) throw new CliError("NO_ROOM", "no current room: /join, /create or /dm first");
    return room;
  }

  /**
   * Finds a room by id, by name ignoring case, or by its label (`#general`,
   * `@bob`). Public rooms win a tie, since their names are the unique ones.
   */
  async find(query: string, which: (room: Room) => boolean = () => true): Promise<Room> {
    const rooms = (await this.refresh()).filter(which);
    const q = roomNameKey(query);
    const byName = (room: Room) => roomNameKey(room.name) === q || roomNameKey(label(room)) === q;
    const found =
      rooms.find((room) => room.id === query) ??
      rooms.find((room) => room.kind === "public" && byName(room)) ??
      rooms.find(byName);
    if (!found) throw new CliError("NOT_FOUND", `no room "${query}"`);
    return found;
  }

  /** Prints live messages and system events, in the order they arrive. */
  listen(): void {
    // Naming a room heard of for the first time (a new dm, an invitation)
    // takes a round trip; the queue keeps later events from overtaking it.
    let queue = Promise.resolve();
    const show = (roomId: string, render: (roomLabel: string) => string) => {
      queue = queue.then(async () => this.print(render(await this.labelOf(roomId))));
    };
    this.client.onMessage((m) => show(m.roomId, (l) => formatMessage(l, m)));
    this.client.on("system", (e) => show(e.roomId, (l) => formatSystem(l, e)));
    this.client.onError((err) => this.print(formatError(err)));
  }

  private async labelOf(roomId: string): Promise<string> {
    if (!this.rooms.has(roomId)) await this.refresh().catch(() => undefined);
    const room = this.rooms.get(roomId);
    return room ? label(room) : roomId;
  }
}
