// The keyboard: Up in an empty message box edits the last message, Ctrl+K
// switches rooms, Alt+Up and Alt+Down move between rooms in the side panel's
// order, Escape closes what is open, "?" lists the shortcuts.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { axeInBothThemes, createRoom, eventually, expectMessages, pageTests, send, signUp, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: the keyboard", () => {
  const { h, open } = pageTests();

  test("Up edits the last message; Ctrl+K switches rooms; Alt+Up and Alt+Down move between rooms; ? lists the shortcuts; Escape closes each", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    const { page } = alice;
    const rooms = [uniqueName("one"), uniqueName("two"), uniqueName("three")];
    for (const room of rooms) await createRoom(page, room);
    const heading = () => page.locator(".room-title").textContent();

    // Up in the empty box: the last message of the user's, in its editor.
    await send(page, "first");
    await send(page, "a typo hre");
    const box = page.getByLabel("Message", { exact: true });
    await box.press("ArrowUp");
    const editBox = page.getByLabel("Edit message text");
    await expect(editBox.inputValue()).resolves.toBe("a typo hre");
    await expect(editBox.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await editBox.fill("a typo here");
    await editBox.press("Enter");
    await expectMessages(page, ["first", "a typo here"]);

    // Ctrl+K: the switcher, which finds a room by part of its name.
    await box.focus();
    await page.keyboard.press("Control+k");
    const switcher = page.getByRole("dialog", { name: "Switch to a room" });
    await switcher.waitFor();
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    await switcher.getByLabel("Find a room or conversation").pressSequentially(rooms[0]!.slice(0, 6));
    await switcher.getByRole("option", { name: rooms[0] }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 2, name: rooms[0] }).waitFor();
    await expect(switcher.isVisible()).resolves.toBe(false);
    // Escape closes the switcher without going anywhere.
    await page.keyboard.press("Control+k");
    await switcher.waitFor();
    await page.keyboard.press("Escape");
    await eventually(() => switcher.isVisible(), false);
    await expect(heading()).resolves.toBe(rooms[0]);

    // Alt+Up and Alt+Down: the rooms in the side panel's order (the newest joined first: three, two, one).
    await page.keyboard.press("Alt+ArrowUp");
    await page.getByRole("heading", { level: 2, name: rooms[1] }).waitFor();
    await page.keyboard.press("Alt+ArrowUp");
    await page.getByRole("heading", { level: 2, name: rooms[2] }).waitFor();
    await page.keyboard.press("Alt+ArrowDown");
    await page.getByRole("heading", { level: 2, name: rooms[1] }).waitFor();

    // "?" outside a text box: the list of shortcuts; Escape closes it and focus comes back.
    await page.getByRole("log", { name: "Messages" }).focus();
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    for (const what of ["Switch to a room or conversation", "Previous room in the list", "Next room in the list", "Edit your last message"]) {
      await help.getByText(what, { exact: false }).waitFor();
    }
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    await page.keyboard.press("Escape");
    await eventually(() => help.isVisible(), false);
    await expect(page.getByRole("log", { name: "Messages" }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    // Typing "?" in the message box is just a question mark.
    await box.focus();
    await page.keyboard.press("?");
    await expect(box.inputValue()).resolves.toBe("?");
    expect(await help.isVisible()).toBe(false);
    // The top bar's button opens the same list.
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await help.waitFor();
    await page.keyboard.press("Escape");
    expect(alice.errors).toEqual([]);
  });

  test("Escape closes the panels over the room on a phone: the rooms panel, the members panel, the invitation row", async () => {
    const s = await h.startServer();
    const alice = await open(s.url, { width: 390, height: 844 });
    await signUp(alice);
    const { page } = alice;
    const rooms = page.getByRole("button", { name: "Rooms", exact: true });
    await rooms.click();
    await createRoom(page, uniqueName("closed"), true);
    await rooms.click();
    await eventually(() => rooms.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Escape");
    await eventually(() => rooms.getAttribute("aria-expanded"), "false");

    const members = page.getByRole("button", { name: "Members" });
    await members.click();
    await page.getByRole("region", { name: "Members" }).waitFor();
    await page.keyboard.press("Escape");
    await eventually(() => members.getAttribute("aria-expanded"), "false");

    await page.getByRole("button", { name: "Add people" }).click();
    await page.getByLabel("Invite user").waitFor();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await eventually(() => page.getByLabel("Invite user").isVisible(), false);
    expect(alice.errors).toEqual([]);
  });
});
