// The message log of the open room (role="log"): the timeline (timeline.ts)
// rendered by key (keyed-list.ts), so elements are reused and a pending
// message turns into the stored one in place. Scrolling keeps the reader's
// place (scroll-anchor.ts): an older page keeps the offset from the bottom,
// new messages are followed only by a reader who was at the bottom. A message
// found by search is marked and scrolled to; newer pages then load as the
// reader scrolls down. The user's own messages are edited in place
// (message-editor.ts) and deleted after a confirmation (delete-confirmation.ts).
// A room opened with unread messages shows where they begin (unread-jump.ts),
// and opens there when they would not fit on one screen. On a narrow screen
// a message's Edit and Delete show once it is tapped.
import { h } from "./dom";
import { svgIcon } from "./icons";
import { reconcile, type KeyedView } from "./keyed-list";
import { DeleteConfirmation } from "./delete-confirmation";
import { LogEdges } from "./log-edges";
import { fillMarker, markerSignature } from "./log-markers";
import { MessageEditor } from "./message-editor";
import { fillMessage, messageSignature, type MessageContext } from "./message-item";
import { ScrollAnchor } from "./scroll-anchor";
import { UnreadJump } from "./unread-jump";
import type { LoadWhat, LogCause, Store } from "./store";
import { buildTimeline, type TimelineItem } from "./timeline";

export type LogActions = {
  retry(roomId: string, clientId: string): void;
  loadNewest(roomId: string): void;
  loadOlder(roomId: string): void;
  loadNewer(roomId: string): void;
  /** Around a found message again (after a failed try). */
  loadWindow(roomId: string, seq: number): void;
  /** Leaves an older stretch for the newest page. */
  jumpToLatest(roomId: string): void;
  /** Each rejects with a message to show. */
  editMessage(messageId: string, text: string): Promise<void>;
  deleteMessage(messageId: string): Promise<void>;
};

/** Closer than this to the top (or, showing an older stretch, to the bottom) loads the next page. */
const PAGE_TRIGGER_PX = 240;

export class MessageLog {
  /** The scrolling log with its "Jump to latest" button. */
  readonly el: HTMLElement;
  private readonly log = h("div", { class: "log", role: "log", "aria-label": "Messages", "aria-live": "off", tabindex: 0 });
  private readonly items = h("div", { class: "log-items" });
  private readonly edges = new LogEdges();
  private readonly jump = h("button", { type: "button", class: "jump", hidden: true }, svgIcon("down"), "Jump to latest");
  private readonly anchor: ScrollAnchor;
  private readonly editor: MessageEditor;
  private readonly confirmation: DeleteConfirmation;
  private readonly view: KeyedView<TimelineItem>;
  private readonly context: MessageContext;
  private readonly unreadJump: UnreadJump;
  private roomId: string | null = null;
  private forceBottom = false;
  /** The room was just opened: its first page may open at the "New messages" line instead of the bottom. */
  private opening = false;

  constructor(
    private readonly store: Store,
    private readonly actions: LogActions,
    /** Where focus goes after Retry, a delete or Jump to latest (the composer). */
    private readonly refocus: () => void,
  ) {
    this.log.append(this.edges.top, this.items, this.edges.bottom);
    this.unreadJump = new UnreadJump(this.log, this.items, (seq) => {
      if (this.roomId !== null) actions.loadWindow(this.roomId, seq);
    });
    this.el = h("div", { class: "log-wrap" }, this.log, this.unreadJump.el, this.jump);
    this.anchor = new ScrollAnchor(this.log, () => this.roomId !== null);
    const rerender = () => this.render(new Set(["update"]));
    const focusButton = (selector: string) => this.items.querySelector<HTMLButtonElement>(selector)?.focus({ preventScroll: true });
    this.editor = new MessageEditor({
      me: store.me,
      message: (id) => store.message(id),
      save: (id, text) => actions.editMessage(id, text),
      changed: rerender,
      focusEditButton: (id) => focusButton(`button[data-edit="${CSS.escape(id)}"]`),
    });
    this.confirmation = new DeleteConfirmation({
      remove: (id) => actions.deleteMessage(id),
      changed: rerender,
      focus: (target, id) => {
        if (target === "composer") this.refocus();
        else focusButton(`button[data-${target === "cancel" ? "delete-cancel" : "edit"}="${CSS.escape(id)}"]`);
      },
    });
    this.context = {
      me: store.me,
      highlightSeq: null,
      knows: (username) => store.people.knows(username),
      editorFor: (id) => this.editor.formFor(id),
      confirmation: (id) => this.confirmation.state(id),
      confirmationGroup: (id) => {
        const m = this.store.message(id);
        return m ? this.confirmation.render(m) : null;
      },
    };
    this.view = {
      key: (item) => item.key,
      signature: (item) => (item.kind === "message" ? messageSignature(item, this.context) : markerSignature(item)),
      create: () => h("div"),
      fill: (item, el) => (item.kind === "message" ? fillMessage(el, item, this.context) : fillMarker(item, el)),
    };
    this.log.addEventListener("scroll", () => this.onScroll(), { passive: true });
    this.log.addEventListener("click", (e) => this.onClick(e.target as Element));
    this.jump.addEventListener("click", () => {
      if (this.roomId !== null && this.behind()) {
        this.forceBottom = true;
        actions.jumpToLatest(this.roomId);
      } else {
        this.scrollToBottom();
      }
      this.refocus();
    });
  }

