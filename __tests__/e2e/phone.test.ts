// The page on a phone (390×844 and 360×640): a private room's header fits
// without sideways scrolling, with every control on screen; Edit and Delete
// show only for the message tapped, over it; the members panel dims the rest
// and a tap there closes it; a run's follow-up messages show their time.
// Skips (saying why) where no Chromium is installed; CI installs it.
import type { Page } from "playwright-core";
import { describeInBrowser } from "../helpers/browser";
import { axeInBothThemes, createRoom, eventually, pageTests, send, signUp, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

const PHONES = [
  { width: 390, height: 844 },
  { width: 360, height: 640 },
];

/** How far the page scrolls sideways, and which of the header's and top bar's controls stick out of the screen. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = window.innerWidth;
    const out = Array.from(document.querySelectorAll<HTMLElement>(".room-header button, .room-header input, .topbar button"))
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.left < 0 || box.right > width + 0.5;
      })
      .map((el) => el.getAttribute("aria-label") ?? el.textContent);
    return { sideways: document.documentElement.scrollWidth - width, out };
  });

describeInBrowser("the chat page in Chromium: on a phone", () => {
  const { h, open } = pageTests();

  for (const viewport of PHONES) {
    test(`at ${viewport.width} px a private room's header fits: no sideways scrolling, every control on screen, also with the invitation open`, async () => {
      const s = await h.startServer();
      const alice = await open(s.url, viewport);
      await signUp(alice);
      const friend = await h.register(s);
      await alice.page.getByRole("button", { name: "Rooms", exact: true }).click();
      await createRoom(alice.page, uniqueName("a-private-room-with-a-long-name"), true);
      expect(await overflow(alice.page)).toEqual({ sideways: 0, out: [] });
      // The tools keep their names for screen readers.
      for (const name of ["Members", "Add people", "Leave"]) await alice.page.getByRole("button", { name }).waitFor();

      await alice.page.getByRole("button", { name: "Add people" }).click();
      await alice.page.getByLabel("Invite user").fill(friend.user.username);
      expect(await overflow(alice.page)).toEqual({ sideways: 0, out: [] });
      await alice.page.getByRole("button", { name: "Invite", exact: true }).click();
      await alice.page.getByText(`Invited ${friend.user.username}.`).waitFor();
      expect(await overflow(alice.page)).toEqual({ sideways: 0, out: [] });
      expect(await axeInBothThemes(alice.page)).toEqual({ light: [], dark: [] });
      expect(alice.errors).toEqual([]);
    });
  }

  test("Edit and Delete show only on the message tapped, over it (no extra row); the members panel dims the room and a tap there closes it", async () => {
    const { alice, bob } = await twoUsersOnPhones();
    await send(alice.page, "mine, one line");
    await eventually(() => bob.page.locator("[data-message] .text").allTextContents(), ["mine, one line"]);
    await send(bob.page, "theirs, one line");
    await eventually(() => alice.page.locator("[data-message] .text").count(), 2);
    const mine = alice.page.locator("[data-message].mine");
    const theirs = alice.page.locator("[data-message]:not(.mine)");
    const edit = mine.getByRole("button", { name: "Edit message" });
    await alice.page.mouse.move(0, 0);
    expect(await edit.isVisible()).toBe(false);
    // One row each: the user's own message is no taller than the other one.
    const [a, b] = await Promise.all([mine.boundingBox(), theirs.boundingBox()]);
    expect(Math.abs((a?.height ?? 0) - (b?.height ?? 0))).toBeLessThanOrEqual(2);

    await mine.locator(".text").tap();
    await edit.waitFor();
    expect(await mine.getAttribute("data-selected")).toBe("");
    const after = await mine.boundingBox();
    expect(after?.height).toBe(a?.height);
    await mine.locator(".text").tap();
    await eventually(() => edit.isVisible(), false);

    // The members panel: the room behind it is dimmed; a tap on the dimmed part closes it.
    await alice.page.getByRole("button", { name: "Members" }).click();
    const panel = alice.page.getByRole("region", { name: "Members" });
    await panel.waitFor();
    const backdrop = alice.page.locator(".members-backdrop");
    const dim = await backdrop.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(dim).not.toMatch(/^rgba\(0, 0, 0, 0\)$|transparent/);
    await backdrop.tap({ position: { x: 20, y: 200 } });
    await eventually(() => panel.isVisible(), false);
    expect(await alice.page.getByRole("button", { name: "Members" }).getAttribute("aria-expanded")).toBe("false");
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  test("on a phone a run's follow-up messages show their time, with no hover needed", async () => {
    const s = await h.startServer();
    const alice = await open(s.url, PHONES[1], { hasTouch: true, isMobile: true });
    await signUp(alice);
    await alice.page.getByRole("button", { name: "Rooms", exact: true }).tap();
    await createRoom(alice.page, uniqueName("times"));
    await send(alice.page, "first of a run");
    await send(alice.page, "second of the run");
    const grouped = alice.page.locator("[data-message].grouped");
    await grouped.waitFor();
    const time = grouped.locator(".hover-time");
    expect(await time.evaluate((el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }))).toBe(true);
    expect(await time.textContent()).toMatch(/^\d\d:\d\d$/);
    expect(alice.errors).toEqual([]);
  });

  /** Two users on phones in one public room, touch enabled. */
  async function twoUsersOnPhones() {
    const s = await h.startServer();
    const options = { hasTouch: true, isMobile: true };
    const alice = await open(s.url, PHONES[0], options);
    const bob = await open(s.url, PHONES[0], options);
    await signUp(alice);
    await signUp(bob);
    const room = uniqueName("phones");
    await alice.page.getByRole("button", { name: "Rooms", exact: true }).tap();
    await createRoom(alice.page, room);
    await bob.page.reload();
    await bob.page.getByRole("button", { name: "Rooms", exact: true }).tap();
    await bob.page.getByRole("navigation", { name: "Rooms" }).getByRole("button", { name: room, exact: true }).tap();
    await bob.page.getByRole("heading", { level: 2, name: room }).waitFor();
    return { alice, bob };
  }
});
