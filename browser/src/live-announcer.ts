// A visually hidden polite live region that tells screen-reader users about
// new messages from others and who joined or left the open room. Several
// arriving together (a catch-up after a reconnect) are summarised in one line.
import { h } from "./dom";

const GATHER_MS = 400;

export class LiveAnnouncer {
  readonly el = h("div", { class: "sr-only", "aria-live": "polite", "aria-relevant": "additions" });
  private queue: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  say(text: string): void {
    this.queue.push(text);
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), GATHER_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const lines = this.queue.length > 3 ? [`${this.queue.length} new messages`] : this.queue;
    this.queue = [];
    for (const line of lines) this.el.appendChild(h("p", {}, line));
    while (this.el.childElementCount > 5) this.el.firstElementChild?.remove();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
