// Shown when the server no longer speaks the protocol this page was built
// for (it was upgraded while the page stayed open, or the page came from a
// cache): nothing would work as the user expects, so the page says so and
// offers the one fix, a reload, which fetches the page the server serves now.
import { h } from "./dom";

export function outdatedView(): HTMLElement {
  const reload = h("button", { type: "button", class: "button primary" }, "Reload");
  reload.addEventListener("click", () => location.reload());
  queueMicrotask(() => reload.focus());
  return h(
    "main",
    { class: "auth" },
    h(
      "div",
      { class: "auth-card", role: "alert" },
      h("p", { class: "auth-brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "#"), "Chat"),
      h("h1", {}, "This page is out of date"),
      h("p", { class: "auth-intro" }, "The chat server has changed since this page was loaded. Reload to update."),
      h("div", { class: "auth-actions" }, reload),
    ),
  );
}
