// Unread messages: badges, the tab title, reading in one tab clearing every
// tab, the "New messages" line, the Rooms button's badge on a phone.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { createRoom, eventually, expectMessages, nav, openRoom, pageTests, tabTitle, roomBadges, send, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: unread messages", () => {
  const { twoUsers } = pageTests();

  test("unread and mention badges count messages in rooms not being viewed, the tab title sums them, reading clears them in every tab", async () => {
    const { s, alice, bob, bobName } = await twoUsers();
    const news = uniqueName("news");
    const other = uniqueName("other");
    await createRoom(alice.page, news);
    await bob.page.reload();
    await openRoom(bob.page, news);
    await createRoom(bob.page, other);
    // A second tab of bob's (same profile, same session): it reopens the room bob had open last.
    const bobTab2 = await bob.context.newPage();
    const tab2Errors: string[] = [];
    bobTab2.on("pageerror", (err) => tab2Errors.push(err.message));
    await bobTab2.goto(s.url);
    await bobTab2.getByRole("button", { name: "Log out" }).waitFor();
    await nav(bobTab2).getByRole("button", { name: news, exact: true }).waitFor();
    expect(await roomBadges(bob.page, news)).toEqual({ unread: null, mentions: null, description: null });

    await send(alice.page, "news of the day");
    await send(alice.page, `@${bobName} have a look`);
    for (const page of [bob.page, bobTab2]) {
      await eventually(() => roomBadges(page, news), {
        unread: "2",
        mentions: "@1",
        description: "2 unread messages, 1 mention of you",
      });
    }
    await eventually(() => tabTitle(bob.page), `(2) #${other} · Chat`);
    await eventually(() => tabTitle(bobTab2), `(2) #${other} · Chat`);
    // The room being viewed gets no badge.
    expect(await roomBadges(bob.page, other)).toEqual({ unread: null, mentions: null, description: null });

    // Bob reads the room in one tab: both tabs clear (the other through the server's read event).
    await openRoom(bob.page, news);
    await expectMessages(bob.page, ["news of the day", `@${bobName} have a look`]);
    for (const page of [bob.page, bobTab2]) {
      await eventually(() => roomBadges(page, news), { unread: null, mentions: null, description: null });
    }
    await eventually(() => tabTitle(bob.page), `#${news} · Chat`);
    await eventually(() => tabTitle(bobTab2), `#${other} · Chat`);
    // The mention of bob is marked in the text, more strongly than other names.
    await expect(bob.page.locator("[data-message] .text .mention.self").textContent()).resolves.toBe(`@${bobName}`);

    // A new message in the room bob is reading does not count as unread for him.
    await send(alice.page, "still here?");
    await expectMessages(bob.page, ["news of the day", `@${bobName} have a look`, "still here?"]);
    await eventually(() => tabTitle(bobTab2), `#${other} · Chat`);
    expect([...alice.errors, ...bob.errors, ...tab2Errors]).toEqual([]);
  });
});
