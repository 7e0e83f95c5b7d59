// New messages reach each node's sockets in seq order per room. Commit order
// is seq order in the database, but two nodes' acks race to Redis, so a node
// may hear seq 21 from one node before seq 20 from another. Every node's new
// messages therefore go to every node (its own included) through this small
// hold-back queue per room: a message waits until its predecessor has been
// delivered, or for at most `holdMs`, after which the queue moves on and a
// client that sees the jump catches up by `history {after}` as the protocol
// says; a straggler that comes after that is still delivered. A room this
// node has not seen yet has no known predecessor, so its first message waits
// the same time for earlier ones (unless it is seq 1), once per room.
import type { Message } from "../../common/protocol";

/** `next`: the seq to deliver next; null while the first message of a room waits to learn it. */
type RoomQueue = { next: number | null; held: Map<number, Message>; timer: NodeJS.Timeout | null };

export class OrderedDelivery {
  private readonly rooms = new Map<string, RoomQueue>();

  constructor(
    private readonly deliver: (message: Message) => void,
    private readonly holdMs = 500,
    private readonly maxRooms = 10_000,
  ) {}

  push(message: Message): void {
    let room = this.rooms.get(message.roomId);
    if (!room) {
      room = { next: message.seq === 1 ? 1 : null, held: new Map(), timer: null };
      this.remember(message.roomId, room);
    }
    if (room.next !== null && message.seq < room.next) {
      this.deliver(message);
      return;
    }
    room.held.set(message.seq, message);
    this.drain(room);
  }

  close(): void {
    for (const room of this.rooms.values()) if (room.timer) clearTimeout(room.timer);
    this.rooms.clear();
  }

  private drain(room: RoomQueue): void {
    for (let m = room.next === null ? undefined : room.held.get(room.next); m; m = room.held.get(room.next!)) {
      room.held.delete(m.seq);
      room.next = m.seq + 1;
      this.deliver(m);
    }
    if (room.held.size === 0) {
      if (room.timer) clearTimeout(room.timer);
      room.timer = null;
    } else if (!room.timer) {
      room.timer = setTimeout(() => {
        room.timer = null;
        // The gap did not fill in time: go on from the lowest held message.
        room.next = Math.min(...room.held.keys());
        this.drain(room);
      }, this.holdMs);
      room.timer.unref();
    }
  }

  private remember(roomId: string, room: RoomQueue): void {
    this.rooms.set(roomId, room);
    if (this.rooms.size <= this.maxRooms) return;
    // Forget the oldest room with nothing held; it starts afresh if it speaks again.
    for (const [id, queue] of this.rooms) {
      if (queue.held.size === 0) {
        this.rooms.delete(id);
        return;
      }
    }
  }
}
