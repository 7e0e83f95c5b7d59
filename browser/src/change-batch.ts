// What changed in the store, gathered over one task and told to every
// listener once, in a microtask: a burst of changes (a history page, a
// catch-up) re-renders each view once.
export type LogCause = "newest" | "older" | "newer" | "window" | "live" | "pending" | "update" | "reset";
export type Change = {
  rooms: boolean;
  current: boolean;
  /** Per room whose log changed, why (views keep the scroll position by it). */
  logs: Map<string, Set<LogCause>>;
  members: boolean;
  contacts: boolean;
  presence: boolean;
  /** Names the page knows of changed (which @names are highlighted as mentions). */
  people: boolean;
  typing: boolean;
};
export type ChangeFlag = Exclude<keyof Change, "logs">;

export class ChangeBatch {
  private readonly listeners = new Set<(change: Change) => void>();
  private batch: Change | null = null;

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  log(roomId: string, cause: LogCause): void {
    const batch = this.open();
    let causes = batch.logs.get(roomId);
    if (!causes) {
      causes = new Set();
      batch.logs.set(roomId, causes);
    }
    causes.add(cause);
  }

  flags(what: Partial<Record<ChangeFlag, boolean>>): void {
    const batch = this.open();
    for (const [flag, on] of Object.entries(what) as Array<[ChangeFlag, boolean]>) if (on) batch[flag] = true;
  }

  private open(): Change {
    if (!this.batch) {
      this.batch = { rooms: false, current: false, logs: new Map(), members: false, contacts: false, presence: false, people: false, typing: false };
      queueMicrotask(() => this.flush());
    }
    return this.batch;
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = null;
    if (!batch) return;
    for (const listener of this.listeners) listener(batch);
  }
}
