// A terminal chat client: `npm run cli -- --url http://host:3000 --user alice`.
// Reads commands and messages line by line from stdin (a terminal or a pipe)
// and prints live messages as they arrive. See /help for the commands.
import { ChatClient } from "../common/client";
import { runLine } from "./cli/commands";
import { readConfig, USAGE, type CliConfig } from "./cli/config";
import { formatError } from "./cli/format";
import { printLiveEvents } from "./cli/live-lines";
import { CliState } from "./cli/state";
import { Terminal } from "./cli/terminal";

async function main(): Promise<number> {
  let config: CliConfig;
  try {
    config = readConfig(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`error: USAGE ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (config.help) {
    console.log(USAGE);
    return 0;
  }

  const terminal = new Terminal();
  // End of input, Ctrl-C and a termination signal all end the loop below the same way.
  terminal.onInterrupt(() => terminal.close());
  process.once("SIGINT", () => terminal.close());
  process.once("SIGTERM", () => terminal.close());

  const username = config.username ?? (await terminal.ask("username: "))?.trim();
  const password = config.password ?? (await terminal.ask("password: ", { secret: true }));
  if (!username || !password) {
    terminal.close();
    console.error("error: USAGE a username and a password are needed");
    return 2;
  }

  let client: ChatClient;
  let state: CliState;
  try {
    const auth = await ChatClient.connectAs(config.url, { username, password, register: config.register });
    client = auth.client;
    state = new CliState(client, auth.user, (line) => terminal.print(line));
    printLiveEvents(state);
    await state.refresh();
    await state.loadContacts();
    terminal.print(`connected as ${auth.user.username} to ${config.url} (/help for commands)`);
  } catch (err) {
    terminal.close();
    console.error(formatError(err));
    return 1;
  }

  let exitCode = 0;
  client.onConnectionChange((change) => {
    if (change.state === "reconnected") {
      terminal.print("* reconnected, caught up");
      state.resync().catch((err: unknown) => terminal.print(formatError(err)));
    }
    if (change.state === "retrying") {
      terminal.print(`* the server turned the connection down for now (${change.error.message}), trying again in ${Math.ceil(change.delayMs / 1000)} s`);
      return;
    }
    if (change.state === "refused") {
      // A reconnect turned down: the session ended meanwhile, or the server no longer speaks our protocol.
      terminal.print(formatError(change.error));
      exitCode = 1;
      terminal.close();
      return;
    }
    if (change.state !== "disconnected" || change.reason === "io client disconnect") return; // our own /quit
    if (!change.willReconnect) {
      // The server ended this session (a logout elsewhere): it will not take us back.
      terminal.print("error: UNAUTHORIZED the server ended this session");
      exitCode = 1;
      terminal.close();
    } else {
      terminal.print(`* connection lost (${change.reason}), reconnecting...`);
    }
  });

  terminal.startPrompting();
  for (let line = await terminal.readLine(); line !== null; line = await terminal.readLine()) {
    if ((await runLine(state, line)) === "quit") break;
  }
  terminal.close();
  client.close();
  terminal.print("bye");
  return exitCode;
}

main().then(
  (code) => {
    // Nothing is left running once the socket and stdin are closed, so the process ends by itself.
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(formatError(err));
    process.exit(1);
  },
);