  /** Starts over for another room (or none), pinned to the bottom (or to a found message). */
  show(roomId: string | null): void {
    this.roomId = roomId;
    this.items.replaceChildren();
    this.edges.reset();
    this.editor.drop();
    this.confirmation.drop();
    this.forceBottom = true;
    this.opening = true;
    this.jump.hidden = true;
    this.unreadJump.reset();
    this.render(new Set());
  }

  /** Up in an empty composer: edits the user's last message shown; false when there is none. */
  editLast(): boolean {
    if (this.roomId === null) return false;
    const mine = this.store.log(this.roomId).messages.filter((m) => m.sender.id === this.store.me.id && !m.deleted);
    const last = mine[mine.length - 1];
    if (!last) return false;
    this.confirmation.drop();
    this.editor.start(last.id);
    return true;
  }

  /** The user sent something: show it, whatever they were reading. */
  pinToBottom(): void {
    this.forceBottom = true;
  }

  render(causes: Set<LogCause>): void {
    const roomId = this.roomId;
    if (roomId === null) return;
    const log = this.store.log(roomId);
    const fromBottom = this.anchor.fromBottom();
    const wasAtBottom = this.anchor.isAtBottom();
    if (causes.has("reset")) {
      // The log was started over (the newest page, or the stretch around a found message).
      this.forceBottom = true;
      this.edges.reset();
      this.editor.drop();
      this.confirmation.drop();
    }
    this.editor.dropIfGone();
    const editorHadFocus = this.editor.hasFocus();

    this.edges.render(log, this.store.room(roomId), this.store.hasOlder(roomId));
    this.context.highlightSeq = log.highlightSeq;
    reconcile(this.items, buildTimeline(log, this.store.unsent(roomId), this.store.me), this.view);
    if (editorHadFocus) this.editor.refocus();

    if (log.scrollToSeq !== null) {
      // A found message: once it is in, centre it (instead of pinning to the bottom) and focus it.
      const target = this.items.querySelector<HTMLElement>(`[data-message][data-seq="${log.scrollToSeq}"]`);
      if (target) {
        this.store.scrolledToFound(roomId);
        this.forceBottom = false;
        this.anchor.centre(target);
        target.focus({ preventScroll: true });
      } else if (log.newestLoaded || log.loadError) {
        this.store.scrolledToFound(roomId);
      }
    } else if (this.forceBottom) {
      const line = this.opening && log.newestLoaded ? this.unreadJump.line() : null;
      // Where the line stands in the log's content, and whether what is under it fits on one screen.
      const lineAt = line ? line.getBoundingClientRect().top - this.log.getBoundingClientRect().top + this.log.scrollTop : 0;
      if (line && this.log.scrollHeight - lineAt > this.log.clientHeight) {
        // More unread than fits on one screen: start reading at the first of them.
        this.unreadJump.scrollToLine(line);
      } else {
        this.scrollToBottom();
      }
      // Stay pinned until the newest page is in (it may arrive after the first render).
      if (log.newestLoaded || log.loadError) this.forceBottom = this.opening = false;
    } else if (causes.has("older") && !wasAtBottom) {
      // Older messages went in above: keep what the reader sees where it was.
      this.anchor.keepFromBottom(fromBottom);
    } else if (causes.has("newer")) {
      // Newer messages went in below the reader, who stays where they were.
    } else if (wasAtBottom && log.following) {
      this.scrollToBottom();
    } else if (causes.has("live")) {
      this.jump.classList.add("has-new");
    }
    this.afterMove();
  }

