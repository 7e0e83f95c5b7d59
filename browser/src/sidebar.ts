// The side panel: the rooms (nav "Rooms": my rooms, direct messages and
// public rooms not joined yet, each entry a button named after the room,
// with unread and mention badges; a form to create a room and one to open a
// direct message), then whatever else the session puts below (contacts,
// notifications).
import type { Room } from "../../common/protocol";
import { USERNAME_PATTERN } from "../../common/rules";
import { avatar } from "./avatar";
import { h, showFormError, srOnly, uid, usernameInput } from "./dom";
import { svgIcon } from "./icons";
import type { Change, Store } from "./state";

export type SidebarActions = {
  open(roomId: string): void;
  /** Joins a public room and opens it. Rejects with a message to show. */
  join(roomId: string): Promise<void>;
  create(name: string, isPrivate: boolean): Promise<void>;
  openDm(username: string): Promise<void>;
};

const byName = (a: Room, b: Room) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id.localeCompare(b.id);

function heading(text: string): HTMLDivElement {
  // Level-2 headings in the page outline; not <h2> elements, which the room view's title alone uses.
  return h("div", { class: "group-title", role: "heading", "aria-level": 2 }, text);
}

/** Keeps one <li> per key, in the given order, reusing existing ones (focus survives updates). */
function reconcile<T>(
  list: HTMLElement,
  items: T[],
  key: (item: T) => string,
  render: (item: T, li: HTMLLIElement) => void,
): void {
  const existing = new Map<string, HTMLLIElement>();
  for (const child of Array.from(list.children)) {
    const li = child as HTMLLIElement;
    if (li.dataset.key) existing.set(li.dataset.key, li);
  }
  items.forEach((item, index) => {
    const k = key(item);
    let li = existing.get(k);
    existing.delete(k);
    if (!li) {
      li = h("li", { "data-key": k });
    }
    render(item, li);
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
  });
  for (const stale of existing.values()) stale.remove();
}

export class Sidebar {
  readonly el: HTMLElement;
  private readonly myList = h("ul", { class: "room-list" });
  private readonly dmList = h("ul", { class: "room-list" });
  private readonly publicList = h("ul", { class: "room-list" });
  private readonly myEmpty = h("p", { class: "empty" }, "No rooms yet. Create one, or join a public room below.");
  private readonly dmEmpty = h("p", { class: "empty" }, "No conversations yet.");
  private readonly publicEmpty = h("p", { class: "empty" }, "No other public rooms right now.");
  private readonly publicError = h("div", { class: "error-slot" });
  private readonly newRoomButton: HTMLButtonElement;
  private readonly newRoomForm: HTMLFormElement;
  private readonly newRoomName: HTMLInputElement;
  private readonly newRoomError = h("div", { class: "error-slot" });
  private readonly newRoomArea: HTMLElement;
  private readonly closeButton = h(
    "button",
    { type: "button", class: "button ghost panel-close", "aria-label": "Close" },
    svgIcon("close"),
  );
  private readonly dmForm: HTMLFormElement;
  private readonly loading = h(
    "p",
    { class: "empty loading" },
    h("span", { class: "spinner", "aria-hidden": "true" }),
    "Loading rooms…",
  );

