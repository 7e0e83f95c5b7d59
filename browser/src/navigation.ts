// Which room is open, and how it got there: chosen from the list, a search
// result (the room opened at that message), or, when the page loads, the
// address's #roomId or else the room the user had open last (remembered per
// user, so a new tab or a fresh sign-in comes back to it). The address
// follows the open room, so a reload comes back too.
import type { KeyValueStore } from "../../common/key-value";
import type { Message } from "../../common/protocol";
import type { HistoryPager } from "./history-pager";
import type { PeopleLoader } from "./people-loader";
import type { Store } from "./store";

/** What the layout does once a room or a search result was chosen (narrow screens close panels). */
export type NavigationHooks = { roomChosen(): void; searchDone(): void };

export class Navigation {
  private openedFromHash = false;
  hooks: NavigationHooks = { roomChosen() {}, searchDone() {} };

  constructor(
    private readonly store: Store,
    private readonly pager: HistoryPager,
    private readonly people: PeopleLoader,
    private readonly storage: KeyValueStore,
  ) {}

  private get lastRoomKey(): string {
    return `chat.lastRoom.${this.store.me.id}`;
  }

  /** Opens a joined room at its newest messages; `focus` moves to the composer. */
  open(roomId: string, focus = true): void {
    this.store.enterRoom(roomId);
    this.remember(roomId);
    this.pager.ensureNewest(roomId);
    this.people.members(roomId);
    if (focus) this.hooks.roomChosen();
  }

  /** Opens a room at a message (a search result): the stretch around it, the message marked. */
  openAt(message: Message): void {
    const roomId = message.roomId;
    if (!this.store.room(roomId)?.joined) return;
    const log = this.store.log(roomId);
    const loaded = log.newestLoaded && log.messages.some((m) => m.seq === message.seq);
    if (this.store.currentRoomId !== roomId) {
      this.store.setCurrent(roomId);
      this.remember(roomId);
      this.people.members(roomId);
    }
    if (loaded) this.store.markFound(roomId, message.seq);
    else this.pager.around(roomId, message.seq);
    this.hooks.searchDone();
  }

  /** Once, after the first room list: the room the address names, or the one open last, if the user is in it. */
  openFromAddress(): void {
    if (this.openedFromHash) return;
    this.openedFromHash = true;
    const named = decodeURIComponent(location.hash.slice(1));
    const last = this.storage.getItem(this.lastRoomKey);
    const id = [named, last].find((candidate) => candidate && this.store.room(candidate)?.joined);
    if (id) this.open(id, false);
  }

  /** No room is open any more (left, or the page is closing); `left`: not to be reopened next time either. */
  forget(left = false): void {
    history.replaceState(null, "", location.pathname);
    if (left) this.storage.removeItem(this.lastRoomKey);
  }

  private remember(roomId: string): void {
    history.replaceState(null, "", `#${encodeURIComponent(roomId)}`);
    this.storage.setItem(this.lastRoomKey, roomId);
  }
}
