// The open room (the page's main landmark): header with the room's name,
// invite (private rooms) and leave; the message log; the composer. With no
// room open, a short hint instead.
import type { Room } from "../../common/protocol";
import { USERNAME_PATTERN } from "../../common/rules";
import { avatar } from "./avatar";
import { Composer } from "./composer";
import { h, setChildren, showFormError, uid } from "./dom";
import { svgIcon } from "./icons";
import { MessageLog, type LogActions } from "./message-log";
import type { Change, Store } from "./state";

export type RoomActions = LogActions & {
  send(roomId: string, text: string): void;
  /** Resolves with a confirmation to show; rejects with a message to show. */
  invite(roomId: string, username: string): Promise<string>;
  leave(roomId: string): Promise<void>;
};

function kindLabel(room: Room): string {
  return room.kind === "dm" ? "Direct message" : room.kind === "private" ? "Private room" : "Public room";
}

export class RoomView {
  readonly el: HTMLElement;
  readonly composer: Composer;
  private readonly header: HTMLElement;
  private readonly title = h("h2", { class: "room-title" });
  private readonly titleIcon = h("span", { class: "room-title-icon" });
  private readonly kind = h("span", { class: "room-kind" });
  private readonly inviteForm: HTMLFormElement;
  private readonly inviteInput: HTMLInputElement;
  private readonly inviteFeedback = h("span", { class: "invite-feedback", "aria-live": "polite" });
  private readonly inviteError = h("div", { class: "error-slot" });
  private readonly leaveButton = h("button", { type: "button", class: "button ghost small leave" }, "Leave");
  private readonly headerError = h("div", { class: "error-slot header-error" });
  private readonly log: MessageLog;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private roomId: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly actions: RoomActions,
    announcer: HTMLElement,
  ) {
    this.composer = new Composer((roomId, text) => {
      this.log.pinToBottom();
      actions.send(roomId, text);
    });
    this.log = new MessageLog(store, actions, () => this.composer.focus());

    // ---- invite (private rooms)
    this.inviteInput = h("input", {
      id: uid("invite"),
      type: "text",
      autocomplete: "off",
      autocapitalize: "none",
      spellcheck: "false",
      maxlength: 32,
      placeholder: "username to invite",
    });
    this.inviteForm = h(
      "form",
      { class: "invite-form", novalidate: true },
      h("label", { for: this.inviteInput.id, class: "small-label" }, "Invite user"),
      h(
        "div",
        { class: "input-row" },
        this.inviteInput,
        h("button", { type: "submit", class: "button secondary small" }, "Invite"),
      ),
      this.inviteFeedback,
      this.inviteError,
    );
    this.inviteForm.addEventListener("submit", (e) => {
      e.preventDefault();
      this.invite();
    });
    this.inviteForm.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && (this.inviteInput.value || this.inviteError.childElementCount)) {
        e.stopPropagation();
        this.inviteInput.value = "";
        showFormError(this.inviteError, null);
      }
    });
    this.leaveButton.addEventListener("click", () => this.leave());

    this.header = h(
      "div",
      { class: "room-header" },
      h("div", { class: "room-heading" }, this.titleIcon, h("div", { class: "room-heading-text" }, this.title, this.kind)),
      h("div", { class: "room-tools" }, this.inviteForm, this.leaveButton),
      this.headerError,
    );

    this.body = h("div", { class: "room-body" }, this.header, this.log.el, this.composer.el);
    this.empty = h(
      "div",
      { class: "room-empty" },
      h("div", { class: "room-empty-art", "aria-hidden": "true" }, svgIcon("hash", "icon big")),
      h("p", { class: "room-empty-title" }, "No room open"),
      h("p", {}, "Pick a room or a conversation, create a room, or join a public one."),
    );
    this.el = h("main", { id: "main", class: "room" }, this.empty, this.body, announcer);

    store.subscribe((change) => this.onChange(change));
    this.show(null);
  }

  // ------------------------------------------------------------ switching rooms

  private show(roomId: string | null): void {
    this.roomId = roomId;
    this.inviteInput.value = "";
    this.inviteFeedback.textContent = "";
    showFormError(this.inviteError, null);
    showFormError(this.headerError, null);
    const room = this.store.room(roomId);
    this.empty.hidden = room !== undefined;
    this.body.hidden = room === undefined;
    this.composer.setRoom(room ? room.id : null, room ? this.placeholder(room) : "");
    this.renderHeader();
    this.log.show(room ? room.id : null);
  }

  private placeholder(room: Room): string {
    return room.kind === "dm" ? `Message ${room.name}` : `Message #${room.name}`;
  }

  private renderHeader(): void {
    const room = this.store.room(this.roomId);
    if (!room) return;
    this.title.textContent = room.name;
    this.kind.textContent = kindLabel(room);
    setChildren(
      this.titleIcon,
      room.kind === "dm" ? avatar(room.name, "avatar") : svgIcon(room.kind === "private" ? "lock" : "hash", "icon"),
    );
    this.inviteForm.hidden = room.kind !== "private";
    this.leaveButton.hidden = room.kind === "dm";
    this.composer.input.placeholder = this.placeholder(room);
  }

  private onChange(change: Change): void {
    if (change.current && this.store.currentRoomId !== this.roomId) {
      this.show(this.store.currentRoomId);
      return;
    }
    if (change.rooms) this.renderHeader();
    const causes = this.roomId === null ? undefined : change.logs.get(this.roomId);
    if (causes) this.log.render(causes);
  }

  // ------------------------------------------------------------ header actions

  private invite(): void {
    const roomId = this.roomId;
    if (roomId === null) return;
    const username = this.inviteInput.value.trim();
    this.inviteFeedback.textContent = "";
    if (!username || !USERNAME_PATTERN.test(username)) {
      showFormError(
        this.inviteError,
        username ? `There is no user named “${username}”.` : "Type the username of the person to invite.",
      );
      this.inviteInput.focus();
      return;
    }
    showFormError(this.inviteError, null);
    this.actions.invite(roomId, username).then(
      (confirmation) => {
        if (this.roomId !== roomId) return;
        this.inviteInput.value = "";
        this.inviteFeedback.textContent = confirmation;
      },
      (err: unknown) => {
        if (this.roomId !== roomId) return;
        showFormError(this.inviteError, (err as Error).message);
        this.inviteInput.focus();
      },
    );
  }

  private leave(): void {
    const room = this.store.room(this.roomId);
    if (!room) return;
    if (room.kind === "private" && !window.confirm(`Leave ${room.name}? You will need a new invitation to come back.`)) return;
    showFormError(this.headerError, null);
    this.actions.leave(room.id).catch((err: unknown) => showFormError(this.headerError, (err as Error).message));
  }
}
