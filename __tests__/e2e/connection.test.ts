// The page and its connection: a server restart, an outage with a message
// on its way, a server of another protocol version, a handshake turned
// down for now.
// Skips (saying why) where no Chromium is installed; CI installs it.
import { join } from "node:path";
import { ChatClient } from "../../common/client";
import { axeViolations, describeInBrowser, screenshot } from "../helpers/browser";
import { PASSWORD, tempDir } from "../helpers/harness";
import { createRoom, eventually, expectMessages, nav, pageTests, send, signUp, uniqueName } from "../helpers/page";
import { freePort, spawnServer } from "../helpers/process";

jest.setTimeout(90_000);

describeInBrowser("the chat page in Chromium: the connection", () => {
  const { h, open } = pageTests();

  /** A server as a child process on a fixed port and database file: `restart()` starts it (again) at the same URL. */
  async function restartableServer() {
    const dbPath = join(tempDir(), "chat.db");
    const port = await freePort();
    return () => spawnServer({ databaseUrl: `sqlite:${dbPath}`, port, onCleanup: h.onCleanup });
  }

  /** What the server has stored in a room, as the user sees it from a Node script. */
  async function storedMessages(url: string, username: string, room: string) {
    const login = await ChatClient.connectAs(url, { username, password: PASSWORD }, { socket: { transports: ["websocket"] } });
    h.onCleanup(() => login.client.close());
    const roomId = (await login.client.call("room:list", {})).find((r) => r.name === room)!.id;
    return login.client.call("history", { roomId });
  }

  test("after a server restart the page reconnects and shows what was sent meanwhile, once each", async () => {
    const restart = await restartableServer();
    let server = await restart();
    const alice = await open(server.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("restart");
    await createRoom(alice.page, room);
    await send(alice.page, "before restart");

    const bobAuth = await h.register(server);
    const stopped = await server.kill("SIGTERM");
    expect(stopped).toEqual({ code: 0, signal: null });
    await alice.page.locator("#connection", { hasText: "Offline" }).waitFor();

    server = await restart();
    const bob = await ChatClient.connect({ url: server.url, token: bobAuth.token, socket: { transports: ["websocket"] } });
    h.onCleanup(() => bob.close());
    const roomId = (await bob.call("room:list", {})).find((r) => r.name === room)!.id;
    await bob.call("room:join", { roomId });
    for (let i = 1; i <= 5; i++) await bob.send(roomId, `meanwhile ${i}`);

    await expectMessages(alice.page, ["before restart", "meanwhile 1", "meanwhile 2", "meanwhile 3", "meanwhile 4", "meanwhile 5"]);
    await send(alice.page, `back, says ${aliceName}`);
    await expectMessages(alice.page, [
      "before restart",
      ...[1, 2, 3, 4, 5].map((i) => `meanwhile ${i}`),
      `back, says ${aliceName}`,
    ]);
  });

  test("a message sent during an outage of 12 s goes by itself once the server is back: stored once, shown as sent, never failed, no click; the banner covers nothing", async () => {
    const restart = await restartableServer();
    let server = await restart();
    const alice = await open(server.url);
    const aliceName = await signUp(alice);
    const room = uniqueName("outage");
    await createRoom(alice.page, room);
    const layoutTop = () => alice.page.locator(".layout").evaluate((el) => el.getBoundingClientRect().top);
    const topOnline = await layoutTop();
    // Every state a message element passes through, and whether a Retry button ever showed.
    await alice.page.evaluate(() => {
      const w = window as unknown as { __statuses: string[]; __retryShown: boolean };
      w.__statuses = [];
      w.__retryShown = false;
      new MutationObserver(() => {
        for (const el of Array.from(document.querySelectorAll("[data-message]"))) {
          const status = el.getAttribute("data-status") ?? "";
          if (w.__statuses[w.__statuses.length - 1] !== status) w.__statuses.push(status);
        }
        if (document.querySelector("[data-retry]")) w.__retryShown = true;
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
    });

    await server.kill("SIGTERM");
    await alice.page.locator("#connection", { hasText: "Offline" }).waitFor();
    // The banner floats over the page: nothing under it moved.
    expect(await layoutTop()).toBe(topOnline);
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.fill("written during the outage");
    await box.press("Enter");
    const item = alice.page.locator("[data-message]", { hasText: "written during the outage" });
    await eventually(() => item.getAttribute("data-status"), "sending");
    await item.getByText("Waiting for the connection…").waitFor();
    // The outage itself: longer than the page's 8 s ack timeout, on purpose.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(await item.getAttribute("data-status")).toBe("sending");

    server = await restart();
    await eventually(() => item.getAttribute("data-status"), "sent", 30_000);
    const seen = await alice.page.evaluate(() => {
      const w = window as unknown as { __statuses: string[]; __retryShown: boolean };
      return { statuses: w.__statuses, retryShown: w.__retryShown };
    });
    expect(seen.statuses).toContain("sending");
    expect(seen.statuses).not.toContain("failed");
    expect(seen.retryShown).toBe(false);

    const stored = await storedMessages(server.url, aliceName, room);
    expect(stored.map((m) => m.text)).toEqual(["written during the outage"]);
    expect(await item.getAttribute("data-client-id")).toBe(stored[0]!.clientId);
    expect(alice.errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

  test("a message that cannot get through for two minutes ends failed (the clock is moved on); Retry stores it once", async () => {
    const restart = await restartableServer();
    let server = await restart();
    const alice = await open(server.url);
    // Playwright's clock: time runs as usual until the test moves it on.
    await alice.context.clock.install();
    await alice.page.reload();
    const aliceName = await signUp(alice);
    const room = uniqueName("retry");
    await createRoom(alice.page, room);
    await server.kill("SIGTERM");
    await alice.page.locator("#connection", { hasText: "Offline" }).waitFor();

    const box = alice.page.getByLabel("Message", { exact: true });
    await box.fill("sent while offline");
    await box.press("Enter");
    const item = alice.page.locator("[data-message]", { hasText: "sent while offline" });
    await eventually(() => item.getAttribute("data-status"), "sending");
    // Nothing answers for longer than the outbox waits.
    await alice.page.clock.fastForward("02:05");
    await alice.page.locator('[data-message][data-status="failed"]').waitFor({ timeout: 20_000 });

    server = await restart();
    await eventually(async () => (await alice.page.locator("#connection").textContent())?.includes("Offline") ?? false, false, 30_000);
    await item.getByRole("button", { name: "Retry" }).click();
    await eventually(() => item.getAttribute("data-status"), "sent");
    await item.getByRole("button", { name: "Retry" }).waitFor({ state: "detached" });

    const stored = await storedMessages(server.url, aliceName, room);
    expect(stored.map((m) => m.text)).toEqual(["sent while offline"]);
    expect(await item.getAttribute("data-client-id")).toBe(stored[0]!.clientId);
  });

  test("a server that does not speak the page's protocol version: the page says it is out of date, and Reload brings it back", async () => {
    const s = await h.startServer();
    const alice = await open(s.url);
    await signUp(alice);
    // The page of another release: its socket handshake names a protocol version this server does not speak.
    let outdated = true;
    await alice.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(outdated && typeof message === "string" ? message.replace(/"protocol":1\b/, '"protocol":2') : message));
    });
    await alice.page.reload();
    await alice.page.getByRole("heading", { level: 1, name: "This page is out of date" }).waitFor();
    await expect(alice.page.getByRole("alert").textContent()).resolves.toMatch(/reload to update/i);
    await expect(alice.page.title()).resolves.toBe("Reload to update · Chat");
    const reload = alice.page.getByRole("button", { name: "Reload" });
    await expect(reload.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await axeViolations(alice.page)).toEqual([]);
    await screenshot(alice.page, "outdated");

    // The server serves the page of its own release: after the reload the user is back, still signed in.
    outdated = false;
    await reload.click();
    await alice.page.getByRole("button", { name: "Log out" }).waitFor();
    await alice.page.getByRole("button", { name: "New room" }).waitFor();
    expect(alice.errors).toEqual([]);
  });

  test("a handshake the server turns down for now (too many connections) is tried again with a pause, said in the banner, until it gets in", async () => {
    const s = await h.startServer({ limits: { socketsPerUser: 1 } });
    const alice = await open(s.url);
    await signUp(alice);
    const second = await alice.context.newPage();
    await second.goto(s.url);
    await second.locator("#connection", { hasText: /Too many connections.*trying again in \d+ s/ }).waitFor();
    // The first tab goes: the second gets in by itself.
    await alice.page.close();
    await second.locator("#connection:empty").waitFor({ state: "attached", timeout: 30_000 });
    await nav(second).getByRole("button", { name: "New room" }).waitFor();
  });
});
