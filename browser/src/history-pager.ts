// A room's history as the reader moves through it: the newest page when the
// room is opened, older pages as they scroll up, the stretch around a found
// message, and newer pages after such a stretch until the log reaches the
// room's newest message and follows live messages again.
import type { ChatClient } from "../../common/client";
import { FIELD_LIMITS } from "../../common/rules";
import { shortReason } from "./error-texts";
import type { LoadWhat, Store } from "./store";

const PAGE = FIELD_LIMITS.historyDefault;
/** A found message is shown with this many messages around it. */
const WINDOW_PAGE = 50;

const FAILED: Record<LoadWhat, string> = {
  newest: "Couldn’t load messages",
  older: "Couldn’t load older messages",
  newer: "Couldn’t load newer messages",
  window: "Couldn’t load that message",
};

export class HistoryPager {
  constructor(
    private readonly client: ChatClient,
    private readonly store: Store,
  ) {}

  newest(roomId: string): void {
    this.load(roomId, "newest", { limit: PAGE });
  }

  /** The newest page, unless it is loaded or on its way. */
  ensureNewest(roomId: string): void {
    const log = this.store.log(roomId);
    if (!log.newestLoaded && !log.loadingNewest) this.newest(roomId);
  }

  older(roomId: string): void {
    const before = this.store.oldestSeq(roomId);
    if (before === undefined || before <= 1 || this.store.log(roomId).loadingOlder) return;
    this.load(roomId, "older", { before, limit: PAGE });
  }

  /** Showing an older stretch: the page after it. */
  newer(roomId: string): void {
    const log = this.store.log(roomId);
    const after = this.store.newestSeq(roomId);
    if (log.following || log.loadingNewer || after === undefined) return;
    this.load(roomId, "newer", { after, limit: PAGE });
  }

  /** The stretch around a found message, which is marked. */
  around(roomId: string, seq: number): void {
    this.load(roomId, "window", { before: seq + Math.floor(WINDOW_PAGE / 2), limit: WINDOW_PAGE }, seq);
  }

  /** Leaves an older stretch for the newest page. */
  latest(roomId: string): void {
    this.store.resetLog(roomId);
    this.newest(roomId);
  }

  private load(roomId: string, what: LoadWhat, range: { before?: number; after?: number; limit: number }, seq?: number): void {
    const ticket = this.store.pageRequested(roomId, what, seq);
    this.client.call("history", { roomId, ...range }).then(
      // A short page of newer messages is the last; a live message skipped meanwhile may still mean one more.
      (page) => this.store.pageArrived(ticket, page, { last: what === "window" || page.length < range.limit }),
      (err: unknown) => this.store.pageFailed(ticket, `${FAILED[what]} (${shortReason(err)}).`),
    );
  }
}
