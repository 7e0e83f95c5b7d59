// Where to connect and as whom: command-line flags first, then environment
// variables, then (in chat-cli.ts) a prompt on stdin for whatever is missing.
import { parseArgs } from "node:util";

export type CliConfig = {
  url: string;
  username: string | undefined;
  password: string | undefined;
  register: boolean;
  help: boolean;
};

export const USAGE = `usage: npm run cli -- [--url URL] [--user NAME] [--password PASSWORD] [--register]

  --url       server address (env CHAT_URL, default http://localhost:3000)
  --user      username (env CHAT_USER; asked on stdin when missing)
  --password  password (env CHAT_PASSWORD; asked on stdin when missing)
  --register  create the account first (logs in if the name is taken)`;

/** Throws a TypeError (from util.parseArgs) on an unknown flag or a flag without its value. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): CliConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      user: { type: "string" },
      password: { type: "string" },
      register: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    url: values.url ?? env.CHAT_URL ?? "http://localhost:3000",
    username: values.user ?? (env.CHAT_USER || undefined),
    password: values.password ?? (env.CHAT_PASSWORD || undefined),
    register: values.register ?? false,
    help: values.help ?? false,
  };
}
