// The message log of the open room (role="log"): a timeline built from the
// store (day separators, stored messages by seq, system events by time, the
// user's pending messages last), rendered by key so that elements are reused
// and a pending message turns into the stored one in place. Scrolling keeps
// the reader's place: an older page keeps the offset from the bottom, new
// messages are followed only by a reader who was at the bottom.
import type { Message, SystemEvent } from "../../common/protocol";
import { avatar } from "./avatar";
import { userColor } from "./colors";
import { h, setChildren } from "./dom";
import { dayKey, dayLabel, fullTime, hhmm, messageTextNodes } from "./format";
import { svgIcon } from "./icons";
import type { LogCause, PendingMessage, RoomLog, Store } from "./state";

export type LogActions = {
  retry(roomId: string, clientId: string): void;
  loadNewest(roomId: string): void;
  loadOlder(roomId: string): void;
};

/** Messages from one sender this close together share one name and time. */
const GROUP_WINDOW_MS = 5 * 60 * 1000;
/** Closer than this to the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;
/** Closer than this to the top loads the previous page. */
const TOP_TRIGGER_PX = 240;

type MessageItem = {
  kind: "message";
  key: string;
  senderId: string;
  senderName: string;
  at: number;
  message: Message | null;
  pending: PendingMessage | null;
  grouped: boolean;
};
type Item =
  MessageItem | { kind: "day"; key: string; at: number } | { kind: "system"; key: string; at: number; event: SystemEvent };

function systemText(event: SystemEvent): string {
  const name = event.user.username;
  switch (event.type) {
    case "member-joined":
      return `${name} joined`;
    case "member-left":
      return `${name} left`;
    case "member-invited":
      return `${name} was invited`;
  }
}

export class MessageLog {
  /** The scrolling log with its "Jump to latest" button. */
  readonly el: HTMLElement;
  private readonly log = h("div", { class: "log", role: "log", "aria-label": "Messages", "aria-live": "off", tabindex: 0 });
  private readonly logTop = h("div", { class: "log-top" });
  private readonly items = h("div", { class: "log-items" });
  private readonly jump = h("button", { type: "button", class: "jump", hidden: true }, svgIcon("down"), "Jump to latest");
  private readonly elements = new Map<string, HTMLElement>();
  private roomId: string | null = null;
  private forceBottom = false;
  private topSignature = "";

  constructor(
    private readonly store: Store,
    private readonly actions: LogActions,
    /** Where focus goes after Retry or Jump to latest (the composer). */
    private readonly refocus: () => void,
  ) {
    this.log.append(this.logTop, this.items);
    this.el = h("div", { class: "log-wrap" }, this.log, this.jump);
    this.log.addEventListener("scroll", () => this.onScroll(), { passive: true });
    this.jump.addEventListener("click", () => {
      this.scrollToBottom();
      this.refocus();
    });
    this.log.addEventListener("click", (e) => {
      const target = e.target as Element;
      const retry = target.closest<HTMLButtonElement>("button[data-retry]");
      if (retry && this.roomId !== null) {
        this.forceBottom = this.isAtBottom();
        actions.retry(this.roomId, retry.dataset.retry ?? "");
        this.refocus();
      }
      const again = target.closest<HTMLButtonElement>("button[data-load]");
      if (again && this.roomId !== null) {
        if (again.dataset.load === "older") actions.loadOlder(this.roomId);
        else actions.loadNewest(this.roomId);
      }
    });
  }

  /** Starts over for another room (or none), pinned to the bottom. */
  show(roomId: string | null): void {
    this.roomId = roomId;
    this.elements.clear();
    this.items.replaceChildren();
    this.topSignature = "";
    this.forceBottom = true;
    this.jump.hidden = true;
    this.render(new Set());
  }

  /** The user sent something: show it, whatever they were reading. */
  pinToBottom(): void {
    this.forceBottom = true;
  }

