// "Browse rooms": every public room, not only those the side panel lists (the
// server's room:list holds the user's rooms and the 50 busiest others). A
// search box (matched anywhere in the name, after a short pause), then pages
// of room:browse, by name, "Show more" for the next; each room with Join (or
// Open, once joined). No match offers to create the room.
import type { RoomPage } from "../../common/protocol";
import { count } from "../../common/wording";
import { Dialog } from "./dialog";
import { h, showFormError, uid } from "./dom";
import { svgIcon } from "./icons";
import type { Store } from "./store";

export type BrowseActions = {
  browse(query: string, cursor: string | null): Promise<RoomPage>;
  /** Each rejects with a message to show. */
  join(roomId: string): Promise<void>;
  open(roomId: string): void;
  newRoom(name: string): void;
};

const PAUSE_MS = 200;

export class BrowseRooms {
  private readonly dialog = new Dialog("Browse rooms", "browse-dialog");
  private readonly input: HTMLInputElement;
  private readonly status = h("p", { class: "browse-status", role: "status" });
  private readonly list = h("ul", { class: "browse-list", "aria-label": "Public rooms" });
  private readonly more = h("button", { type: "button", class: "button secondary small", hidden: true }, "Show more rooms");
  private readonly error = h("div", { class: "error-slot" });
  private cursor: string | null = null;
  private query = "";
  private asked = 0;
  private shown = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: Store,
    private readonly actions: BrowseActions,
  ) {
    this.input = h("input", { id: uid("browse"), type: "search", autocomplete: "off", spellcheck: "false", maxlength: 64 });
    this.dialog.body.append(
      h("label", { for: this.input.id, class: "small-label" }, "Search public rooms"),
      this.input,
      this.status,
      this.error,
      h("div", { class: "browse-scroll" }, this.list, this.more),
    );
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.load(true), PAUSE_MS);
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(this.timer);
        this.load(true);
      }
    });
    this.more.addEventListener("click", () => this.load(false));
    this.list.addEventListener("click", (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>("button[data-room-id], button[data-create]");
      if (!button) return;
      if (button.dataset.create !== undefined) {
        this.dialog.close(false);
        actions.newRoom(button.dataset.create);
      } else {
        this.choose(button.dataset.roomId ?? "", button);
      }
    });
    this.dialog.onClose = () => clearTimeout(this.timer);
  }

  open(): void {
    this.input.value = "";
    this.dialog.open(this.input);
    this.load(true);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.dialog.dispose();
  }

  private load(fresh: boolean): void {
    if (fresh) {
      this.query = this.input.value.trim();
      this.cursor = null;
      this.shown = 0;
    }
    const ask = ++this.asked;
    showFormError(this.error, null);
    this.status.textContent = "Loading rooms…";
    this.more.disabled = true;
    this.actions.browse(this.query, this.cursor).then(
      (page) => {
        if (ask !== this.asked) return;
        if (fresh) this.list.replaceChildren();
        this.cursor = page.nextCursor;
        this.shown += page.rooms.length;
        this.list.append(...page.rooms.map((room) => this.item(room.id, room.name, room.lastSeq)));
        this.more.hidden = page.nextCursor === null;
        this.more.disabled = false;
        this.sayCount();
      },
      (err: unknown) => {
        if (ask !== this.asked) return;
        this.status.textContent = "";
        this.more.disabled = false;
        showFormError(this.error, (err as Error).message);
      },
    );
  }

  private sayCount(): void {
    const q = this.query;
    if (this.shown > 0) {
      this.status.textContent = `${count(this.shown, "public room")}${this.cursor ? " so far" : ""}${q ? ` matching “${q}”` : ""}.`;
      return;
    }
    this.status.textContent = q ? `No public room matches “${q}”.` : "There are no public rooms yet.";
    const name = q || "general";
    this.list.replaceChildren(
      h(
        "li",
        { class: "browse-empty" },
        h("button", { type: "button", class: "button primary small", "data-create": name }, svgIcon("plus"), `Create #${name}`),
      ),
    );
  }

  private item(roomId: string, name: string, messages: number): HTMLLIElement {
    const joined = this.store.room(roomId)?.joined ?? false;
    return h(
      "li",
      { class: "browse-item" },
      svgIcon("hash", "icon room-icon"),
      h("span", { class: "browse-name" }, h("bdi", {}, name), h("span", { class: "browse-meta" }, count(messages, "message"))),
      h(
        "button",
        { type: "button", class: `button small ${joined ? "ghost" : "secondary"}`, "data-room-id": roomId, "aria-label": `${joined ? "Open" : "Join"} ${name}` },
        joined ? "Open" : "Join",
      ),
    );
  }

  private choose(roomId: string, button: HTMLButtonElement): void {
    if (this.store.room(roomId)?.joined) {
      this.dialog.close(false);
      this.actions.open(roomId);
      return;
    }
    button.disabled = true;
    this.actions.join(roomId).then(
      () => this.dialog.close(false),
      (err: unknown) => {
        button.disabled = false;
        showFormError(this.error, (err as Error).message);
      },
    );
  }
}
