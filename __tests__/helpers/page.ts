// What the end-to-end tests of the page (__tests__/e2e/) do as a person would:
// sign up, create and open rooms, send, and read back what the page shows.
// `pageTests()` gives each file a Chromium (launched once per file), fresh
// profiles, and servers torn down after each test.
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import { axeViolations, DESKTOP, launchChromium, openPage, type UserPage } from "./browser";
import { harness, PASSWORD, uniqueName } from "./harness";

export { PASSWORD, uniqueName } from "./harness";

export const nav = (page: Page) => page.getByRole("navigation", { name: "Rooms" });
export const messageTexts = (page: Page) => page.locator("[data-message] .text");

/** Signs up on a fresh profile's card (which offers "Create account" first); waits for the chat. */
export async function signUp(user: UserPage, username = uniqueName("web")): Promise<string> {
  const { page } = user;
  await page.getByLabel("Username").waitFor();
  if ((await page.getByLabel("Confirm password").count()) === 0) await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  return username;
}

export async function createRoom(page: Page, name: string, isPrivate = false): Promise<void> {
  await page.getByRole("button", { name: "New room" }).click();
  await page.getByLabel("Room name").fill(name);
  if (isPrivate) await page.getByLabel("Private").check();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await page.getByRole("heading", { level: 2, name }).waitFor();
}

export async function openRoom(page: Page, name: string): Promise<void> {
  await nav(page).getByRole("button", { name, exact: true }).first().click();
  await page.getByRole("heading", { level: 2, name }).waitFor();
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Message", { exact: true });
  await box.fill(text);
  await box.press("Enter");
  await page.locator(`[data-message][data-status="sent"] .text`, { hasText: text }).first().waitFor();
}

/** Opens the private room's invitation row and invites `username`. */
export async function invite(page: Page, username: string): Promise<void> {
  await page.getByRole("button", { name: "Add people" }).click();
  await page.getByLabel("Invite user").fill(username);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await page.getByText(`Invited ${username}.`).waitFor();
}

/**
 * Re-reads what the page shows until it equals `expected`: DOM updates have
 * no event a test outside the page can await, so this polls, bounded in time.
 */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeout = 15_000): Promise<void> {
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
export const expectMessages = (page: Page, texts: string[]) => eventually(() => messageTexts(page).allTextContents(), texts);

/** A room's entry in the sidebar: its unread and mention badges and what screen readers hear about them. */
export const roomBadges = (page: Page, room: string) =>
  nav(page)
    .getByRole("button", { name: room, exact: true })
    .evaluate((el) => ({
      unread: el.querySelector(".badge:not(.mention-badge)")?.getAttribute("data-count") ?? null,
      mentions: el.querySelector(".mention-badge")?.getAttribute("data-count") ?? null,
      description: document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent ?? null,
    }));

/** The seqs of the messages the room view shows, in order. */
export const shownSeqs = (page: Page) =>
  page.locator("[data-message]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));

export const typingLine = (page: Page) => page.locator(".typing-line").textContent();

/** The tab's title as it reads: without the isolates (U+2068, U+2069) around the room's name. */
export const tabTitle = (page: Page) => page.title().then((title) => title.replace(/[\u2068\u2069]/g, ""));

/** An element's text as a screen reader gets it: without what is aria-hidden (avatars, dots). */
export const spokenText = (locator: Locator) =>
  locator.evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return copy.textContent;
  });

/** axe's serious and critical violations in the light theme and in the dark one. */
export async function axeInBothThemes(page: Page): Promise<Record<string, Awaited<ReturnType<typeof axeViolations>>>> {
  const found: Record<string, Awaited<ReturnType<typeof axeViolations>>> = {};
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    // Colours change with a short transition: check them once it has run.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    found[colorScheme] = await axeViolations(page);
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** The server-side harness, a Chromium for the file, and the page's usual two-user setup. */
export function pageTests() {
  const h = harness();
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string, viewport = DESKTOP, options: BrowserContextOptions = {}): Promise<UserPage> {
    const user = await openPage(browser, url, viewport, options);
    h.onCleanup(() => user.context.close());
    return user;
  }

  /** Two users signed up in two browser profiles on a fresh server. */
  async function twoUsers(viewport = DESKTOP) {
    const s = await h.startServer();
    const alice = await open(s.url, viewport);
    const bob = await open(s.url, viewport);
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

  return { h, open, twoUsers, sharedRoom };
}
