// The chat page in real Chromium against the real server: what a person
// does, checked the way a person would see it. Skips (saying why) where no
// Chromium is installed; CI installs it.
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { ChatClient } from "../common/client";
import { axeViolations, describeInBrowser, DESKTOP, launchChromium, openPage, PHONE, screenshot, type UserPage } from "./helpers/browser";
import { harness, PASSWORD, tempDir, uniqueName } from "./helpers/harness";
import { freePort, spawnServer } from "./helpers/process";

jest.setTimeout(90_000);

const h = harness();
let browser: Browser;

const nav = (page: Page) => page.getByRole("navigation", { name: "Rooms" });
const messageTexts = (page: Page) => page.locator("[data-message] .text");

async function signUp(user: UserPage, username = uniqueName("web")): Promise<string> {
  const { page } = user;
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  return username;
}

async function createRoom(page: Page, name: string, isPrivate = false): Promise<void> {
  await page.getByRole("button", { name: "New room" }).click();
  await page.getByLabel("Room name").fill(name);
  if (isPrivate) await page.getByLabel("Private").check();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await page.getByRole("heading", { level: 2, name }).waitFor();
}

async function openRoom(page: Page, name: string): Promise<void> {
  await nav(page).getByRole("button", { name, exact: true }).first().click();
  await page.getByRole("heading", { level: 2, name }).waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Message", { exact: true });
  await box.fill(text);
  await box.press("Enter");
  await page.locator(`[data-message][data-status="sent"] .text`, { hasText: text }).first().waitFor();
}

/**
 * Re-reads what the page shows until it equals `expected`: DOM updates have
 * no event a test outside the page can await, so this polls, bounded in time.
 */
