// The sign-in card: its two modes (sign in, create an account), the errors
// beside the form, signing out.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { PASSWORD } from "../helpers/harness";
import { pageTests, signUp } from "../helpers/page";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: signing in", () => {
  const { h, open } = pageTests();

  test("log out returns to the sign-in form; errors show next to the form", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const name = await signUp(alice);
    await alice.page.getByRole("button", { name: "Log out" }).click();
    await alice.page.getByRole("heading", { name: "Sign in" }).waitFor();

    await alice.page.getByLabel("Username").fill(name);
    await alice.page.getByLabel("Password", { exact: true }).fill("not the password");
    await alice.page.getByRole("button", { name: "Sign in" }).click();
    await expect(alice.page.getByRole("alert").textContent()).resolves.toMatch(/wrong|password/i);

    const bob = await open(s.url);
    // A fresh profile offers to create an account first.
    await bob.page.getByLabel("Username").fill(name);
    await bob.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await bob.page.getByLabel("Confirm password").fill(PASSWORD);
    await bob.page.getByRole("button", { name: "Create account" }).click();
    await expect(bob.page.getByRole("alert").textContent()).resolves.toMatch(/taken/i);
  });
});
