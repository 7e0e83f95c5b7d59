// The sign-in screen: one form, two actions (sign in, create account).
// Errors appear in a role="alert" paragraph right under the fields.
import type { User } from "../../common/protocol";
import { codePointLength, USERNAME_PATTERN } from "../../common/rules";
import { ChatError, errorCode } from "../../common/chat-error";
import { authenticate } from "./account";
import { h, showFormError } from "./dom";

const MESSAGES = {
  network: "Can’t reach the server. Check your connection and try again.",
  taken: "That username is taken. Choose another one, or sign in.",
  wrongPair: "Wrong username or password.",
  locked: "Too many failed attempts. Wait a few minutes, then try again.",
  missing: "Enter your username and password.",
  badUsername: "Usernames are 3–32 characters: letters, digits, and _ . -",
  badPassword: "Passwords need at least 8 characters (at most 256).",
};

function describe(err: unknown, mode: "login" | "register"): string {
  switch (errorCode(err)) {
    case "NETWORK":
      return MESSAGES.network;
    case "CONFLICT":
      return MESSAGES.taken;
    case "UNAUTHORIZED":
      return MESSAGES.wrongPair;
    case "RATE_LIMITED":
      return MESSAGES.locked;
    case "BAD_REQUEST":
      // No account can have a malformed name or password, so for a login this is simply a wrong pair.
      return mode === "login" ? MESSAGES.wrongPair : `Check your details: ${(err as Error).message}.`;
    default:
      return `The server had a problem (HTTP ${err instanceof ChatError ? err.status : "?"}). Try again in a moment.`;
  }
}

export function loginView(onSignedIn: (user: User) => void, notice: string | null = null): HTMLElement {
  const username = h("input", {
    id: "login-username",
    name: "username",
    type: "text",
    autocomplete: "username",
    autocapitalize: "none",
    spellcheck: "false",
    required: true,
    maxlength: 32,
    "aria-describedby": "login-hint",
  });
  const password = h("input", {
    id: "login-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
    "aria-describedby": "login-hint",
  });
  const errorSlot = h("div", { class: "error-slot" });
  const signIn = h("button", { type: "submit", class: "button primary", value: "login" }, "Sign in");
  const create = h("button", { type: "submit", class: "button secondary", value: "register" }, "Create account");
  const form = h(
    "form",
    { class: "auth-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: username.id }, "Username"), username),
    h("div", { class: "field" }, h("label", { for: password.id }, "Password"), password),
    errorSlot,
    h("div", { class: "auth-actions" }, signIn, create),
    h(
      "p",
      { id: "login-hint", class: "hint" },
      "New here? Choose a username and a password of at least 8 characters, then Create account.",
    ),
  );

  if (notice) showFormError(errorSlot, notice);

  let busy = false;
  const setInvalid = (field: HTMLInputElement | null) => {
    for (const input of [username, password]) {
      if (input === field) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    const submitter = (event as SubmitEvent).submitter;
    const mode = submitter === create ? "register" : "login";
    const credentials = { username: username.value.trim(), password: password.value };

    let problem: [string, HTMLInputElement] | null = null;
    if (!credentials.username) problem = [MESSAGES.missing, username];
    else if (!credentials.password) problem = [MESSAGES.missing, password];
    else if (mode === "register" && !USERNAME_PATTERN.test(credentials.username)) problem = [MESSAGES.badUsername, username];
    else if (mode === "register" && (codePointLength(credentials.password) < 8 || codePointLength(credentials.password) > 256))
      problem = [MESSAGES.badPassword, password];
    if (problem) {
      setInvalid(problem[1]);
      showFormError(errorSlot, problem[0]);
      problem[1].focus();
      return;
    }

    busy = true;
    form.setAttribute("aria-busy", "true");
    showFormError(errorSlot, null);
    setInvalid(null);
    authenticate(mode, credentials).then(
      (user) => onSignedIn(user),
      (err: unknown) => {
        busy = false;
        form.removeAttribute("aria-busy");
        showFormError(errorSlot, describe(err, mode));
        const code = errorCode(err);
        if (code === "UNAUTHORIZED" || code === "BAD_REQUEST") {
          password.select();
          password.focus();
        } else if (code === "CONFLICT") {
          setInvalid(username);
          username.select();
          username.focus();
        }
      },
    );
  });

  const view = h(
    "main",
    { class: "auth" },
    h(
      "div",
      { class: "auth-card" },
      h("p", { class: "auth-brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "#"), "Chat"),
      h("h1", {}, "Sign in"),
      h("p", { class: "auth-intro" }, "Talk with your team in public rooms, private rooms and direct messages."),
      form,
    ),
  );
  queueMicrotask(() => username.focus());
  return view;
}
