// The side panel: the rooms (nav "Rooms": my rooms and direct messages by
// activity, then public rooms not joined yet; each entry a button named
// after the room, with unread and mention badges, and for a dm the other
// user's online dot), "New room", a "+" that opens the direct-message form,
// "Browse rooms"; then whatever else the page puts below (contacts,
// notifications). Every empty group says what to do next; an error shown
// here goes when another room is opened.
import type { Room } from "../../common/protocol";
import { h, showFormError } from "./dom";
import { formToggle, type FormToggle } from "./form-toggle";
import { svgIcon } from "./icons";
import { reconcile, type KeyedView } from "./keyed-list";
import type { PeopleSuggestions } from "./people-suggestions";
import { fillRoomEntry, type RoomEntryState } from "./room-entry";
import type { Change, Store } from "./store";
import { UsernameForm } from "./username-form";

export type SidebarActions = {
  open(roomId: string): void;
  /** Joins a public room and opens it. Rejects with a message to show. */
  join(roomId: string): Promise<void>;
  openDm(username: string): Promise<void>;
  /** Opens the new-room dialog. */
  newRoom(): void;
  /** Opens the dialog that lists every public room. */
  browse(): void;
};

const byName = (a: Room, b: Room) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id.localeCompare(b.id);

/** Level-2 headings in the page outline; not <h2> elements, which the room view's title alone uses. */
export function groupHeading(text: string, id?: string): HTMLDivElement {
  return h("div", { class: "group-title", role: "heading", "aria-level": 2, id }, text);
}

export class Sidebar {
  readonly el: HTMLElement;
  readonly newRoomButton = h("button", { type: "button", class: "button small new-room" }, svgIcon("plus"), "New room");
  private readonly myList = h("ul", { class: "room-list" });
  private readonly dmList = h("ul", { class: "room-list" });
  private readonly publicList = h("ul", { class: "room-list" });
  private readonly myEmpty = h("p", { class: "empty" }, "You are in no rooms yet. Create one, or join a public room.");
  private readonly dmEmpty = h("p", { class: "empty" }, "No direct messages yet. Press + to message someone.");
  private readonly publicEmpty = h("p", { class: "empty" }, "No other public rooms to join yet. Create one for everyone.");
  private readonly publicError = h("div", { class: "error-slot" });
  private readonly dmForm: UsernameForm;
  private readonly dmToggle: FormToggle;
  private readonly closeButton = h("button", { type: "button", class: "button ghost panel-close", "aria-label": "Close" }, svgIcon("close"));
  private readonly loading = h("p", { class: "empty loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading rooms…");
  private readonly groups: HTMLElement;
  private readonly entries: KeyedView<Room>;
  private shownRoom: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly actions: SidebarActions,
    suggestions: PeopleSuggestions,
    extras: HTMLElement[] = [],
  ) {
    this.dmForm = new UsernameForm({
      idPrefix: "dm-user",
      label: "Direct message to",
      button: "Open",
      formClass: "panel-form compact",
      empty: "Type a username.",
      self: { username: store.me.username, text: "That’s you! Pick someone else." },
      suggest: { people: suggestions, roomId: () => null },
      submit: (username) => actions.openDm(username).then(() => this.dmToggle.close()),
    });
    this.dmToggle = formToggle(this.dmForm.el, () => this.dmForm.input, { label: "New direct message" });
    this.entries = {
      key: (room) => room.id,
      signature: (room) => {
        const { current, unread, mentions, online } = this.entryState(room);
        return JSON.stringify([room.name, room.kind, room.joined, current, unread, mentions, online]);
      },
      create: () => h("li"),
      fill: (room, li) => fillRoomEntry(li, this.entryState(room), (roomId) => this.select(roomId)),
    };
    const browse = h("button", { type: "button", class: "button ghost small browse" }, svgIcon("search"), "Browse rooms");
    this.groups = h(
      "div",
      { class: "groups" },
      h("div", { class: "group" }, h("div", { class: "group-head" }, groupHeading("My rooms")), this.myList, this.myEmpty, this.newRoomButton),
      h(
        "div",
        { class: "group" },
        h("div", { class: "group-head" }, groupHeading("Direct messages"), this.dmToggle.button),
        this.dmForm.el,
        this.dmList,
        this.dmEmpty,
      ),
      h(
        "div",
        { class: "group" },
        h("div", { class: "group-head" }, groupHeading("Public rooms")),
        this.publicList,
        this.publicEmpty,
        this.publicError,
        browse,
      ),
    );
    this.el = h(
      "div",
      { id: "sidebar", class: "sidebar" },
      h("div", { class: "sidebar-scroll" }, h("nav", { "aria-label": "Rooms" }, this.groups, this.loading), ...extras),
      this.closeButton,
    );
    this.newRoomButton.addEventListener("click", () => actions.newRoom());
    browse.addEventListener("click", () => actions.browse());
    this.closeButton.addEventListener("click", () => this.onClose());
    store.subscribe((change) => this.onChange(change));
    this.render();
  }

  /** Called by the close button of the panel (narrow screens only). */
  onClose: () => void = () => {};

  /** Opens the direct-message form (from the welcome screen or a shortcut). */
  startDm(): void {
    this.dmToggle.open();
  }

  /** Closes the direct-message form; true when it was open. */
  closeForms(): boolean {
    if (!this.dmToggle.isOpen) return false;
    this.dmToggle.close(true);
    return true;
  }

  /** The entry to focus when the panel opens on a narrow screen. */
  focusTarget(): HTMLElement {
    return this.el.querySelector<HTMLElement>("[aria-current=page]") ?? this.el.querySelector<HTMLElement>(".room-item") ?? this.newRoomButton;
  }

  /** The joined rooms and dms as listed, for moving up and down between them. */
  roomOrder(): string[] {
    return Array.from(this.el.querySelectorAll<HTMLElement>(".room-item:not(.not-joined)"), (b) => b.dataset.roomId ?? "");
  }

  private entryState(room: Room): RoomEntryState {
    const { directory, people } = this.store;
    return {
      room,
      current: room.id === this.store.currentRoomId,
      unread: directory.unread(room.id),
      mentions: directory.mentions(room.id),
      online: room.kind === "dm" ? people.isOnlineNamed(room.name) : undefined,
    };
  }

  private onChange(change: Change): void {
    if (change.current && this.store.currentRoomId !== this.shownRoom) {
      // Another room: what went wrong before is old news.
      this.shownRoom = this.store.currentRoomId;
      showFormError(this.publicError, null);
      this.dmForm.reset();
    }
    if (change.rooms || change.current || change.presence) this.render();
  }

  private render(): void {
    const { directory } = this.store;
    const rooms = directory.all();
    const mine = rooms.filter((r) => r.joined && r.kind !== "dm").sort(directory.byActivity);
    const dms = rooms.filter((r) => r.joined && r.kind === "dm").sort(directory.byActivity);
    const others = rooms.filter((r) => !r.joined && r.kind === "public").sort(byName);
    reconcile(this.myList, mine, this.entries);
    reconcile(this.dmList, dms, this.entries);
    reconcile(this.publicList, others, this.entries);
    // Until the first room list arrives, only a loading note: no half-empty lists, no forms that need the server.
    const loaded = directory.listed;
    this.loading.hidden = loaded;
    this.groups.hidden = !loaded;
    this.myEmpty.hidden = mine.length > 0;
    this.dmEmpty.hidden = dms.length > 0;
    this.publicEmpty.hidden = others.length > 0;
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
