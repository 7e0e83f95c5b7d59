// GET /metrics in the Prometheus text format (prom-client). Kept off the
// message path: a message costs two counter and histogram updates (no
// allocation, no I/O); everything else is read when Prometheus scrapes.
// Served to loopback clients only, unless METRICS_TOKEN is set, when a
// Bearer header with that token is let in from anywhere.
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Node's own metrics (event-loop delay, heap, GC) once per process, however many apps a test starts. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  const messagesStored = new Counter({ name: "chat_messages_stored_total", help: "Messages stored (retries of a stored one not counted)", registers: [registry] });
  const commitBatch = new Histogram({
    name: "chat_commit_batch_size",
    help: "Writes that shared one group commit",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  const ackSeconds = new Histogram({
    name: "chat_ack_seconds",
    help: "From a client event's arrival to its acknowledgement, by event",
    labelNames: ["event"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const faults = new Counter({
    name: "chat_server_faults_total",
    help: "Events answered INTERNAL (a database or Redis failure, or a bug), by event",
    labelNames: ["event"],
    registers: [registry],
  });
  return {
    registry,
    messageStored: () => messagesStored.inc(),
    batchCommitted: ({ size }: { size: number }) => commitBatch.observe(size),
    acked: (event: string, seconds: number) => ackSeconds.observe({ event }, seconds),
    fault: (event: string) => faults.inc({ event }),
    /** Values read only when scraped: sockets, whether each dependency answers, and connection errors seen. */
    watch(read: { sockets: () => number; dependencies: Record<string, () => Promise<void>>; errors: () => Record<string, number> }) {
      new Gauge({
        name: "chat_connected_sockets",
        help: "Sockets connected to this node",
        registers: [registry],
        collect() {
          this.set(read.sockets());
        },
      });
      new Gauge({
        name: "chat_dependency_up",
        help: "Whether each dependency (database, redis) answered at the scrape",
        labelNames: ["dependency"],
        registers: [registry],
        async collect() {
          for (const [dependency, ping] of Object.entries(read.dependencies)) {
            this.set({ dependency }, await ping().then(() => 1, () => 0));
          }
        },
      });
      new Gauge({
        name: "chat_dependency_errors",
        help: "Connection errors seen since start, by dependency",
        labelNames: ["dependency"],
        registers: [registry],
        collect() {
          for (const [dependency, count] of Object.entries(read.errors())) this.set({ dependency }, count);
        },
      });
    },
  };
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function metricsRoute(metrics: Metrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    const bearer = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "")?.[1];
    // A request that came through a proxy is not a local client, even when the proxy is local.
    const allowed = token ? bearer === token : LOOPBACK.test(req.ip ?? "") && !req.get("x-forwarded-for");
    if (!allowed) {
      res.status(403).json({ error: { code: "FORBIDDEN", message: "Metrics are not served to this client" } });
      return;
    }
    const merged = Registry.merge([processMetrics(), metrics.registry]);
    res.set("Content-Type", merged.contentType).send(await merged.metrics());
  };
}
