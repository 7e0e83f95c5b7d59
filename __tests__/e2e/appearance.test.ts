// How the page looks, whatever the screen: a dark theme when the system asks
// for one (with the same contrast checks), an emoji-capable font stack, and
// a "not found" page in the page's own style.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { contrast } from "../../browser/src/colors";
import { describeInBrowser } from "../helpers/browser";
import { axeInBothThemes, createRoom, pageTests, send, signUp, uniqueName } from "../helpers/page";

jest.setTimeout(90_000);

const rgb = (c: string) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number) as [number, number, number];

describeInBrowser("the chat page in Chromium: how it looks", () => {
  const { h, open } = pageTests();

  test("the page follows the system's dark setting, its names readable on it; message text can show emoji from the system's emoji font", async () => {
    const s = await h.startServer();
    const light = await open(s.url, undefined, { colorScheme: "light" });
    const dark = await open(s.url, undefined, { colorScheme: "dark" });
    const room = uniqueName("themes");
    await signUp(light);
    await createRoom(light.page, room);
    await send(light.page, "sunny ☀ and 😀");
    await signUp(dark);
    await dark.page.getByRole("navigation", { name: "Rooms" }).getByRole("button", { name: room }).click();
    await dark.page.locator("[data-message] .text").first().waitFor();

    const colours = (user: typeof light) =>
      user.page.evaluate(() => {
        const sender = document.querySelector("[data-message] .sender")!;
        return { body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color, sender: getComputedStyle(sender).color };
      });
    const [inLight, inDark] = [await colours(light), await colours(dark)];
    expect(inLight.body).toBe("rgb(255, 255, 255)");
    expect(inDark.body).toBe("rgb(22, 24, 29)");
    expect(contrast(rgb(inDark.text), rgb(inDark.body))).toBeGreaterThanOrEqual(7);
    expect(inDark.sender).not.toBe(inLight.sender);
    expect(contrast(rgb(inDark.sender), rgb(inDark.body))).toBeGreaterThanOrEqual(4.5);
    expect(await axeInBothThemes(dark.page)).toEqual({ light: [], dark: [] });

    const fonts = await light.page.locator("[data-message] .text").first().evaluate((el) => getComputedStyle(el).fontFamily);
    for (const emoji of ["Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"]) expect(fonts).toContain(emoji);
    expect([...light.errors, ...dark.errors]).toEqual([]);
  });

  test("an unknown address answers the page's own 'not found', styled like the page in both themes, with a way back", async () => {
    const s = await h.startServer();
    const user = await open(s.url);
    const response = await user.page.goto(`${s.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    await user.page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    const back = user.page.getByRole("link", { name: "Go to the chat" });
    await expect(back.getAttribute("href")).resolves.toBe("/");
    // The page's own style sheet: its card, its buttons, its dark palette.
    const card = () => user.page.locator(".auth-card").evaluate((el) => ({ radius: getComputedStyle(el).borderRadius, background: getComputedStyle(el).backgroundColor }));
    await expect(card()).resolves.toEqual({ radius: "16px", background: "rgb(255, 255, 255)" });
    await user.page.emulateMedia({ colorScheme: "dark" });
    await expect(card()).resolves.toEqual({ radius: "16px", background: "rgb(34, 37, 44)" });
    expect(await axeInBothThemes(user.page)).toEqual({ light: [], dark: [] });
    await back.click();
    await user.page.getByLabel("Username").waitFor();
  });
});
