// The browser page's session: the same random token as the Bearer one, kept
// in an httpOnly cookie so that page scripts (and any injected script) never
// see it. SameSite=Strict keeps other sites from riding on it; the socket
// handshake also checks Origin, since WebSockets are not bound by CORS.
import { parseCookie, stringifySetCookie } from "cookie";
import type { Request, Response } from "express";
import { TOKEN_TTL_MS } from "../accounts/accounts";

export const SESSION_COOKIE = "chat_session";

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.append(
    "Set-Cookie",
    stringifySetCookie({
      name: SESSION_COOKIE,
      value: token,
      httpOnly: true,
      sameSite: "strict",
      secure: req.secure,
      path: "/",
      maxAge: TOKEN_TTL_MS / 1000,
    }),
  );
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append(
    "Set-Cookie",
    stringifySetCookie({ name: SESSION_COOKIE, value: "", httpOnly: true, sameSite: "strict", secure: req.secure, path: "/", maxAge: 0 }),
  );
}

export function sessionTokenFromCookies(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
}

/**
 * A cookie is sent by the browser whichever page opened the socket, so a
 * cookie-authenticated handshake must come from this server's own page (its
 * Origin names this host) or an allow-listed one. A same-origin polling GET
 * carries no Origin; then the browser's own Sec-Fetch-Site must say
 * same-origin.
 */
export function isAllowedOrigin(
  headers: { origin?: string; host?: string; "sec-fetch-site"?: string | string[] },
  allowedOrigins: string[] = [],
): boolean {
  const { origin, host } = headers;
  if (!origin) return headers["sec-fetch-site"] === "same-origin";
  if (allowedOrigins.includes(origin)) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
