// One room's messages as the page has loaded them: stored messages in
// ascending seq (one entry per id, no gaps within a loaded stretch), system
// events heard live, where the unread part began, and where loading stands.
// (The user's own messages not stored yet are the client core's outbox.)
// Only the store changes a log; views read it through RoomLogView.
import type { OutboxEntry } from "../../common/outbox";
import type { Message, SystemEvent } from "../../common/protocol";

/** One of the user's messages the server has not stored yet, as the outbox holds it. */
export type PendingMessage = OutboxEntry;

/** Which history page: the newest, older or newer than those loaded, or the stretch around a found message. */
export type LoadWhat = "newest" | "older" | "newer" | "window";

export interface RoomLogView {
  /** Stored messages, ascending seq, no duplicates. */
  readonly messages: readonly Message[];
  readonly system: readonly SystemEvent[];
  /** The first page (the newest, or the window around a found message) has been fetched since the room was (re)entered. */
  readonly newestLoaded: boolean;
  readonly loadingNewest: boolean;
  readonly loadingOlder: boolean;
  readonly loadingNewer: boolean;
  /**
   * The loaded messages reach the room's newest, so live ones are appended.
   * False while an older stretch is shown (a search result's surroundings):
   * live messages are then left for `history {after}` as the reader scrolls down.
   */
  readonly following: boolean;
  /** The last history call for this room failed; shown with a "Try again" button. */
  readonly loadError: { readonly what: LoadWhat; readonly message: string } | null;
  /** The message a search result pointed at: marked, and scrolled to once (scrollToSeq). */
  readonly highlightSeq: number | null;
  readonly scrollToSeq: number | null;
  /** The read marker when the room was opened with unread messages: a "New messages" line goes after it. */
  readonly unreadAfter: number | null;
}

/** Index of the first message with seq >= `seq` (binary search). */
function lowerBound(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RoomLog implements RoomLogView {
  messages: Message[] = [];
  system: SystemEvent[] = [];
  newestLoaded = false;
  loadingNewest = false;
  loadingOlder = false;
  loadingNewer = false;
  following = true;
  loadError: RoomLogView["loadError"] = null;
  highlightSeq: number | null = null;
  scrollToSeq: number | null = null;
  unreadAfter: number | null = null;

  /** A fresh log for the same room: the system events heard and the unread line stay. */
  startOver(): RoomLog {
    const fresh = new RoomLog();
    fresh.system = this.system;
    fresh.unreadAfter = this.unreadAfter;
    return fresh;
  }

  newestSeq(): number | undefined {
    return this.messages[this.messages.length - 1]?.seq;
  }

  /** Inserts by seq; false when a message with that seq is there already. */
  insert(m: Message): boolean {
    const at = lowerBound(this.messages, m.seq);
    if (this.messages[at]?.seq === m.seq) return false; // same seq, other id: cannot happen; keep the first
    this.messages.splice(at, 0, m);
    return true;
  }

  /** Replaces the loaded message with the same id (an edit or delete); false when nothing changed. */
  replace(m: Message): boolean {
    const at = lowerBound(this.messages, m.seq);
    const old = this.messages[at];
    if (!old || old.id !== m.id) return false;
    if (old.text === m.text && old.deleted === m.deleted && old.editedAt === m.editedAt) return false;
    this.messages[at] = m;
    return true;
  }

  find(messageId: string): Message | undefined {
    return this.messages.find((m) => m.id === messageId);
  }

  addSystem(event: SystemEvent): boolean {
    const duplicate = this.system.some((e) => e.type === event.type && e.user.id === event.user.id && e.at === event.at);
    if (duplicate) return false;
    this.system.push(event);
    this.system.sort((a, b) => a.at - b.at);
    return true;
  }

  /** A page is asked for; a failed one before it is forgotten. A window starts a fresh log marked at `seq`. */
  pageRequested(what: LoadWhat, seq: number | null): void {
    if (what === "window") {
      this.following = false;
      this.markFound(seq);
    }
    this.setLoading(what, true);
    this.loadError = null;
  }

  /** Its messages are in; `reachesNewest`: the log now ends at the room's newest message. */
  pageArrived(what: LoadWhat, reachesNewest: boolean): void {
    this.setLoading(what, false);
    if (what === "newest" || what === "window") this.newestLoaded = true;
    if ((what === "window" || what === "newer") && reachesNewest) this.following = true;
  }

  pageFailed(what: LoadWhat, message: string): void {
    this.setLoading(what, false);
    this.loadError = { what, message };
  }

  /** Marks a found message (scrolled to once), or nothing. */
  markFound(seq: number | null): void {
    this.highlightSeq = seq;
    this.scrollToSeq = seq;
  }

  private setLoading(what: LoadWhat, loading: boolean): void {
    if (what === "older") this.loadingOlder = loading;
    else if (what === "newer") this.loadingNewer = loading;
    else this.loadingNewest = loading;
  }
}