  constructor(
    private readonly store: Store,
    private readonly actions: SidebarActions,
    extras: HTMLElement[] = [],
  ) {
    // ---- create a room
    const formId = uid("new-room");
    this.newRoomButton = h(
      "button",
      { type: "button", class: "button ghost small", "aria-expanded": "false", "aria-controls": formId },
      svgIcon("plus"),
      "New room",
    );
    this.newRoomName = h("input", { id: uid("room-name"), type: "text", maxlength: 64, autocomplete: "off", required: true });
    const privateBox = h("input", { id: uid("room-private"), type: "checkbox", "aria-describedby": `${formId}-private-hint` });
    this.newRoomForm = h(
      "form",
      { id: formId, class: "panel-form", hidden: true, novalidate: true },
      h("div", { class: "field" }, h("label", { for: this.newRoomName.id }, "Room name"), this.newRoomName),
      h(
        "div",
        { class: "check" },
        privateBox,
        h("label", { for: privateBox.id }, "Private"),
        h("span", { id: `${formId}-private-hint`, class: "hint" }, "Only people you invite can find it."),
      ),
      this.newRoomError,
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", class: "button primary small" }, "Create"),
        h("button", { type: "button", class: "button ghost small", "data-action": "cancel" }, "Cancel"),
      ),
    );
    this.newRoomButton.addEventListener("click", () => this.toggleNewRoom(this.newRoomForm.hidden));
    this.newRoomForm.querySelector("[data-action=cancel]")?.addEventListener("click", () => this.toggleNewRoom(false, true));
    this.newRoomForm.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.toggleNewRoom(false, true);
      }
    });
    let creating = false;
    this.newRoomForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const name = this.newRoomName.value.trim();
      if (!name) {
        showFormError(this.newRoomError, "Give the room a name.");
        this.newRoomName.focus();
        return;
      }
      if (creating) return;
      creating = true;
      showFormError(this.newRoomError, null);
      this.actions.create(name, privateBox.checked).then(
        () => {
          creating = false;
          this.newRoomName.value = "";
          privateBox.checked = false;
          this.toggleNewRoom(false);
        },
        (err: unknown) => {
          creating = false;
          showFormError(this.newRoomError, (err as Error).message);
          this.newRoomName.focus();
        },
      );
    });

    // ---- open a direct message
    const dmInput = usernameInput("dm-user");
    const dmError = h("div", { class: "error-slot" });
    const dmForm = h(
      "form",
      { class: "panel-form compact", novalidate: true },
      h("label", { for: dmInput.id, class: "small-label" }, "Direct message to"),
      h("div", { class: "input-row" }, dmInput, h("button", { type: "submit", class: "button secondary small" }, "Open")),
      dmError,
    );
    let opening = false;
    dmForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const username = dmInput.value.trim();
      let problem: string | null = null;
      if (!username) problem = "Type a username.";
      else if (!USERNAME_PATTERN.test(username)) problem = `There is no user named “${username}”.`;
      else if (username.toLowerCase() === this.store.me.username.toLowerCase()) problem = "That’s you! Pick someone else.";
      if (problem) {
        showFormError(dmError, problem);
        dmInput.focus();
        return;
      }
      if (opening) return;
      opening = true;
      showFormError(dmError, null);
      this.actions.openDm(username).then(
        () => {
          opening = false;
          dmInput.value = "";
        },
        (err: unknown) => {
          opening = false;
          showFormError(dmError, (err as Error).message);
          dmInput.focus();
        },
      );
    });
    dmForm.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && (dmInput.value || dmError.childElementCount)) {
        e.stopPropagation();
        dmInput.value = "";
        showFormError(dmError, null);
      }
    });

    // Until the first room list arrives, only a loading note: no half-empty lists, no forms that need the server.
    this.newRoomArea = h("div", { class: "group-actions", hidden: true }, this.newRoomButton, this.newRoomForm);
    this.dmForm = dmForm;
    this.dmForm.hidden = true;
    this.el = h(
      "div",
      { id: "sidebar", class: "sidebar" },
      h(
        "div",
        { class: "sidebar-scroll" },
        h(
          "nav",
          { "aria-label": "Rooms" },
          h("div", { class: "group" }, heading("My rooms"), this.myList, this.myEmpty, this.newRoomArea),
          h("div", { class: "group" }, heading("Direct messages"), this.dmList, this.dmEmpty, this.dmForm),
          h("div", { class: "group" }, heading("Public rooms"), this.publicList, this.publicEmpty, this.publicError),
          this.loading,
        ),
        ...extras,
      ),
      this.closeButton,
    );
    this.closeButton.addEventListener("click", () => this.onClose());
    store.subscribe((change) => this.onChange(change));
    this.render();
  }

  /** Called by the close button of the panel (narrow screens only). */
  onClose: () => void = () => {};

  /** Closes the new-room form; true when there was one open. */
  closeForms(): boolean {
    if (this.newRoomForm.hidden) return false;
    this.toggleNewRoom(false, true);
    return true;
  }

  /** The entry to focus when the panel opens on a narrow screen. */
  focusTarget(): HTMLElement {
    return (
      this.el.querySelector<HTMLElement>("[aria-current=page]") ??
      this.el.querySelector<HTMLElement>(".room-item") ??
      this.newRoomButton
    );
  }

  private toggleNewRoom(open: boolean, returnFocus = false): void {
    this.newRoomForm.hidden = !open;
    this.newRoomButton.setAttribute("aria-expanded", String(open));
    if (open) {
      showFormError(this.newRoomError, null);
      this.newRoomName.focus();
    } else if (returnFocus) {
      this.newRoomButton.focus();
    }
  }

  private onChange(change: Change): void {
    if (change.rooms || change.current) this.render();
  }

  private render(): void {
    const rooms = Array.from(this.store.rooms.values());
    const mine = rooms.filter((r) => r.joined && r.kind !== "dm").sort(byName);
    const dms = rooms.filter((r) => r.joined && r.kind === "dm").sort(byName);
    const others = rooms.filter((r) => !r.joined && r.kind === "public").sort(byName);
    reconcile(
      this.myList,
      mine,
      (r) => r.id,
      (r, li) => this.renderEntry(r, li),
    );
    reconcile(
      this.dmList,
      dms,
      (r) => r.id,
      (r, li) => this.renderEntry(r, li),
    );
    reconcile(
      this.publicList,
      others,
      (r) => r.id,
      (r, li) => this.renderEntry(r, li),
    );
    const loaded = this.store.roomsLoaded;
    this.loading.hidden = loaded;
    this.newRoomArea.hidden = !loaded;
    this.dmForm.hidden = !loaded;
    this.myEmpty.hidden = !loaded || mine.length > 0;
    this.dmEmpty.hidden = !loaded || dms.length > 0;
    this.publicEmpty.hidden = !loaded || others.length > 0;
  }

  private renderEntry(room: Room, li: HTMLLIElement): void {
    const current = room.id === this.store.currentRoomId;
    const unread = this.store.unread(room.id);
    const mentions = unread > 0 ? Math.min(room.unreadMentions, unread) : 0;
    const signature = JSON.stringify([room.name, room.kind, room.joined, current, unread, mentions]);
    if (li.dataset.signature === signature) return;
    li.dataset.signature = signature;

    let button = li.querySelector<HTMLButtonElement>("button.room-item");
    const hadFocus = button !== null && document.activeElement === button;
    const descriptionId = `${li.dataset.key ?? room.id}-desc`;
    const fresh = h(
      "button",
      {
        type: "button",
        class: `room-item${unread > 0 ? " unread" : ""}${room.joined ? "" : " not-joined"}`,
        "data-room-id": room.id,
        "aria-current": current ? "page" : null,
        "aria-describedby": unread > 0 || !room.joined ? descriptionId : null,
      },
      room.kind === "dm"
        ? avatar(room.name, "avatar small")
        : svgIcon(room.kind === "private" ? "lock" : "hash", "icon room-icon"),
      h("span", { class: "room-name" }, room.name),
      // Drawn by CSS from data-count: the button's text (and accessible name) stays exactly the room name.
      mentions > 0
        ? h("span", { class: "badge mention-badge", "aria-hidden": "true", "data-count": `@${mentions > 99 ? "99+" : mentions}` })
        : null,
      unread > 0
        ? h("span", { class: "badge", "aria-hidden": "true", "data-count": unread > 99 ? "99+" : String(unread) })
        : null,
      !room.joined ? h("span", { class: "join-hint", "aria-hidden": "true" }) : null,
    );
    fresh.addEventListener("click", () => this.select(room.id));
    const description =
      unread > 0
        ? srOnly(
            `${unread} unread ${unread === 1 ? "message" : "messages"}` +
              (mentions > 0 ? `, ${mentions} ${mentions === 1 ? "mention" : "mentions"} of you` : ""),
          )
        : !room.joined
          ? srOnly("Not joined yet: select to join")
          : null;
    if (description) description.id = descriptionId;
    li.replaceChildren(fresh);
    if (description) li.appendChild(description);
    button = fresh;
    if (hadFocus) button.focus();
  }

  private select(roomId: string): void {
    const room = this.store.rooms.get(roomId);
    if (!room) return;
    if (room.joined) {
      this.actions.open(roomId);
      return;
    }
    showFormError(this.publicError, null);
    this.actions.join(roomId).catch((err: unknown) => showFormError(this.publicError, (err as Error).message));
  }
}
