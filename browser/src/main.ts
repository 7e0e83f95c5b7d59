// Entry point: ask the server who is signed in (the session is an httpOnly
// cookie), then show the chat, the sign-in screen, or, when the server no
// longer speaks this page's protocol, a request to reload.
import { ChatError } from "../../common/chat-error";
import type { User } from "../../common/protocol";
import { currentUser } from "./account";
import { startChatPage, type PageEnd } from "./chat-page";
import { loginView } from "./login-view";
import { outdatedView } from "./outdated-view";

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
  stop = startChatPage(user, root, ended);
}

function ended(end: PageEnd): void {
  if (end.why !== "outdated") return showLogin(end.why === "ended" ? end.notice : null);
  stop?.();
  stop = null;
  console.warn(`this page is out of date: ${end.detail}`);
  document.title = "Reload to update · Chat";
  root.replaceChildren(outdatedView());
}

currentUser().then(
  (user) => (user ? showChat(user) : showLogin(null)),
  (err: unknown) =>
    showLogin(
      err instanceof ChatError && err.status !== 0
        ? `The server had a problem (HTTP ${err.status}). Try again in a moment.`
        : "Can’t reach the server. Check your connection and try again.",
    ),
);
