// The notes at the two ends of the message log. At the top: loading, a
// failed page with "Try again", "Scroll up for older messages", or the start
// of the room. At the bottom, while an older stretch is shown: loading newer
// messages, a failure, or "Scroll down for newer messages". Each end is
// redrawn only when what it says changed.
import type { Room } from "../../common/protocol";
import { roomLabel } from "../../common/wording";
import { avatar } from "./avatar";
import { h, setChildren } from "./dom";
import { svgIcon } from "./icons";
import type { LoadWhat, RoomLogView } from "./room-log";

const note = (...children: Array<Node | string>) => h("p", { class: "log-note" }, ...children);
const spinner = () => h("span", { class: "spinner", "aria-hidden": "true" });
const retry = (message: string, what: LoadWhat) =>
  h("p", { class: "log-note error" }, message, " ", h("button", { type: "button", class: "button secondary small", "data-load": what }, "Try again"));

function roomStart(room: Room): HTMLElement {
  const dm = room.kind === "dm";
  return h(
    "div",
    { class: "log-start" },
    dm
      ? avatar(room.name, "avatar large")
      : h("span", { class: "log-start-icon", "aria-hidden": "true" }, svgIcon(room.kind === "private" ? "lock" : "hash", "icon big")),
    h("p", { class: "log-start-title" }, h("bdi", {}, roomLabel(room))),
    h(
      "p",
      {},
      ...(dm
        ? ["This is the beginning of your conversation with ", h("bdi", {}, room.name), ". Say hello!"]
        : ["This is the very beginning of ", h("bdi", {}, roomLabel(room)), `. ${room.kind === "private" ? "Add people with the button above, then say hello." : "Say hello!"}`]),
    ),
  );
}

export class LogEdges {
  readonly top = h("div", { class: "log-top" });
  readonly bottom = h("div", { class: "log-bottom" });
  private topSaid = "";
  private bottomSaid = "";

  /** Another room, or the log started over: both ends are drawn afresh. */
  reset(): void {
    this.topSaid = "";
    this.bottomSaid = "";
  }

  render(log: RoomLogView, room: Room | undefined, hasOlder: boolean): void {
    this.renderTop(log, room, hasOlder);
    this.renderBottom(log);
  }

  private renderTop(log: RoomLogView, room: Room | undefined, hasOlder: boolean): void {
    const error = log.loadError && log.loadError.what !== "newer" ? log.loadError : null;
    let state: string;
    if (error) state = `error:${error.what}:${error.message}`;
    else if (log.loadingNewest && log.messages.length === 0) state = "loading-newest";
    else if (log.loadingOlder) state = "loading-older";
    else if (hasOlder) state = "more";
    else if (log.newestLoaded) state = `start:${room?.name ?? ""}`;
    else state = "loading-newest";
    if (state === this.topSaid) return;
    this.topSaid = state;
    if (error) setChildren(this.top, retry(error.message, error.what));
    else if (state === "loading-newest") setChildren(this.top, note(spinner(), "Loading messages…"));
    else if (state === "loading-older") setChildren(this.top, note(spinner(), "Loading older messages…"));
    else if (state === "more") setChildren(this.top, note("Scroll up for older messages"));
    else if (room) setChildren(this.top, roomStart(room));
  }

  private renderBottom(log: RoomLogView): void {
    const error = log.loadError?.what === "newer" ? log.loadError : null;
    let state = "";
    if (error) state = `error:${error.message}`;
    else if (log.loadingNewer) state = "loading";
    else if (log.newestLoaded && !log.following) state = "more";
    if (state === this.bottomSaid) return;
    this.bottomSaid = state;
    if (error) setChildren(this.bottom, retry(error.message, "newer"));
    else if (state === "loading") setChildren(this.bottom, note(spinner(), "Loading newer messages…"));
    else if (state === "more") setChildren(this.bottom, note("Scroll down for newer messages"));
    else this.bottom.replaceChildren();
  }
}
