// jest globalSetup: build the browser bundle once per run, exactly as
// `npm start` does, so that end-to-end tests load what users load.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default function buildPage(): void {
  execFileSync(process.execPath, ["--import", "tsx", "scripts/build-browser.ts"], {
    cwd: resolve(__dirname, "..", ".."),
    stdio: ["ignore", "ignore", "inherit"],
  });
}
