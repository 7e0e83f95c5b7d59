// Two people chatting on the page in real Chromium against the real server:
// live messages both ways, invitations and dms, text shown as text, the
// composer's keys, history as one scrolls, and search results.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { ChatClient } from "../../common/client";
import { describeInBrowser } from "../helpers/browser";
import { PASSWORD } from "../helpers/harness";
import {
  createRoom,
  eventually,
  expectMessages,
  invite,
  nav,
  openRoom,
  pageTests,
  send,
  shownSeqs,
  signUp,
  uniqueName,
} from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: chatting", () => {
  const { h, open, twoUsers } = pageTests();

  test("two users chat live in a public room, in order, both ways; the session survives a reload", async () => {
    const { alice, bob } = await twoUsers();
    const room = uniqueName("lobby");
    await createRoom(alice.page, room);

    // Public rooms made by others appear in the list; a reload keeps bob signed in.
    await bob.page.reload();
    await bob.page.getByRole("button", { name: "Log out" }).waitFor();
    await openRoom(bob.page, room);

    await send(alice.page, "hi bob");
    await expectMessages(bob.page, ["hi bob"]);
    await send(bob.page, "hi alice");
    await send(bob.page, "how are you?");
    await expectMessages(alice.page, ["hi bob", "hi alice", "how are you?"]);
    await expectMessages(bob.page, ["hi bob", "hi alice", "how are you?"]);
    await expect(alice.page.locator("[data-system]", { hasText: "joined" }).first().isVisible()).resolves.toBe(true);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  test("a private room invitation and a direct message show up live for the other user", async () => {
    const { alice, bob, bobName } = await twoUsers();
    const secret = uniqueName("secret");
    await createRoom(alice.page, secret, true);
    await invite(alice.page, bobName);
    await nav(bob.page).getByRole("button", { name: secret }).waitFor();
    await openRoom(bob.page, secret);
    await send(alice.page, "only for you");
    await expectMessages(bob.page, ["only for you"]);

    const aliceName = await alice.page.locator("header").getByText(/web/).first().textContent();
    expect(aliceName).toBeTruthy();
    await bob.page.getByRole("button", { name: "New direct message" }).click();
    await bob.page.getByLabel("Direct message to").fill(aliceName!.trim());
    await bob.page.getByRole("button", { name: "Open" }).click();
    await bob.page.getByRole("heading", { level: 2, name: aliceName!.trim() }).waitFor();
    await send(bob.page, "a private word");
    await nav(alice.page).getByRole("button", { name: bobName }).waitFor();
    await openRoom(alice.page, bobName);
    await expectMessages(alice.page, ["a private word"]);
  });

  test("user text is shown as text: markup in a message never runs", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    await createRoom(alice.page, uniqueName("xss"));
    const evil = `<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>`;
    await send(alice.page, evil);
    await alice.page.reload();
    await alice.page.getByRole("button", { name: "Log out" }).waitFor();
    const name = await nav(alice.page).getByRole("button").first().textContent();
    await openRoom(alice.page, name!.trim());
    await expectMessages(alice.page, [evil]);
    expect(await alice.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await alice.page.locator("[data-message] img").count()).toBe(0);
  });

  test("Enter sends, Shift+Enter makes a new line, long words wrap, older history loads on scrolling up", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("busy");
    await createRoom(alice.page, room);
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.fill("first line");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    await box.press("Enter");
    await expectMessages(alice.page, ["first line\nsecond line"]);
    expect(await box.inputValue()).toBe("");

    // 120 more from a Node script: the page shows the newest page, then older ones on scrolling up.
    const login = await ChatClient.connectAs(s.url, { username: aliceName, password: PASSWORD }, { socket: { transports: ["websocket"] } });
    h.onCleanup(() => login.client.close());
    const rooms = await login.client.call("room:list", {});
    const roomId = rooms.find((r) => r.name === room)!.id;
    for (let i = 1; i <= 120; i++) await login.client.send(roomId, i === 120 ? "x".repeat(300) : `bulk ${i}`);
    await alice.page.reload();
    await openRoom(alice.page, room);
    const seqs = () => alice.page.locator("[data-message]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
    await eventually(async () => (await seqs()).at(-1), 121);
    const firstBefore = Math.min(...(await seqs()));
    expect(firstBefore).toBeGreaterThan(1);

    // The long word wraps inside the view instead of widening it.
    const overflow = await alice.page.getByRole("log", { name: "Messages" }).evaluate((log) => log.scrollWidth - log.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);

    const anchor = alice.page.locator(`[data-message][data-seq="${firstBefore}"]`);
    await alice.page.getByRole("log", { name: "Messages" }).evaluate((log) => log.scrollTo({ top: 0 }));
    await eventually(async () => Math.min(...(await seqs())) < firstBefore, true);
    // The message that was at the top is still on screen: the view did not jump to the new top.
    const box2 = await anchor.boundingBox();
    const view = await alice.page.getByRole("log", { name: "Messages" }).boundingBox();
    expect(box2 && view && box2.y >= view.y - 1 && box2.y <= view.y + view.height).toBe(true);
  });

  test("a search result opens its room at the message: highlighted, with the history around it, newer pages as one scrolls down", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const aliceName = await signUp(alice);
    const busy = uniqueName("busy");
    const elsewhere = uniqueName("elsewhere");
    await createRoom(alice.page, busy);
    await createRoom(alice.page, elsewhere);

    const login = await ChatClient.connectAs(s.url, { username: aliceName, password: PASSWORD }, { socket: { transports: ["websocket"] } });
    h.onCleanup(() => login.client.close());
    const roomId = (await login.client.call("room:list", {})).find((r) => r.name === busy)!.id;
    for (let i = 1; i <= 120; i++) await login.client.send(roomId, i === 40 ? "the haystack hides a needle here" : `bulk ${i}`);
    // A fresh page, which has loaded none of these yet.
    await alice.page.reload();
    await alice.page.getByRole("heading", { level: 2, name: elsewhere }).waitFor();

    await alice.page.getByLabel("Search messages").fill("needl");
    const results = alice.page.getByRole("list", { name: "Search results" });
    await eventually(() => results.locator(".result-text").allTextContents(), ["the haystack hides a needle here"]);
    await results.getByRole("button").click();

    await alice.page.getByRole("heading", { level: 2, name: busy }).waitFor();
    const highlighted = alice.page.locator('[data-message][data-highlighted="true"]');
    await eventually(() => highlighted.locator(".text").allTextContents(), ["the haystack hides a needle here"]);
    expect(await highlighted.getAttribute("data-seq")).toBe("40");
    // The history around it: older neighbours, a few newer ones, not the newest page.
    const seqs = await shownSeqs(alice.page);
    expect(seqs).toEqual(expect.arrayContaining([30, 38, 39, 40, 41, 45]));
    expect(Math.max(...seqs)).toBeLessThan(120);
    // In view, inside the log.
    const log = alice.page.getByRole("log", { name: "Messages" });
    const box = await highlighted.boundingBox();
    const view = await log.boundingBox();
    expect(box && view && box.y >= view.y && box.y + box.height <= view.y + view.height).toBe(true);

    // Scrolling down loads newer pages.
    const maxBefore = Math.max(...seqs);
    await log.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await eventually(async () => Math.max(...(await shownSeqs(alice.page))) > maxBefore, true);
    // "Jump to latest" goes to the newest messages.
    await alice.page.getByRole("button", { name: "Jump to latest" }).click();
    await eventually(async () => (await shownSeqs(alice.page)).at(-1), 120);
    expect(await highlighted.count()).toBe(0);
    expect(alice.errors).toEqual([]);
  });
});
