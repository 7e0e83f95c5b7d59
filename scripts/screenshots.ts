// The README's screenshots, taken from a seeded server: a fresh in-memory
// chat with a few people, rooms and a conversation, the page built as
// `npm start` builds it, and Debian's Chromium driven by playwright-core.
//
//   node --import tsx scripts/screenshots.ts            # browser/screenshot-room.png and -phone.png
//   node --import tsx scripts/screenshots.ts --extra    # also dark, 360 px, first-run and dialog views, into screenshots/
//
// Emoji in the seeded text are ones the DejaVu fonts of a bare Debian draw;
// on a machine with a colour emoji font the page uses that one instead.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import pino from "pino";
import { chromium, type Browser } from "playwright-core";
import { ChatClient } from "../common/client";
import { createApp } from "../server/app";
import { openSqlite } from "../server/storage/sqlite";

const ROOT = resolve(import.meta.dirname, "..");
const PASSWORD = "a long screenshot password";
const extra = process.argv.includes("--extra");

type Shot = { file: string; width: number; height: number; dark?: boolean; room?: string; then?: "browse" | "switcher" | "members" };

const SHOTS: Shot[] = [
  { file: "browser/screenshot-room.png", width: 1280, height: 800, room: "design" },
  { file: "browser/screenshot-phone.png", width: 390, height: 844, room: "design" },
  ...(extra
    ? [
        { file: "screenshots/readme-room-dark.png", width: 1280, height: 800, dark: true, room: "design" },
        { file: "screenshots/readme-phone-dark.png", width: 390, height: 844, dark: true, room: "design" },
        { file: "screenshots/readme-360.png", width: 360, height: 640, room: "launch-plan" },
        { file: "screenshots/readme-360-members.png", width: 360, height: 640, room: "design", then: "members" as const },
        { file: "screenshots/readme-browse.png", width: 1280, height: 800, room: "design", then: "browse" as const },
        { file: "screenshots/readme-switcher-dark.png", width: 1280, height: 800, dark: true, room: "design", then: "switcher" as const },
      ]
    : []),
];

async function seed(url: string): Promise<() => void> {
  const people = ["alice", "bob", "carol", "dave"];
  const clients = new Map<string, ChatClient>();
  for (const username of people) {
    const { client } = await ChatClient.connectAs(url, { username, password: PASSWORD, register: true }, { socket: { transports: ["websocket"] } });
    clients.set(username, client);
  }
  const as = (name: string) => clients.get(name)!;
  const general = await as("bob").call("room:create", { name: "general" });
  const design = await as("carol").call("room:create", { name: "design" });
  const random = await as("dave").call("room:create", { name: "random" });
  const plan = await as("alice").call("room:create", { name: "launch-plan", private: true });
  for (const name of people) {
    for (const room of [general, design, random]) {
      if (!(await as(name).call("room:list", {})).some((r) => r.id === room.id && r.joined)) await as(name).call("room:join", { roomId: room.id });
    }
  }
  await as("alice").call("room:invite", { roomId: plan.id, username: "bob" });
  await as("alice").call("contacts:add", { username: "bob" });
  await as("alice").call("contacts:add", { username: "carol" });
  const say = (name: string, roomId: string, text: string) => as(name).send(roomId, text);
  await say("carol", design.id, "Morning! The new sidebar mock-ups are up: https://example.com/mocks/sidebar");
  await say("carol", design.id, "Rooms are sorted by activity now, and unread ones stand out.");
  await say("bob", design.id, "Looks great ✔ — the online dots are much easier to see.");
  await say("alice", design.id, "Agreed. @carol can we try the dark theme next?");
  await say("carol", design.id, "@alice already on it — it follows the system setting.");
  await say("dave", design.id, "Phone layout check: 360 px, no sideways scrolling ☺");
  await say("alice", design.id, "Ship it!");
  await say("bob", general.id, "Welcome to the team chat, everyone ☕");
  await say("dave", random.id, "Lunch at noon?");
  await say("bob", plan.id, `@alice the launch checklist is ready for review`);
  const dm = await as("bob").call("dm:open", { username: "alice" });
  await say("bob", dm.id, "Got a minute after standup?");
  // Bob and carol stay online for the pictures; dave has gone.
  as("dave").close();
  return () => {
    for (const client of clients.values()) client.close();
  };
}

/** Waits until the page's transitions (a panel sliding, a colour fading) have run. */
async function settled(page: import("playwright-core").Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
}

async function shoot(browser: Browser, url: string, shot: Shot): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    deviceScaleFactor: 1,
    colorScheme: shot.dark ? "dark" : "light",
  });
  const page = await context.newPage();
  await page.goto(url);
  // A fresh browser offers to create an account first.
  await page.getByRole("button", { name: "Sign in instead" }).click();
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await page.getByRole("button", { name: "Log out" }).waitFor();
  if (shot.room) {
    if (shot.width <= 760) await page.getByRole("button", { name: /^Rooms/ }).click();
    await page.getByRole("navigation", { name: "Rooms" }).getByRole("button", { name: shot.room, exact: true }).click();
    await page.getByRole("heading", { level: 2, name: shot.room }).waitFor();
    await page.locator("[data-message]").last().waitFor();
  }
  if (shot.then === "members") await page.getByRole("button", { name: "Members" }).click();
  if (shot.then === "browse") {
    await page.getByRole("button", { name: "Browse rooms" }).click();
    await page.getByRole("dialog", { name: "Browse rooms" }).getByRole("listitem").first().waitFor();
  }
  if (shot.then === "switcher") {
    await page.keyboard.press("Control+k");
    await page.getByRole("dialog", { name: "Switch to a room" }).getByRole("option").first().waitFor();
  }
  // Nothing focused or hovered: the view as it rests.
  await page.mouse.move(0, shot.height - 1);
  if (!shot.then) await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await settled(page);
  mkdirSync(resolve(ROOT, shot.file, ".."), { recursive: true });
  await page.screenshot({ path: resolve(ROOT, shot.file) });
  console.log(`wrote ${shot.file}`);
  await context.close();
}

/** A brand-new user on an empty server, on a desktop and on a phone. */
async function firstRun(browser: Browser): Promise<void> {
  const emptyStorage = openSqlite({ path: ":memory:" });
  const empty = createApp({ storage: emptyStorage, logger: pino({ level: "silent" }), staticDir: resolve(ROOT, "browser") });
  const { url } = await empty.listen(0, "127.0.0.1");
  for (const [file, width, height] of [["screenshots/readme-first-run.png", 1280, 800], ["screenshots/readme-first-run-phone.png", 390, 844]] as const) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel("Username").fill(`newcomer${width}`);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByLabel("Confirm password").press("Enter");
    await page.getByText("Welcome, newcomer").waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await settled(page);
    await page.screenshot({ path: resolve(ROOT, file) });
    console.log(`wrote ${file}`);
    await context.close();
  }
  await empty.close();
  await emptyStorage.close();
}

execFileSync(process.execPath, ["--import", "tsx", "scripts/build-browser.ts"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
const storage = openSqlite({ path: ":memory:" });
const app = createApp({ storage, logger: pino({ level: "silent" }), staticDir: resolve(ROOT, "browser"), limits: { loginsPerMinute: 1000 } });
const { url } = await app.listen(0, "127.0.0.1");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  if (extra) await firstRun(browser);
  const closeSeeded = await seed(url);
  for (const shot of SHOTS) await shoot(browser, url, shot);
  closeSeeded();
} finally {
  await browser.close();
  await app.close();
  await storage.close();
}
