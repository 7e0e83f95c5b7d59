// The page's account calls, on the client core's HTTP sign-in. The session
// lives in an httpOnly cookie that the server sets; the token in the answer
// body is dropped, so no page script ever holds it.
import { currentUser as askCurrentUser, login, logout as endSession, register, type Credentials } from "../../common/accounts-http";
import type { User } from "../../common/protocol";

// A hint (not a secret) that this browser signed in before, so that a first
// visit shows the form at once instead of asking /api/me for a certain 401.
const SIGNED_IN_HINT = "chat.signedIn";
// Kept after signing out: someone has had an account in this browser, so the card offers "Sign in" first.
const HAD_ACCOUNT = "chat.hadAccount";

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

/** Whether someone has signed in or registered in this browser before. */
export function hadAccountHere(): boolean {
  try {
    return localStorage.getItem(HAD_ACCOUNT) !== null;
  } catch {
    return true;
  }
}

/** Forgets the hint (the session ended elsewhere). */
export function forgetSignIn(): void {
  setHint(false);
}

/** The signed-in user, or null when there is no valid session cookie. Rejects with a ChatError. */
export async function currentUser(): Promise<User | null> {
  if (!hasHint()) return null;
  const user = await askCurrentUser(location.origin);
  if (!user) setHint(false);
  return user;
}

/** Logs in or registers; the server answers with the session cookie. Rejects with a ChatError. */
export async function authenticate(mode: "login" | "register", credentials: Credentials): Promise<User> {
  const { user } = await (mode === "login" ? login : register)(location.origin, credentials);
  setHint(true);
  try {
    localStorage.setItem(HAD_ACCOUNT, "1");
  } catch {
    // Then a next visit offers "Create account" first.
  }
  return user;
}

export async function logout(): Promise<void> {
  setHint(false);
  await endSession(location.origin);
}
