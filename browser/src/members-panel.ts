// Who is in the open room (room:members), online first, each with an online
// dot and its text alternative (a visitor of a public room is not told who
// is online: then no dots at all). Shown beside the log on wide screens and
// over it on narrow ones; the room header's "Members" button toggles it.
import type { RoomMember } from "../../common/protocol";
import { count } from "../../common/wording";
import { h, setChildren, uid } from "./dom";
import { avatarWithPresence, presenceText } from "./presence-avatar";
import type { Store } from "./store";

const byPresenceThenName = (store: Store) => (a: RoomMember, b: RoomMember) =>
  Number(store.people.isOnline(b) ?? false) - Number(store.people.isOnline(a) ?? false) ||
  a.username.localeCompare(b.username, undefined, { sensitivity: "base" });

export class MembersPanel {
  readonly el: HTMLElement;
  private readonly summary = h("p", { class: "members-summary" });
  private readonly list = h("ul", { class: "member-list", role: "list" });
  private readonly note = h("p", { class: "members-note" });
  private signature = "";

  constructor(
    private readonly store: Store,
    private readonly reload: (roomId: string) => void,
  ) {
    const headingId = uid("members-heading");
    this.el = h(
      "section",
      { id: "members-panel", class: "members-panel", "aria-labelledby": headingId, hidden: true },
      h("h3", { id: headingId, class: "members-title" }, "Members"),
      this.summary,
      h("div", { class: "members-scroll", tabindex: 0, "aria-labelledby": headingId }, this.note, this.list),
    );
    this.note.addEventListener("click", (e) => {
      if ((e.target as Element).closest("button[data-reload]") && this.store.currentRoomId !== null) this.reload(this.store.currentRoomId);
    });
  }

  /** How many members the open room has, once known. */
  count(roomId: string | null): number | null {
    return roomId === null ? null : (this.store.people.members(roomId)?.list?.length ?? null);
  }

  render(roomId: string | null): void {
    const entry = this.store.people.members(roomId);
    const list = entry?.list ?? null;
    const sorted = list ? [...list].sort(byPresenceThenName(this.store)) : [];
    const signature = JSON.stringify([
      roomId,
      entry?.loading,
      entry?.error,
      sorted.map((m) => [m.id, m.username, this.store.people.isOnline(m)]),
    ]);
    if (signature === this.signature) return;
    this.signature = signature;

    if (!list) {
      this.summary.textContent = "";
      this.list.replaceChildren();
      if (entry?.error) {
        setChildren(
          this.note,
          `${entry.error} `,
          h("button", { type: "button", class: "button secondary small", "data-reload": "" }, "Try again"),
        );
      } else {
        setChildren(this.note, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading members…");
      }
      this.note.hidden = false;
      return;
    }
    this.note.hidden = true;
    const told = sorted.some((m) => m.id !== this.store.me.id && this.store.people.isOnline(m) !== undefined);
    const online = sorted.filter((m) => this.store.people.isOnline(m)).length;
    this.summary.textContent = told || sorted.length <= 1 ? `${count(list.length, "member")} · ${online} online` : count(list.length, "member");
    setChildren(
      this.list,
      ...sorted.map((m) => {
        const on = this.store.people.isOnline(m);
        const me = m.id === this.store.me.id;
        return h(
          "li",
          { class: "member", "data-user-id": m.id, "data-online": on === undefined ? null : String(on) },
          avatarWithPresence(m.username, on),
          h("bdi", { class: "member-name" }, m.username),
          me ? h("span", { class: "member-you" }, "(you)") : null,
          presenceText(on),
        );
      }),
    );
  }
}
