// When each of the user's rooms last had a message, for sorting the side
// panel by activity: the room list does not say, so for a joined room whose
// newest message the page has not seen yet, the newest one is asked for
// (history, limit 1), once per room and a few at a time; live messages keep
// it right from then on (the client core's directory).
import type { ChatClient } from "../../common/client";
import type { RoomDirectory } from "../../common/room-directory";

const AT_ONCE = 3;
/** A user in more rooms than this sorts the rest by name until they hear from them. */
const MAX_ROOMS = 60;

export class ActivityLoader {
  private readonly asked = new Set<string>();
  private queue: string[] = [];
  private running = 0;

  constructor(
    private readonly client: ChatClient,
    private readonly directory: RoomDirectory,
  ) {}

  /** After each room list: ask for what is not known yet. */
  refresh(): void {
    for (const room of this.directory.all()) {
      if (!room.joined || room.lastSeq === 0 || this.asked.has(room.id) || this.directory.lastActivity(room.id) !== undefined) continue;
      if (this.asked.size >= MAX_ROOMS) break;
      this.asked.add(room.id);
      this.queue.push(room.id);
    }
    this.pump();
  }

  private pump(): void {
    while (this.running < AT_ONCE && this.queue.length > 0) {
      const roomId = this.queue.shift() as string;
      this.running++;
      this.client
        .call("history", { roomId, limit: 1 })
        .then(
          (page) => {
            const newest = page[page.length - 1];
            if (newest) this.directory.noteActivity(roomId, newest.createdAt);
          },
          // Not known then: the room sorts by name until a message comes.
          () => undefined,
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
