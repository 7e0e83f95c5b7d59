// Unread messages: badges, the tab title, reading in one tab clearing every
// tab, the "New messages" line, the Rooms button's badge on a phone.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { createRoom, eventually, expectMessages, nav, openRoom, pageTests, roomBadges, send, signUp, tabTitle, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: unread messages", () => {
  const { h, open, twoUsers } = pageTests();

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

  test("a room opened with unread messages marks where they begin; when they do not fit it opens there; when they were not loaded a button jumps to them", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    const bob = await h.register(s);
    const bobClient = await h.client(s, bob.token);
    const few = uniqueName("few");
    const many = uniqueName("many");
    const lots = uniqueName("lots");
    const ids: Record<string, string> = {};
    for (const name of [few, many, lots]) {
      ids[name] = (await bobClient.call("room:create", { name })).id;
      await bobClient.send(ids[name]!, "read before");
    }
    await alice.page.reload();
    for (const name of [few, many, lots]) await openRoom(alice.page, name);
    await createRoom(alice.page, uniqueName("elsewhere"));
    for (let i = 1; i <= 3; i++) await bobClient.send(ids[few]!, `few ${i}`);
    for (let i = 1; i <= 30; i++) await bobClient.send(ids[many]!, `many ${i}`);
    for (let i = 1; i <= 70; i++) await bobClient.send(ids[lots]!, `lots ${i}`);
    // A fresh page, which has loaded none of these.
    await alice.page.reload();
    await eventually(async () => (await roomBadges(alice.page, lots)).unread, "70");

    // A few: the line sits right before the first unread message, all in view.
    const line = alice.page.locator(".unread-line");
    await openRoom(alice.page, few);
    await line.waitFor();
    expect(await line.evaluate((el) => el.nextElementSibling?.querySelector(".text")?.textContent)).toBe("few 1");
    const before = await line.evaluate((el) => {
      let at = el.previousElementSibling;
      while (at && !at.matches("[data-message]")) at = at.previousElementSibling;
      return at?.querySelector(".text")?.textContent;
    });
    expect(before).toBe("read before");

    // More than fits on the screen: the room opens at the line, not at the bottom.
    await openRoom(alice.page, many);
    await line.waitFor();
    const log = alice.page.getByRole("log", { name: "Messages" });
    await eventually(async () => {
      const [l, v] = await Promise.all([line.boundingBox(), log.boundingBox()]);
      return l !== null && v !== null && l.y >= v.y && l.y < v.y + 60;
    }, true);

    // More than one page: the line is not loaded; the button loads the stretch around the first unread message.
    await openRoom(alice.page, lots);
    const jump = alice.page.getByRole("button", { name: "70 new messages · Jump" });
    await jump.waitFor();
    expect(await line.count()).toBe(0);
    await jump.click();
    await line.waitFor();
    await alice.page.locator("[data-message]", { hasText: "lots 1" }).first().waitFor();
    const [l, v] = await Promise.all([line.boundingBox(), log.boundingBox()]);
    expect(l && v && l.y >= v.y && l.y < v.y + v.height).toBe(true);
    expect(alice.errors).toEqual([]);
  });

  test("on a phone the Rooms button carries a badge for what is unread in other rooms, and mentions of the user in red", async () => {
    const s = await h.startServer();
    const alice = await open(s.url, { width: 390, height: 844 });
    const aliceName = await signUp(alice);
    const bob = await h.register(s);
    const bobClient = await h.client(s, bob.token);
    const elsewhereName = uniqueName("elsewhere");
    const elsewhere = (await bobClient.call("room:create", { name: elsewhereName })).id;
    const toggle = alice.page.getByRole("button", { name: "Rooms", exact: true });
    await alice.page.reload();
    await toggle.click();
    await openRoom(alice.page, elsewhereName);
    await toggle.click();
    await createRoom(alice.page, uniqueName("here"));
    const badge = toggle.locator(".rooms-badge");
    expect(await badge.isVisible()).toBe(false);

    await bobClient.send(elsewhere, "news elsewhere");
    await eventually(() => badge.getAttribute("data-count"), "1");
    await bobClient.send(elsewhere, `@${aliceName} look at this`);
    await eventually(() => badge.getAttribute("data-count"), "@1");
    expect(await badge.evaluate((el) => el.classList.contains("mention-badge"))).toBe(true);
    const said = await toggle.evaluate((el) => document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent);
    expect(said).toBe("2 unread messages in other rooms, 1 mention of you");
    // Read: the badge goes.
    await toggle.click();
    await openRoom(alice.page, elsewhereName);
    await eventually(() => badge.isVisible(), false);
    expect(alice.errors).toEqual([]);
  });
});
