// The protocol's rules that need no schema library: limits, how lengths are
// counted, how names compare, what a mention is. Split from protocol.ts so
// the browser bundle can use them without carrying zod; protocol.ts
// re-exports all of it.

export const PROTOCOL_VERSION = 1;

/**
 * What a client passes as `io(url, { auth })`. `protocol` is optional, so a
 * v1 client that predates it still connects; a client that names a version
 * the server does not speak is refused with `connect_error` whose message is
 * `UNSUPPORTED_PROTOCOL` and whose `data` is `{ supported: number[] }`.
 */
export type HandshakeAuth = { token?: string; protocol?: number };
export const UNSUPPORTED_PROTOCOL = "UNSUPPORTED_PROTOCOL";

/** Lengths are counted in Unicode code points, not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

/**
 * What makes two public room names "the same ignoring case", for the server's
 * uniqueness rule and for clients looking a room up by name: Unicode case
 * folding (upper then lower maps ß to ss) after NFKC, which also folds
 * look-alike compatibility forms such as full-width letters.
 */
export function roomNameKey(name: string): string {
  return name.trim().normalize("NFKC").toUpperCase().toLowerCase();
}

const MENTION = /(?:^|[^A-Za-z0-9_.-])@([A-Za-z0-9_.-]{3,32})/g;

/**
 * The usernames a text @mentions, lowercased and once each. "@bob." also
 * yields "bob", since a sentence may end right after a name.
 */
export function mentionedUsernames(text: string): string[] {
  const names = new Set<string>();
  for (const [, name] of text.matchAll(MENTION)) {
    const lower = name!.toLowerCase();
    names.add(lower);
    const trimmed = lower.replace(/[.-]+$/, "");
    if (trimmed.length >= 3) names.add(trimmed);
  }
  return [...names];
}

export const FIELD_LIMITS = {
  messageText: 4000,
  roomName: 64,
  clientId: 64,
  historyDefault: 50,
  historyMax: 100,
  searchDefault: 20,
  searchMax: 100,
  browseDefault: 50,
  browseMax: 100,
  suggestDefault: 8,
  suggestMax: 20,
} as const;
