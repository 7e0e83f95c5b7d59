// A Node script as a child process (`node --import tsx <script>`) that is
// ready once it prints a line: the server in the crash and restart tests, and
// the benchmark's servers. Its output is kept (the last few KB) for failure
// messages, and stdout is drained so the child never blocks on a full pipe.
// Nothing here uses jest or __dirname, so scripts/bench can import it.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type StartOptions = {
  script: string;
  args?: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** An IPC channel beside stdio (child.send / "message"). */
  ipc?: boolean;
  /** The line that says the child is ready; its match is returned. */
  ready: RegExp;
  /** Upper bound for the start, not a sleep: it only fails a child that never says it is ready. */
  timeoutMs: number;
  /** For messages: "the server", "the bare server". */
  what: string;
};

export type StartedChild = {
  child: ChildProcess;
  pid: number;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<Exit>;
  /** The ready line's match. */
  ready: RegExpExecArray;
  /** The last few KB of its stdout and stderr. */
  output(): string;
};

/** Starts the script; rejects (the child killed) if it exits or stays silent before its ready line. */
export async function startNodeScript(options: StartOptions): Promise<StartedChild> {
  const child = spawn(process.execPath, ["--import", "tsx", options.script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${options.what}`);
  const pid = child.pid;
  let log = "";
  const keep = (chunk: Buffer | string) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stderr!.on("data", keep);
  const exited = new Promise<Exit>((done) => child.once("exit", (code, signal) => done({ code, signal })));

  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${options.what} did not print ${options.ready} within ${options.timeoutMs} ms:\n${log}`)), options.timeoutMs);
    const onLine = (line: string) => {
      keep(`${line}\n`);
      const match = options.ready.exec(line);
      if (match) finish(undefined, match);
    };
    const onExit = (exit: Exit) => finish(new Error(`${options.what} exited (${JSON.stringify(exit)}) before it was ready:\n${log}`));
    let settled = false;
    function finish(err?: Error, match?: RegExpExecArray) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.off("line", onLine);
      if (err) reject(err);
      else resolve(match!);
    }
    lines.on("line", onLine);
    void exited.then(onExit);
  }).catch((err: unknown) => {
    child.kill("SIGKILL");
    throw err;
  });
  lines.on("line", (line) => keep(`${line}\n`));
  return { child, pid, exited, ready, output: () => log };
}
