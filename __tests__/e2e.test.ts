// The chat page in real Chromium against the real server: what a person
// does, checked the way a person would see it. Skips (saying why) where no
// Chromium is installed; CI installs it.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
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

  test("two users chat live in a public room, in order, both ways; the session survives a reload", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const bob = await open(s.url);
    await signUp(alice);
    await signUp(bob);
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
    const s = await h.startServer();
    const alice = await open(s.url);
    const bob = await open(s.url);
    await signUp(alice);
    const bobName = await signUp(bob);
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
    let server = await spawnServer({ dbPath, port, onCleanup: h.onCleanup });
    const alice = await open(server.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("restart");
    await createRoom(alice.page, room);
    await send(alice.page, "before restart");

    const bobAuth = await h.register(server);
    const stopped = await server.kill("SIGTERM");
    expect(stopped).toEqual({ code: 0, signal: null });
    await alice.page.locator("#connection", { hasText: "Offline" }).waitFor();

    server = await spawnServer({ dbPath, port, onCleanup: h.onCleanup });
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
});