  private buildItems(log: RoomLog): Item[] {
    const out: Item[] = [];
    const system = log.system;
    let s = 0;
    let lastDay = "";
    let previous: MessageItem | null = null;
    const push = (item: Exclude<Item, { kind: "day" }>) => {
      const day = dayKey(item.at);
      if (day !== lastDay) {
        out.push({ kind: "day", key: `d:${day}`, at: item.at });
        lastDay = day;
        previous = null;
      }
      if (item.kind === "message") {
        // Grouped with the run before it when the same sender wrote it within 5 minutes of the run's
        // first message (whose name and time are the ones shown).
        const head: MessageItem | null = previous;
        item.grouped =
          head !== null && head.senderId === item.senderId && item.at - head.at < GROUP_WINDOW_MS && item.at >= head.at;
        if (!item.grouped) previous = item;
      } else {
        previous = null;
      }
      out.push(item);
    };
    const pushSystemUntil = (at: number) => {
      while (s < system.length && (system[s] as SystemEvent).at <= at) {
        const event = system[s++] as SystemEvent;
        push({ kind: "system", key: `s:${event.type}:${event.user.id}:${event.at}`, at: event.at, event });
      }
    };
    for (const m of log.messages) {
      pushSystemUntil(m.createdAt - 1);
      push({
        kind: "message",
        key: `m:${m.sender.id}:${m.clientId}`,
        senderId: m.sender.id,
        senderName: m.sender.username,
        at: m.createdAt,
        message: m,
        pending: null,
        grouped: false,
      });
    }
    pushSystemUntil(Number.POSITIVE_INFINITY);
    const me = this.store.me;
    for (const p of log.pending.values()) {
      push({
        kind: "message",
        key: `m:${me.id}:${p.clientId}`,
        senderId: me.id,
        senderName: me.username,
        at: Math.max(p.createdAt, out[out.length - 1]?.at ?? 0),
        message: null,
        pending: p,
        grouped: false,
      });
    }
    return out;
  }

  render(causes: Set<LogCause>): void {
    const roomId = this.roomId;
    if (roomId === null) return;
    const log = this.store.log(roomId);
    const scroller = this.log;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
    const wasAtBottom = fromBottom <= BOTTOM_SLACK_PX;

    this.renderTop(log);
    const items = this.buildItems(log);
    const keep = new Set<string>();
    items.forEach((item, index) => {
      keep.add(item.key);
      const el = this.element(item);
      if (this.items.children[index] !== el) this.items.insertBefore(el, this.items.children[index] ?? null);
    });
    for (const [key, el] of this.elements) {
      if (!keep.has(key)) {
        el.remove();
        this.elements.delete(key);
      }
    }

    if (this.forceBottom) {
      this.scrollToBottom();
      // Stay pinned until the newest page is in (it may arrive after the first render).
      if (log.newestLoaded || log.loadError) this.forceBottom = false;
    } else if (causes.has("older") && !wasAtBottom) {
      // Older messages went in above: keep what the reader sees where it was.
      scroller.scrollTop = scroller.scrollHeight - scroller.clientHeight - fromBottom;
    } else if (wasAtBottom) {
      this.scrollToBottom();
    } else if (causes.has("live")) {
      this.jump.classList.add("has-new");
    }
    this.updateJump();
    this.maybeLoadOlder();
  }

  private renderTop(log: RoomLog): void {
    const room = this.store.room(this.roomId);
    const hasOlder = this.store.hasOlder(this.roomId ?? "");
    let state: string;
    if (log.loadError) state = `error:${log.loadError.what}:${log.loadError.message}`;
    else if (log.loadingNewest && log.messages.length === 0) state = "loading-newest";
    else if (log.loadingOlder) state = "loading-older";
    else if (hasOlder) state = "more";
    else if (log.newestLoaded) state = `start:${room?.name ?? ""}`;
    else state = "loading-newest";
    if (state === this.topSignature) return;
    this.topSignature = state;
    if (log.loadError) {
      setChildren(
        this.logTop,
        h(
          "p",
          { class: "log-note error" },
          log.loadError.message,
          " ",
          h("button", { type: "button", class: "button secondary small", "data-load": log.loadError.what }, "Try again"),
        ),
      );
    } else if (state === "loading-newest" || state === "loading-older") {
      setChildren(
        this.logTop,
        h(
          "p",
          { class: "log-note" },
          h("span", { class: "spinner", "aria-hidden": "true" }),
          state === "loading-older" ? "Loading older messages…" : "Loading messages…",
        ),
      );
    } else if (state === "more") {
      setChildren(this.logTop, h("p", { class: "log-note" }, "Scroll up for older messages"));
    } else if (room) {
      const intro =
        room.kind === "dm"
          ? `This is the beginning of your conversation with ${room.name}.`
          : `This is the very beginning of #${room.name}.`;
      setChildren(
        this.logTop,
        h(
          "div",
          { class: "log-start" },
          room.kind === "dm"
            ? avatar(room.name, "avatar large")
            : h(
                "span",
                { class: "log-start-icon", "aria-hidden": "true" },
                svgIcon(room.kind === "private" ? "lock" : "hash", "icon big"),
              ),
          h("p", { class: "log-start-title" }, room.kind === "dm" ? room.name : `#${room.name}`),
          h("p", {}, intro),
        ),
      );
    }
  }

