// Everything nodes share, behind small interfaces, so the rest of the server
// does not know whether it runs alone or beside others: the bus (the
// Socket.IO adapter's server-side events, which carry broadcasts, joins,
// leaves and disconnects to the other nodes: transport/socket-effects.ts),
// presence counts, and the store of abuse-limit counters. One node uses the
// in-memory versions; `REDIS_URL` selects the Redis ones (redis-cluster.ts).
import { randomUUID } from "node:crypto";
import type { Server } from "socket.io";
import { memoryLimiterStore, type LimiterStore } from "../limits";
import { LocalPresence, type PresenceStore } from "./presence";

export type Cluster = {
  /** This node's name in logs and in shared state. */
  nodeId: string;
  /** Whether other nodes may exist (server-side events are then worth sending). */
  shared: boolean;
  /** The Socket.IO adapter; undefined keeps the in-memory one. */
  adapter?: Parameters<Server["adapter"]>[0];
  presence: PresenceStore;
  limiterStore: LimiterStore;
  /** Rejects when the shared layer does not answer (GET /healthz). */
  ping(): Promise<void>;
  /** Whether the bus is connected right now (events for other nodes are dropped while it is not). */
  ready(): boolean;
  /** Connection errors seen since start (metrics). */
  errors(): number;
  /**
   * Called when the shared layer is back after an outage. Notices sent
   * meanwhile may be lost, so whatever they would have kept right is checked
   * again (membership caches, which rooms local sockets are in).
   */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
};

export function localCluster(): Cluster {
  return {
    nodeId: randomUUID().slice(0, 8),
    shared: false,
    presence: new LocalPresence(),
    limiterStore: memoryLimiterStore,
    ping: async () => {},
    ready: () => false,
    errors: () => 0,
    onRecovered: () => {},
    close: async () => {},
  };
}
