// One message in the log: the sender's avatar (or, continuing a run, the
// time: on hover, always on a narrow screen), name and time, the text (its
// direction its own: dir="auto") with links and mentions of real users,
// "edited", and its state: sending, waiting for the connection, failed with
// Retry, deleted. The user's own stored messages get Edit and Delete (on
// hover or focus; tapped on a narrow screen), the editor in place of the
// text while editing, and the delete confirmation under it.
import type { User } from "../../common/protocol";
import { mentionsUser } from "../../common/mentions";
import { avatar } from "./avatar";
import { userColor, userColorOnDark } from "./colors";
import { h, setChildren } from "./dom";
import { shortReason } from "./error-texts";
import { fullTime, hhmm, knownMentions, messageTextNodes, timeElement, type KnowsUser } from "./format";
import { svgIcon } from "./icons";
import type { MessageItem } from "./timeline";

/** What else decides how a message looks: who reads, what is marked, edited or being confirmed. */
export type MessageContext = {
  me: User;
  highlightSeq: number | null;
  /** Whether an @name is a real user's. */
  knows: KnowsUser;
  editorFor(messageId: string): HTMLFormElement | null;
  confirmation(messageId: string): [boolean, string | null] | null;
  confirmationGroup(messageId: string): HTMLElement | null;
};

/** Everything a message element shows, as one string: unchanged means nothing to redraw. */
export function messageSignature(item: MessageItem, ctx: MessageContext): string {
  const m = item.message;
  const p = item.pending;
  return JSON.stringify([
    item.grouped,
    m ? [m.id, m.seq, m.text, m.deleted, m.editedAt, m.createdAt] : null,
    p ? [p.status, p.error?.code ?? null, p.text] : null,
    knownMentions(m ? m.text : (p?.text ?? ""), ctx.knows),
    m !== null && ctx.highlightSeq === m.seq,
    m !== null && ctx.editorFor(m.id) !== null,
    m !== null ? ctx.confirmation(m.id) : null,
  ]);
}

const actionButton = (action: "edit" | "delete", id: string, label: string) =>
  h(
    "button",
    { type: "button", class: "msg-action", [`data-${action}`]: id, "aria-label": `${label} message`, title: label },
    svgIcon(action === "edit" ? "edit" : "trash"),
  );

export function fillMessage(el: HTMLElement, item: MessageItem, ctx: MessageContext): void {
  const m = item.message;
  const p = item.pending;
  // Waiting for the connection is still sending, as far as the reader is concerned; the status line says which.
  const status = p ? (p.status === "failed" ? "failed" : "sending") : "sent";
  const mine = item.senderId === ctx.me.id;
  const mentionsMe = m !== null && mentionsUser(m, ctx.me);
  el.className =
    `msg${item.grouped ? " grouped" : ""}${mine ? " mine" : ""}${status !== "sent" ? ` ${status}` : ""}` +
    `${mentionsMe ? " mentions-me" : ""}${m?.deleted ? " is-deleted" : ""}`;
  el.setAttribute("data-message", "");
  el.setAttribute("data-seq", m ? String(m.seq) : "");
  el.setAttribute("data-client-id", m ? m.clientId : (p?.clientId ?? ""));
  el.setAttribute("data-status", status);
  if (m) el.setAttribute("data-id", m.id);
  else el.removeAttribute("data-id");
  if (m !== null && ctx.highlightSeq === m.seq) {
    el.setAttribute("data-highlighted", "true");
    // Focusable from script only, so that a search result can take focus to it.
    el.setAttribute("tabindex", "-1");
  } else {
    el.removeAttribute("data-highlighted");
    el.removeAttribute("tabindex");
  }

  const time = timeElement(item.at);
  const sender = h("bdi", { class: "sender" }, item.senderName);
  sender.style.setProperty("--user-color", userColor(item.senderName));
  sender.style.setProperty("--user-color-dark", userColorOnDark(item.senderName));
  const parts: (Node | null)[] = [h("div", { class: item.grouped ? "msg-meta sr-only" : "msg-meta" }, sender, " ", time)];
  const editor = m !== null ? ctx.editorFor(m.id) : null;
  if (m?.deleted) {
    parts.push(h("p", { class: "deleted-note" }, svgIcon("trash", "icon deleted-icon"), "Message deleted"));
  } else if (editor) {
    parts.push(editor);
  } else {
    // The "(edited)" mark follows the text on its line, outside .text (whose content is exactly the message).
    parts.push(
      h(
        "div",
        { class: "text-row", dir: "auto" },
        h("span", { class: "text" }, ...messageTextNodes(m ? m.text : (p?.text ?? ""), ctx.me.username, ctx.knows)),
        m?.editedAt ? h("span", { class: "edited", title: `Edited ${fullTime(m.editedAt)}` }, " (edited)") : null,
      ),
    );
  }
  if (m && mine && !m.deleted && !editor) {
    parts.push(ctx.confirmationGroup(m.id));
    parts.push(h("div", { class: "msg-actions" }, actionButton("edit", m.id, "Edit"), actionButton("delete", m.id, "Delete")));
  }
  if (status === "sending") {
    const text = p?.status === "waiting" ? "Waiting for the connection…" : "Sending…";
    parts.push(h("div", { class: "msg-status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text));
  } else if (status === "failed" && p) {
    parts.push(
      h(
        "div",
        { class: "msg-status failed" },
        svgIcon("alert"),
        h("span", {}, `Not sent${p.error ? `: ${shortReason(p.error)}` : "."}`),
        h("button", { type: "button", class: "button secondary small", "data-retry": p.clientId }, svgIcon("retry"), "Retry"),
      ),
    );
  }
  const gutter = item.grouped
    ? h("div", { class: "gutter" }, h("span", { class: "hover-time", "aria-hidden": "true" }, hhmm(item.at)))
    : h("div", { class: "gutter" }, avatar(item.senderName));
  setChildren(el, gutter, h("div", { class: "msg-body" }, ...parts));
}
