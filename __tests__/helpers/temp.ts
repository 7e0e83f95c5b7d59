import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh folder under the system's temp dir; the caller removes it. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "chat-test-"));
}
