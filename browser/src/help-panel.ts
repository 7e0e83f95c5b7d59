// "?" (or the top bar's keyboard button): the keyboard shortcuts, in a dialog.
import { Dialog } from "./dialog";
import { h } from "./dom";

const MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? "⌘" : "Ctrl";

export const SHORTCUTS: Array<[keys: string[], what: string]> = [
  [[MOD, "K"], "Switch to a room or conversation"],
  [["Alt", "↑"], "Previous room in the list"],
  [["Alt", "↓"], "Next room in the list"],
  [["↑"], "Edit your last message (in an empty message box)"],
  [["Enter"], "Send the message"],
  [["Shift", "Enter"], "New line in the message"],
  [["@"], "Mention someone: pick a name with ↑ ↓, then Enter or Tab"],
  [["Esc"], "Close a panel, a list or a dialog; clear the message box"],
  [["?"], "Show these shortcuts"],
];

export class HelpPanel {
  private readonly dialog = new Dialog("Keyboard shortcuts", "help-dialog");

  constructor() {
    this.dialog.body.append(
      h(
        "dl",
        { class: "shortcuts" },
        ...SHORTCUTS.flatMap(([keys, what]) => [
          h("dt", {}, ...keys.flatMap((k, i) => [i > 0 ? " + " : "", h("kbd", {}, k)])),
          h("dd", {}, what),
        ]),
      ),
    );
  }

  open(): void {
    this.dialog.open();
  }

  dispose(): void {
    this.dialog.dispose();
  }
}
