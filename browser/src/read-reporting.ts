// While a room is open and the page visible and focused, the newest message
// shown is reported read (through the client core's ReadMarkers, which keeps
// it to one call in flight). Checked again whenever the open room, its
// messages, the room list or the page's visibility change.
import type { ReadMarkers } from "../../common/read-markers";
import type { Store } from "./store";

/** Whether the user can be reading the open room now. */
function reading(): boolean {
  return document.visibilityState === "visible" && document.hasFocus();
}

/** Starts reporting; returns a function that stops it. */
export function reportReading(store: Store, reads: ReadMarkers): () => void {
  const sync = () => {
    const roomId = store.currentRoomId;
    if (roomId === null || !reading() || !store.log(roomId).newestLoaded) return;
    const newest = store.newestSeq(roomId);
    if (newest !== undefined) reads.mark(roomId, newest);
  };
  const unsubscribe = store.subscribe((change) => {
    if (change.current || change.rooms || (store.currentRoomId !== null && change.logs.has(store.currentRoomId))) sync();
  });
  document.addEventListener("visibilitychange", sync);
  window.addEventListener("focus", sync);
  return () => {
    unsubscribe();
    document.removeEventListener("visibilitychange", sync);
    window.removeEventListener("focus", sync);
  };
}
