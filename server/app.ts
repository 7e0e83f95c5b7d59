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
import { createAccounts, createLoginGuard, type Accounts, type LoginGuardOptions } from "./accounts/accounts";
import { createChat, type Chat } from "./chat/chat";
import { TypingTracker } from "./chat/typing";
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimitOptions } from "./rate-limits";
import type { Storage } from "./storage/storage";
import { accountRoutes, errorHandler, healthRoute } from "./transport/http-routes";
import { isSameOrigin, sessionTokenFromCookies } from "./transport/session-cookie";
import { registerHandlers } from "./transport/socket-handlers";
import { socketEffects } from "./transport/socket-effects";
import { ioRooms, type ChatServer } from "./transport/types";

export type AppOptions = {
  storage: Storage;
  logger: Logger;
  /** The folder holding the page's `public/` files and the `dist/` bundle. */
  staticDir?: string;
  rateLimits?: RateLimitOptions;
  /** How long a typing indicator lasts without a refresh. */
  typingTimeoutMs?: number;
  loginGuard?: LoginGuardOptions;
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
  const { storage, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  const httpServer = createServer(app);
  const io: ChatServer = new Server(httpServer, { serveClient: false, maxHttpBufferSize: MAX_FRAME_BYTES });

  const effects = socketEffects(io, { clustered: false });
  const chat = createChat(storage, effects, { typing: new TypingTracker(effects, options.typingTimeoutMs) });
  const accounts = createAccounts({
    storage,
    loginGuard: createLoginGuard(options.loginGuard ?? { maxFailures: 20, windowSeconds: 15 * 60 }),
  });
  const limits = createRateLimits(options.rateLimits ?? DEFAULT_RATE_LIMITS);

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
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === "/healthz" } }));
  app.get("/healthz", healthRoute(() => storage.ping(), logger));
  app.use(
    "/api",
    accountRoutes({ accounts, onLogout: (tokenHash) => io.in(ioRooms.token(tokenHash)).disconnectSockets(true) }),
  );
  // The page: static files and the esbuild bundle (npm run build).
  const staticDir = options.staticDir ?? resolve("browser");
  app.use(express.static(resolve(staticDir, "public")));
  app.use(express.static(resolve(staticDir, "dist")));
  app.use(errorHandler(logger));

  // Handshake: a missing, malformed, unknown or revoked token is refused with
  // the message the protocol names. The socket is placed in its user's rooms
  // here, before the client hears "connect", so it misses no broadcast.
  io.use(async (socket, next) => {
    try {
      const { headers, auth } = socket.handshake;
      // Node scripts send auth.token; the page relies on its httpOnly cookie,
      // which only counts when the handshake comes from this server's own page.
      const token =
        auth?.token ??
        (isSameOrigin(headers) ? sessionTokenFromCookies(headers.cookie) : undefined);
      const session = await accounts.authenticate(token);
      if (!session) return next(new Error("UNAUTHORIZED"));
      socket.data.user = session.user;
      socket.data.tokenHash = session.tokenHash;
      const roomIds = await storage.roomIdsOf(session.user.id);
      void socket.join([ioRooms.user(session.user.id), ioRooms.token(session.tokenHash), ...roomIds.map(ioRooms.chat)]);
      next();
    } catch (err) {
      logger.error({ err }, "handshake failed");
      next(new Error("INTERNAL"));
    }
  });
  io.on("connection", (socket) => registerHandlers(socket, { chat, limits, logger }));
  io.on("membership:changed", ({ roomId, userId, member }) => void chat.rooms.setMember(roomId, userId, member));

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
      const closed = new Promise<void>((done) => io.close(() => done()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
}
