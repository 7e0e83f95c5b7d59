// Who is online, across every node: a user is online while any of their
// sockets is connected to a live node. One node keeps the count for itself
// (LocalPresence); several share counts in Redis (redis-presence.ts), so
// nothing asks every node on each connect and disconnect, and a node that
// dies stops counting within about 30 s.
import type { User } from "../../common/protocol";

export interface PresenceStore {
  /** Counts a socket of this node; true when it is the user's first on any live node (they came online). */
  add(user: User, socketId: string): Promise<boolean>;
  /** Forgets a socket of this node; true when it was the user's last on any live node (they went offline). */
  remove(user: User, socketId: string): Promise<boolean>;
  /** How many sockets the user holds on live nodes. */
  count(userId: string): Promise<number>;
  /** Which of these users hold at least one socket on a live node. */
  online(userIds: string[]): Promise<Set<string>>;
  /**
   * Called with users whose last sockets were on a node that died, once, on
   * one live node, so that node can announce them offline.
   */
  onOrphaned(listener: (users: User[]) => void): void;
  /** Stops counting this node's sockets; returns the users that leaves with no socket anywhere. */
  drain(): Promise<User[]>;
}

/** One node: the counts are this process's own sockets. */
export class LocalPresence implements PresenceStore {
  private readonly sockets = new Map<string, { user: User; ids: Set<string> }>();

  async add(user: User, socketId: string): Promise<boolean> {
    let entry = this.sockets.get(user.id);
    if (!entry) this.sockets.set(user.id, (entry = { user, ids: new Set() }));
    entry.ids.add(socketId);
    return entry.ids.size === 1;
  }

  async remove(user: User, socketId: string): Promise<boolean> {
    const entry = this.sockets.get(user.id);
    if (!entry?.ids.delete(socketId)) return false;
    if (entry.ids.size > 0) return false;
    this.sockets.delete(user.id);
    return true;
  }

  async count(userId: string): Promise<number> {
    return this.sockets.get(userId)?.ids.size ?? 0;
  }

  async online(userIds: string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.sockets.has(id)));
  }

  onOrphaned(): void {
    // A single node cannot outlive itself.
  }

  async drain(): Promise<User[]> {
    const users = [...this.sockets.values()].map((e) => e.user);
    this.sockets.clear();
    return users;
  }
}
