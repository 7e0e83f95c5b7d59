// The log's lines that are not messages: a day separator, a system line
// ("alice joined 14:02", the name isolated), and the "New messages" line
// before the first unread message.
import { h, setChildren } from "./dom";
import { dayLabel, timeElement } from "./format";
import type { DayItem, SystemItem, UnreadItem } from "./timeline";

const VERBS = { "member-joined": " joined", "member-left": " left", "member-invited": " was invited" } as const;

export type MarkerItem = DayItem | SystemItem | UnreadItem;

/** Everything a marker shows, as one string: unchanged means nothing to redraw. */
export function markerSignature(item: MarkerItem): string {
  return item.kind === "day" ? `day:${dayLabel(item.at)}` : item.kind;
}

export function fillMarker(item: MarkerItem, el: HTMLElement): void {
  if (item.kind === "unread") {
    el.className = "unread-line";
    setChildren(el, h("span", {}, "New messages"));
  } else if (item.kind === "day") {
    el.className = "day";
    setChildren(el, h("span", {}, dayLabel(item.at)));
  } else {
    el.className = "system";
    el.setAttribute("data-system", item.event.type);
    const text = h("span", { class: "system-text" }, h("bdi", {}, item.event.user.username), VERBS[item.event.type]);
    setChildren(el, text, " ", timeElement(item.at));
  }
}
