// Entry point: ask the server who is signed in (the session is an httpOnly
// cookie), then show the chat or the sign-in screen.
import type { User } from "../../common/protocol";
import { ApiError, currentUser } from "./api";
import { loginView } from "./login-view";
import { startSession } from "./session";

const root = document.getElementById("root") ?? document.body;
let stop: (() => void) | null = null;

function showLogin(notice: string | null): void {
  stop?.();
  stop = null;
  document.title = "Sign in · Chat";
  root.replaceChildren(loginView(showChat, notice));
}

function showChat(user: User): void {
  stop?.();
  stop = startSession(user, root, (notice) => showLogin(notice));
}

currentUser().then(
  (user) => (user ? showChat(user) : showLogin(null)),
  (err: unknown) =>
    showLogin(
      err instanceof ApiError && err.status !== 0
        ? `The server had a problem (HTTP ${err.status}). Try again in a moment.`
        : "Can’t reach the server. Check your connection and try again.",
    ),
);
