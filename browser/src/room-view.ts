// The open room (the page's main landmark): header with the room's name,
// the Members toggle, invite (private rooms) and leave; the message log, who
// is typing, the composer; the members panel beside them. With no room open,
// a short hint instead.
import type { Room } from "../../common/protocol";
import { roomLabel } from "../../common/wording";
import { avatar } from "./avatar";
import { Composer } from "./composer";
import { h, setChildren, showFormError } from "./dom";
import { svgIcon } from "./icons";
import { MembersPanel } from "./members-panel";
import { MessageLog, type LogActions } from "./message-log";
import type { Change, Store } from "./store";
import { UsernameForm } from "./username-form";

export type RoomActions = LogActions & {
  send(roomId: string, text: string): void;
  typing(roomId: string, typing: boolean): void;
  loadMembers(roomId: string): void;
  /** Resolves with a confirmation to show; rejects with a message to show. */
  invite(roomId: string, username: string): Promise<string>;
  leave(roomId: string): Promise<void>;
};

/** "alice is typing…", "alice and bob are typing…", "alice, bob and carol are typing…". */
export function typingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length > 3) return "Several people are typing…";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are typing…`;
}

const MEMBERS_OPEN = "chat.membersOpen";
const NARROW = "(max-width: 760px)";

function storedMembersOpen(): boolean {
  try {
    const stored = localStorage.getItem(MEMBERS_OPEN);
    if (stored !== null) return stored === "1";
  } catch {
    // Storage disabled: the default by width.
  }
  return window.matchMedia("(min-width: 1100px)").matches;
}

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
  private readonly invite: UsernameForm;
  private readonly leaveButton = h("button", { type: "button", class: "button ghost small leave" }, "Leave");
  private readonly headerError = h("div", { class: "error-slot header-error" });
  private readonly log: MessageLog;
  private readonly typingLine = h("div", { class: "typing-line" });
  private readonly members: MembersPanel;
  private readonly membersCount = h("span", { class: "members-count" });
  private readonly membersButton: HTMLButtonElement;
  private readonly narrow = window.matchMedia(NARROW);
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private roomId: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly actions: RoomActions,
    announcer: HTMLElement,
  ) {
    this.composer = new Composer(
      (roomId, text) => {
        // Showing an older stretch: go to the newest first, where the message will appear.
        if (!store.log(roomId).following) actions.jumpToLatest(roomId);
        this.log.pinToBottom();
        actions.send(roomId, text);
      },
      (roomId, typing) => actions.typing(roomId, typing),
    );
    this.log = new MessageLog(store, actions, () => this.composer.focus());
    this.members = new MembersPanel(store, (roomId) => actions.loadMembers(roomId));
    this.membersButton = h(
      "button",
      { type: "button", class: "button ghost small members-toggle", "aria-expanded": "false", "aria-controls": "members-panel" },
      svgIcon("users"),
      h("span", { class: "members-label" }, "Members"),
      this.membersCount,
    );
    this.membersButton.addEventListener("click", () => {
      const open = this.members.el.hidden;
      this.setMembersOpen(open);
      if (!this.narrow.matches) {
        try {
          localStorage.setItem(MEMBERS_OPEN, open ? "1" : "0");
        } catch {
          // Not remembered then.
        }
      }
    });
    this.members.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.narrow.matches) {
        e.stopPropagation();
        this.setMembersOpen(false);
        this.membersButton.focus();
      }
    });
    this.narrow.addEventListener("change", () => this.setMembersOpen(!this.narrow.matches && storedMembersOpen()));

    // ---- invite (private rooms)
    this.invite = new UsernameForm({
      idPrefix: "invite",
      label: "Invite user",
      button: "Invite",
      formClass: "invite-form",
      placeholder: "username to invite",
      empty: "Type the username of the person to invite.",
      confirms: true,
      submit: (username) => {
        const roomId = this.roomId;
        return roomId === null ? Promise.resolve() : actions.invite(roomId, username);
      },
    });
    this.leaveButton.addEventListener("click", () => this.leave());

    this.header = h(
      "div",
      { class: "room-header" },
      h("div", { class: "room-heading" }, this.titleIcon, h("div", { class: "room-heading-text" }, this.title, this.kind)),
      h("div", { class: "room-tools" }, this.membersButton, this.invite.el, this.leaveButton),
      this.headerError,
    );

    this.body = h(
      "div",
      { class: "room-body" },
      this.header,
      h(
        "div",
        { class: "room-content" },
        h("div", { class: "room-column" }, this.log.el, this.typingLine, this.composer.el),
        this.members.el,
      ),
    );
    this.empty = h(
      "div",
      { class: "room-empty" },
      h("div", { class: "room-empty-art", "aria-hidden": "true" }, svgIcon("hash", "icon big")),
      h("p", { class: "room-empty-title" }, "No room open"),
      h("p", {}, "Pick a room or a conversation, create a room, or join a public one."),
    );
    this.el = h("main", { id: "main", class: "room" }, this.empty, this.body, announcer);

    store.subscribe((change) => this.onChange(change));
    this.setMembersOpen(!this.narrow.matches && storedMembersOpen());
    this.show(null);
  }

  private setMembersOpen(open: boolean): void {
    this.members.el.hidden = !open;
    this.membersButton.setAttribute("aria-expanded", String(open));
  }

  private renderMembers(): void {
    this.members.render(this.roomId);
    const count = this.members.count(this.roomId);
    this.membersCount.textContent = count === null ? "" : String(count);
  }

  private renderTyping(): void {
    this.typingLine.textContent = this.roomId === null ? "" : typingText(this.store.typing(this.roomId));
  }

  // ------------------------------------------------------------ switching rooms

  private show(roomId: string | null): void {
    this.roomId = roomId;
    this.invite.reset();
    showFormError(this.headerError, null);
    const room = this.store.room(roomId);
    this.empty.hidden = room !== undefined;
    this.body.hidden = room === undefined;
    this.composer.setRoom(room ? room.id : null, room ? this.placeholder(room) : "");
    this.renderHeader();
    this.renderMembers();
    this.renderTyping();
    // On a narrow screen the panel covers the log: a newly opened room starts without it.
    if (this.narrow.matches) this.setMembersOpen(false);
    this.log.show(room ? room.id : null);
  }

  private placeholder(room: Room): string {
    return `Message ${roomLabel(room)}`;
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
    this.invite.el.hidden = room.kind !== "private";
    this.leaveButton.hidden = room.kind === "dm";
    this.composer.input.placeholder = this.placeholder(room);
  }

  private onChange(change: Change): void {
    if (change.current && this.store.currentRoomId !== this.roomId) {
      this.show(this.store.currentRoomId);
      return;
    }
    if (change.rooms) this.renderHeader();
    if (change.members || change.presence) this.renderMembers();
    if (change.typing) this.renderTyping();
    const causes = this.roomId === null ? undefined : change.logs.get(this.roomId);
    if (causes) this.log.render(causes);
  }

  // ------------------------------------------------------------ header actions

  private leave(): void {
    const room = this.store.room(this.roomId);
    if (!room) return;
    if (room.kind === "private" && !window.confirm(`Leave ${room.name}? You will need a new invitation to come back.`)) return;
    showFormError(this.headerError, null);
    this.actions.leave(room.id).catch((err: unknown) => showFormError(this.headerError, (err as Error).message));
  }
}