  /** The element for an item: reused by key, rebuilt only when what it shows changed. */
  private element(item: Item): HTMLElement {
    let el = this.elements.get(item.key);
    const signature = this.signature(item);
    if (el && el.dataset.signature === signature) return el;
    if (!el) {
      el = h("div");
      this.elements.set(item.key, el);
    }
    el.dataset.signature = signature;
    if (item.kind === "day") {
      el.className = "day";
      setChildren(el, h("span", {}, dayLabel(item.at)));
    } else if (item.kind === "system") {
      el.className = "system";
      el.setAttribute("data-system", item.event.type);
      setChildren(
        el,
        h("span", { class: "system-text" }, systemText(item.event)),
        " ",
        h("time", { class: "time", datetime: new Date(item.at).toISOString(), title: fullTime(item.at) }, hhmm(item.at)),
      );
    } else {
      this.fillMessage(el, item);
    }
    return el;
  }

  private signature(item: Item): string {
    if (item.kind === "day") return `day:${dayLabel(item.at)}`;
    if (item.kind === "system") return "system";
    const m = item.message;
    const p = item.pending;
    return JSON.stringify([
      item.grouped,
      m ? [m.id, m.seq, m.text, m.deleted, m.editedAt, m.createdAt] : null,
      p ? [p.status, p.error, p.text] : null,
    ]);
  }

  private fillMessage(el: HTMLElement, item: MessageItem): void {
    const m = item.message;
    const p = item.pending;
    const status = p ? p.status : "sent";
    const mine = item.senderId === this.store.me.id;
    el.className = `msg${item.grouped ? " grouped" : ""}${mine ? " mine" : ""}${status !== "sent" ? ` ${status}` : ""}`;
    el.setAttribute("data-message", "");
    el.setAttribute("data-seq", m ? String(m.seq) : "");
    el.setAttribute("data-client-id", m ? m.clientId : (p as PendingMessage).clientId);
    el.setAttribute("data-status", status);
    if (m) el.setAttribute("data-id", m.id);
    else el.removeAttribute("data-id");

    const color = userColor(item.senderName);
    const time = h("time", { class: "time", datetime: new Date(item.at).toISOString(), title: fullTime(item.at) }, hhmm(item.at));
    const sender = h("span", { class: "sender" }, item.senderName);
    sender.style.setProperty("--user-color", color);
    const meta = h("div", { class: item.grouped ? "msg-meta sr-only" : "msg-meta" }, sender, " ", time);
    if (m?.editedAt && !m.deleted) meta.append(" ", h("span", { class: "edited" }, "(edited)"));

    const text = h("div", { class: "text" });
    if (m?.deleted) text.classList.add("deleted");
    else text.append(...messageTextNodes(m ? m.text : (p as PendingMessage).text));

    const parts: (Node | null)[] = [meta, text];
    if (m?.deleted) parts.push(h("div", { class: "deleted-note" }, "This message was deleted."));
    if (status === "sending") {
      parts.push(h("div", { class: "msg-status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Sending…"));
    } else if (status === "failed" && p) {
      parts.push(
        h(
          "div",
          { class: "msg-status failed" },
          svgIcon("alert"),
          h("span", {}, `Not sent${p.error ? `: ${p.error}` : "."}`),
          h("button", { type: "button", class: "button secondary small", "data-retry": p.clientId }, svgIcon("retry"), "Retry"),
        ),
      );
    }

    const gutter = item.grouped
      ? h("div", { class: "gutter" }, h("span", { class: "hover-time", "aria-hidden": "true" }, hhmm(item.at)))
      : h("div", { class: "gutter" }, avatar(item.senderName));
    setChildren(el, gutter, h("div", { class: "msg-body" }, ...parts));
  }

  // ------------------------------------------------------------ scrolling

  private isAtBottom(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight <= BOTTOM_SLACK_PX;
  }

  private scrollToBottom(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.jump.classList.remove("has-new");
    this.updateJump();
  }

  private updateJump(): void {
    const far = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight > 240;
    this.jump.hidden = !far;
    if (!far) this.jump.classList.remove("has-new");
  }

  private onScroll(): void {
    this.updateJump();
    this.maybeLoadOlder();
  }

  /** Near the top (or when the page does not fill the view), asks for the previous page. */
  private maybeLoadOlder(): void {
    const roomId = this.roomId;
    if (roomId === null || this.forceBottom) return;
    const log = this.store.log(roomId);
    if (log.loadingOlder || log.loadingNewest || log.loadError || !this.store.hasOlder(roomId)) return;
    if (this.log.scrollTop <= TOP_TRIGGER_PX) this.actions.loadOlder(roomId);
  }
}
