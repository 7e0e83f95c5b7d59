// A new user's first minutes: the welcome screen on an empty server (and on
// a phone), #general in one click, empty states that say what to do next, a
// side panel that is not cluttered (forms closed until asked for, rooms by
// activity, dm entries with online dots that stand out), and "Browse rooms"
// for the public rooms the side panel does not list.
// Skips (saying why) where no Chromium is installed; CI installs it.
import type { Page } from "playwright-core";
import { contrast } from "../../browser/src/colors";
import { describeInBrowser } from "../helpers/browser";
import { axeInBothThemes, eventually, nav, openRoom, pageTests, signUp, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

const PHONE_390 = { width: 390, height: 844 };

/** WCAG contrast of two computed colours ("rgb(r, g, b)"). */
const contrastOf = (a: string, b: string) => {
  const rgb = (c: string) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number) as [number, number, number];
  return contrast(rgb(a), rgb(b));
};

/** The names of the side panel's entries in one of its groups, in order. */
const groupEntries = (page: Page, heading: string) =>
  nav(page)
    .locator(".group", { has: page.getByRole("heading", { name: heading, exact: true }) })
    .locator(".room-item .room-name")
    .allTextContents();

describeInBrowser("the chat page in Chromium: a new user's first minutes", () => {
  const { h, open } = pageTests();

  test("on an empty server the first user is welcomed and creates #general in one click; the next one joins it in one click; empty states say what to do", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const aliceName = await signUp(alice);
    const main = alice.page.getByRole("main");
    await main.getByText(`Welcome, ${aliceName}!`).waitFor();
    for (const name of ["Create #general", "Create a room", "Browse rooms", "Message someone"]) {
      await main.getByRole("button", { name, exact: true }).waitFor();
    }
    // Every empty group of the side panel says what to do next.
    const sidebar = alice.page.locator("#sidebar");
    await sidebar.getByText("You are in no rooms yet. Create one, or join a public room.").waitFor();
    await sidebar.getByText("No direct messages yet. Press + to message someone.").waitFor();
    await sidebar.getByText("No other public rooms to join yet. Create one for everyone.").waitFor();
    await sidebar.getByText("No contacts yet. Press + to add people and see when they are online.").waitFor();
    // "New room" is a button in the accent colour, not a small grey link.
    const newRoom = nav(alice.page).getByRole("button", { name: "New room" });
    const [color, muted] = await newRoom.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(document.body).getPropertyValue("--muted")]);
    expect(color).not.toBe(muted);
    expect(await axeInBothThemes(alice.page)).toEqual({ light: [], dark: [] });

    await main.getByRole("button", { name: "Create #general" }).click();
    await alice.page.getByRole("heading", { level: 2, name: "general" }).waitFor();
    await alice.page.getByText("This is the very beginning of #general. Say hello!").waitFor();

    // The next new user, on a phone: the welcome is there (not a blank page), #general one tap away.
    const bob = await open(s.url, PHONE_390);
    const bobName = await signUp(bob);
    const join = bob.page.getByRole("main").getByRole("button", { name: "Join #general" });
    await join.waitFor();
    const box = await join.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE_390.width && box.y + box.height <= PHONE_390.height).toBe(true);
    await bob.page.getByRole("main").getByText(`Welcome, ${bobName}!`).waitFor();
    await join.click();
    await bob.page.getByRole("heading", { level: 2, name: "general" }).waitFor();
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  test("the side panel: forms closed until asked for, rooms by activity, a dm's online dot cut out of its avatar and live", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const aliceName = await signUp(alice);
    const bob = await h.register(s);
    const bobClient = await h.client(s, bob.token);
    const rooms = [uniqueName("first"), uniqueName("second"), uniqueName("third")];
    const ids: string[] = [];
    for (const name of rooms) {
      const room = await bobClient.call("room:create", { name });
      ids.push(room.id);
    }
    await alice.page.reload();
    for (const name of rooms) await openRoom(alice.page, name);
    await bobClient.call("contacts:add", { username: aliceName });
    const dm = await bobClient.call("dm:open", { username: aliceName });
    await bobClient.send(dm.id, "hello there");
    await nav(alice.page).getByRole("button", { name: bob.user.username }).waitFor();

    // No text box is open in the side panel until a + asks for one; it all fits without scrolling.
    expect(await alice.page.locator("#sidebar").getByRole("textbox").count()).toBe(0);
    const scroller = alice.page.locator(".sidebar-scroll");
    expect(await scroller.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
    await alice.page.getByRole("button", { name: "New direct message" }).click();
    await alice.page.getByLabel("Direct message to").waitFor();
    // The first Escape closes the list of people it suggests, the second the form.
    await alice.page.keyboard.press("Escape");
    await alice.page.keyboard.press("Escape");
    await eventually(() => alice.page.locator("#sidebar").getByRole("textbox").count(), 0);

    // By activity: joined last first, then the one with the newest message.
    await eventually(() => groupEntries(alice.page, "My rooms"), [rooms[2], rooms[1], rooms[0]]);
    await bobClient.send(ids[0]!, "the first room is busy again");
    await eventually(() => groupEntries(alice.page, "My rooms"), [rooms[0], rooms[2], rooms[1]]);

    // The dm's entry: bob's online dot, said to screen readers, ringed in the panel's own background.
    const entry = nav(alice.page).getByRole("button", { name: bob.user.username });
    await eventually(() => entry.locator(".presence-dot.online").count(), 1);
    const description = () => entry.evaluate((el) => document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent ?? "");
    await eventually(async () => (await description()).startsWith("online"), true);
    await alice.page.mouse.move(900, 500);
    for (const colorScheme of ["light", "dark"] as const) {
      await alice.page.emulateMedia({ colorScheme });
      await alice.page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
      const dot = await entry.locator(".presence-dot").evaluate((el) => {
        const style = getComputedStyle(el);
        const panel = getComputedStyle(el.closest("#sidebar")!).backgroundColor;
        return { size: el.getBoundingClientRect().width, ring: style.borderTopWidth, ringColor: style.borderTopColor, fill: style.backgroundColor, panel };
      });
      expect(dot.size).toBeGreaterThanOrEqual(13);
      expect(parseFloat(dot.ring)).toBeGreaterThanOrEqual(3);
      expect(dot.ringColor).toBe(dot.panel);
      expect(contrastOf(dot.fill, dot.ringColor)).toBeGreaterThanOrEqual(3);
    }
    await alice.page.emulateMedia({ colorScheme: null });
    bobClient.close();
    await eventually(() => entry.locator(".presence-dot.online").count(), 0);
    await eventually(async () => (await description()).startsWith("offline"), true);
    expect(alice.errors).toEqual([]);
  });

  test("Browse rooms finds every public room, searched and paged, beyond the busiest the side panel lists", async () => {
    const s = await h.startServer();
    const bob = await h.register(s);
    const bobClient = await h.client(s, bob.token);
    const prefix = uniqueName("hall");
    for (let i = 1; i <= 70; i++) await bobClient.call("room:create", { name: `${prefix}-${String(i).padStart(3, "0")}` });
    const alice = await open(s.url);
    await signUp(alice);
    await eventually(async () => (await groupEntries(alice.page, "Public rooms")).length, 50);

    await nav(alice.page).getByRole("button", { name: "Browse rooms" }).click();
    const dialog = alice.page.getByRole("dialog", { name: "Browse rooms" });
    const listed = dialog.getByRole("list", { name: "Public rooms" }).getByRole("listitem");
    await eventually(() => listed.count(), 30);
    await dialog.getByRole("button", { name: "Show more rooms" }).click();
    await eventually(() => listed.count(), 60);
    await dialog.getByRole("button", { name: "Show more rooms" }).click();
    await eventually(() => listed.count(), 70);
    await expect(dialog.getByRole("button", { name: "Show more rooms" }).isVisible()).resolves.toBe(false);
    expect(await axeInBothThemes(alice.page)).toEqual({ light: [], dark: [] });

    await dialog.getByLabel("Search public rooms").fill(`${prefix}-06`);
    await eventually(() => listed.count(), 10);
    await dialog.getByRole("button", { name: `Join ${prefix}-065` }).click();
    await alice.page.getByRole("heading", { level: 2, name: `${prefix}-065` }).waitFor();
    await expect(dialog.isVisible()).resolves.toBe(false);

    // A search with no match offers to create the room.
    await nav(alice.page).getByRole("button", { name: "Browse rooms" }).click();
    await dialog.getByLabel("Search public rooms").fill("nothing-like-it");
    await dialog.getByRole("button", { name: "Create #nothing-like-it" }).click();
    await expect(alice.page.getByLabel("Room name").inputValue()).resolves.toBe("nothing-like-it");
    expect(alice.errors).toEqual([]);
  });
});
