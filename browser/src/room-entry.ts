// One room in the side panel: a button named exactly after the room (its
// name isolated, so a right-to-left name cannot reorder what follows), with
// its icon (or, for a dm, the other user's avatar with an online dot), unread
// and mention badges drawn by CSS, and what the dot and the badges say
// written out for screen readers.
import type { Room } from "../../common/protocol";
import { count } from "../../common/wording";
import { h, srOnly } from "./dom";
import { svgIcon } from "./icons";
import { avatarWithPresence } from "./presence-avatar";

/** `online`: a dm's other user, when known. */
export type RoomEntryState = { room: Room; current: boolean; unread: number; mentions: number; online: boolean | undefined };

const badgeCount = (n: number) => (n > 99 ? "99+" : String(n));

/** What screen readers hear after the room's name, or null. */
function description({ room, unread, mentions, online }: RoomEntryState): string | null {
  const parts: string[] = [];
  if (online !== undefined) parts.push(online ? "online" : "offline");
  if (unread > 0) parts.push(`${count(unread, "unread message")}${mentions > 0 ? `, ${count(mentions, "mention")} of you` : ""}`);
  if (!room.joined) parts.push("Not joined yet: select to join");
  return parts.length > 0 ? parts.join(", ") : null;
}

/** Fills `li` with the entry; a button that had focus keeps it. */
export function fillRoomEntry(li: HTMLElement, entry: RoomEntryState, onSelect: (roomId: string) => void): void {
  const { room, current, unread, mentions, online } = entry;
  const hadFocus = li.contains(document.activeElement) && document.activeElement?.matches("button.room-item");
  const said = description(entry);
  const descriptionId = `${li.dataset.key ?? room.id}-desc`;
  const button = h(
    "button",
    {
      type: "button",
      class: `room-item${unread > 0 ? " unread" : ""}${room.joined ? "" : " not-joined"}`,
      "data-room-id": room.id,
      "aria-current": current ? "page" : null,
      "aria-describedby": said ? descriptionId : null,
    },
    room.kind === "dm" ? avatarWithPresence(room.name, online) : svgIcon(room.kind === "private" ? "lock" : "hash", "icon room-icon"),
    h("bdi", { class: "room-name" }, room.name),
    // Drawn by CSS from data-count: the button's text (and accessible name) stays exactly the room name.
    mentions > 0 ? h("span", { class: "badge mention-badge", "aria-hidden": "true", "data-count": `@${badgeCount(mentions)}` }) : null,
    unread > 0 ? h("span", { class: "badge", "aria-hidden": "true", "data-count": badgeCount(unread) }) : null,
    !room.joined ? h("span", { class: "join-hint", "aria-hidden": "true" }) : null,
  );
  button.addEventListener("click", () => onSelect(room.id));
  li.replaceChildren(button);
  if (said) {
    const text = srOnly(said);
    text.id = descriptionId;
    li.appendChild(text);
  }
  if (hadFocus) button.focus();
}
