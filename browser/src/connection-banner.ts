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
