// The open room (the page's main landmark): the header (room-header.ts), the
// message log, who is typing, the composer; the members panel beside them
// (over them, with the rest dimmed, on a narrow screen). With no room open,
// the welcome view (welcome-view.ts), which always offers a way on.
import type { Drafts } from "../../common/drafts";
import type { KeyValueStore } from "../../common/key-value";
import type { Room } from "../../common/protocol";
import { roomLabel } from "../../common/wording";
import { Composer } from "./composer";
import { h } from "./dom";
import { isolate } from "./format";
import { MembersPanel } from "./members-panel";
import { MessageLog, type LogActions } from "./message-log";
import type { PeopleSuggestions } from "./people-suggestions";
import { RoomHeader, type HeaderActions } from "./room-header";
import type { Change, Store } from "./store";
import { WelcomeView, type WelcomeActions } from "./welcome-view";

export type RoomActions = LogActions &
  HeaderActions & {
    send(roomId: string, text: string): void;
    typing(roomId: string, typing: boolean): void;
    loadMembers(roomId: string): void;
  };

/** "alice is typing…", "alice and bob are typing…", "alice, bob and carol are typing…". */
export function typingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length > 3) return "Several people are typing…";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are typing…`;
}

const MEMBERS_OPEN = "chat.membersOpen";
const NARROW = "(max-width: 760px)";

export type RoomViewDeps = {
  store: Store;
  actions: RoomActions;
  welcome: WelcomeActions;
  announcer: HTMLElement;
  drafts: Drafts;
  suggestions: PeopleSuggestions;
  /** Where the members panel's open or closed state is remembered. */
  storage: KeyValueStore;
};

export class RoomView {
  readonly el: HTMLElement;
  readonly composer: Composer;
  readonly log: MessageLog;
  private readonly header: RoomHeader;
  private readonly typingLine = h("div", { class: "typing-line" });
  private readonly members: MembersPanel;
  private readonly membersBackdrop = h("div", { class: "members-backdrop", hidden: true });
  private readonly narrow = window.matchMedia(NARROW);
  private readonly body: HTMLElement;
  private readonly welcome: WelcomeView;
  private readonly store: Store;
  private roomId: string | null = null;

  constructor(private readonly deps: RoomViewDeps) {
    const { store, actions } = deps;
    this.store = store;
    this.composer = new Composer(
      deps.drafts,
      (roomId, text) => {
        // Showing an older stretch: go to the newest first, where the message will appear.
        if (!store.log(roomId).following) actions.jumpToLatest(roomId);
        this.log.pinToBottom();
        actions.send(roomId, text);
      },
      (roomId, typing) => actions.typing(roomId, typing),
      { suggestions: deps.suggestions, editLast: () => this.log.editLast() },
    );
    this.log = new MessageLog(store, actions, () => this.composer.focus());
    this.members = new MembersPanel(store, (roomId) => actions.loadMembers(roomId));
    this.header = new RoomHeader(actions, deps.suggestions, () => this.roomId);
    this.header.membersButton.addEventListener("click", () => {
      const open = this.members.el.hidden;
      this.setMembersOpen(open);
      if (!this.narrow.matches) deps.storage.setItem(MEMBERS_OPEN, open ? "1" : "0");
    });
    this.membersBackdrop.addEventListener("click", () => this.closeMembers());
    this.members.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.narrow.matches) {
        e.stopPropagation();
        this.closeMembers();
      }
    });
    this.narrow.addEventListener("change", () => this.setMembersOpen(!this.narrow.matches && this.storedMembersOpen()));

    this.body = h(
      "div",
      { class: "room-body" },
      this.header.el,
      h(
        "div",
        { class: "room-content" },
        h("div", { class: "room-column" }, this.log.el, this.typingLine, this.composer.el),
        this.membersBackdrop,
        this.members.el,
      ),
    );
    this.welcome = new WelcomeView(store, deps.welcome);
    this.el = h("main", { id: "main", class: "room" }, this.welcome.el, this.body, deps.announcer);

    store.subscribe((change) => this.onChange(change));
    this.setMembersOpen(!this.narrow.matches && this.storedMembersOpen());
    this.show(null);
  }

  /** Closes what is open over the room on a narrow screen (members) or in its header; true when something was. */
  closePanels(): boolean {
    if (this.header.closeForms()) return true;
    if (this.narrow.matches && !this.members.el.hidden) {
      this.closeMembers();
      return true;
    }
    return false;
  }

  private storedMembersOpen(): boolean {
    const stored = this.deps.storage.getItem(MEMBERS_OPEN);
    return stored !== null ? stored === "1" : window.matchMedia("(min-width: 1100px)").matches;
  }

  private closeMembers(): void {
    this.setMembersOpen(false);
    this.header.membersButton.focus();
  }

  private setMembersOpen(open: boolean): void {
    this.members.el.hidden = !open;
    this.membersBackdrop.hidden = !open;
    this.header.membersButton.setAttribute("aria-expanded", String(open));
  }

  private renderMembers(): void {
    this.members.render(this.roomId);
    this.header.setMembersCount(this.members.count(this.roomId));
  }

  private renderTyping(): void {
    this.typingLine.textContent = this.roomId === null ? "" : typingText(this.store.typing(this.roomId));
  }

  // ------------------------------------------------------------ switching rooms

  private show(roomId: string | null): void {
    this.roomId = roomId;
    const room = this.store.room(roomId);
    this.welcome.el.hidden = room !== undefined;
    this.body.hidden = room === undefined;
    this.composer.setRoom(room ? room.id : null, room ? this.placeholder(room) : "");
    this.header.show(room, true);
    this.renderMembers();
    this.renderTyping();
    this.welcome.render();
    // On a narrow screen the panel covers the log: a newly opened room starts without it.
    if (this.narrow.matches) this.setMembersOpen(false);
    this.log.show(room ? room.id : null);
  }

  /** "Message #name", the name isolated (a placeholder is text, not elements). */
  private placeholder(room: Room): string {
    return `Message ${isolate(roomLabel(room))}`;
  }

  private onChange(change: Change): void {
    if (change.current && this.store.currentRoomId !== this.roomId) {
      this.show(this.store.currentRoomId);
      return;
    }
    if (change.rooms) {
      const room = this.store.room(this.roomId);
      this.header.show(room, false);
      if (room) this.composer.input.placeholder = this.placeholder(room);
      this.welcome.render();
    }
    if (change.members || change.presence) this.renderMembers();
    if (change.typing) this.renderTyping();
    const causes = this.roomId === null ? undefined : change.logs.get(this.roomId);
    if (causes) this.log.render(causes);
    else if (change.people && this.roomId !== null) this.log.render(new Set(["update"]));
  }
}
