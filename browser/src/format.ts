// Times, days and message text (links, mentions) for display, and names
// isolated for bidirectional text where they go into plain strings.
import { mentionSpans } from "../../common/mentions";
import { clockTime } from "../../common/wording";
import { h } from "./dom";

const pad = (n: number) => String(n).padStart(2, "0");

/** "14:02", local time. */
export const hhmm = clockTime;

/** A <time> element: "14:02", with the full date and time as its tooltip. */
export function timeElement(ms: number): HTMLTimeElement {
  return h("time", { class: "time", datetime: new Date(ms).toISOString(), title: fullTime(ms) }, hhmm(ms));
}

/** "2025-03-04", local date: a key for grouping by day. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Today", "Yesterday", "Monday, 3 March" or with the year when it is not this year. */
export function dayLabel(ms: number, now = Date.now()): string {
  const key = dayKey(ms);
  if (key === dayKey(now)) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return "Yesterday";
  const d = new Date(ms);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

/** Full local date and time, for a tooltip. */
export function fullTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" });
}

/**
 * A name set inside a plain string (a title, a placeholder, a question)
 * between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a right-to-left
 * name, or one ending in digits, cannot then reorder the words around it.
 * (In elements, names go in <bdi> instead.)
 */
export function isolate(name: string): string {
  return `\u2068${name}\u2069`;
}

/** Whether a @name is someone's (the page knows of them): only those are highlighted as mentions. */
export type KnowsUser = (username: string) => boolean;

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/**
 * Plain text with each @mention of a real user (as the client core finds
 * them, `knows` says who is real) in a span.mention, ".self" when it names
 * the reader; an @name nobody has stays plain text.
 */
function mentionNodes(text: string, me: string | null, knows: KnowsUser): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const { start, end, username } of mentionSpans(text)) {
    if (!knows(username)) continue;
    if (start > last) nodes.push(document.createTextNode(text.slice(last, start)));
    const mine = me !== null && username.toLowerCase() === me.toLowerCase();
    nodes.push(h("span", { class: mine ? "mention self" : "mention" }, `@${username}`));
    last = end;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * Message text as nodes: plain text nodes, http(s) URLs as links, @mentions
 * in spans. The concatenated textContent is exactly the original text.
 */
export function messageTextNodes(text: string, me: string | null = null, knows: KnowsUser = () => true): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = TRAILING_PUNCTUATION.exec(url)?.[0] ?? "";
    if (trailing) url = url.slice(0, -trailing.length);
    const start = match.index;
    if (start > last) nodes.push(...mentionNodes(text.slice(last, start), me, knows));
    nodes.push(h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow" }, url));
    last = start + url.length;
  }
  if (last < text.length) nodes.push(...mentionNodes(text.slice(last), me, knows));
  return nodes;
}

/** The @names of a text that `knows` recognises, for telling when a message must be redrawn. */
export function knownMentions(text: string, knows: KnowsUser): string[] {
  return mentionSpans(text)
    .map((s) => s.username.toLowerCase())
    .filter((name) => knows(name));
}

/** Case and accents folded, as the server's search compares words. */
function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a search query, folded, as the server reads them. */
export function queryWords(query: string): string[] {
  return [...new Set((query.match(WORD) ?? []).map(fold))];
}

/**
 * A search result's text as nodes, cut to about `max` characters around the
 * first match, with every word that a query word starts in a <mark>.
 */
export function snippetNodes(text: string, words: string[], max = 160): Node[] {
  const matches: Array<[number, number]> = [];
  for (const m of text.matchAll(WORD)) {
    const w = fold(m[0]);
    if (words.some((q) => w.startsWith(q))) matches.push([m.index, m.index + m[0].length]);
  }
  let from = 0;
  let to = text.length;
  const first = matches[0];
  if (text.length > max) {
    from = first ? Math.max(0, Math.min(first[0] - 40, text.length - max)) : 0;
    to = Math.min(text.length, from + max);
  }
  const nodes: Node[] = [];
  if (from > 0) nodes.push(document.createTextNode("…"));
  let last = from;
  for (const [start, end] of matches) {
    if (end <= from || start >= to) continue;
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (s > last) nodes.push(document.createTextNode(text.slice(last, s)));
    nodes.push(h("mark", {}, text.slice(s, e)));
    last = e;
  }
  if (last < to) nodes.push(document.createTextNode(text.slice(last, to)));
  if (to < text.length) nodes.push(document.createTextNode("…"));
  return nodes;
}