async function eventually<T>(read: () => Promise<T>, expected: T, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const actual = await read();
    if (JSON.stringify(actual) === JSON.stringify(expected) || Date.now() > deadline) {
      expect(actual).toEqual(expected);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the room view shows exactly `texts`, in that order. */
const expectMessages = (page: Page, texts: string[]) => eventually(() => messageTexts(page).allTextContents(), texts);

/** A room's entry in the sidebar: its unread and mention badges and what screen readers hear about them. */
const roomBadges = (page: Page, room: string) =>
  nav(page)
    .getByRole("button", { name: room, exact: true })
    .evaluate((el) => ({
      unread: el.querySelector(".badge:not(.mention-badge)")?.getAttribute("data-count") ?? null,
      mentions: el.querySelector(".mention-badge")?.getAttribute("data-count") ?? null,
      description: document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent ?? null,
    }));

/** The seqs of the messages the room view shows, in order. */
const shownSeqs = (page: Page) =>
  page.locator("[data-message]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));

const typingLine = (page: Page) => page.locator(".typing-line").textContent();

/** An element's text as a screen reader gets it: without what is aria-hidden (avatars, dots). */
const spokenText = (locator: Locator) =>
  locator.evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return copy.textContent;
  });

describeInBrowser("the chat page in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string, viewport = DESKTOP): Promise<UserPage> {
    const user = await openPage(browser, url, viewport);
    h.onCleanup(() => user.context.close());
    return user;
  }

  /** Two users signed up in two browser profiles on a fresh server. */
  async function twoUsers() {
    const s = await h.startServer();
    const alice = await open(s.url);
    const bob = await open(s.url);
    const aliceName = await signUp(alice);
    const bobName = await signUp(bob);
    return { s, alice, bob, aliceName, bobName };
  }

  /** A public room alice creates and bob opens (after a reload, since nothing announces new public rooms). */
  async function sharedRoom(alice: UserPage, bob: UserPage, prefix: string): Promise<string> {
    const room = uniqueName(prefix);
    await createRoom(alice.page, room);
    await bob.page.reload();
    await openRoom(bob.page, room);
    return room;
  }

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
    await alice.page.getByLabel("Invite user").fill(bobName);
    await alice.page.getByRole("button", { name: "Invite" }).click();
    await nav(bob.page).getByRole("button", { name: secret }).waitFor();
    await openRoom(bob.page, secret);
    await send(alice.page, "only for you");
    await expectMessages(bob.page, ["only for you"]);

    const aliceName = await alice.page.locator("header").getByText(/web/).first().textContent();
    expect(aliceName).toBeTruthy();
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

  test("after a server restart the page reconnects and shows what was sent meanwhile, once each", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "chat.db");
    const port = await freePort();
    let server = await spawnServer({ databaseUrl: `sqlite:${dbPath}`, port, onCleanup: h.onCleanup });
    const alice = await open(server.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("restart");
    await createRoom(alice.page, room);
    await send(alice.page, "before restart");

    const bobAuth = await h.register(server);
    const stopped = await server.kill("SIGTERM");
    expect(stopped).toEqual({ code: 0, signal: null });
    await alice.page.locator("#connection", { hasText: "Offline" }).waitFor();

    server = await spawnServer({ databaseUrl: `sqlite:${dbPath}`, port, onCleanup: h.onCleanup });
    const bob = await ChatClient.connect({ url: server.url, token: bobAuth.token, socket: { transports: ["websocket"] } });
    h.onCleanup(() => bob.close());
    const roomId = (await bob.call("room:list", {})).find((r) => r.name === room)!.id;
    await bob.call("room:join", { roomId });
    for (let i = 1; i <= 5; i++) await bob.send(roomId, `meanwhile ${i}`);

    await expectMessages(alice.page, ["before restart", "meanwhile 1", "meanwhile 2", "meanwhile 3", "meanwhile 4", "meanwhile 5"]);
    await send(alice.page, `back, says ${aliceName}`);
    await expectMessages(alice.page, [
      "before restart",
      ...[1, 2, 3, 4, 5].map((i) => `meanwhile ${i}`),
      `back, says ${aliceName}`,
    ]);
  });

  test("a message sent while the server is down shows sending, then failed; Retry stores it once", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "chat.db");
    const port = await freePort();
    let server = await spawnServer({ databaseUrl: `sqlite:${dbPath}`, port, onCleanup: h.onCleanup });
    const alice = await open(server.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("retry");
    await createRoom(alice.page, room);
    await server.kill("SIGTERM");
    await alice.page.locator("#connection", { hasText: "Offline" }).waitFor();

    const box = alice.page.getByLabel("Message", { exact: true });
    await box.fill("sent while offline");
    await box.press("Enter");
    const item = alice.page.locator("[data-message]", { hasText: "sent while offline" });
    await eventually(() => item.getAttribute("data-status"), "sending");
    // The page's ack timeout is 8 s; nothing answers meanwhile.
    await alice.page.locator('[data-message][data-status="failed"]').waitFor({ timeout: 20_000 });

    server = await spawnServer({ databaseUrl: `sqlite:${dbPath}`, port, onCleanup: h.onCleanup });
    await eventually(async () => (await alice.page.locator("#connection").textContent())?.includes("Offline") ?? false, false, 30_000);
    await item.getByRole("button", { name: "Retry" }).click();
    await eventually(() => item.getAttribute("data-status"), "sent");
    await item.getByRole("button", { name: "Retry" }).waitFor({ state: "detached" });

    const login = await ChatClient.connectAs(server.url, { username: aliceName, password: PASSWORD }, { socket: { transports: ["websocket"] } });
    h.onCleanup(() => login.client.close());
    const roomId = (await login.client.call("room:list", {})).find((r) => r.name === room)!.id;
    const stored = await login.client.call("history", { roomId });
    expect(stored.map((m) => m.text)).toEqual(["sent while offline"]);
    expect(await item.getAttribute("data-client-id")).toBe(stored[0]!.clientId);
  });

  test("log out returns to the sign-in form; errors show next to the form", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const name = await signUp(alice);
    await alice.page.getByRole("button", { name: "Log out" }).click();
    await alice.page.getByRole("heading", { name: "Sign in" }).waitFor();

    await alice.page.getByLabel("Username").fill(name);
    await alice.page.getByLabel("Password").fill("not the password");
    await alice.page.getByRole("button", { name: "Sign in" }).click();
    await expect(alice.page.getByRole("alert").textContent()).resolves.toMatch(/wrong|password/i);

    const bob = await open(s.url);
    await bob.page.getByLabel("Username").fill(name);
    await bob.page.getByLabel("Password").fill(PASSWORD);
    await bob.page.getByRole("button", { name: "Create account" }).click();
    await expect(bob.page.getByRole("alert").textContent()).resolves.toMatch(/taken/i);
  });

  test("a server that does not speak the page's protocol version: the page says it is out of date, and Reload brings it back", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    // The page of another release: its socket handshake names a protocol version this server does not speak.
    let outdated = true;
    await alice.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(outdated && typeof message === "string" ? message.replace(/"protocol":1\b/, '"protocol":2') : message));
    });
    await alice.page.reload();
    await alice.page.getByRole("heading", { level: 1, name: "This page is out of date" }).waitFor();
    await expect(alice.page.getByRole("alert").textContent()).resolves.toMatch(/reload to update/i);
    await expect(alice.page.title()).resolves.toBe("Reload to update · Chat");
    const reload = alice.page.getByRole("button", { name: "Reload" });
    await expect(reload.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await axeViolations(alice.page)).toEqual([]);
    await screenshot(alice.page, "outdated");

    // The server serves the page of its own release: after the reload the user is back, still signed in.
    outdated = false;
    await reload.click();
    await alice.page.getByRole("button", { name: "Log out" }).waitFor();
    await alice.page.getByRole("button", { name: "New room" }).waitFor();
    expect(alice.errors).toEqual([]);
  });

  test("no serious accessibility violations; screenshots at desktop and phone widths", async () => {
    const s = await h.startServer();
    for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      const user = await open(s.url, viewport);
      await user.page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(await axeViolations(user.page)).toEqual([]);
      await screenshot(user.page, `login-${label}`);

      await signUp(user);
      if (label === "desktop") {
        await createRoom(user.page, uniqueName("design"));
        await send(user.page, "Welcome to the room — this is what a conversation looks like.");
        await send(user.page, "Consecutive messages from one sender are grouped.");
      } else {
        await user.page.getByRole("button", { name: "Rooms" }).click();
        await createRoom(user.page, uniqueName("phone"));
        await send(user.page, "Small screens work too.");
      }
      expect(await axeViolations(user.page)).toEqual([]);
      await screenshot(user.page, `room-${label}`);
      expect(user.errors).toEqual([]);
    }
  });
  test("unread and mention badges count messages in rooms not being viewed, the tab title sums them, reading clears them in every tab", async () => {
    const { s, alice, bob, bobName } = await twoUsers();
    const news = uniqueName("news");
    const other = uniqueName("other");
    await createRoom(alice.page, news);
    await bob.page.reload();
    await openRoom(bob.page, news);
    await createRoom(bob.page, other);
    // A second tab of bob's (same profile, same session), with no room open.
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
    await eventually(() => bob.page.title(), `(2) #${other} · Chat`);
    await eventually(() => bobTab2.title(), "(2) Chat");
    // The room being viewed gets no badge.
    expect(await roomBadges(bob.page, other)).toEqual({ unread: null, mentions: null, description: null });

    // Bob reads the room in one tab: both tabs clear (the other through the server's read event).
    await openRoom(bob.page, news);
    await expectMessages(bob.page, ["news of the day", `@${bobName} have a look`]);
    for (const page of [bob.page, bobTab2]) {
      await eventually(() => roomBadges(page, news), { unread: null, mentions: null, description: null });
    }
    await eventually(() => bob.page.title(), `#${news} · Chat`);
    await eventually(() => bobTab2.title(), "Chat");
    // The mention of bob is marked in the text, more strongly than other names.
    await expect(bob.page.locator("[data-message] .text .mention.self").textContent()).resolves.toBe(`@${bobName}`);

    // A new message in the room bob is reading does not count as unread for him.
    await send(alice.page, "still here?");
    await expectMessages(bob.page, ["news of the day", `@${bobName} have a look`, "still here?"]);
    await eventually(() => bobTab2.title(), "Chat");
    expect([...alice.errors, ...bob.errors, ...tab2Errors]).toEqual([]);
  });

  test("the author edits and deletes messages in place; the other user sees both live", async () => {
    const { alice, bob } = await twoUsers();
    await sharedRoom(alice, bob, "edits");
    await send(alice.page, "first draft");
    await send(alice.page, "to be removed");
    await send(alice.page, "stays as is");
    await expectMessages(bob.page, ["first draft", "to be removed", "stays as is"]);
    // Only the author has the actions.
    expect(await bob.page.getByRole("button", { name: "Edit message" }).count()).toBe(0);
    expect(await alice.page.getByRole("button", { name: "Edit message" }).count()).toBe(3);

    // Escape cancels an edit.
    const first = alice.page.locator("[data-message]", { hasText: "first draft" });
    await first.hover();
    await first.getByRole("button", { name: "Edit message" }).click();
    const editBox = alice.page.getByLabel("Edit message text");
    expect(await editBox.inputValue()).toBe("first draft");
    await editBox.fill("never mind");
    await editBox.press("Escape");
    await expectMessages(alice.page, ["first draft", "to be removed", "stays as is"]);

    // Enter saves: bob sees the new text in the same place, marked edited.
    await first.hover();
    await first.getByRole("button", { name: "Edit message" }).click();
    await editBox.fill("final text");
    await editBox.press("Enter");
    await expectMessages(bob.page, ["final text", "to be removed", "stays as is"]);
    const bobFirst = bob.page.locator('[data-message][data-seq="1"]');
    await expect(bobFirst.locator(".text").textContent()).resolves.toBe("final text");
    await expect(bobFirst.locator(".edited").textContent()).resolves.toMatch(/edited/);

    // Delete asks first; then bob sees a placeholder where the message was.
    const second = alice.page.locator("[data-message]", { hasText: "to be removed" });
    await second.hover();
    await second.getByRole("button", { name: "Delete message" }).click();
    await alice.page.getByRole("button", { name: "Yes, delete" }).click();
    await expectMessages(bob.page, ["final text", "stays as is"]);
    await eventually(() => bob.page.locator('[data-message][data-seq="2"] .deleted-note').textContent(), "Message deleted");
    expect(await bob.page.locator("[data-message]").count()).toBe(3);
    await eventually(() => alice.page.locator('[data-message][data-seq="2"] .deleted-note').textContent(), "Message deleted");
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

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

  test("contacts: add one, see them online and offline live, start a direct message, remove them; the member list has online dots", async () => {
    const { alice, bob, bobName } = await twoUsers();
    await sharedRoom(alice, bob, "people");

    const contacts = alice.page.getByRole("region", { name: "Contacts" });
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
    await eventually(() => alice.page.title(), `(3) #${room} · Chat`);
    await alice.page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await eventually(() => alice.page.title(), `(1) #${room} · Chat`);
    expect(alice.errors).toEqual([]);
  });

  test("no serious accessibility violations with the members, contacts, search, edit and delete views open; screenshots", async () => {
    const s = await h.startServer();
    for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      const user = await open(s.url, viewport);
      const name = await signUp(user);
      const friend = await h.register(s);
      const friendClient = await h.client(s, friend.token);
      if (label === "phone") await user.page.getByRole("button", { name: "Rooms" }).click();
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
      if (label === "phone") await user.page.getByRole("button", { name: "Rooms" }).click();
      await contacts.getByLabel("Add contact").fill(friend.user.username);
      await contacts.getByRole("button", { name: "Add", exact: true }).click();
      await eventually(() => contacts.getByRole("listitem").getAttribute("data-online"), "true");
      if (label === "phone") {
        expect(await axeViolations(user.page)).toEqual([]);
        await screenshot(user.page, `contacts-${label}`);
        await user.page.keyboard.press("Escape");
        await user.page.getByRole("button", { name: "Members" }).click();
      }
      const members = user.page.getByRole("region", { name: "Members" });
      await eventually(() => members.getByRole("listitem").count(), 2);
      expect(await axeViolations(user.page)).toEqual([]);
      await screenshot(user.page, `members-${label}`);
      if (label === "phone") await user.page.getByRole("button", { name: "Members" }).click();

      if (label === "phone") await user.page.getByRole("button", { name: "Search", exact: true }).click();
      await user.page.getByLabel("Search messages").fill("search words");
      await user.page.getByRole("list", { name: "Search results" }).getByRole("button").first().waitFor();
      expect(await axeViolations(user.page)).toEqual([]);
      await screenshot(user.page, `search-${label}`);
      await user.page.getByRole("list", { name: "Search results" }).getByRole("button").first().click();
      await user.page.locator('[data-message][data-highlighted="true"]').waitFor();

      await mine.hover();
      await mine.getByRole("button", { name: "Delete message" }).click();
      await user.page.getByRole("button", { name: "Yes, delete" }).waitFor();
      expect(await axeViolations(user.page)).toEqual([]);
      await screenshot(user.page, `delete-${label}`);
      await user.page.getByRole("button", { name: "Cancel", exact: true }).click();
      await mine.hover();
      await mine.getByRole("button", { name: "Edit message" }).click();
      expect(await axeViolations(user.page)).toEqual([]);
      await screenshot(user.page, `edit-${label}`);
      expect(user.errors).toEqual([]);
    }
  });
});
