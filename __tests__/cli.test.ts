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

/** alice's CLI creates a room; bob (a harness socket) joins it. */
async function cliInRoomWithBob() {
  const s = await h.startServer();
  const { cli, user: alice } = await startCli(s);
  const bob = await h.user(s);
  const room = uniqueName("room");
  cli.type(`/create ${room}`);
  await cli.waitFor(`created #${room}`);
  const listed = (await ok(bob.socket, "room:list", {})).find((r) => r.name === room)!;
  await ok(bob.socket, "room:join", { roomId: listed.id });
  return { cli, alice, bob, room, listed };
}

describe("chat CLI", () => {
  test("prints live messages with room and sender, sends typed lines, and shows history", async () => {
    const { cli, alice, bob, room, listed } = await cliInRoomWithBob();
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
    // Listings show each message's seq, which /edit and /delete take.
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^#2 \\[#${room} ${TIME}\\] ${bob.user.username}: two$`)),
      "    lines \ufffd[2J",
      expect.stringMatching(new RegExp(`^#3 \\[#${room} ${TIME}\\] ${alice.username}: hi bob$`)),
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
    expect(listing).toMatch(new RegExp(`\\* #${room} +public +joined +lastSeq=0 +0 unread\n`));
    cli.type("/search");
    await cli.waitFor("error: USAGE /search [--here] <words>");
    cli.type("/edit 1");
    await cli.waitFor("error: USAGE /edit <seq> <new text>");
    cli.type("/delete first");
    await cli.waitFor("error: USAGE /delete <seq>");
    cli.type("/contacts befriend someone");
    await cli.waitFor("error: USAGE /contacts [add|remove <user>]");
    cli.type("/contacts add nobody_at_all");
    await cli.waitFor("error: NOT_FOUND");

    cli.type("/leave");
    await cli.waitFor(`left #${room}`);
    cli.type("still here?");
    await cli.waitFor(/error: NO_ROOM /);

    cli.type("/quit");
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toBe("");
  });

  test("/help lists every command", async () => {
    const s = await h.startServer();
    const { cli } = await startCli(s);
    cli.type("/help");
    const help = await cli.waitFor("Lines starting with ! mention you");
    for (const usage of ["/rooms", "/search [--here] <words>", "/edit <seq> <new text>", "/delete <seq>", "/contacts [add|remove <user>]", "/quit"]) {
      expect(help).toContain(`  ${usage} `);
    }
    cli.end();
    expect(await cli.exited).toBe(0);
  });

  test("/rooms shows unread messages and mentions; the current room is marked read as messages arrive", async () => {
    const s = await h.startServer();
    const { cli, user: alice } = await startCli(s);
    const bob = await h.user(s);
    const busy = await ok(bob.socket, "room:create", { name: uniqueName("busy") });
    cli.type(`/join ${busy.name}`);
    await cli.waitFor(`joined #${busy.name}`);
    const quiet = uniqueName("quiet");
    cli.type(`/create ${quiet}`);
    await cli.waitFor(`created #${quiet}`);

    // Said while another room is current: unread, and the mention is marked with a leading "!".
    await ok(bob.socket, "message", { roomId: busy.id, text: "one", clientId: "b1" });
    await ok(bob.socket, "message", { roomId: busy.id, text: `hey @${alice.username.toUpperCase()}, look`, clientId: "b2" });
    await ok(bob.socket, "message", { roomId: busy.id, text: "three", clientId: "b3" });
    const live = await cli.waitFor(`${bob.user.username}: three\n`);
    expect(live).toMatch(new RegExp(`(?:^|\n)\\[#${busy.name} ${TIME}\\] ${bob.user.username}: one\n`));
    expect(live).toMatch(new RegExp(`(?:^|\n)! \\[#${busy.name} ${TIME}\\] ${bob.user.username}: hey @`));
    expect(live).toMatch(new RegExp(`(?:^|\n)\\[#${busy.name} ${TIME}\\] ${bob.user.username}: three\n$`));

    cli.type("/rooms");
    const before = await cli.waitFor("-- 2 rooms --");
    expect(before).toMatch(new RegExp(`(?:^|\n)  #${busy.name} +public +joined +lastSeq=3 +3 unread, 1 mention\n`));
    expect(before).toMatch(new RegExp(`(?:^|\n)\\* #${quiet} +public +joined +lastSeq=0 +0 unread\n`));

    // Making the room current marks all of it read.
    const readAll = next(bob.socket, "read", (e) => e.roomId === busy.id && e.user.id === alice.id);
    cli.type(`/room ${busy.name}`);
    await cli.waitFor(`current room: #${busy.name}`);
    expect((await readAll).seq).toBe(3);
    cli.type("/rooms");
    expect(await cli.waitFor("-- 2 rooms --")).toMatch(new RegExp(`(?:^|\n)\\* #${busy.name} +public +joined +lastSeq=3 +0 unread\n`));

    // So does every live message in the current room; a burst ends with the marker at its last seq.
    const reads = record(bob.socket, "read");
    const readBurst = next(bob.socket, "read", (e) => e.roomId === busy.id && e.user.id === alice.id && e.seq === 8);
    for (let seq = 4; seq <= 8; seq++) await ok(bob.socket, "message", { roomId: busy.id, text: `burst ${seq}`, clientId: `burst${seq}` });
    await readBurst;
    const seqs = reads.filter((e) => e.user.id === alice.id).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    cli.type("/rooms");
    expect(await cli.waitFor("-- 2 rooms --")).toMatch(new RegExp(`(?:^|\n)\\* #${busy.name} +public +joined +lastSeq=8 +0 unread\n`));

    cli.end();
    expect(await cli.exited).toBe(0);
  });

  test("/search finds messages in the user's rooms, newest first; --here only in the current room", async () => {
    const s = await h.startServer();
    const { cli, user: alice } = await startCli(s);
    const bob = await h.user(s);
    const theirs = await ok(bob.socket, "room:create", { name: uniqueName("theirs") });
    const elsewhere = await ok(bob.socket, "room:create", { name: uniqueName("elsewhere") });
    cli.type(`/join ${theirs.name}`);
    await cli.waitFor(`joined #${theirs.name}`);
    await ok(bob.socket, "message", { roomId: theirs.id, text: "good morning", clientId: "b1" });
    await ok(bob.socket, "message", { roomId: theirs.id, text: "Zebra crossing ahead", clientId: "b2" });
    // A public room alice can read but is not a member of: not searched.
    await ok(bob.socket, "message", { roomId: elsewhere.id, text: "zebra where alice is not", clientId: "b3" });
    await cli.waitFor(`${bob.user.username}: Zebra crossing ahead`);

    const mine = uniqueName("mine");
    cli.type(`/create ${mine}`);
    await cli.waitFor(`created #${mine}`);
    cli.type("zebras everywhere");
    await cli.waitFor(`${alice.username}: zebras everywhere`);
    cli.type("no stripes here");
    await cli.waitFor(`${alice.username}: no stripes here\n`);

    cli.type("/search ZEBRA");
    const found = await cli.waitFor("-- 2 results --");
    expect(found.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^#1 \\[#${mine} ${TIME}\\] ${alice.username}: zebras everywhere$`)),
      expect.stringMatching(new RegExp(`^#2 \\[#${theirs.name} ${TIME}\\] ${bob.user.username}: Zebra crossing ahead$`)),
      "-- 2 results --",
    ]);

    cli.type("/search --here zeb");
    const here = await cli.waitFor("-- 1 result --");
    expect(here.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^#1 \\[#${mine} ${TIME}\\] ${alice.username}: zebras everywhere$`)),
      "-- 1 result --",
    ]);
    cli.type("/search crossing morning");
    await cli.waitFor("-- 0 results --");
    cli.type(`/search "zebra" OR *`);
    await cli.waitFor(/-- \d+ results? --/);

    cli.end();
    expect(await cli.exited).toBe(0);
  });

  test("/contacts add, list and remove; a contact's presence is shown, a room-mate's is not", async () => {
    const s = await h.startServer();
    const { cli } = await startCli(s);
    const bob = await h.register(s);
    const carol = await h.user(s);
    const room = uniqueName("room");
    cli.type(`/create ${room}`);
    await cli.waitFor(`created #${room}`);
    const listed = (await ok(carol.socket, "room:list", {})).find((r) => r.name === room)!;
    await ok(carol.socket, "room:join", { roomId: listed.id });
    await cli.waitFor(`* ${carol.user.username} joined`);

    cli.type("/contacts");
    await cli.waitFor("-- 0 contacts --");
    cli.type(`/contacts add ${bob.user.username.toUpperCase()}`);
    await cli.waitFor(`added ${bob.user.username} to contacts`);
    cli.type("/contacts");
    expect(await cli.waitFor("-- 1 contact --")).toMatch(new RegExp(`(?:^|\n)  ${bob.user.username} +offline\n`));

    const bobSocket = await h.connect(s, bob.token);
    await cli.waitFor(`* ${bob.user.username} is online\n`);
    cli.type("/contacts");
    expect(await cli.waitFor("-- 1 contact --")).toMatch(new RegExp(`(?:^|\n)  ${bob.user.username} +online\n`));

    // Carol shares a room with alice but is no contact: her leaving is not shown. Bob hears of
    // it in the same broadcast as alice's CLI, before bob's own going offline is announced.
    await ok(bobSocket, "room:join", { roomId: listed.id });
    const carolGone = next(bobSocket, "presence", (e) => e.user.id === carol.user.id && !e.online);
    carol.socket.close();
    await carolGone;
    bobSocket.close();
    const seen = await cli.waitFor(`* ${bob.user.username} is offline\n`);
    expect(seen).not.toContain(carol.user.username);

    cli.type(`/contacts remove ${bob.user.username}`);
    await cli.waitFor(`removed ${bob.user.username} from contacts`);
    cli.type("/contacts");
    await cli.waitFor("-- 0 contacts --");

    cli.end();
    expect(await cli.exited).toBe(0);
  });

  test("/edit and /delete change the user's own messages by seq, and others see message:updated", async () => {
    const { cli, alice, bob, room, listed } = await cliInRoomWithBob();
    await cli.waitFor(`* ${bob.user.username} joined`);

    const heard = next(bob.socket, "message", (m) => m.text === "helo wrld");
    cli.type("helo wrld");
    const mine = await heard;
    const theirs = await ok(bob.socket, "message", { roomId: listed.id, text: "bob was here", clientId: "b1" });
    await cli.waitFor(`${bob.user.username}: bob was here\n`);
    expect([mine.seq, theirs.seq]).toEqual([1, 2]);

    const edited = next(bob.socket, "message:updated");
    cli.type("/edit 1 hello   world");
    await cli.waitFor("edited #1\n");
    const update = await edited;
    expect(update).toMatchObject({ id: mine.id, seq: 1, sender: alice, text: "hello   world", deleted: false });
    expect(update.editedAt).toEqual(expect.any(Number));

    // Someone else's message: the server refuses, and the CLI says so and carries on.
    cli.type("/edit 2 not yours");
    await cli.waitFor(/error: FORBIDDEN \S.*\n/);
    cli.type("/delete 2");
    await cli.waitFor(/error: FORBIDDEN \S.*\n/);
    cli.type("/edit 9 nothing there");
    await cli.waitFor(`error: NOT_FOUND no message #9 in #${room}`);

    const deleted = next(bob.socket, "message:updated");
    cli.type("/delete #1");
    await cli.waitFor("deleted #1\n");
    expect(await deleted).toMatchObject({ id: mine.id, seq: 1, text: "", deleted: true });

    // Bob's own edit and delete print live in alice's CLI.
    await ok(bob.socket, "message:edit", { messageId: theirs.id, text: "bob was here too" });
    await cli.waitFor(new RegExp(`\\[#${room} ${TIME}\\] ${bob.user.username}: bob was here too \\(edited\\)\n`));
    await ok(bob.socket, "message:delete", { messageId: theirs.id });
    await cli.waitFor(new RegExp(`\\[#${room} ${TIME}\\] ${bob.user.username}: \\(deleted\\)\n`));

    cli.type("/history");
    const shown = await cli.waitFor(`-- 2 messages in #${room} --`);
    expect(shown.trim().split("\n").slice(-3)).toEqual([
      expect.stringMatching(new RegExp(`^#1 \\[#${room} ${TIME}\\] ${alice.username}: \\(deleted\\)$`)),
      expect.stringMatching(new RegExp(`^#2 \\[#${room} ${TIME}\\] ${bob.user.username}: \\(deleted\\)$`)),
      `-- 2 messages in #${room} --`,
    ]);

    cli.end();
    expect(await cli.exited).toBe(0);
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
