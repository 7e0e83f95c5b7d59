// The author's own messages: edited and deleted in place, seen live by
// others; Up in an empty box edits the last one.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { eventually, expectMessages, pageTests, send } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: editing", () => {
  const { twoUsers, sharedRoom } = pageTests();

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
});
