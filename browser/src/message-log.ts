// The message log of the open room (role="log"): a timeline built from the
// store (day separators, stored messages by seq, system events by time, the
// user's pending messages last), rendered by key so that elements are reused
// and a pending message turns into the stored one in place. Scrolling keeps
// the reader's place: an older page keeps the offset from the bottom, new
// messages are followed only by a reader who was at the bottom. A message
// found by search is marked (data-highlighted) and scrolled to; newer pages
// then load as the reader scrolls down. The user's own messages have Edit
// and Delete actions (on hover or focus): editing happens in place, deleting
// asks first.
import type { Message, SystemEvent } from "../../common/protocol";
import { codePointLength, FIELD_LIMITS } from "../../common/rules";
import { avatar } from "./avatar";
import { userColor } from "./colors";
import { h, setChildren, showFormError, uid } from "./dom";
import { dayKey, dayLabel, fullTime, hhmm, messageTextNodes } from "./format";
import { svgIcon } from "./icons";
import { mentions, type LoadWhat, type LogCause, type PendingMessage, type RoomLog, type Store } from "./state";

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

type Editing = {
  id: string;
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  error: HTMLElement;
  saving: boolean;
};
type Confirming = { id: string; busy: boolean; error: string | null };

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
  private readonly logBottom = h("div", { class: "log-bottom" });
  private readonly jump = h("button", { type: "button", class: "jump", hidden: true }, svgIcon("down"), "Jump to latest");
  private readonly elements = new Map<string, HTMLElement>();
  private roomId: string | null = null;
  private forceBottom = false;
  private topSignature = "";
  private bottomSignature = "";
  private editing: Editing | null = null;
  private confirming: Confirming | null = null;
  /** At the bottom as of the last scroll or render: a log that gets shorter (a taller header or composer) stays there. */
  private stuck = true;

  constructor(
    private readonly store: Store,
    private readonly actions: LogActions,
    /** Where focus goes after Retry or Jump to latest (the composer). */
    private readonly refocus: () => void,
  ) {
    this.log.append(this.logTop, this.items, this.logBottom);
    this.el = h("div", { class: "log-wrap" }, this.log, this.jump);
    this.log.addEventListener("scroll", () => this.onScroll(), { passive: true });
    this.jump.addEventListener("click", () => {
      if (this.roomId !== null && this.behind()) {
        this.forceBottom = true;
        actions.jumpToLatest(this.roomId);
      } else {
        this.scrollToBottom();
      }
      this.refocus();
    });
    this.log.addEventListener("click", (e) => this.onClick(e.target as Element));
    new ResizeObserver(() => {
      if (this.stuck && this.roomId !== null) this.log.scrollTop = this.log.scrollHeight;
    }).observe(this.log);
  }

  /** Starts over for another room (or none), pinned to the bottom (or to a found message). */
  show(roomId: string | null): void {
    this.roomId = roomId;
    this.elements.clear();
    this.items.replaceChildren();
    this.topSignature = "";
    this.bottomSignature = "";
    this.editing = null;
    this.confirming = null;
    this.forceBottom = true;
    this.jump.hidden = true;
    this.render(new Set());
  }

  /** The user sent something: show it, whatever they were reading. */
  pinToBottom(): void {
    this.forceBottom = true;
  }

  /** Showing an older stretch: the room has newer messages than are loaded. */
  private behind(): boolean {
    if (this.roomId === null) return false;
    const log = this.store.log(this.roomId);
    return log.newestLoaded && !log.following;
  }

  private onClick(target: Element): void {
    const roomId = this.roomId;
    if (roomId === null) return;
    const button = target.closest<HTMLButtonElement>("button");
    if (!button) return;
    const data = button.dataset;
    if (data.retry !== undefined) {
      this.forceBottom = this.isAtBottom();
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
      this.startEdit(data.edit);
    } else if (data.editCancel !== undefined) {
      this.finishEdit(true);
    } else if (data.delete !== undefined) {
      this.askDelete(data.delete);
    } else if (data.deleteConfirm !== undefined) {
      this.confirmDelete(data.deleteConfirm);
    } else if (data.deleteCancel !== undefined) {
      const id = data.deleteCancel;
      this.confirming = null;
      this.rerender();
      this.focusAction("edit", id);
    }
  }

  // ------------------------------------------------------------ editing and deleting

  private startEdit(messageId: string): void {
    const m = this.store.message(messageId);
    if (!m || m.deleted || m.sender.id !== this.store.me.id) return;
    this.confirming = null;
    const hintId = uid("edit-hint");
    const textarea = h("textarea", { id: uid("edit"), class: "edit-input", rows: 2, "aria-describedby": hintId });
    textarea.value = m.text;
    const error = h("div", { class: "error-slot" });
    const form = h(
      "form",
      { class: "edit-form", novalidate: true },
      h("label", { for: textarea.id, class: "sr-only" }, "Edit message text"),
      textarea,
      h(
        "div",
        { class: "edit-foot" },
        h("span", { id: hintId, class: "hint" }, "Enter to save · Shift+Enter for a new line · Esc to cancel"),
        h(
          "span",
          { class: "edit-buttons" },
          h("button", { type: "button", class: "button ghost small", "data-edit-cancel": "" }, "Cancel"),
          h("button", { type: "submit", class: "button primary small" }, "Save"),
        ),
      ),
      error,
    );
    const editing: Editing = { id: messageId, form, textarea, error, saving: false };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.saveEdit(editing);
    });
    textarea.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        this.saveEdit(editing);
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        this.finishEdit(true);
      }
    });
    this.editing = editing;
    this.rerender();
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    form.scrollIntoView({ block: "nearest" });
  }

  private saveEdit(editing: Editing): void {
    if (this.editing !== editing || editing.saving) return;
    const m = this.store.message(editing.id);
    const text = editing.textarea.value;
    if (!m || m.deleted) {
      this.finishEdit(false);
      return;
    }
    if (!/\S/.test(text)) {
      showFormError(editing.error, "A message needs some text. To remove it, delete it instead.");
      return;
    }
    if (codePointLength(text) > FIELD_LIMITS.messageText) {
      showFormError(editing.error, `Messages can be at most ${FIELD_LIMITS.messageText} characters.`);
      return;
    }
    if (text === m.text) {
      this.finishEdit(true);
      return;
    }
    editing.saving = true;
    showFormError(editing.error, null);
    this.actions.editMessage(editing.id, text).then(
      () => {
        editing.saving = false;
        if (this.editing === editing) this.finishEdit(true);
      },
      (err: unknown) => {
        editing.saving = false;
        if (this.editing !== editing) return;
        showFormError(editing.error, (err as Error).message);
        editing.textarea.focus();
      },
    );
  }

  /** Closes the editor; focus goes back to the message's Edit button. */
  private finishEdit(returnFocus: boolean): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = null;
    this.rerender();
    if (returnFocus) this.focusAction("edit", editing.id);
  }

  private askDelete(messageId: string): void {
    this.editing = null;
    this.confirming = { id: messageId, busy: false, error: null };
    this.rerender();
    this.items.querySelector<HTMLButtonElement>(`button[data-delete-cancel="${CSS.escape(messageId)}"]`)?.focus();
  }

  private confirmDelete(messageId: string): void {
    const confirming = this.confirming;
    if (!confirming || confirming.id !== messageId || confirming.busy) return;
    confirming.busy = true;
    confirming.error = null;
    this.rerender();
    this.actions.deleteMessage(messageId).then(
      () => {
        if (this.confirming !== confirming) return;
        this.confirming = null;
        this.rerender();
        this.refocus();
      },
      (err: unknown) => {
        if (this.confirming !== confirming) return;
        confirming.busy = false;
        confirming.error = (err as Error).message;
        this.rerender();
      },
    );
  }

  private focusAction(action: "edit" | "delete", messageId: string): void {
    this.items.querySelector<HTMLButtonElement>(`button[data-${action}="${CSS.escape(messageId)}"]`)?.focus({ preventScroll: true });
  }

  /** Re-renders after local UI state (editing, confirming) changed. */
  private rerender(): void {
    this.render(new Set(["update"]));
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
    if (causes.has("reset")) {
      // The log was started over (the newest page, or the stretch around a found message).
      this.forceBottom = true;
      this.topSignature = "";
      this.editing = null;
      this.confirming = null;
    }
    if (this.editing && !this.store.message(this.editing.id)) this.editing = null;
    const editorHadFocus = this.editing !== null && document.activeElement === this.editing.textarea;

    this.renderTop(log);
    this.renderBottom(log);
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

    if (editorHadFocus && this.editing && document.activeElement !== this.editing.textarea) {
      this.editing.textarea.focus({ preventScroll: true });
    }

    if (log.scrollToSeq !== null) {
      // A found message: once it is in, centre it (instead of pinning to the bottom) and focus it.
      const target = this.items.querySelector<HTMLElement>(`[data-message][data-seq="${log.scrollToSeq}"]`);
      if (target) {
        log.scrollToSeq = null;
        this.forceBottom = false;
        this.centre(target);
        target.focus({ preventScroll: true });
      } else if (log.newestLoaded || log.loadError) {
        log.scrollToSeq = null;
      }
    } else if (this.forceBottom) {
      this.scrollToBottom();
      // Stay pinned until the newest page is in (it may arrive after the first render).
      if (log.newestLoaded || log.loadError) this.forceBottom = false;
    } else if (causes.has("older") && !wasAtBottom) {
      // Older messages went in above: keep what the reader sees where it was.
      scroller.scrollTop = scroller.scrollHeight - scroller.clientHeight - fromBottom;
    } else if (causes.has("newer")) {
      // Newer messages went in below the reader, who stays where they were.
    } else if (wasAtBottom && log.following) {
      this.scrollToBottom();
    } else if (causes.has("live")) {
      this.jump.classList.add("has-new");
    }
    this.stuck = this.isAtBottom();
    this.updateJump();
    this.maybeLoadOlder();
    this.maybeLoadNewer();
  }

  /** Scrolls the log so that `el` is in the middle of it. */
  private centre(el: HTMLElement): void {
    const box = el.getBoundingClientRect();
    const view = this.log.getBoundingClientRect();
    this.log.scrollTop += box.top - view.top - Math.max(0, (this.log.clientHeight - box.height) / 2);
  }

  private renderBottom(log: RoomLog): void {
    let state = "";
    if (log.loadError?.what === "newer") state = `error:${log.loadError.message}`;
    else if (log.loadingNewer) state = "loading";
    else if (log.newestLoaded && !log.following) state = "more";
    if (state === this.bottomSignature) return;
    this.bottomSignature = state;
    if (log.loadError?.what === "newer") {
      setChildren(
        this.logBottom,
        h(
          "p",
          { class: "log-note error" },
          log.loadError.message,
          " ",
          h("button", { type: "button", class: "button secondary small", "data-load": "newer" }, "Try again"),
        ),
      );
    } else if (state === "loading") {
      setChildren(
        this.logBottom,
        h("p", { class: "log-note" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading newer messages…"),
      );
    } else if (state === "more") {
      setChildren(this.logBottom, h("p", { class: "log-note" }, "Scroll down for newer messages"));
    } else {
      this.logBottom.replaceChildren();
    }
  }

  private renderTop(log: RoomLog): void {
    const room = this.store.room(this.roomId);
    const hasOlder = this.store.hasOlder(this.roomId ?? "");
    let state: string;
    const topError = log.loadError && log.loadError.what !== "newer" ? log.loadError : null;
    if (topError) state = `error:${topError.what}:${topError.message}`;
    else if (log.loadingNewest && log.messages.length === 0) state = "loading-newest";
    else if (log.loadingOlder) state = "loading-older";
    else if (hasOlder) state = "more";
    else if (log.newestLoaded) state = `start:${room?.name ?? ""}`;
    else state = "loading-newest";
    if (state === this.topSignature) return;
    this.topSignature = state;
    if (topError) {
      setChildren(
        this.logTop,
        h(
          "p",
          { class: "log-note error" },
          topError.message,
          " ",
          h("button", { type: "button", class: "button secondary small", "data-load": topError.what }, "Try again"),
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
    const log = this.roomId === null ? null : this.store.log(this.roomId);
    return JSON.stringify([
      item.grouped,
      m ? [m.id, m.seq, m.text, m.deleted, m.editedAt, m.createdAt] : null,
      p ? [p.status, p.error, p.text] : null,
      m !== null && log?.highlightSeq === m.seq,
      m !== null && this.editing?.id === m.id,
      m !== null && this.confirming?.id === m.id ? [this.confirming.busy, this.confirming.error] : null,
    ]);
  }

  private fillMessage(el: HTMLElement, item: MessageItem): void {
    const m = item.message;
    const p = item.pending;
    const status = p ? p.status : "sent";
    const me = this.store.me;
    const mine = item.senderId === me.id;
    const mentionsMe = m !== null && !mine && mentions(m, me.username);
    el.className =
      `msg${item.grouped ? " grouped" : ""}${mine ? " mine" : ""}${status !== "sent" ? ` ${status}` : ""}` +
      `${mentionsMe ? " mentions-me" : ""}${m?.deleted ? " is-deleted" : ""}`;
    el.setAttribute("data-message", "");
    el.setAttribute("data-seq", m ? String(m.seq) : "");
    el.setAttribute("data-client-id", m ? m.clientId : (p as PendingMessage).clientId);
    el.setAttribute("data-status", status);
    if (m) el.setAttribute("data-id", m.id);
    else el.removeAttribute("data-id");
    const highlighted = m !== null && this.roomId !== null && this.store.log(this.roomId).highlightSeq === m.seq;
    if (highlighted) {
      el.setAttribute("data-highlighted", "true");
      // Focusable from script only, so that a search result can take focus to it.
      el.setAttribute("tabindex", "-1");
    } else {
      el.removeAttribute("data-highlighted");
      el.removeAttribute("tabindex");
    }

    const color = userColor(item.senderName);
    const time = h("time", { class: "time", datetime: new Date(item.at).toISOString(), title: fullTime(item.at) }, hhmm(item.at));
    const sender = h("span", { class: "sender" }, item.senderName);
    sender.style.setProperty("--user-color", color);
    const meta = h("div", { class: item.grouped ? "msg-meta sr-only" : "msg-meta" }, sender, " ", time);

    const parts: (Node | null)[] = [meta];
    const editing = m !== null && this.editing?.id === m.id ? this.editing : null;
    if (m?.deleted) {
      parts.push(h("p", { class: "deleted-note" }, svgIcon("trash", "icon deleted-icon"), "Message deleted"));
    } else if (editing) {
      parts.push(editing.form);
    } else {
      // The "(edited)" mark follows the text on its line, outside .text (whose content is exactly the message).
      parts.push(
        h(
          "div",
          { class: "text-row" },
          h("span", { class: "text" }, ...messageTextNodes(m ? m.text : (p as PendingMessage).text, me.username)),
          m?.editedAt ? h("span", { class: "edited", title: `Edited ${fullTime(m.editedAt)}` }, " (edited)") : null,
        ),
      );
    }
    if (m && mine && !m.deleted && !editing) {
      const confirming = this.confirming?.id === m.id ? this.confirming : null;
      if (confirming) {
        parts.push(
          h(
            "div",
            { class: "confirm-delete", role: "group", "aria-label": "Delete this message?" },
            h("span", { class: "confirm-text" }, "Delete this message? This can’t be undone."),
            h(
              "button",
              { type: "button", class: "button danger small", "data-delete-confirm": m.id, disabled: confirming.busy },
              confirming.busy ? "Deleting…" : "Yes, delete",
            ),
            h("button", { type: "button", class: "button ghost small", "data-delete-cancel": m.id }, "Cancel"),
            confirming.error ? h("p", { class: "form-error", role: "alert" }, confirming.error) : null,
          ),
        );
      }
      parts.push(
        h(
          "div",
          { class: "msg-actions" },
          h(
            "button",
            { type: "button", class: "msg-action", "data-edit": m.id, "aria-label": "Edit message", title: "Edit" },
            svgIcon("edit"),
          ),
          h(
            "button",
            { type: "button", class: "msg-action", "data-delete": m.id, "aria-label": "Delete message", title: "Delete" },
            svgIcon("trash"),
          ),
        ),
      );
    }
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
    const behind = this.behind();
    const far = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight > 240;
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
    this.stuck = this.isAtBottom();
    this.updateJump();
    this.maybeLoadOlder();
    this.maybeLoadNewer();
  }

  /** Near the top (or when the page does not fill the view), asks for the previous page. */
  private maybeLoadOlder(): void {
    const roomId = this.roomId;
    if (roomId === null || this.forceBottom) return;
    const log = this.store.log(roomId);
    if (log.loadingOlder || log.loadingNewest || log.loadError || log.scrollToSeq !== null || !this.store.hasOlder(roomId)) return;
    if (this.log.scrollTop <= TOP_TRIGGER_PX) this.actions.loadOlder(roomId);
  }

  /** Showing an older stretch, near its end: asks for the next page. */
  private maybeLoadNewer(): void {
    const roomId = this.roomId;
    if (roomId === null || this.forceBottom) return;
    const log = this.store.log(roomId);
    if (log.following || !log.newestLoaded || log.loadingNewer || log.loadingNewest || log.loadError || log.scrollToSeq !== null) return;
    if (this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight <= TOP_TRIGGER_PX) this.actions.loadNewer(roomId);
  }
}
