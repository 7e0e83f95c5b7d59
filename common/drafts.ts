// What the user has typed in each room's message box and not sent, kept
// across reloads (one record per user, so a shared browser does not show
// one person's drafts to another). Each change reads the record afresh, so
// two tabs writing drafts for different rooms keep both.
import type { KeyValueStore } from "./key-value";

/** Drafts beyond this many rooms drop the oldest. */
const MAX_ROOMS = 50;
/** Longer than any message may be, so a text that is too long is kept for shortening. */
const MAX_LENGTH = 16_000;

type DraftRecord = { [roomId: string]: { text: string; at: number } };

export class Drafts {
  private readonly key: string;

  constructor(
    private readonly storage: KeyValueStore,
    userId: string,
  ) {
    this.key = `chat.drafts.${userId}`;
  }

  get(roomId: string): string {
    return this.read()[roomId]?.text ?? "";
  }

  /** Keeps `text` as the room's draft; text that is only white space removes it. */
  set(roomId: string, text: string, at = Date.now()): void {
    const record = this.read();
    if (/\S/.test(text)) record[roomId] = { text: text.slice(0, MAX_LENGTH), at };
    else if (record[roomId]) delete record[roomId];
    else return;
    const rooms = Object.entries(record).sort(([, a], [, b]) => b.at - a.at);
    this.write(Object.fromEntries(rooms.slice(0, MAX_ROOMS)));
  }

  /** Forgets every draft (the user signed out). */
  clear(): void {
    this.storage.removeItem(this.key);
  }

  private read(): DraftRecord {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.key) ?? "{}");
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
      const record: DraftRecord = {};
      for (const [roomId, value] of Object.entries(parsed as { [k: string]: unknown })) {
        const draft = value as { text?: unknown; at?: unknown } | null;
        if (typeof draft?.text === "string" && typeof draft.at === "number") record[roomId] = { text: draft.text, at: draft.at };
      }
      return record;
    } catch {
      return {};
    }
  }

  private write(record: DraftRecord): void {
    if (Object.keys(record).length === 0) this.storage.removeItem(this.key);
    else this.storage.setItem(this.key, JSON.stringify(record));
  }
}
