// The page's key-value store: the browser's localStorage, with every failure
// (storage disabled, full) swallowed, so the page goes on without it.
import { guardedStore, type KeyValueStore } from "../../common/key-value";

export const pageStorage: KeyValueStore = guardedStore(() => localStorage);
