// The terminal CLI and the echo bot, as child processes against the real
// server: commands go in on stdin, and the tests wait for what the CLI prints
// on stdout (every command prints a line when done), never for a fixed time.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Message } from "../common/protocol";
import { harness, next, ok, PASSWORD, record, uniqueName, type TestServer } from "./helpers/harness";

const h = harness();
const ROOT = resolve(__dirname, "..");
const TIME = "\\d\\d:\\d\\d";

/** The configuration a developer's shell may have exported must not leak into the children. */
const INHERITED = ["CHAT_URL", "CHAT_USER", "CHAT_PASSWORD", "BOT_USER", "BOT_PASSWORD", "BOT_ROOM"];

type Child = {
  /** Types a line (the newline is added). */
  type(line: string): void;
  /** Closes stdin: end of input. */
  end(): void;
  /**
   * Resolves once stdout, after what earlier waits consumed, matches `pattern`;
   * answers the text consumed up to and including the match. Rejects on
   * timeout or if the process ends first, with its output for the report.
   */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  signal(name: NodeJS.Signals): void;
  /** The exit code (null when killed by a signal), once stdout and stderr are closed. */
  exited: Promise<number | null>;
  stderr(): string;
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function spawnScript(script: string, args: string[], env: Record<string, string> = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of INHERITED) delete childEnv[key];
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...childEnv, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let cursor = 0;
  let closed = false;
  const checks = new Set<() => void>();
  const recheck = () => [...checks].forEach((check) => check());
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    recheck();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) =>
    child.once("close", (code) => {
      closed = true;
      recheck();
      done(code);
    }),
  );
  // Whatever a test leaves running ends before the server does (cleanups run last in, first out).
  h.onCleanup(async () => {
    if (!closed) child.kill("SIGKILL");
    await exited;
  });

  const report = () => `\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`;
  return {
    type: (line) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    signal: (name) => child.kill(name),
    exited,
    stderr: () => stderr,
    waitFor(pattern, timeoutMs = 10_000) {
      const re = typeof pattern === "string" ? new RegExp(escape(pattern)) : pattern;
      return new Promise((resolveWait, reject) => {
        const finish = () => {
          clearTimeout(timer);
          checks.delete(check);
        };
        const check = () => {
          const match = re.exec(stdout.slice(cursor));
          if (match) {
            finish();
            const from = cursor;
            cursor += match.index + match[0].length;
            resolveWait(stdout.slice(from, cursor));
          } else if (closed) {
            finish();
            reject(new Error(`the process ended before printing ${re}${report()}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`nothing matched ${re} within ${timeoutMs} ms${report()}`));
        }, timeoutMs);
        checks.add(check);
        check();
      });
    },
  };
}

/** A registered user's CLI, connected. */
async function startCli(s: TestServer, username?: string) {
  const auth = await h.register(s, username);
  const cli = spawnScript("scripts/chat-cli.ts", ["--url", s.url, "--user", auth.user.username, "--password", PASSWORD]);
  await cli.waitFor(`connected as ${auth.user.username}`);
  return { cli, ...auth };
}

describe("chat CLI", () => {
  test("prints live messages with room and sender, sends typed lines, and shows history", async () => {
    const s = await h.startServer();
    const { cli, user: alice } = await startCli(s);
    const bob = await h.user(s);
    const room = uniqueName("room");

    cli.type(`/create ${room}`);
    await cli.waitFor(`created #${room}`);

    const listed = (await ok(bob.socket, "room:list", {})).find((r) => r.name === room)!;
    await ok(bob.socket, "room:join", { roomId: listed.id });
    await cli.waitFor(new RegExp(`\\[#${room} ${TIME}\\] \\* ${bob.user.username} joined`));
    await ok(bob.socket, "message", { roomId: listed.id, text: "hello from bob", clientId: "b1" });
    await cli.waitFor(new RegExp(`\\[#${room} ${TIME}\\] ${bob.user.username}: hello from bob`));

    // Text is shown, not obeyed: a newline cannot fake a line, nor an escape sequence clear the screen.
    await ok(bob.socket, "message", { roomId: listed.id, text: "two\nlines \u001b[2J", clientId: "b2" });
    await cli.waitFor(`${bob.user.username}: two\n    lines \ufffd[2J\n`);

    const heard = next(bob.socket, "message", (m) => m.text === "hi bob");
    cli.type("hi bob");
    const m = await heard;
    expect(m).toMatchObject({ roomId: listed.id, seq: 3, sender: alice });
    // The author sees its own line come back as the live confirmation.
    await cli.waitFor(new RegExp(`\\[#${room} ${TIME}\\] ${alice.username}: hi bob`));

    cli.type("/history 2");
    const shown = await cli.waitFor(`-- 2 messages in #${room} --`);
    const lines = shown.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^\\[#${room} ${TIME}\\] ${bob.user.username}: two$`)),
      "    lines \ufffd[2J",
      expect.stringMatching(new RegExp(`^\\[#${room} ${TIME}\\] ${alice.username}: hi bob$`)),
      `-- 2 messages in #${room} --`,
    ]);
    cli.type("/history");
    await cli.waitFor(new RegExp(`hello from bob\n(.*\n){3}-- 3 messages in #${room} --`));

    cli.type("/quit");
    await cli.waitFor("bye");
    expect(await cli.exited).toBe(0);
  });

  test("/join finds a public room by name, ignoring case as the server does, or by id", async () => {
    const s = await h.startServer();
    const { cli, user: alice } = await startCli(s);
    const bob = await h.user(s);
    const street = await ok(bob.socket, "room:create", { name: `Straße ${uniqueName()}` });
    const other = await ok(bob.socket, "room:create", { name: uniqueName("other") });

    const joined = next(bob.socket, "system", (e) => e.type === "member-joined" && e.roomId === street.id);
    cli.type(`/join #${street.name.toUpperCase()}`);
    await cli.waitFor(`joined #${street.name}`);
    expect((await joined).user).toEqual(alice);
    const heard = next(bob.socket, "message", (m) => m.text === "made it");
    cli.type("made it");
    expect((await heard).roomId).toBe(street.id);

    cli.type(`/join ${other.id}`);
    await cli.waitFor(`joined #${other.name}`);
    cli.type(`/room ${street.name.toLowerCase()}`);
    await cli.waitFor(`current room: #${street.name}`);
    cli.type("/quit");
    expect(await cli.exited).toBe(0);
  });

  test("/dm, /create --private, /invite and /room switch where typed lines go", async () => {
    const s = await h.startServer();
    const { cli, user: alice } = await startCli(s);
    const bob = await h.user(s);

    cli.type(`/dm ${bob.user.username.toUpperCase()}`);
    await cli.waitFor(`opened dm @${bob.user.username}`);
    const dm = await ok(bob.socket, "dm:open", { username: alice.username });
    const inDm = next(bob.socket, "message", (m) => m.text === "psst");
    cli.type("psst");
    expect(await inDm).toMatchObject({ roomId: dm.id, sender: alice });
    await ok(bob.socket, "message", { roomId: dm.id, text: "hey alice", clientId: "b1" });
    await cli.waitFor(new RegExp(`\\[@${bob.user.username} ${TIME}\\] ${bob.user.username}: hey alice`));

    const secret = uniqueName("secret");
    cli.type(`/create ${secret} --private`);
    await cli.waitFor(`created #${secret} (private)`);
    const invited = next(bob.socket, "system", (e) => e.type === "member-invited");
    cli.type(`/invite ${bob.user.username}`);
    await cli.waitFor(`invited ${bob.user.username} to #${secret}`);
    const event = await invited;
    expect(event.user).toEqual(bob.user);
    const inSecret = next(bob.socket, "message", (m) => m.text === "for members only");
    cli.type("for members only");
    expect(await inSecret).toMatchObject({ roomId: event.roomId, sender: alice });

    cli.type(`/room @${bob.user.username}`);
    await cli.waitFor(`current room: @${bob.user.username}`);
    const backInDm = next(bob.socket, "message", (m) => m.text === "back in the dm");
    cli.type("back in the dm");
    expect((await backInDm).roomId).toBe(dm.id);

    cli.end();
    expect(await cli.exited).toBe(0);
  });

  test("errors are printed as `error: CODE message` and the CLI keeps working", async () => {
    const s = await h.startServer();
    const { cli } = await startCli(s);
    const room = uniqueName("room");

    cli.type("/join no-such-room");
    await cli.waitFor(/error: NOT_FOUND .*no-such-room/);
    cli.type("hello, anyone?");
    await cli.waitFor(/error: NO_ROOM /);
    cli.type("/frobnicate");
    await cli.waitFor("error: USAGE unknown command /frobnicate");
    cli.type("/dm nobody_at_all");
    await cli.waitFor("error: NOT_FOUND");
    cli.type(`/create ${room}`);
    await cli.waitFor(`created #${room}`);
    cli.type(`/create ${room.toUpperCase()}`);
    await cli.waitFor("error: CONFLICT");
    cli.type("/history 0");
    await cli.waitFor("error: USAGE /history [n]");

    cli.type("/rooms");
    const listing = await cli.waitFor("-- 1 room --");
    expect(listing).toMatch(new RegExp(`\\* #${room} +public +joined +lastSeq=0`));

    cli.type("/leave");
    await cli.waitFor(`left #${room}`);
    cli.type("still here?");
    await cli.waitFor(/error: NO_ROOM /);

    cli.type("/quit");
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toBe("");
  });

  test("--register with the credentials typed on stdin, then end of input quits cleanly", async () => {
    const s = await h.startServer();
    const username = uniqueName("new");
    const cli = spawnScript("scripts/chat-cli.ts", ["--url", s.url, "--register"]);
    cli.type(username);
    cli.type(PASSWORD);
    await cli.waitFor(`connected as ${username}`);
    cli.type("/rooms");
    await cli.waitFor("-- 0 rooms --");
    cli.end();
    await cli.waitFor("bye");
    expect(await cli.exited).toBe(0);

    // --register on a taken name logs in instead.
    const again = spawnScript("scripts/chat-cli.ts", ["--url", s.url, "--register"], {
      CHAT_USER: username,
      CHAT_PASSWORD: PASSWORD,
    });
    await again.waitFor(`connected as ${username}`);
    again.type("/quit");
    expect(await again.exited).toBe(0);
  });

  test("a wrong password exits with code 1 and the server's error", async () => {
    const s = await h.startServer();
    const { user } = await h.register(s);
    const cli = spawnScript("scripts/chat-cli.ts", ["--url", s.url, "--user", user.username, "--password", "not the password"]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain("error: UNAUTHORIZED");
  });
});

describe("echo bot", () => {
  test("joins its room and echoes every message but its own; SIGTERM exits with 0", async () => {
    const s = await h.startServer();
    const bob = await h.user(s);
    const botName = uniqueName("bot");
    const roomName = `Straße ${uniqueName()}`;
    const room = await ok(bob.socket, "room:create", { name: roomName });

    // The room exists already: the bot finds it by name, ignoring case the
    // way the server does ("STRASSE" is "Straße"), and joins it.
    const bot = spawnScript("scripts/echo-bot.ts", [], {
      CHAT_URL: s.url,
      BOT_USER: botName,
      BOT_PASSWORD: PASSWORD,
      BOT_ROOM: roomName.toUpperCase(),
    });
    await bot.waitFor(`${botName} is echoing in #${roomName}`);

    const seen = record(bob.socket, "message");
    await ok(bob.socket, "message", { roomId: room.id, text: "ping", clientId: "b1" });
    await next(bob.socket, "message", (m) => m.text === "echo: ping");
    await ok(bob.socket, "message", { roomId: room.id, text: "pong", clientId: "b2" });
    await next(bob.socket, "message", (m) => m.text === "echo: pong");
    // The bot handles its room's messages in order: had it echoed its own
    // reply, that echo would have come before "echo: pong".
    expect(seen.map((m: Message) => [m.sender.username, m.text])).toEqual([
      [bob.user.username, "ping"],
      [botName, "echo: ping"],
      [bob.user.username, "pong"],
      [botName, "echo: pong"],
    ]);

    bot.signal("SIGTERM");
    expect(await bot.exited).toBe(0);
  });
});
