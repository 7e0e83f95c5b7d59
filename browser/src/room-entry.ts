// One room in the side panel: a button named exactly after the room, with
// its icon (or the other user's avatar for a dm), unread and mention badges
// drawn by CSS, and what the badges say written out for screen readers.
import type { Room } from "../../common/protocol";
import { count } from "../../common/wording";
import { avatar } from "./avatar";
import { h, srOnly } from "./dom";
import { svgIcon } from "./icons";

export type RoomEntryState = { room: Room; current: boolean; unread: number; mentions: number };

const badgeCount = (n: number) => (n > 99 ? "99+" : String(n));

/** What screen readers hear after the room's name, or null. */
function description({ room, unread, mentions }: RoomEntryState): string | null {
  if (unread > 0) {
    return `${count(unread, "unread message")}${mentions > 0 ? `, ${count(mentions, "mention")} of you` : ""}`;
  }
  return room.joined ? null : "Not joined yet: select to join";
}

/** Fills `li` with the entry; a button that had focus keeps it. */
export function fillRoomEntry(li: HTMLElement, entry: RoomEntryState, onSelect: (roomId: string) => void): void {
  const { room, current, unread, mentions } = entry;
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
    room.kind === "dm" ? avatar(room.name, "avatar small") : svgIcon(room.kind === "private" ? "lock" : "hash", "icon room-icon"),
    h("span", { class: "room-name" }, room.name),
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
