// Where a client keeps small things between runs (drafts, the last room):
// the shape of the Web Storage API, so the page passes localStorage through
// a guard, and Node scripts or tests a Map.

export type KeyValueStore = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

/** A store in memory, gone with the process. */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * `storage` with every failure swallowed: a browser with storage disabled, or
 * full, reads nothing and keeps nothing, and the client goes on.
 */
export function guardedStore(storage: () => KeyValueStore): KeyValueStore {
  return {
    getItem(key) {
      try {
        return storage().getItem(key);
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        storage().setItem(key, value);
      } catch {
        // Not kept, then.
      }
    },
    removeItem(key) {
      try {
        storage().removeItem(key);
      } catch {
        // Nothing to remove, then.
      }
    },
  };
}