  private onClick(target: Element): void {
    const roomId = this.roomId;
    const data = target.closest<HTMLButtonElement>("button")?.dataset;
    if (roomId === null) return;
    if (!data) return this.select(target);
    if (data.retry !== undefined) {
      this.forceBottom = this.anchor.isAtBottom();
      this.actions.retry(roomId, data.retry);
      this.refocus();
    } else if (data.load !== undefined) {
      const what = data.load as LoadWhat;
      const highlight = this.store.log(roomId).highlightSeq;
      if (what === "older") this.actions.loadOlder(roomId);
      else if (what === "newer") this.actions.loadNewer(roomId);
      else if (what === "window" && highlight !== null) this.actions.loadWindow(roomId, highlight);
      else this.actions.loadNewest(roomId);
    } else if (data.edit !== undefined) {
      this.confirmation.drop();
      this.editor.start(data.edit);
    } else if (data.delete !== undefined) {
      this.editor.drop();
      this.confirmation.ask(data.delete);
    } else if (data.deleteConfirm !== undefined) {
      this.confirmation.confirm(data.deleteConfirm);
    } else if (data.deleteCancel !== undefined) {
      this.confirmation.cancel(data.deleteCancel);
    }
  }

  /**
   * A tap on a message (not on a link or button) selects it, which shows its
   * actions on a narrow screen, where there is no hover; another tap, or one
   * elsewhere, deselects it.
   */
  private select(target: Element): void {
    if (target.closest("a, textarea, input")) return;
    const message = target.closest<HTMLElement>("[data-message]");
    const before = this.items.querySelector<HTMLElement>("[data-selected]");
    before?.removeAttribute("data-selected");
    if (message && message !== before) message.setAttribute("data-selected", "");
  }

  // ------------------------------------------------------------ scrolling

  /** Showing an older stretch: the room has newer messages than are loaded. */
  private behind(): boolean {
    if (this.roomId === null) return false;
    const log = this.store.log(this.roomId);
    return log.newestLoaded && !log.following;
  }

  private scrollToBottom(): void {
    this.anchor.toBottom();
    this.jump.classList.remove("has-new");
    this.updateJump();
  }

  private updateJump(): void {
    const behind = this.behind();
    const far = this.anchor.fromBottom() > PAGE_TRIGGER_PX;
    this.jump.hidden = !far && !behind;
    if (behind) {
      const room = this.store.room(this.roomId);
      const newest = this.store.newestSeq(this.roomId ?? "") ?? 0;
      this.jump.classList.toggle("has-new", room !== undefined && room.lastSeq > newest);
    } else if (!far) {
      this.jump.classList.remove("has-new");
    }
  }

  private onScroll(): void {
    this.afterMove();
  }

  /** After a scroll or a render: where the reader is, the jump button, and the next page if they are near an end. */
  private afterMove(): void {
    this.anchor.note();
    this.updateJump();
    const roomId = this.roomId;
    if (roomId === null) return;
    const log = this.store.log(roomId);
    const unreadAfter = log.unreadAfter;
    const lastSeq = this.store.room(roomId)?.lastSeq ?? 0;
    if (!this.forceBottom || unreadAfter === null) {
      this.unreadJump.update({ unreadAfter, unread: unreadAfter === null ? 0 : lastSeq - unreadAfter, oldestSeq: this.store.oldestSeq(roomId) });
    }
    if (this.forceBottom) return;
    if (log.loadingNewest || log.loadError || log.scrollToSeq !== null) return;
    // Near the top (or when the page does not fill the view): the previous page.
    if (!log.loadingOlder && this.store.hasOlder(roomId) && this.anchor.fromTop() <= PAGE_TRIGGER_PX) this.actions.loadOlder(roomId);
    // Showing an older stretch, near its end: the next page.
    if (!log.following && log.newestLoaded && !log.loadingNewer && this.anchor.fromBottom() <= PAGE_TRIGGER_PX) this.actions.loadNewer(roomId);
  }
}
