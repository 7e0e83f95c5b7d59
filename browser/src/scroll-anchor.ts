// Keeps the reader's place in a scrolling log: whether they are at the
// bottom, pinning there as the log grows (or as the log's box shrinks, when
// the header or the composer grows), keeping the distance from the bottom
// while older messages go in above, and centring one element.

/** Closer than this to the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;

export class ScrollAnchor {
  /** At the bottom as of the last scroll or render: a log that gets shorter stays there. */
  private stuck = true;

  constructor(
    private readonly scroller: HTMLElement,
    /** Whether there is anything to keep pinned (a room is shown). */
    active: () => boolean,
  ) {
    new ResizeObserver(() => {
      if (this.stuck && active()) this.scroller.scrollTop = this.scroller.scrollHeight;
    }).observe(scroller);
  }

  fromBottom(): number {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight;
  }

  isAtBottom(): boolean {
    return this.fromBottom() <= BOTTOM_SLACK_PX;
  }

  fromTop(): number {
    return this.scroller.scrollTop;
  }

  /** Remembers where the reader is now (after a scroll or a render). */
  note(): void {
    this.stuck = this.isAtBottom();
  }

  toBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** After content went in above: the same distance from the bottom as `fromBottom` was. */
  keepFromBottom(fromBottom: number): void {
    this.scroller.scrollTop = this.scroller.scrollHeight - this.scroller.clientHeight - fromBottom;
  }

  /** Scrolls so that `el` is in the middle of the log. */
  centre(el: HTMLElement): void {
    const box = el.getBoundingClientRect();
    const view = this.scroller.getBoundingClientRect();
    this.scroller.scrollTop += box.top - view.top - Math.max(0, (this.scroller.clientHeight - box.height) / 2);
  }
}
