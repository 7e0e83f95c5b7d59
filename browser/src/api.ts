// Account calls over HTTP. The session lives in an httpOnly cookie that the
// server sets; the token in the answer body is deliberately ignored, so no
// page script ever holds it.
import type { ErrorCode, User } from "../../common/protocol";

/** status 0 means the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "NETWORK",
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers:
        body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, "NETWORK", (err as Error).message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
  return new ApiError(res.status, body?.error?.code ?? "INTERNAL", body?.error?.message ?? `HTTP ${res.status}`);
}

// A hint (not a secret) that this browser signed in before, so that a first
// visit shows the form at once instead of asking /api/me for a certain 401.
const SIGNED_IN_HINT = "chat.signedIn";

function setHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(SIGNED_IN_HINT, "1");
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // Storage disabled: every load then asks the server.
  }
}

function hasHint(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_HINT) !== null;
  } catch {
    return true;
  }
}

/** Forgets the hint (the session ended elsewhere). */
export function forgetSession(): void {
  setHint(false);
}

/** The signed-in user, or null when there is no valid session cookie. */
export async function currentUser(): Promise<User | null> {
  if (!hasHint()) return null;
  const res = await request("GET", "/api/me");
  if (res.status === 401) {
    setHint(false);
    return null;
  }
  if (!res.ok) throw await failure(res);
  const body = (await res.json()) as { user: User };
  return { id: body.user.id, username: body.user.username };
}

/** Logs in or registers; the server answers with the session cookie. */
export async function authenticate(
  mode: "login" | "register",
  credentials: { username: string; password: string },
): Promise<User> {
  const res = await request("POST", mode === "login" ? "/api/login" : "/api/register", credentials);
  if (!res.ok) throw await failure(res);
  const body = (await res.json()) as { user: User };
  setHint(true);
  return { id: body.user.id, username: body.user.username };
}

export async function logout(): Promise<void> {
  setHint(false);
  const res = await request("POST", "/api/logout");
  if (res.status !== 204 && res.status !== 401) throw await failure(res);
}
