// The application factory: configuration, storage and a logger in; an HTTP
// server with Socket.IO attached, `listen` and `close` out. It never calls
// listen() by itself, so tests build it and listen on port 0.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import { Server } from "socket.io";
import { createAccounts, createLoginGuard, TOKEN_TTL_MS, type Accounts } from "./accounts/accounts";
import { createChat, DEFAULT_CAPS, type Chat, type ChatCaps } from "./chat/chat";
import { TypingTracker } from "./chat/typing";
import { localCluster, type Cluster } from "./cluster/cluster";
import { createGuards, DEFAULT_ABUSE_LIMITS, type AbuseLimits } from "./limits";
import { createMetrics, metricsRoute, type Metrics } from "./metrics";
import type { Storage } from "./storage/storage";
import { accountRoutes, errorHandler, healthRoute } from "./transport/http-routes";
import { authenticateHandshakes } from "./transport/handshake";
import { followCluster, leaveCluster } from "./transport/cluster-events";
import { OrderedDelivery } from "./transport/ordered-delivery";
import { boundSendQueue } from "./transport/send-queue";
import { disconnectAtExpiry, purgeExpiredTokens } from "./transport/session-expiry";
import { createHandlers } from "./transport/socket-handlers";
import { socketEffects } from "./transport/socket-effects";
import { ioRooms, type ChatServer } from "./transport/types";

export type AppOptions = {
  storage: Storage;
  logger: Logger;
  /** The folder holding the page's `public/` files and the `dist/` bundle. */
  staticDir?: string;
  /** Abuse limits; each one left out keeps its default (limits.ts). */
  limits?: Partial<AbuseLimits>;
  /** What nodes share (adapter, presence, limit counters): this node alone by default (cluster/). The caller closes it. */
  cluster?: Cluster;
  /** Prometheus metrics (one set per app by default; main.ts gives the one storage also reports to). */
  metrics?: Metrics;
  /** With it, /metrics answers any client that sends it as a Bearer token; without, loopback clients only. */
  metricsToken?: string;
  /** How long a typing indicator lasts without a refresh. */
  typingTimeoutMs?: number;
  /** How long a session token lasts (30 days by default). */
  tokenTtlMs?: number;
  /** Bounds on single requests (chat/chat.ts); each one left out keeps its default. */
  caps?: Partial<Omit<ChatCaps, "roomsPerUser">>;
  /** Other origins whose pages may call this server (CORS) and use its session cookie. Same-origin only by default. */
  corsOrigins?: string[];
  /** Express's "trust proxy": set it behind a TLS-terminating proxy, so addresses and Secure cookies are right. */
  trustProxy?: boolean | number | string;
};

export type App = {
  httpServer: HttpServer;
  io: ChatServer;
  chat: Chat;
  accounts: Accounts;
  /** Resolves once connections are accepted; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops accepting, disconnects every socket and closes the HTTP server. The storage is the caller's to close. */
  close(): Promise<void>;
};

// The largest valid event is a 4000-code-point message (at most 16 KB of
// UTF-8) plus a few ids; anything far beyond that is abuse, not chat.
export const MAX_FRAME_BYTES = 64 * 1024;

