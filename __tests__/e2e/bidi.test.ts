// Names and text in right-to-left scripts are isolated (<bdi>, dir="auto",
// or FSI … PDI in plain strings), so a room named in Hebrew that ends in
// digits, or a message in Arabic, cannot reorder the page's own words
// around them: in the side panel, the header, the log, search, the tab
// title and the message box's placeholder.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { createRoom, nav, pageTests, send, signUp } from "../helpers/page";

jest.setTimeout(90_000);

const ROOM = "שלום 42";
const TEXT = "مرحبا 123 friends";

describeInBrowser("the chat page in Chromium: right-to-left names and text", () => {
  const { h, open } = pageTests();

  test("a Hebrew room name ending in digits and an Arabic message are isolated wherever the page shows them", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    const { page } = alice;
    await createRoom(page, ROOM);
    await send(page, TEXT);

    /** The tag and dir of the element that holds exactly `text`, under `scope`. */
    const holder = (scope: string, text: string) =>
      page.evaluate(
        ([scope, text]) => {
          const found = Array.from(document.querySelectorAll(`${scope} *`)).find((el) => el.textContent === text && el.children.length === 0);
          return found ? { tag: found.tagName.toLowerCase(), dir: found.getAttribute("dir") } : null;
        },
        [scope, text] as const,
      );
    const isolated = (found: { tag: string; dir: string | null } | null) => found !== null && (found.tag === "bdi" || found.dir === "auto");

    // The side panel's entry, the header's title, the first line of the log, the sentence under it.
    expect(isolated(await holder("nav", ROOM))).toBe(true);
    expect(isolated(await holder(".room-title", ROOM))).toBe(true);
    expect(isolated(await holder(".log-start-title", `#${ROOM}`))).toBe(true);
    expect(isolated(await holder(".log-start p:last-child", `#${ROOM}`))).toBe(true);
    // Plain strings carry the isolates around the name.
    await expect(page.title()).resolves.toBe(`\u2068#${ROOM}\u2069 · Chat`);
    await expect(page.getByLabel("Message", { exact: true }).getAttribute("placeholder")).resolves.toBe(`Message \u2068#${ROOM}\u2069`);

    // The message runs right to left on its own, and its sender's name is isolated too.
    const row = page.locator("[data-message] .text-row").filter({ hasText: TEXT });
    await expect(row.getAttribute("dir")).resolves.toBe("auto");
    await expect(row.evaluate((el) => getComputedStyle(el).direction)).resolves.toBe("rtl");
    await expect(page.locator("[data-message] .sender").first().evaluate((el) => el.tagName.toLowerCase())).resolves.toBe("bdi");

    // Layout: the sentence's own words stay on either side of the whole name, in order.
    const sentence = await page.locator(".log-start p:last-child").evaluate((p) => {
      const bdi = p.querySelector("bdi")!;
      const box = bdi.getBoundingClientRect();
      const rect = (node: Node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        return range.getBoundingClientRect();
      };
      return { before: rect(bdi.previousSibling!).right, nameLeft: box.left, nameRight: box.right, after: rect(bdi.nextSibling!).left };
    });
    expect(sentence.before).toBeLessThanOrEqual(sentence.nameLeft + 1);
    expect(sentence.nameRight).toBeLessThanOrEqual(sentence.after + 1);

    // Search: the result's room and text.
    await page.getByLabel("Search messages").fill("مرحبا");
    const result = page.getByRole("list", { name: "Search results" }).getByRole("button").first();
    await result.waitFor();
    await expect(result.locator(".result-room").evaluate((el) => el.tagName.toLowerCase())).resolves.toBe("bdi");
    await expect(result.locator(".result-text").getAttribute("dir")).resolves.toBe("auto");
    // The entry in the side panel still reads as the room's name, exactly.
    await nav(page).getByRole("button", { name: ROOM, exact: true }).waitFor();
    expect(alice.errors).toEqual([]);
  });
});
