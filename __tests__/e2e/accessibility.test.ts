// axe-core on every view, in the light theme and the dark one, at desktop
// and phone widths, with screenshots into screenshots/.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser, DESKTOP, PHONE, screenshot } from "../helpers/browser";
import { axeInBothThemes, createRoom, eventually, pageTests, send, signUp, typingLine, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: accessibility", () => {
  const { h, open } = pageTests();

  test("no serious accessibility violations; screenshots at desktop and phone widths", async () => {
    const s = await h.startServer();
    for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      const user = await open(s.url, viewport);
      // A fresh profile's card offers to create an account first.
      await user.page.getByRole("heading", { name: "Create your account" }).waitFor();
      expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
      await screenshot(user.page, `login-${label}`);

      await signUp(user);
      if (label === "desktop") {
        await createRoom(user.page, uniqueName("design"));
        await send(user.page, "Welcome to the room — this is what a conversation looks like.");
        await send(user.page, "Consecutive messages from one sender are grouped.");
      } else {
        await user.page.getByRole("button", { name: "Rooms", exact: true }).click();
        await createRoom(user.page, uniqueName("phone"));
        await send(user.page, "Small screens work too.");
      }
      expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
      await screenshot(user.page, `room-${label}`);
      expect(user.errors).toEqual([]);
    }
  });

  test("no serious accessibility violations with the members, contacts, search, edit and delete views open; screenshots", async () => {
    const s = await h.startServer();
    for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      const user = await open(s.url, viewport);
      const name = await signUp(user);
      const friend = await h.register(s);
      const friendClient = await h.client(s, friend.token);
      if (label === "phone") await user.page.getByRole("button", { name: "Rooms", exact: true }).click();
      const room = uniqueName(label === "desktop" ? "features" : "small");
      await createRoom(user.page, room);
      const roomId = (await friendClient.call("room:list", {})).find((r) => r.name === room)!.id;
      await friendClient.call("room:join", { roomId });
      await friendClient.send(roomId, `Hi @${name}, the search box finds every message by its words.`);
      await send(user.page, `Thanks @${friend.user.username} — and edits show an edited mark.`);
      const mine = user.page.locator("[data-message].mine").last();
      await mine.hover();
      await mine.getByRole("button", { name: "Edit message" }).click();
      await user.page.getByLabel("Edit message text").fill(`Thanks @${friend.user.username} — edits show an edited mark.`);
      await user.page.getByLabel("Edit message text").press("Enter");
      await user.page.locator("[data-message] .edited").waitFor();
      friendClient.socket.emit("typing", { roomId, typing: true });
      await eventually(() => typingLine(user.page), `${friend.user.username} is typing…`);

      const contacts = user.page.getByRole("region", { name: "Contacts" });
      if (label === "phone") await user.page.getByRole("button", { name: "Rooms", exact: true }).click();
      await contacts.getByRole("button", { name: "Add a contact" }).click();
      await contacts.getByLabel("Add contact").fill(friend.user.username);
      await contacts.getByRole("button", { name: "Add", exact: true }).click();
      await eventually(() => contacts.getByRole("listitem").getAttribute("data-online"), "true");
      if (label === "phone") {
        expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
        await screenshot(user.page, `contacts-${label}`);
        await user.page.keyboard.press("Escape");
        await user.page.getByRole("button", { name: "Members" }).click();
      }
      const members = user.page.getByRole("region", { name: "Members" });
      await eventually(() => members.getByRole("listitem").count(), 2);
      expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
      await screenshot(user.page, `members-${label}`);
      if (label === "phone") await user.page.getByRole("button", { name: "Members" }).click();

      if (label === "phone") await user.page.getByRole("button", { name: "Search", exact: true }).click();
      await user.page.getByLabel("Search messages").fill("search words");
      await user.page.getByRole("list", { name: "Search results" }).getByRole("button").first().waitFor();
      expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
      await screenshot(user.page, `search-${label}`);
      await user.page.getByRole("list", { name: "Search results" }).getByRole("button").first().click();
      await user.page.locator('[data-message][data-highlighted="true"]').waitFor();

      await mine.hover();
      await mine.getByRole("button", { name: "Delete message" }).click();
      await user.page.getByRole("button", { name: "Yes, delete" }).waitFor();
      expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
      await screenshot(user.page, `delete-${label}`);
      await user.page.getByRole("button", { name: "Cancel", exact: true }).click();
      await mine.hover();
      await mine.getByRole("button", { name: "Edit message" }).click();
      expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
      await screenshot(user.page, `edit-${label}`);
      expect(user.errors).toEqual([]);
    }
  });
});
