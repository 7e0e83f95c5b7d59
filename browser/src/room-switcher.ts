// Ctrl+K (Cmd+K): a dialog to jump to any room or conversation by typing part
// of its name. Rooms with unread messages come first, then by activity; a
// public room not joined yet is joined on choosing; with no match it offers
// to create the room. Up and Down move, Enter opens, Escape closes.
import type { Room } from "../../common/protocol";
import { count, roomLabel } from "../../common/wording";
import { avatar } from "./avatar";
import { Dialog } from "./dialog";
import { h, showFormError, uid } from "./dom";
import { svgIcon } from "./icons";
import type { Store } from "./store";
import { SuggestionList } from "./suggestion-list";

export type SwitcherActions = {
  open(roomId: string): void;
  /** Rejects with a message to show. */
  join(roomId: string): Promise<void>;
  newRoom(name: string): void;
};

type Choice = { id: string; room: Room | null; label: string };

const SHOWN = 12;

export class RoomSwitcher {
  private readonly dialog = new Dialog("Switch to a room", "switcher-dialog");
  private readonly input: HTMLInputElement;
  private readonly list: SuggestionList<Choice>;
  private readonly error = h("div", { class: "error-slot" });

  constructor(
    private readonly store: Store,
    private readonly actions: SwitcherActions,
  ) {
    this.input = h("input", { id: uid("switch"), type: "text", role: "combobox", autocomplete: "off", spellcheck: "false", maxlength: 64 });
    this.list = new SuggestionList<Choice>(this.input, "Rooms and conversations", (choice) => this.choose(choice), (c) => this.option(c));
    this.dialog.body.append(
      h("label", { for: this.input.id, class: "small-label" }, "Find a room or conversation"),
      this.input,
      this.list.el,
      this.error,
      h("p", { class: "hint" }, "↑ ↓ to move · Enter to open · Esc to close"),
    );
    this.input.addEventListener("input", () => this.update());
    this.input.addEventListener("keydown", (e) => {
      // Escape closes the dialog itself (the list is all it shows).
      if (e.key === "Escape") return;
      if (e.key === "Enter" && !this.list.current()) {
        e.preventDefault();
        const first = this.list.current(true);
        if (first) this.choose(first);
        return;
      }
      this.list.key(e);
    });
  }

  open(): void {
    this.input.value = "";
    showFormError(this.error, null);
    this.dialog.open(this.input);
    this.update();
  }

  get isOpen(): boolean {
    return this.dialog.isOpen;
  }

  dispose(): void {
    this.dialog.dispose();
  }

  private update(): void {
    const { directory } = this.store;
    const q = this.input.value.trim().toLowerCase();
    const matches = directory
      .all()
      .filter((r) => (r.joined || r.kind === "public") && r.id !== this.store.currentRoomId && r.name.toLowerCase().includes(q))
      .sort(
        (a, b) =>
          Number(b.joined) - Number(a.joined) ||
          Number(directory.unread(b.id) > 0) - Number(directory.unread(a.id) > 0) ||
          directory.byActivity(a, b),
      )
      .slice(0, SHOWN)
      .map((room): Choice => ({ id: room.id, room, label: roomLabel(room) }));
    const exact = matches.some((c) => c.room?.name.toLowerCase() === q);
    const create: Choice[] = q && !exact ? [{ id: "create", room: null, label: `Create #${this.input.value.trim()}` }] : [];
    this.list.show([...matches, ...create]);
  }

  private option({ room, label }: Choice): Node[] {
    if (!room) return [svgIcon("plus", "icon room-icon"), h("span", { class: "suggestion-name" }, label)];
    const unread = this.store.directory.unread(room.id);
    return [
      room.kind === "dm" ? avatar(room.name, "avatar small") : svgIcon(room.kind === "private" ? "lock" : "hash", "icon room-icon"),
      h("bdi", { class: "suggestion-name" }, room.name),
      h("span", { class: "suggestion-hint" }, !room.joined ? "join" : unread > 0 ? count(unread, "unread message") : room.kind === "dm" ? "direct message" : ""),
    ];
  }

  private choose(choice: Choice): void {
    const room = choice.room;
    if (!room) {
      this.dialog.close(false);
      this.actions.newRoom(this.input.value.trim());
    } else if (room.joined) {
      this.dialog.close(false);
      this.actions.open(room.id);
    } else {
      this.actions.join(room.id).then(
        () => this.dialog.close(false),
        (err: unknown) => showFormError(this.error, (err as Error).message),
      );
    }
  }
}
