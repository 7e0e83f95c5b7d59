// The way to the first unread message: when a room is opened with unread
// messages, a "New messages" line stands before the first of them (the
// timeline puts it there), and while that line is above what the reader sees,
// or not loaded at all, a "N new messages · Jump" button at the top of the
// log takes them to it (loading the stretch around it when needed). Once the
// line has been on screen the button is gone for this visit.
import { count } from "../../common/wording";
import { h } from "./dom";
import { svgIcon } from "./icons";

export type UnreadState = {
  /** The read marker when the room was opened, or null when nothing was unread. */
  unreadAfter: number | null;
  /** Messages after that marker. */
  unread: number;
  /** The oldest message loaded, if any. */
  oldestSeq: number | undefined;
};

export class UnreadJump {
  readonly el: HTMLButtonElement;
  private seen = false;
  constructor(
    private readonly scroller: HTMLElement,
    private readonly items: HTMLElement,
    /** The line is not loaded: load the stretch around the first unread message. */
    private readonly load: (seq: number) => void,
  ) {
    this.el = h("button", { type: "button", class: "jump-unread", hidden: true });
    this.el.addEventListener("click", () => this.jump());
  }

  private state: UnreadState = { unreadAfter: null, unread: 0, oldestSeq: undefined };

  /** Another room: the button may show again. */
  reset(): void {
    this.seen = false;
    this.el.hidden = true;
  }

  line(): HTMLElement | null {
    return this.items.querySelector<HTMLElement>(".unread-line");
  }

  /** Puts the line at the top of the view. */
  scrollToLine(line: HTMLElement): void {
    this.scroller.scrollTop += line.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top - 8;
  }

  /** After a scroll or a render. */
  update(state: UnreadState): void {
    this.state = state;
    const { unreadAfter, unread, oldestSeq } = state;
    if (unreadAfter === null || unread <= 0 || this.seen) {
      this.el.hidden = true;
      return;
    }
    const line = this.line();
    const view = this.scroller.getBoundingClientRect();
    let above: boolean;
    if (line) {
      const box = line.getBoundingClientRect();
      if (box.bottom > view.top && box.top < view.bottom) this.seen = true;
      above = box.bottom <= view.top;
    } else {
      // Not loaded: the first unread message is older than the loaded stretch.
      above = oldestSeq !== undefined && oldestSeq > unreadAfter + 1;
    }
    this.el.hidden = this.seen || !above;
    this.el.replaceChildren(svgIcon("up"), `${count(unread, "new message")} · Jump`);
  }

  private jump(): void {
    const line = this.line();
    if (line) this.scrollToLine(line);
    else if (this.state.unreadAfter !== null) this.load(this.state.unreadAfter + 1);
    this.seen = true;
    this.el.hidden = true;
  }
}
