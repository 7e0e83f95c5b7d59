// The page's keyboard shortcuts (listed by help-panel.ts): Ctrl/Cmd+K opens
// the room switcher, Alt+Up and Alt+Down move to the previous or next room
// in the list, "?" (outside a text box) shows the shortcuts. Escape is each
// panel's own (the layout closes what is open, innermost first).

export type ShortcutActions = {
  switchRoom(): void;
  moveRoom(delta: 1 | -1): void;
  help(): void;
};

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches("input, textarea, select"));
}

/** Starts listening on the document; returns a function that stops. */
export function listenForShortcuts(actions: ShortcutActions): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
      e.preventDefault();
      actions.switchRoom();
    } else if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      actions.moveRoom(e.key === "ArrowUp" ? -1 : 1);
    } else if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey && !typingIn(e.target)) {
      e.preventDefault();
      actions.help();
    }
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}
