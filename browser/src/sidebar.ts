// The side panel: the rooms (nav "Rooms": my rooms, direct messages and
// public rooms not joined yet, each entry a button named after the room,
// with unread and mention badges; a form to create a room and one to open a
// direct message), then whatever else the page puts below (contacts,
// notifications).
import type { Room } from "../../common/protocol";
import { h, showFormError } from "./dom";
import { svgIcon } from "./icons";
import { reconcile, type KeyedView } from "./keyed-list";
import { NewRoomForm } from "./new-room-form";
import { fillRoomEntry, type RoomEntryState } from "./room-entry";
import type { Change, Store } from "./store";
import { UsernameForm } from "./username-form";

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

export class Sidebar {
  readonly el: HTMLElement;
  private readonly myList = h("ul", { class: "room-list" });
  private readonly dmList = h("ul", { class: "room-list" });
  private readonly publicList = h("ul", { class: "room-list" });
  private readonly myEmpty = h("p", { class: "empty" }, "No rooms yet. Create one, or join a public room below.");
  private readonly dmEmpty = h("p", { class: "empty" }, "No conversations yet.");
  private readonly publicEmpty = h("p", { class: "empty" }, "No other public rooms right now.");
  private readonly publicError = h("div", { class: "error-slot" });
  private readonly newRoom: NewRoomForm;
  private readonly dmForm: UsernameForm;
  private readonly closeButton = h("button", { type: "button", class: "button ghost panel-close", "aria-label": "Close" }, svgIcon("close"));
  private readonly loading = h("p", { class: "empty loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading rooms…");
  private readonly entries: KeyedView<Room>;

  constructor(
    private readonly store: Store,
    private readonly actions: SidebarActions,
    extras: HTMLElement[] = [],
  ) {
    this.newRoom = new NewRoomForm((name, isPrivate) => actions.create(name, isPrivate));
    this.dmForm = new UsernameForm({
      idPrefix: "dm-user",
      label: "Direct message to",
      button: "Open",
      formClass: "panel-form compact",
      empty: "Type a username.",
      self: { username: store.me.username, text: "That’s you! Pick someone else." },
      submit: (username) => actions.openDm(username),
    });
    // Until the first room list arrives, only a loading note: no half-empty lists, no forms that need the server.
    this.dmForm.el.hidden = true;
    this.entries = {
      key: (room) => room.id,
      signature: (room) => {
        const { current, unread, mentions } = this.entryState(room);
        return JSON.stringify([room.name, room.kind, room.joined, current, unread, mentions]);
      },
      create: () => h("li"),
      fill: (room, li) => fillRoomEntry(li, this.entryState(room), (roomId) => this.select(roomId)),
    };
    this.el = h(
      "div",
      { id: "sidebar", class: "sidebar" },
      h(
        "div",
        { class: "sidebar-scroll" },
        h(
          "nav",
          { "aria-label": "Rooms" },
          h("div", { class: "group" }, heading("My rooms"), this.myList, this.myEmpty, this.newRoom.el),
          h("div", { class: "group" }, heading("Direct messages"), this.dmList, this.dmEmpty, this.dmForm.el),
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
    return this.newRoom.close();
  }

  /** The entry to focus when the panel opens on a narrow screen. */
  focusTarget(): HTMLElement {
    return this.el.querySelector<HTMLElement>("[aria-current=page]") ?? this.el.querySelector<HTMLElement>(".room-item") ?? this.newRoom.button;
  }

  private entryState(room: Room): RoomEntryState {
    const { directory } = this.store;
    return { room, current: room.id === this.store.currentRoomId, unread: directory.unread(room.id), mentions: directory.mentions(room.id) };
  }

  private onChange(change: Change): void {
    if (change.rooms || change.current) this.render();
  }

  private render(): void {
    const rooms = this.store.directory.all();
    const mine = rooms.filter((r) => r.joined && r.kind !== "dm").sort(byName);
    const dms = rooms.filter((r) => r.joined && r.kind === "dm").sort(byName);
    const others = rooms.filter((r) => !r.joined && r.kind === "public").sort(byName);
    reconcile(this.myList, mine, this.entries);
    reconcile(this.dmList, dms, this.entries);
    reconcile(this.publicList, others, this.entries);
    const loaded = this.store.directory.listed;
    this.loading.hidden = loaded;
    this.newRoom.el.hidden = !loaded;
    this.dmForm.el.hidden = !loaded;
    this.myEmpty.hidden = !loaded || mine.length > 0;
    this.dmEmpty.hidden = !loaded || dms.length > 0;
    this.publicEmpty.hidden = !loaded || others.length > 0;
  }

  private select(roomId: string): void {
    const room = this.store.room(roomId);
    if (!room) return;
    if (room.joined) {
      this.actions.open(roomId);
      return;
    }
    showFormError(this.publicError, null);
    this.actions.join(roomId).catch((err: unknown) => showFormError(this.publicError, (err as Error).message));
  }
}
