// People on the page: who is typing, contacts and presence, notifications,
// the people picker and @ completion.
// Skips (saying why) where no Chromium is installed; CI installs it.

import { describeInBrowser } from "../helpers/browser";
import {
  createRoom,
  eventually,
  expectMessages,
  nav,
  openRoom,
  pageTests,
  signUp,
  spokenText,
  tabTitle,
  typingLine,
  uniqueName,
} from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: people", () => {
  const { h, open, twoUsers, sharedRoom } = pageTests();

  test("the other users see who is typing, until the message is sent", async () => {
    const { s, alice, bob, bobName } = await twoUsers();
    const room = await sharedRoom(alice, bob, "typing");
    await nav(alice.page).getByRole("button", { name: room, exact: true }).waitFor();

    await bob.page.getByLabel("Message", { exact: true }).fill("hello ali");
    await eventually(() => typingLine(alice.page), `${bobName} is typing…`);
    // Never to the typist.
    expect(await typingLine(bob.page)).toBe("");

    // A third member typing as well (a Node script).
    const carol = await h.register(s);
    const carolClient = await h.client(s, carol.token);
    const roomId = (await carolClient.call("room:list", {})).find((r) => r.name === room)!.id;
    await carolClient.call("room:join", { roomId });
    carolClient.socket.emit("typing", { roomId, typing: true });
    const both = [bobName, carol.user.username].sort((a, b) => a.localeCompare(b));
    await eventually(() => typingLine(alice.page), `${both[0]} and ${both[1]} are typing…`);
    carolClient.socket.emit("typing", { roomId, typing: false });
    await eventually(() => typingLine(alice.page), `${bobName} is typing…`);

    await bob.page.getByLabel("Message", { exact: true }).press("Enter");
    await expectMessages(alice.page, ["hello ali"]);
    await eventually(() => typingLine(alice.page), "");
  });

  test("contacts: add one, see them online and offline live, start a direct message, remove them; the member list has online dots", async () => {
    const { alice, bob, bobName } = await twoUsers();
    await sharedRoom(alice, bob, "people");

    const contacts = alice.page.getByRole("region", { name: "Contacts" });
    await contacts.getByRole("button", { name: "Add a contact" }).click();
    await contacts.getByLabel("Add contact").fill(bobName);
    await contacts.getByRole("button", { name: "Add", exact: true }).click();
    const bobContact = contacts.getByRole("listitem").filter({ hasText: bobName });
    await eventually(() => bobContact.getAttribute("data-online"), "true");
    // The dot's text alternative is part of the contact's button.
    await expect(spokenText(bobContact.getByRole("button", { name: bobName }).first())).resolves.toBe(`${bobName}, online`);
    await expect(bobContact.locator(".presence-dot.online").count()).resolves.toBe(1);

    // The open room's member list, with the same dots.
    const toggle = alice.page.getByRole("button", { name: "Members" });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    const members = alice.page.getByRole("region", { name: "Members" });
    const bobMember = members.getByRole("listitem").filter({ hasText: bobName });
    await eventually(() => spokenText(bobMember), `${bobName}, online`);

    // Bob goes away: both show him offline, live.
    await bob.context.close();
    await eventually(() => bobContact.getAttribute("data-online"), "false");
    await eventually(() => spokenText(bobMember), `${bobName}, offline`);

    // A contact's button opens the direct message with them.
    await bobContact.getByRole("button", { name: bobName }).first().click();
    await alice.page.getByRole("heading", { level: 2, name: bobName }).waitFor();

    await contacts.getByRole("button", { name: `Remove ${bobName} from contacts` }).click();
    await eventually(() => contacts.getByRole("listitem").count(), 0);
    await contacts.getByText("No contacts yet").waitFor();
    expect(alice.errors).toEqual([]);
  });

  test("desktop notifications are opt-in, and come for direct messages and mentions while the tab is hidden", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("notes");
    await createRoom(alice.page, room);
    // The browser's Notification API, recorded; and a tab the user has switched away from.
    await alice.page.evaluate(() => {
      const w = window as unknown as { __notes: Array<{ title: string; body: string }>; Notification: unknown };
      w.__notes = [];
      class Recorded {
        static permission = "default";
        static requestPermission = () => {
          Recorded.permission = "granted";
          return Promise.resolve("granted");
        };
        constructor(title: string, options: { body: string }) {
          w.__notes.push({ title, body: options.body });
        }
        addEventListener() {}
        close() {}
      }
      w.Notification = Recorded;
    });
    await alice.page.getByRole("button", { name: "Enable notifications" }).click();
    await alice.page.getByText("Notifications are on").waitFor();
    expect(await alice.page.getByRole("button", { name: "Enable notifications" }).isVisible()).toBe(false);
    await alice.page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });

    const bob = await h.register(s);
    const bobClient = await h.client(s, bob.token);
    const roomId = (await bobClient.call("room:list", {})).find((r) => r.name === room)!.id;
    await bobClient.call("room:join", { roomId });
    await bobClient.send(roomId, "no mention here");
    await bobClient.send(roomId, `@${aliceName} are you there?`);
    const dm = await bobClient.call("dm:open", { username: aliceName });
    await bobClient.send(dm.id, "a word in private");
    const notes = () => alice.page.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes);
    await eventually(notes, [
      { title: `${bob.user.username} in #${room}`, body: `@${aliceName} are you there?` },
      { title: bob.user.username, body: "a word in private" },
    ]);
    // Hidden, the open room is not read: its messages count in the title until the user is back.
    await eventually(() => tabTitle(alice.page), `(3) #${room} · Chat`);
    await alice.page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await eventually(() => tabTitle(alice.page), `(1) #${room} · Chat`);
    expect(alice.errors).toEqual([]);
  });

  test("the dm, invite and contact boxes suggest people as one types (never strangers); @ completes names in the message box; only real users' @names are highlighted", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    const bob = await h.register(s, uniqueName("bob"));
    const bobby = await h.register(s, uniqueName("bobby"));
    await h.register(s, uniqueName("bostranger"));
    const [bobName, bobbyName] = [bob.user.username, bobby.user.username];
    const bobClient = await h.client(s, bob.token);
    const bobbyClient = await h.client(s, bobby.token);
    const room = uniqueName("square");
    const roomId = (await bobClient.call("room:create", { name: room })).id;
    await bobbyClient.call("room:join", { roomId });
    await alice.page.reload();
    await openRoom(alice.page, room);
    const options = (name: string) => alice.page.getByRole("listbox", { name }).getByRole("option");

    // A direct message: "bo" lists the two who share a room with alice, not the stranger; Down and Enter open one.
    await alice.page.getByRole("button", { name: "New direct message" }).click();
    await alice.page.getByLabel("Direct message to").pressSequentially("bo");
    const names = (list: string) => alice.page.getByRole("listbox", { name: list }).locator(".suggestion-name").allTextContents();
    await eventually(() => names("People"), [bobName, bobbyName]);
    await alice.page.getByLabel("Direct message to").press("ArrowDown");
    await alice.page.getByLabel("Direct message to").press("Enter");
    await alice.page.getByRole("heading", { level: 2, name: bobName }).waitFor();

    // An invitation: a click on a suggestion invites that person.
    await createRoom(alice.page, uniqueName("inner"), true);
    await alice.page.getByRole("button", { name: "Add people" }).click();
    await alice.page.getByLabel("Invite user").pressSequentially("bobb");
    await options("People").filter({ hasText: bobbyName }).click();
    await alice.page.getByText(`Invited ${bobbyName}.`).waitFor();

    // A contact, chosen from the list with the keyboard.
    const contacts = alice.page.getByRole("region", { name: "Contacts" });
    await contacts.getByRole("button", { name: "Add a contact" }).click();
    await contacts.getByLabel("Add contact").pressSequentially(bobName.slice(0, 5));
    await eventually(async () => (await options("People").allTextContents()).length > 0, true);
    await contacts.getByLabel("Add contact").press("ArrowDown");
    await contacts.getByLabel("Add contact").press("Enter");
    await contacts.getByRole("listitem").filter({ hasText: bobName }).waitFor();

    // @ completion in the message box: the room's members first; Tab puts the whole name in.
    await openRoom(alice.page, room);
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.pressSequentially("hey @bobb");
    await options("People to mention").filter({ hasText: bobbyName }).waitFor();
    await box.press("Tab");
    await expect(box.inputValue()).resolves.toBe(`hey @${bobbyName} `);
    await box.pressSequentially("and @nobody here");
    await box.press("Enter");
    const sent = alice.page.locator('[data-message][data-status="sent"]', { hasText: "@nobody" });
    await sent.waitFor();
    await eventually(() => sent.locator(".mention").allTextContents(), [`@${bobbyName}`]);
    await expect(sent.locator(".text").textContent()).resolves.toBe(`hey @${bobbyName} and @nobody here`);
    expect(alice.errors).toEqual([]);
  });
});
