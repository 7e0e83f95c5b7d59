// Presence shared through Redis. Each node counts its own sockets per user
// (`u:<user>` is a hash node → count, `n:<node>` a hash user → username) and
// says it is alive with a key that expires 30 s after its last heartbeat. A
// node that dies stops refreshing it; another node then removes its counts in
// one script and announces the users it leaves with no socket anywhere. The
// node's own map is the truth for its sockets: after an outage (or a Redis
// restart, which keeps nothing) it writes them back.
import type { Logger } from "pino";
import type { RedisClientType } from "redis";
import type { User } from "../../common/protocol";
import type { PresenceStore } from "./presence";

/** How often a node says it is alive, and how long that lasts: a dead node stops counting within aliveSeconds plus a heartbeat. */
export type PresenceTiming = { heartbeatMs: number; aliveSeconds: number };
export const DEFAULT_PRESENCE_TIMING: PresenceTiming = { heartbeatMs: 10_000, aliveSeconds: 30 };

const SUM = `local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
return total`;

// KEYS: u:<user>, n:<node>. ARGV: node, user id, username. Returns the user's sockets on every node.
const ADD = `redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
${SUM}`;

const REMOVE = `if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[2])
end
${SUM}`;

// KEYS: n:<dead node>, the set of nodes. ARGV: dead node, prefix of u: keys.
// Returns [id, username, …] of users left with no socket on any node.
const SWEEP = `local users = redis.call('HGETALL', KEYS[1])
local gone = {}
for i = 1, #users, 2 do
  local key = ARGV[2] .. users[i]
  redis.call('HDEL', key, ARGV[1])
  if redis.call('HLEN', key) == 0 then
    table.insert(gone, users[i])
    table.insert(gone, users[i + 1])
  end
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return gone`;

type Client = RedisClientType;

export class RedisPresence implements PresenceStore {
  private readonly local = new Map<string, { user: User; ids: Set<string> }>();
  private readonly listeners: Array<(users: User[]) => void> = [];
  private readonly timer: NodeJS.Timeout;
  private readonly key: { user: (id: string) => string; node: (id: string) => string; alive: (id: string) => string; nodes: string };

  constructor(
    private readonly client: Client,
    prefix: string,
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly timing: PresenceTiming = DEFAULT_PRESENCE_TIMING,
  ) {
    const p = `${prefix}presence:`;
    this.key = { user: (id) => `${p}u:${id}`, node: (id) => `${p}n:${id}`, alive: (id) => `${p}alive:${id}`, nodes: `${p}nodes` };
    this.timer = setInterval(() => void this.tick(), timing.heartbeatMs);
    this.timer.unref();
    void this.tick();
  }

  async add(user: User, socketId: string): Promise<boolean> {
    let entry = this.local.get(user.id);
    if (!entry) this.local.set(user.id, (entry = { user, ids: new Set() }));
    if (entry.ids.has(socketId)) return false;
    entry.ids.add(socketId);
    const total = await this.client.eval(ADD, {
      keys: [this.key.user(user.id), this.key.node(this.nodeId)],
      arguments: [this.nodeId, user.id, user.username],
    });
    return Number(total) === 1;
  }

  async remove(user: User, socketId: string): Promise<boolean> {
    const entry = this.local.get(user.id);
    if (!entry?.ids.delete(socketId)) return false;
    if (entry.ids.size === 0) this.local.delete(user.id);
    const total = await this.client.eval(REMOVE, {
      keys: [this.key.user(user.id), this.key.node(this.nodeId)],
      arguments: [this.nodeId, user.id],
    });
    return Number(total) === 0;
  }

  async count(userId: string): Promise<number> {
    try {
      return Number(await this.client.eval(SUM, { keys: [this.key.user(userId)] }));
    } catch (err) {
      // Redis is away: this node's own count is the best there is.
      this.logger.warn({ err }, "presence count from this node only");
      return this.local.get(userId)?.ids.size ?? 0;
    }
  }

  async online(userIds: string[]): Promise<Set<string>> {
    try {
      const lengths = await Promise.all(userIds.map((id) => this.client.hLen(this.key.user(id))));
      return new Set(userIds.filter((_, i) => Number(lengths[i]) > 0));
    } catch (err) {
      this.logger.warn({ err }, "presence from this node only");
      return new Set(userIds.filter((id) => this.local.has(id)));
    }
  }

  onOrphaned(listener: (users: User[]) => void): void {
    this.listeners.push(listener);
  }

  async drain(): Promise<User[]> {
    clearInterval(this.timer);
    const users = [...this.local.values()].map((e) => e.user);
    this.local.clear();
    const gone: User[] = [];
    try {
      for (const user of users) {
        await this.client.hDel(this.key.user(user.id), this.nodeId);
        if (Number(await this.client.hLen(this.key.user(user.id))) === 0) gone.push(user);
      }
      await this.client.del([this.key.node(this.nodeId), this.key.alive(this.nodeId)]);
      await this.client.sRem(this.key.nodes, this.nodeId);
    } catch (err) {
      // Unreachable: the heartbeat lapses and another node sweeps this one.
      this.logger.warn({ err }, "presence not drained; it will expire");
    }
    return gone;
  }

  /** Writes this node's counts back as they are, after Redis was away (it may have lost them, or missed a change). */
  async restore(): Promise<void> {
    const node = this.key.node(this.nodeId);
    for (const userId of await this.client.hKeys(node)) {
      if (this.local.has(userId)) continue;
      await this.client.hDel(this.key.user(userId), this.nodeId);
      await this.client.hDel(node, userId);
    }
    for (const { user, ids } of this.local.values()) {
      await this.client.hSet(this.key.user(user.id), this.nodeId, ids.size);
      await this.client.hSet(node, user.id, user.username);
    }
    await this.tick();
  }

  /** Heartbeat, then sweep nodes whose heartbeat has lapsed. */
  private async tick(): Promise<void> {
    try {
      await this.client.set(this.key.alive(this.nodeId), "1", { expiration: { type: "EX", value: this.timing.aliveSeconds } });
      await this.client.sAdd(this.key.nodes, this.nodeId);
      for (const node of await this.client.sMembers(this.key.nodes)) {
        if (node === this.nodeId || (await this.client.exists(this.key.alive(node)))) continue;
        const gone = (await this.client.eval(SWEEP, {
          keys: [this.key.node(node), this.key.nodes],
          arguments: [node, this.key.user("")],
        })) as string[];
        const users: User[] = [];
        for (let i = 0; i < gone.length; i += 2) users.push({ id: gone[i]!, username: gone[i + 1]! });
        if (users.length) this.logger.info({ node, users: users.length }, "swept a node that stopped; its users are offline");
        if (users.length) for (const listener of this.listeners) listener(users);
      }
    } catch (err) {
      this.logger.warn({ err }, "presence heartbeat failed");
    }
  }
}
