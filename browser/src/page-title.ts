// The tab's title: the unread count of every room, then the open room (its
// name isolated, so a right-to-left name cannot pull the count or "Chat" into it).
import { roomLabel } from "../../common/wording";
import { isolate } from "./format";
import type { Store } from "./store";

export function keepTitle(store: Store): () => void {
  return store.subscribe(() => {
    const unread = store.directory.totalUnread();
    const room = store.room(store.currentRoomId);
    document.title = `${unread > 0 ? `(${unread}) ` : ""}${room ? `${isolate(roomLabel(room))} · ` : ""}Chat`;
  });
}