export function createApp(options: AppOptions): App {
  const { storage } = options;
  const cluster = options.cluster ?? localCluster();
  const logger = options.logger.child({ node: cluster.nodeId });
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  const limits = { ...DEFAULT_ABUSE_LIMITS, ...options.limits };
  const corsOrigins = options.corsOrigins ?? [];
  const httpServer = createServer(app);
  const io: ChatServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // Without an allow-list no CORS headers are sent, so other sites' pages cannot read polling answers.
    ...(corsOrigins.length ? { cors: { origin: corsOrigins, credentials: true } } : {}),
    ...(cluster.adapter ? { adapter: cluster.adapter } : {}),
  });

  const link = cluster.shared
    ? { ordered: new OrderedDelivery((m) => io.local.to(ioRooms.chat(m.roomId)).emit("message", m)), ready: () => cluster.ready() }
    : null;
  const effects = socketEffects(io, link);
  const metrics = options.metrics ?? createMetrics();
  // Counted where a message is known to be new (a retry of a stored one is not delivered again).
  const deliver = effects.deliver;
  effects.deliver = (message) => {
    metrics.messageStored();
    deliver(message);
  };
  metrics.watch({
    sockets: () => io.engine.clientsCount,
    dependencies: { database: () => storage.ping(), ...(cluster.shared ? { redis: () => cluster.ping() } : {}) },
    errors: (): Record<string, number> => (cluster.shared ? { redis: cluster.errors() } : {}),
  });
  const chat = createChat(storage, effects, {
    presence: cluster.presence,
    typing: new TypingTracker(effects, options.typingTimeoutMs),
    caps: { ...DEFAULT_CAPS, ...options.caps, roomsPerUser: limits.roomsPerUser },
  });
  const accounts = createAccounts({
    storage,
    tokenTtlMs: options.tokenTtlMs,
    loginGuard: createLoginGuard({
      maxFailures: limits.loginFailures,
      windowSeconds: limits.loginFailureWindowSeconds,
      failuresBeforeDelay: limits.loginFailuresBeforeDelay,
      delayCapSeconds: limits.loginDelayCapSeconds,
      store: cluster.limiterStore,
    }),
  });
  const guards = createGuards(limits, cluster.limiterStore);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          "connect-src": ["'self'"],
          // Served over plain HTTP on a LAN or localhost, upgrading would break the page.
          "upgrade-insecure-requests": null,
        },
      },
    }),
  );
  // Which node answered: for operators behind a load balancer (and the tests that run one).
  app.use((_req, res, next) => {
    res.set("X-Chat-Node", cluster.nodeId);
    next();
  });
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === "/healthz" } }));
  app.get("/metrics", metricsRoute(metrics, options.metricsToken));
  app.get("/healthz", healthRoute({ database: () => storage.ping(), ...(cluster.shared ? { redis: () => cluster.ping() } : {}) }, logger));
  app.use(
    "/api",
    accountRoutes({
      accounts,
      guards,
      allowedOrigins: corsOrigins,
      onLogout: (tokenHash) => effects.disconnectToken(tokenHash),
    }),
  );
  // The page: static files and the esbuild bundle (npm run build).
  const staticDir = options.staticDir ?? resolve("browser");
  app.use(express.static(resolve(staticDir, "public")));
  app.use(express.static(resolve(staticDir, "dist")));
  // Any other page: the page's own "not found", with the status that says so.
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    res.status(404).sendFile(resolve(staticDir, "public", "404.html"), (err) => err && next());
  });
  app.use(errorHandler(logger));

  authenticateHandshakes(io, {
    accounts,
    storage,
    presence: cluster.presence,
    guards,
    logger,
    socketsPerUser: limits.socketsPerUser,
    allowedOrigins: corsOrigins,
    trustProxy: app.get("trust proxy fn"),
  });
  const attachHandlers = createHandlers({ chat, guards, logger, metrics });
  io.on("connection", (socket) => {
    const congested = boundSendQueue(socket, { maxBytes: limits.maxQueuedBytes, congestedBytes: limits.congestedQueuedBytes }, logger);
    attachHandlers(socket, { congested });
  });
  followCluster(io, chat, cluster, logger, link);
  const stopPurging = purgeExpiredTokens(accounts, logger);
  // Checked a few times per token lifetime at least, and every minute at most.
  const stopExpiring = disconnectAtExpiry(io, Math.min(60_000, Math.max(250, (options.tokenTtlMs ?? TOKEN_TTL_MS) / 4)));

  return {
    httpServer,
    io,
    chat,
    accounts,
    listen(port, host) {
      return new Promise((resolveListen, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          const address = httpServer.address() as AddressInfo;
          const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolveListen({ port: address.port, url: `http://${shown}:${address.port}` });
        });
      });
    },
    async close() {
      // io.close() disconnects every socket and closes the HTTP server;
      // idle keep-alive HTTP connections are dropped so it can finish.
      chat.typing.close();
      stopPurging();
      stopExpiring();
      await leaveCluster(chat, cluster, logger);
      link?.ordered.close();
      const closed = new Promise<void>((done) => io.close(() => done()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
}
