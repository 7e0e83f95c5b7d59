// The sign-in card, in one of two modes, each with its own heading and its
// own single submit button, so Enter always means what the card says: "Sign
// in" (username, password), or "Create your account" (username, password,
// the password again). A browser where nobody has signed in yet starts with
// creating an account; a button under the form switches, keeping what was
// typed. The password can be shown. Errors appear in a role="alert"
// paragraph right under the fields; a failed sign-in points to creating an
// account.
import { ChatError, errorCode } from "../../common/chat-error";
import type { User } from "../../common/protocol";
import { codePointLength, USERNAME_PATTERN } from "../../common/rules";
import { authenticate, hadAccountHere } from "./account";
import { h, showFormError } from "./dom";
import { passwordField } from "./password-field";

type Mode = "login" | "register";

const MESSAGES = {
  network: "Can’t reach the server. Check your connection and try again.",
  taken: "That username is taken. Choose another one, or sign in.",
  wrongPair: "Wrong username or password. New here? Create an account instead.",
  locked: "Too many failed attempts. Wait a few minutes, then try again.",
  missing: "Enter your username and password.",
  badUsername: "Usernames are 3–32 characters: letters, digits, and _ . -",
  badPassword: "Passwords need at least 8 characters (at most 256).",
  mismatch: "The two passwords are not the same. Type the password again.",
};

const TEXT: Record<Mode, { heading: string; submit: string; hint: string; other: string; otherLead: string }> = {
  login: { heading: "Sign in", submit: "Sign in", hint: "", other: "Create an account", otherLead: "New here?" },
  register: {
    heading: "Create your account",
    submit: "Create account",
    hint: "Choose a username (3–32 letters, digits, _ . -) and a password of at least 8 characters.",
    other: "Sign in instead",
    otherLead: "Already have an account?",
  },
};

function describe(err: unknown, mode: Mode): string {
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
  let mode: Mode = hadAccountHere() ? "login" : "register";
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
  const password = passwordField("login-password", "Password", true);
  const confirm = passwordField("login-confirm", "Confirm password");
  password.alsoShows(confirm.input);
  confirm.input.autocomplete = "new-password";
  const heading = h("h1", {});
  const hint = h("p", { id: "login-hint", class: "hint" });
  const errorSlot = h("div", { class: "error-slot" });
  const submit = h("button", { type: "submit", class: "button primary" });
  const otherLead = h("span", {});
  const other = h("button", { type: "button", class: "link-button" });
  const form = h(
    "form",
    { class: "auth-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: username.id }, "Username"), username),
    password.el,
    confirm.el,
    errorSlot,
    h("div", { class: "auth-actions" }, submit),
    hint,
  );

  const setMode = (next: Mode) => {
    mode = next;
    const text = TEXT[mode];
    heading.textContent = text.heading;
    submit.textContent = text.submit;
    hint.textContent = text.hint;
    hint.hidden = text.hint === "";
    otherLead.textContent = `${text.otherLead} `;
    other.textContent = text.other;
    confirm.el.hidden = mode === "login";
    password.input.autocomplete = mode === "login" ? "current-password" : "new-password";
    document.title = `${text.heading} · Chat`;
  };
  setMode(mode);
  other.addEventListener("click", () => {
    setMode(mode === "login" ? "register" : "login");
    showFormError(errorSlot, null);
    setInvalid(null);
    (username.value ? password.input : username).focus();
  });

  if (notice) showFormError(errorSlot, notice);

  let busy = false;
  const setInvalid = (field: HTMLInputElement | null) => {
    for (const input of [username, password.input, confirm.input]) {
      if (input === field) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    const submitted = mode;
    const credentials = { username: username.value.trim(), password: password.input.value };
    const registering = submitted === "register";
    const length = codePointLength(credentials.password);

    let problem: [string, HTMLInputElement] | null = null;
    if (!credentials.username) problem = [MESSAGES.missing, username];
    else if (!credentials.password) problem = [MESSAGES.missing, password.input];
    else if (registering && !USERNAME_PATTERN.test(credentials.username)) problem = [MESSAGES.badUsername, username];
    else if (registering && (length < 8 || length > 256)) problem = [MESSAGES.badPassword, password.input];
    else if (registering && confirm.input.value !== credentials.password) problem = [MESSAGES.mismatch, confirm.input];
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
    authenticate(submitted, credentials).then(
      (user) => onSignedIn(user),
      (err: unknown) => {
        busy = false;
        form.removeAttribute("aria-busy");
        showFormError(errorSlot, describe(err, submitted));
        const code = errorCode(err);
        if (code === "UNAUTHORIZED" || code === "BAD_REQUEST") {
          password.input.select();
          password.input.focus();
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
      heading,
      h("p", { class: "auth-intro" }, "Talk with your team in public rooms, private rooms and direct messages."),
      form,
      h("p", { class: "auth-switch" }, otherLead, other),
    ),
  );
  queueMicrotask(() => username.focus());
  return view;
}
