// What the page keeps and what it lets go: an error goes once another room
// is opened; a draft stays with its room across reloads; a reload, a new tab
// and a fresh sign-in all come back to the room the user had open last.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { PASSWORD } from "../helpers/harness";
import { createRoom, eventually, openRoom, pageTests, signUp, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: what it keeps", () => {
  const { h, open } = pageTests();

  test("an error goes when another room is opened; drafts stay with their rooms across a reload; a reload, a new tab and a fresh sign-in land in the last room", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const name = await signUp(alice);
    const { page } = alice;
    const [first, second] = [uniqueName("first"), uniqueName("second")];
    await createRoom(page, first);
    await createRoom(page, second);

    // An error beside the dm form goes once another room is opened.
    await page.getByRole("button", { name: "New direct message" }).click();
    await page.getByLabel("Direct message to").fill("charlie9");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    const error = page.getByRole("alert").filter({ hasText: "There is no user named “charlie9”." });
    await error.waitFor();
    await openRoom(page, first);
    await eventually(() => error.count(), 0);

    // Drafts, each in its room, through a reload.
    const box = page.getByLabel("Message", { exact: true });
    await box.pressSequentially("half a thought");
    await openRoom(page, second);
    await expect(box.inputValue()).resolves.toBe("");
    await box.pressSequentially("another draft");
    await page.reload();
    await page.getByRole("heading", { level: 2, name: second }).waitFor();
    await eventually(() => box.inputValue(), "another draft");
    await openRoom(page, first);
    await expect(box.inputValue()).resolves.toBe("half a thought");
    // A sent message is no longer a draft.
    await box.press("Enter");
    await page.locator('[data-message][data-status="sent"]', { hasText: "half a thought" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 2, name: first }).waitFor();
    await expect(box.inputValue()).resolves.toBe("");

    // The address without a room, a new tab, a fresh sign-in: all come back to the last room.
    await page.goto(s.url);
    await page.getByRole("heading", { level: 2, name: first }).waitFor();
    const tab = await alice.context.newPage();
    await tab.goto(s.url);
    await tab.getByRole("heading", { level: 2, name: first }).waitFor();
    await tab.close();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Username").fill(name);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await page.getByRole("heading", { level: 2, name: first }).waitFor();
    // Signing out forgot the drafts: nothing of them is left in this browser.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("chat.drafts.")))).toEqual([]);
    expect(alice.errors).toEqual([]);
  });
});
