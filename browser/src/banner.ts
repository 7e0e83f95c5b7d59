// The connection banner (#connection, role="status"): "Connecting…" until the
// first connect, "Offline — reconnecting…" while socket.io-client retries,
// "Reconnected" for a moment once caught up, then empty (and collapsed).
import { h } from "./dom";

export type BannerState = "connecting" | "offline" | "reconnected" | "online";

const TEXT: Record<BannerState, string> = {
  connecting: "Connecting…",
  offline: "Offline — reconnecting…",
  reconnected: "Reconnected",
  online: "",
};

const RECONNECTED_VISIBLE_MS = 2500;

export class ConnectionBanner {
  readonly el = h("div", { id: "connection", role: "status", class: "connection" });
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.set("connecting");
  }

  set(state: BannerState): void {
    clearTimeout(this.timer);
    this.el.textContent = TEXT[state];
    this.el.dataset.state = state;
    if (state === "reconnected") this.timer = setTimeout(() => this.set("online"), RECONNECTED_VISIBLE_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/**
 * A visually hidden polite live region for new messages from others. Several
 * arriving together (a catch-up after a reconnect) are summarised in one line.
 */
export class Announcer {
  readonly el = h("div", { class: "sr-only", "aria-live": "polite", "aria-relevant": "additions" });
  private queue: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  say(text: string): void {
    this.queue.push(text);
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), 400);
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
