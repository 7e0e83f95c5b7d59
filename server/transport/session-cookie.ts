// The browser page's session: the same random token as the Bearer one, kept
// in an httpOnly cookie so that page scripts (and any injected script) never
// see it. SameSite=Strict keeps other sites from riding on it; cookie-carried
// requests must also come from an allowed page (Origin or Sec-Fetch-Site),
// since SameSite counts sibling subdomains as the same site and WebSockets
// are not bound by CORS.
import { parseCookie, stringifySetCookie } from "cookie";
import type { Request, Response } from "express";
import { TOKEN_TTL_MS } from "../accounts/accounts";

/**
 * Over HTTPS the cookie takes the `__Host-` prefix: the browser then accepts
 * it only as Secure, host-only and for path "/", so a sibling subdomain can
 * neither set nor overwrite it. Plain HTTP (localhost, a LAN) cannot use it.
 */
export const SESSION_COOKIE = "chat_session";
export const SECURE_SESSION_COOKIE = "__Host-chat_session";

function writeCookie(req: Request, res: Response, value: string, maxAgeSeconds: number): void {
  res.append(
    "Set-Cookie",
    stringifySetCookie({
      name: req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
      value,
      httpOnly: true,
      sameSite: "strict",
      secure: req.secure,
      path: "/",
      maxAge: maxAgeSeconds,
    }),
  );
}

export function setSessionCookie(req: Request, res: Response, token: string): void {
  writeCookie(req, res, token, TOKEN_TTL_MS / 1000);
}

export function clearSessionCookie(req: Request, res: Response): void {
  writeCookie(req, res, "", 0);
}

export function sessionTokenFromCookies(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const cookies = parseCookie(cookieHeader);
  return cookies[SECURE_SESSION_COOKIE] ?? cookies[SESSION_COOKIE];
}

/**
 * A cookie is sent by the browser whichever page made the request, so a
 * cookie-authenticated request must come from this server's own page (its
 * Origin names this host) or an allow-listed one. A same-origin GET may
 * carry no Origin; then the browser's own Sec-Fetch-Site must say
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
