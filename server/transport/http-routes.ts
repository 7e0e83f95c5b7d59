// HTTP routes: accounts and health. Thin: parse, call accounts, answer.
// Express 5 passes rejected promises to the error handler by itself.
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from "express";
import type { Logger } from "pino";
import type { Accounts } from "../accounts/accounts";
import type { Guards } from "../limits";
import { errors, HTTP_STATUS, toErrorBody } from "../errors";
import { clearSessionCookie, sessionTokenFromCookies, setSessionCookie } from "./session-cookie";

/** The Bearer token (Node scripts) or else the session cookie (the browser page). */
function sessionToken(req: Request): string {
  const match = /^Bearer ([^\s]+)$/.exec(req.get("authorization") ?? "");
  const token = match?.[1] ?? sessionTokenFromCookies(req.get("cookie"));
  if (!token) throw errors.unauthorized();
  return token;
}

export type AccountRoutesDeps = {
  accounts: Accounts;
  guards: Guards;
  /** Called after a logout, to disconnect the sockets opened with that token. */
  onLogout: (tokenHash: string) => void;
};

export function accountRoutes({ accounts, guards, onLogout }: AccountRoutesDeps) {
  const router = express.Router();
  router.use(express.json({ limit: "16kb" }));

  router.post("/register", async (req, res) => {
    await guards.register(req.ip ?? "unknown");
    const auth = await accounts.register(req.body);
    setSessionCookie(req, res, auth.token);
    res.status(201).json(auth);
  });
  router.post("/login", async (req, res) => {
    await guards.login(req.ip ?? "unknown");
    const auth = await accounts.login(req.body, req.ip ?? "unknown");
    setSessionCookie(req, res, auth.token);
    res.json(auth);
  });
  router.post("/logout", async (req, res) => {
    onLogout(await accounts.logout(sessionToken(req)));
    clearSessionCookie(req, res);
    res.status(204).end();
  });
  router.get("/me", async (req, res) => {
    const session = await accounts.authenticate(sessionToken(req));
    if (!session) throw errors.unauthorized();
    res.json({ user: session.user });
  });
  router.use(() => {
    throw errors.notFound("No such API route");
  });
  return router;
}

export function healthRoute(check: () => Promise<void>, logger: Logger): RequestHandler {
  return async (_req, res) => {
    try {
      await check();
      res.json({ status: "ok" });
    } catch (err) {
      logger.warn({ err }, "health check failed");
      res.status(503).json({ status: "unavailable" });
    }
  };
}

/** Every error body is `{error: {code, message}}`, malformed JSON included. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    // body-parser's own errors (malformed JSON, too large) carry a 4xx status.
    const parserStatus = typeof err?.status === "number" && err.status < 500 && typeof err.type === "string";
    const mapped = parserStatus ? toErrorBody(errors.badRequest(err.type === "entity.too.large" ? "Body too large" : "Malformed JSON body")) : toErrorBody(err);
    if (mapped.fault) logger.error({ err }, "request failed");
    res.status(HTTP_STATUS[mapped.body.code]).json({ error: mapped.body });
  };
}

