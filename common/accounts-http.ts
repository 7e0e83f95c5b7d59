// Account calls over HTTP, for Node scripts and the page alike: register,
// log in, log out, and who is signed in. A Node script keeps the token from
// the answer and sends it as a Bearer header; the page sends no token and is
// known by the httpOnly session cookie the server sets (same-origin
// credentials), so no page script ever needs to hold the token.
import { ChatError } from "./chat-error";
import type { AuthResponse, ErrorCode, User } from "./protocol";

export type Credentials = { username: string; password: string };

async function request(method: "GET" | "POST", url: string, path: string, { body, token }: { body?: unknown; token?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(new URL(path, url), {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ChatError("NETWORK", `cannot reach ${url}: ${(err as Error).message}`, 0);
  }
}

/** The server's `{"error": {code, message}}` as a ChatError, whatever the body holds. */
async function refusal(res: Response): Promise<ChatError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
  return new ChatError(body?.error?.code ?? "INTERNAL", body?.error?.message ?? `HTTP ${res.status}`, res.status);
}

async function authCall(url: string, path: string, credentials: Credentials): Promise<AuthResponse> {
  const res = await request("POST", url, path, { body: credentials });
  if (!res.ok) throw await refusal(res);
  const body = (await res.json()) as AuthResponse;
  return { token: body.token, user: { id: body.user.id, username: body.user.username } };
}

export const register = (url: string, credentials: Credentials) => authCall(url, "/api/register", credentials);
export const login = (url: string, credentials: Credentials) => authCall(url, "/api/login", credentials);

/** Ends the session of `token` (or of the page's cookie). One that had already ended counts as done. */
export async function logout(url: string, token?: string): Promise<void> {
  const res = await request("POST", url, "/api/logout", { token });
  if (res.status !== 204 && res.status !== 401) throw await refusal(res);
}

/** The signed-in user, or null when the token (or the page's cookie) is missing, unknown or ended. */
export async function currentUser(url: string, token?: string): Promise<User | null> {
  const res = await request("GET", url, "/api/me", { token });
  if (res.status === 401) return null;
  if (!res.ok) throw await refusal(res);
  const body = (await res.json()) as { user: User };
  return { id: body.user.id, username: body.user.username };
}
