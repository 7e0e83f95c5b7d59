// HTTP routes: accounts and health. Thin: parse, call accounts, answer.
// Express 5 passes rejected promises to the error handler by itself.
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from "express";
import type { Logger } from "pino";
import type { Accounts } from "../accounts/accounts";
import { addressKey, type Guards } from "../limits";
import { AppError, errors, HTTP_STATUS, toErrorBody } from "../errors";
import { clearSessionCookie, isAllowedOrigin, sessionTokenFromCookies, setSessionCookie } from "./session-cookie";
import type { AuthResponse } from "../../common/protocol";

/** The Bearer token (Node scripts), else the session cookie (the browser page), which only counts from an allowed page. */
function sessionToken(req: Request, allowedOrigins: string[]): string {
  const match = /^Bearer ([^\s]+)$/.exec(req.get("authorization") ?? "");
  if (match) return match[1]!;
  const token = sessionTokenFromCookies(req.get("cookie"));
  if (!token) throw errors.unauthorized();
  if (req.method !== "GET" && !isAllowedOrigin(req.headers, allowedOrigins)) throw errors.forbidden("Cross-site request refused");
  return token;
}

export type AccountRoutesDeps = {
  accounts: Accounts;
  guards: Guards;
  /** Other origins whose pages may call these routes. */
  allowedOrigins: string[];
  /** Called after a logout, to disconnect the sockets opened with that token. */
  onLogout: (tokenHash: string) => void;
};

/**
 * A page (a request with an Origin) keeps its session in the httpOnly cookie,
 * so its answer leaves the token out: a script injected into the page that
 * watches fetch sees no token. A Node script sends no Origin and gets it.
 */
function authBody(req: Request, auth: AuthResponse): AuthResponse | { user: AuthResponse["user"] } {
  return req.get("origin") ? { user: auth.user } : auth;
}

export function accountRoutes({ accounts, guards, allowedOrigins, onLogout }: AccountRoutesDeps) {
  const router = express.Router();
  // Another site's page may not post here at all: no login into an account of its choosing, no logout.
  router.use((req, _res, next) => {
    if (req.method === "POST" && req.get("origin") && !isAllowedOrigin(req.headers, allowedOrigins)) {
      throw errors.forbidden("Cross-site request refused");
    }
    next();
  });
  router.use(express.json({ limit: "16kb" }));

  router.post("/register", async (req, res) => {
    await guards.register(addressKey(req.ip));
    const auth = await accounts.register(req.body);
    setSessionCookie(req, res, auth.token);
    res.status(201).json(authBody(req, auth));
  });
  router.post("/login", async (req, res) => {
    const address = addressKey(req.ip);
    await guards.login(address);
    const auth = await accounts.login(req.body, address);
    setSessionCookie(req, res, auth.token);
    res.json(authBody(req, auth));
  });
  router.post("/logout", async (req, res) => {
    onLogout(await accounts.logout(sessionToken(req, allowedOrigins)));
    clearSessionCookie(req, res);
    res.status(204).end();
  });
  router.get("/me", async (req, res) => {
    const session = await accounts.authenticate(sessionToken(req, allowedOrigins));
    if (!session) throw errors.unauthorized();
    res.json({ user: session.user });
  });
  router.use(() => {
    throw errors.notFound("No such API route");
  });
  return router;
}

/** 200 `{status:"ok"}` when every dependency answers; else 503 naming which one did not. */
export function healthRoute(checks: Record<string, () => Promise<void>>, logger: Logger): RequestHandler {
  return async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.allSettled(names.map((name) => checks[name]!()));
    const failed = names.filter((_, i) => results[i]!.status === "rejected");
    if (failed.length === 0) {
      res.json({ status: "ok" });
      return;
    }
    for (const name of failed) {
      const { reason } = results[names.indexOf(name)] as PromiseRejectedResult;
      logger.warn({ err: reason, dependency: name }, "health check failed");
    }
    res.status(503).json({ status: "unavailable", ...Object.fromEntries(names.map((n) => [n, failed.includes(n) ? "down" : "ok"])) });
  };
}

/** Every error body is `{error: {code, message}}`, malformed JSON included. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    // body-parser's own errors (malformed JSON, too large) carry a 4xx status.
    const parserStatus = typeof err?.status === "number" && err.status < 500 && typeof err.type === "string";
    const mapped = parserStatus ? toErrorBody(errors.badRequest(err.type === "entity.too.large" ? "Body too large" : "Malformed JSON body")) : toErrorBody(err);
    if (mapped.fault) logger.error({ err }, "request failed");
    if (err instanceof AppError && err.retryAfterSeconds !== undefined) res.set("Retry-After", String(err.retryAfterSeconds));
    res.status(HTTP_STATUS[mapped.body.code]).json({ error: mapped.body });
  };
}

