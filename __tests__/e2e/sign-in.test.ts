// The sign-in card: its two modes (sign in, create an account), the errors
// beside the form, signing out.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { describeInBrowser } from "../helpers/browser";
import { PASSWORD } from "../helpers/harness";
import { axeInBothThemes, pageTests, signUp, uniqueName } from "../helpers/page";

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

  test("a fresh browser offers to create an account: Enter creates it (the password twice, a mismatch said, Show password shows both); after signing out the card offers Sign in, and Enter signs in", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    const { page } = alice;
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    const name = uniqueName("new");
    await page.getByLabel("Username").fill(name);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(`${PASSWORD}!`);
    await page.getByLabel("Confirm password").press("Enter");
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/not the same/);
    await expect(page.getByLabel("Confirm password").getAttribute("aria-invalid")).resolves.toBe("true");
    // Show password shows what was typed in both boxes.
    await page.getByRole("button", { name: "Show password" }).click();
    await expect(page.getByRole("button", { name: "Show password" }).getAttribute("aria-pressed")).resolves.toBe("true");
    await expect(page.getByLabel("Password", { exact: true }).getAttribute("type")).resolves.toBe("text");
    await expect(page.getByLabel("Confirm password").getAttribute("type")).resolves.toBe("text");
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByLabel("Confirm password").press("Enter");
    await page.getByRole("button", { name: "Log out" }).waitFor();

    // Signed out, the card offers Sign in (no second password box), and Enter signs in.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(await page.getByLabel("Confirm password").isVisible()).toBe(false);
    await page.getByLabel("Username").fill(name);
    await page.getByLabel("Password", { exact: true }).fill("not it at all");
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await expect(page.getByRole("alert").textContent()).resolves.toBe("Wrong username or password. New here? Create an account instead.");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await page.getByRole("button", { name: "Log out" }).waitFor();
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });

    // Someone new on this browser switches to creating an account, keeping the name typed.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Username").fill("someone-new");
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    await expect(page.getByLabel("Username").inputValue()).resolves.toBe("someone-new");
    await expect(page.getByRole("button", { name: "Create account" }).isVisible()).resolves.toBe(true);
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    expect(alice.errors.filter((e) => !e.includes("401"))).toEqual([]);
  });
});
