// Line input and output for the CLI. One readline interface serves both the
// credential prompts and the command loop, so piped input typed ahead of the
// prompts is never lost. On a terminal, a live line printed while the user
// types is written above the prompt, and password input is not echoed.
import { createInterface, clearLine, cursorTo, type Interface } from "node:readline";
import { Writable } from "node:stream";

export class Terminal {
  readonly interactive: boolean;
  private readonly rl: Interface;
  private readonly lines: AsyncIterator<string>;
  private muted = false;
  private prompting = false;

  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stdout,
  ) {
    this.interactive = Boolean(input.isTTY && output.isTTY);
    // readline echoes keystrokes through this stream; muting it hides a password.
    const echo = new Writable({
      write: (chunk, encoding, done) => {
        if (!this.muted) output.write(chunk, encoding);
        done();
      },
    });
    Object.defineProperty(echo, "columns", { get: () => output.columns });
    this.rl = createInterface({ input, output: echo, terminal: this.interactive, prompt: "> " });
    this.lines = this.rl[Symbol.asyncIterator]();
  }

  /** The next line of input, or null at end of input (EOF, Ctrl-D). */
  async readLine(): Promise<string | null> {
    if (this.prompting) this.rl.prompt();
    const next = await this.lines.next();
    return next.done ? null : next.value;
  }

  /** Asks a question; a secret answer is not echoed on a terminal. */
  async ask(question: string, { secret = false } = {}): Promise<string | null> {
    this.output.write(question);
    this.muted = secret && this.interactive;
    try {
      return await this.readLine();
    } finally {
      // A terminal echoed the answer and its Enter, unless muted; a pipe echoes nothing.
      if (this.muted || !this.interactive) this.output.write("\n");
      this.muted = false;
    }
  }

  /** From now on, show a prompt before each line read. */
  startPrompting(): void {
    this.prompting = this.interactive;
  }

  /** Prints a line, above the prompt and whatever is half typed on a terminal. */
  print(line: string): void {
    if (!this.prompting) {
      this.output.write(`${line}\n`);
      return;
    }
    clearLine(this.output, 0);
    cursorTo(this.output, 0);
    this.output.write(`${line}\n`);
    this.rl.prompt(true);
  }

  /** Ctrl-C on a terminal (readline takes it over from the process). */
  onInterrupt(listener: () => void): void {
    this.rl.on("SIGINT", listener);
  }

  close(): void {
    this.prompting = false;
    this.rl.close();
    // Piped stdin may still be open; stop reading so the process can exit.
    this.input.pause();
  }
}
