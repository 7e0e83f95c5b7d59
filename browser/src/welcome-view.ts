// What the room view shows with no room open, so that it always leads
// somewhere. A user in no room yet is welcomed and offered #general in one
// click (joined if it exists, created if not), then creating, browsing or a
// direct message; a user with rooms is asked to pick one (on a narrow screen
// with a button that shows the list), with the same ways to start.
import { h, setChildren, showFormError } from "./dom";
import { svgIcon } from "./icons";
import type { Store } from "./store";

export type WelcomeActions = {
  /** Joins #general, or creates it; rejects with a message to show. */
  general(): Promise<void>;
  newRoom(): void;
  browse(): void;
  startDm(): void;
  /** Shows the rooms panel (narrow screens). */
  showRooms(): void;
};

export const GENERAL = "general";

export class WelcomeView {
  readonly el: HTMLElement;
  private readonly title = h("p", { class: "room-empty-title" });
  private readonly text = h("p", { class: "room-empty-text" });
  private readonly buttons = h("div", { class: "welcome-actions" });
  private readonly error = h("div", { class: "error-slot" });
  private said = "";

  constructor(
    private readonly store: Store,
    private readonly actions: WelcomeActions,
  ) {
    this.el = h(
      "div",
      { class: "room-empty" },
      h("div", { class: "room-empty-art", "aria-hidden": "true" }, svgIcon("hash", "icon big")),
      this.title,
      this.text,
      this.buttons,
      this.error,
    );
    this.buttons.addEventListener("click", (e) => {
      const what = (e.target as Element).closest<HTMLButtonElement>("button[data-welcome]")?.dataset.welcome;
      if (what === "general") {
        showFormError(this.error, null);
        actions.general().catch((err: unknown) => showFormError(this.error, (err as Error).message));
      } else if (what === "new-room") actions.newRoom();
      else if (what === "browse") actions.browse();
      else if (what === "dm") actions.startDm();
      else if (what === "rooms") actions.showRooms();
    });
  }

  render(): void {
    const { directory, me } = this.store;
    const rooms = directory.all();
    const joined = rooms.filter((r) => r.joined);
    const general = directory.publicRoomNamed(GENERAL);
    const state = !directory.listed ? "loading" : joined.length === 0 ? `new:${general ? "join" : "create"}` : "pick";
    if (state === this.said) return;
    this.said = state;
    const button = (what: string, label: string, primary = false, icon: "plus" | "search" | "message" | "menu" = "plus", extra = "") =>
      h("button", { type: "button", class: `button ${primary ? "primary" : "secondary"} ${extra}`.trim(), "data-welcome": what }, svgIcon(icon), label);
    const others = [
      button("new-room", "Create a room"),
      button("browse", "Browse rooms", false, "search"),
      button("dm", "Message someone", false, "message"),
    ];
    if (state === "loading") {
      this.title.textContent = "Loading your rooms…";
      this.text.textContent = "";
      this.buttons.replaceChildren();
    } else if (state === "pick") {
      this.title.textContent = "No room open";
      this.text.textContent = "Pick a room or a conversation from the list, or start something new.";
      setChildren(this.buttons, button("rooms", "Show rooms", true, "menu", "narrow-only"), ...others);
    } else {
      this.title.textContent = `Welcome, ${me.username}!`;
      this.text.textContent = general
        ? `Rooms are where your team talks. Most people start in #${GENERAL}.`
        : `Rooms are where your team talks, and there are none yet: start with #${GENERAL}, the room for everyone.`;
      setChildren(this.buttons, button("general", general ? `Join #${GENERAL}` : `Create #${GENERAL}`, true), ...others);
    }
  }
}
