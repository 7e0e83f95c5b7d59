// Which room is open, and how it got there: chosen from the list, a search
// result (the room opened at that message), or the address's #roomId when
// the page loads. The address follows the open room, so a reload comes back.
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
  ) {}

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

  /** Once, after the first room list: the room the address names, if the user is in it. */
  openFromAddress(): void {
    if (this.openedFromHash) return;
    this.openedFromHash = true;
    const id = decodeURIComponent(location.hash.slice(1));
    if (id && this.store.room(id)?.joined) this.open(id, false);
  }

  /** No room is open any more (left, or the page is closing). */
  forget(): void {
    history.replaceState(null, "", location.pathname);
  }

  private remember(roomId: string): void {
    history.replaceState(null, "", `#${encodeURIComponent(roomId)}`);
  }
}
