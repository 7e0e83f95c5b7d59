// Mentions as clients see them: whether a message counts as mentioning a
// user (as the server counts them for `unreadMentions`), and where each
// @name stands in a text, for highlighting. Which names a text mentions is
// common/rules.ts's `mentionedUsernames`, the server's own rule.
import type { Message, User } from "./protocol";
import { mentionedUsernames } from "./rules";

/** Whether `message` mentions `user`: by name, ignoring case, not deleted, and written by someone else. */
export function mentionsUser(message: Pick<Message, "text" | "deleted" | "sender">, user: User): boolean {
  return !message.deleted && message.sender.id !== user.id && mentionedUsernames(message.text).includes(user.username.toLowerCase());
}

export type MentionSpan = { start: number; end: number; username: string };

/** "@name" not glued to a name character before it, as mentionedUsernames reads a mention. */
const MENTION = /(^|[^A-Za-z0-9_.-])@([A-Za-z0-9_.-]{3,32})/g;

/**
 * Where each @mention stands in `text` (`start` at the "@", `end` after the
 * name). "@bob." spans "@bob": a sentence may end right after a name.
 */
export function mentionSpans(text: string): MentionSpan[] {
  const spans: MentionSpan[] = [];
  for (const match of text.matchAll(MENTION)) {
    let name = match[2] ?? "";
    const trimmed = name.replace(/[.-]+$/, "");
    if (trimmed.length >= 3) name = trimmed;
    const start = match.index + (match[1] ?? "").length;
    spans.push({ start, end: start + 1 + name.length, username: name });
  }
  return spans;
}
