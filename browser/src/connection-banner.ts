// The connection banner (#connection, role="status"), drawn over the top of
// the room (it never pushes the layout down): "Connecting…" until the first
// connect, "Offline — reconnecting…" while socket.io-client retries, "The
// server is busy …" while the client core waits to try a handshake the
// server turned down for now, "Reconnected" for a moment once caught up,
// then empty (and hidden).
import { h } from "./dom";

export type BannerState = "connecting" | "offline" | "retrying" | "reconnected" | "online";

const TEXT: Record<Exclude<BannerState, "retrying">, string> = {
  connecting: "Connecting…",
  offline: "Offline — reconnecting… Messages you send will go once the connection is back.",
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

  /** `retryInMs`: with "retrying", when the next try goes; `why`: the server's reason (RATE_LIMITED or another). */
  set(state: BannerState, retry?: { inMs: number; tooMany: boolean }): void {
    clearTimeout(this.timer);
    if (state === "retrying") {
      const seconds = Math.max(1, Math.round((retry?.inMs ?? 0) / 1000));
      this.el.textContent = retry?.tooMany
        ? `Too many connections for your account or network: trying again in ${seconds} s. Closing other tabs helps.`
        : `The server could not take the connection: trying again in ${seconds} s.`;
    } else {
      this.el.textContent = TEXT[state];
    }
    this.el.dataset.state = state;
    if (state === "reconnected") this.timer = setTimeout(() => this.set("online"), RECONNECTED_VISIBLE_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
