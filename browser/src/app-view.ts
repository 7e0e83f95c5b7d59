// The signed-in layout: top bar (Rooms toggle on narrow screens, with a
// badge for what is unread elsewhere; brand; the search box — behind a
// Search button on narrow screens —; the shortcuts button; who is signed in;
// Log out; the connection banner, over the page), the side panel and the
// room view. Escape closes what is open, innermost first.
import type { User } from "../../common/protocol";
import { count } from "../../common/wording";
import { avatar } from "./avatar";
import type { ConnectionBanner } from "./connection-banner";
import { h, srOnly, uid } from "./dom";
import { svgIcon } from "./icons";
import type { RoomView } from "./room-view";
import type { SearchView } from "./search-view";
import type { Sidebar } from "./sidebar";
import type { Store } from "./store";

const NARROW = "(max-width: 760px)";

export class AppView {
  readonly el: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly roomsBadge = h("span", { class: "badge rooms-badge", "aria-hidden": "true", hidden: true });
  private readonly roomsUnread = h("span", { id: uid("rooms-unread"), class: "sr-only" });
  private readonly searchToggle: HTMLButtonElement;
  private readonly header: HTMLElement;
  private readonly layout: HTMLElement;
  private readonly backdrop = h("div", { class: "backdrop", "aria-hidden": "true" });
  private readonly narrow = window.matchMedia(NARROW);
  private readonly listening = new AbortController();

  constructor(
    private readonly store: Store,
    banner: ConnectionBanner,
    private readonly sidebar: Sidebar,
    private readonly room: RoomView,
    private readonly search: SearchView,
    onLogout: () => void,
    onHelp: () => void,
  ) {
    const user: User = store.me;
    search.el.id = "search";
    this.searchToggle = h(
      "button",
      {
        type: "button",
        class: "button ghost search-toggle",
        "aria-expanded": "false",
        "aria-controls": "search",
        "aria-label": "Search",
      },
      svgIcon("search"),
    );
    this.searchToggle.addEventListener("click", () => this.setSearch(!this.searchOpen(), true));
    search.onDismiss = () => {
      if (!this.narrow.matches) return;
      this.setSearch(false);
      this.searchToggle.focus();
    };
    this.toggle = h(
      "button",
      {
        type: "button",
        class: "button ghost rooms-toggle",
        "aria-expanded": "false",
        "aria-controls": "sidebar",
        "aria-describedby": this.roomsUnread.id,
      },
      svgIcon("menu"),
      "Rooms",
      this.roomsBadge,
    );
    const help = h(
      "button",
      { type: "button", class: "button ghost help-button", "aria-label": "Keyboard shortcuts", title: "Keyboard shortcuts (?)" },
      svgIcon("keyboard"),
    );
    help.addEventListener("click", onHelp);
    const logout = h(
      "button",
      { type: "button", class: "button ghost small logout" },
      svgIcon("logout"),
      h("span", { class: "logout-label" }, "Log out"),
    );
    logout.addEventListener("click", onLogout);
    this.toggle.addEventListener("click", () => this.setPanel(!this.panelOpen()));
    this.backdrop.addEventListener("click", () => this.setPanel(false));
    sidebar.onClose = () => {
      this.setPanel(false);
      this.toggle.focus();
    };

    const header = h(
      "header",
      { class: "topbar" },
      h(
        "div",
        { class: "topbar-row" },
        this.toggle,
        h("h1", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "#"), "Chat"),
        search.el,
        h("div", { class: "spacer" }),
        this.searchToggle,
        help,
        h(
          "div",
          { class: "me" },
          avatar(user.username, "avatar small"),
          srOnly("Signed in as "),
          h("span", { class: "me-name" }, user.username),
        ),
        logout,
      ),
      banner.el,
      this.roomsUnread,
    );
    this.header = header;
    this.layout = h("div", { class: "layout" }, sidebar.el, this.backdrop, room.el);
    this.el = h("div", { class: "app" }, header, this.layout);

    this.el.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      if (this.sidebar.closeForms() || this.room.closePanels()) return;
      if (this.panelOpen()) {
        this.setPanel(false);
        this.toggle.focus();
      }
    });
    // On a narrow screen an empty search row goes away when the user turns elsewhere.
    document.addEventListener(
      "pointerdown",
      (e) => {
        if (this.searchOpen() && !this.header.contains(e.target as Node) && this.search.input.value === "") this.setSearch(false);
      },
      { signal: this.listening.signal },
    );
    this.narrow.addEventListener("change", () => {
      this.setPanel(false);
      this.setSearch(false);
    });
    store.subscribe((change) => {
      if (change.rooms || change.current) this.renderBadge();
    });
    this.renderBadge();
  }

  /** What is unread outside the open room, on the Rooms button (the only way to it on a narrow screen). */
  private renderBadge(): void {
    const { directory, currentRoomId } = this.store;
    let unread = 0;
    let mentions = 0;
    for (const room of directory.all()) {
      if (room.id === currentRoomId) continue;
      unread += directory.unread(room.id);
      mentions += directory.mentions(room.id);
    }
    this.roomsBadge.hidden = unread === 0;
    this.roomsBadge.classList.toggle("mention-badge", mentions > 0);
    this.roomsBadge.dataset.count = mentions > 0 ? `@${mentions}` : unread > 99 ? "99+" : String(unread);
    this.roomsUnread.textContent =
      unread === 0 ? "" : `${count(unread, "unread message")} in other rooms${mentions > 0 ? `, ${count(mentions, "mention")} of you` : ""}`;
  }

  private searchOpen(): boolean {
    return this.header.classList.contains("search-open");
  }

  /** Shows or hides the search row (narrow screens; on wide ones the box is always shown). */
  private setSearch(open: boolean, focus = false): void {
    this.header.classList.toggle("search-open", open);
    this.searchToggle.setAttribute("aria-expanded", String(open));
    if (open && focus) queueMicrotask(() => this.search.focus());
  }

  /** Removes the listeners this view put on the document. */
  dispose(): void {
    this.listening.abort();
  }

  /** A search result was chosen: on a narrow screen the row makes way for the room. */
  searchDone(): void {
    this.setSearch(false);
    this.setPanel(false);
  }

  isNarrow(): boolean {
    return this.narrow.matches;
  }

  panelOpen(): boolean {
    return this.layout.classList.contains("panel-open");
  }

  /** Opens or closes the rooms panel (narrow screens; on wide ones it is always shown). */
  setPanel(open: boolean): void {
    const was = this.panelOpen();
    this.layout.classList.toggle("panel-open", open);
    this.toggle.setAttribute("aria-expanded", String(open));
    if (open && !was) queueMicrotask(() => this.sidebar.focusTarget().focus());
  }

  /** After a room was chosen: close the panel on a narrow screen and go to the composer. */
  roomChosen(): void {
    this.setPanel(false);
    // After the store's batch has re-rendered the room view (it may have been hidden until now).
    queueMicrotask(() => this.room.composer.focus());
  }
}
