// The open room's header: its icon (or the other user's avatar), its name
// (isolated, so a right-to-left name keeps the header's order) and kind, and
// the tools: Members (with the count), Add people (private rooms: opens a
// row under the header with the invitation form, with suggestions) and
// Leave. On a narrow screen the tools shrink to icons, so the header never
// grows wider than the screen.
import type { Room } from "../../common/protocol";
import { avatar } from "./avatar";
import { h, setChildren, showFormError } from "./dom";
import { formToggle, type FormToggle } from "./form-toggle";
import { svgIcon } from "./icons";
import type { PeopleSuggestions } from "./people-suggestions";
import { UsernameForm } from "./username-form";

function kindLabel(room: Room): string {
  return room.kind === "dm" ? "Direct message" : room.kind === "private" ? "Private room" : "Public room";
}

export type HeaderActions = {
  /** Resolves with a confirmation to show; rejects with a message to show. */
  invite(roomId: string, username: string): Promise<string>;
  leave(roomId: string): Promise<void>;
};

export class RoomHeader {
  readonly el: HTMLElement;
  readonly membersButton: HTMLButtonElement;
  private readonly membersCount = h("span", { class: "members-count" });
  private readonly title = h("h2", { class: "room-title" });
  private readonly titleIcon = h("span", { class: "room-title-icon" });
  private readonly kind = h("span", { class: "room-kind" });
  private readonly invite: UsernameForm;
  private readonly inviteToggle: FormToggle;
  private readonly leaveButton = h(
    "button",
    { type: "button", class: "button ghost small leave", title: "Leave this room" },
    svgIcon("logout"),
    h("span", { class: "tool-label" }, "Leave"),
  );
  private readonly error = h("div", { class: "error-slot header-error" });
  private room: Room | null = null;

  constructor(
    private readonly actions: HeaderActions,
    suggestions: PeopleSuggestions,
    /** The room whose members come first in suggestions. */
    currentRoom: () => string | null,
  ) {
    this.membersButton = h(
      "button",
      { type: "button", class: "button ghost small members-toggle", "aria-expanded": "false", "aria-controls": "members-panel" },
      svgIcon("users"),
      h("span", { class: "members-label" }, "Members"),
      this.membersCount,
    );
    this.invite = new UsernameForm({
      idPrefix: "invite",
      label: "Invite user",
      button: "Invite",
      formClass: "invite-form",
      placeholder: "username to invite",
      empty: "Type the username of the person to invite.",
      confirms: true,
      suggest: { people: suggestions, roomId: currentRoom },
      submit: (username) => {
        const room = this.room;
        return room === null ? Promise.resolve() : actions.invite(room.id, username);
      },
    });
    this.inviteToggle = formToggle(this.invite.el, () => this.invite.input, { label: "Add people", icon: "userPlus", text: "Add people" });
    this.inviteToggle.button.classList.add("add-people");
    this.leaveButton.addEventListener("click", () => this.leave());
    this.el = h(
      "div",
      { class: "room-header" },
      h(
        "div",
        { class: "room-header-row" },
        h("div", { class: "room-heading" }, this.titleIcon, h("div", { class: "room-heading-text" }, this.title, this.kind)),
        h("div", { class: "room-tools" }, this.membersButton, this.inviteToggle.button, this.leaveButton),
      ),
      this.invite.el,
      this.error,
    );
  }

  /** Another room (or the same one, renamed or changed): redrawn; forms and errors start over. */
  show(room: Room | undefined, fresh: boolean): void {
    this.room = room ?? null;
    if (fresh) {
      this.invite.reset();
      this.inviteToggle.close();
      showFormError(this.error, null);
    }
    if (!room) return;
    setChildren(this.title, h("bdi", {}, room.name));
    this.kind.textContent = kindLabel(room);
    setChildren(this.titleIcon, room.kind === "dm" ? avatar(room.name, "avatar") : svgIcon(room.kind === "private" ? "lock" : "hash", "icon"));
    this.inviteToggle.button.hidden = room.kind !== "private";
    if (room.kind !== "private") this.inviteToggle.close();
    this.leaveButton.hidden = room.kind === "dm";
  }

  setMembersCount(n: number | null): void {
    this.membersCount.textContent = n === null ? "" : String(n);
  }

  /** Closes the invitation row; true when it was open. */
  closeForms(): boolean {
    if (!this.inviteToggle.isOpen) return false;
    this.inviteToggle.close(true);
    return true;
  }

  private leave(): void {
    const room = this.room;
    if (!room) return;
    // The name isolated (FSI … PDI): a right-to-left name cannot scramble the question around it.
    if (room.kind === "private" && !window.confirm(`Leave \u2068${room.name}\u2069? You will need a new invitation to come back.`)) return;
    showFormError(this.error, null);
    this.actions.leave(room.id).catch((err: unknown) => showFormError(this.error, (err as Error).message));
  }
}
