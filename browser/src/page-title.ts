// The tab's title: the unread count of every room, then the open room.
import { roomLabel } from "../../common/wording";
import type { Store } from "./store";

export function keepTitle(store: Store): () => void {
  return store.subscribe(() => {
    const unread = store.directory.totalUnread();
    const room = store.room(store.currentRoomId);
    document.title = `${unread > 0 ? `(${unread}) ` : ""}${room ? `${roomLabel(room)} · ` : ""}Chat`;
  });
}
