import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Path of a scratch sibling: same directory, so the final rename is atomic. */
export function scratchPath(target: string): string {
  return join(dirname(target), `.${randomBytes(4).toString("hex")}.tmp-${target.split("/").pop()}`);
}

/**
 * Writes `target` so that readers see either the previous file or the complete new one,
 * never a half-written file: the content goes to a scratch sibling first and is renamed over.
 */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const scratch = scratchPath(target);
  try {
    await writeFile(scratch, content);
    await rename(scratch, target);
  } finally {
    await rm(scratch, { force: true });
  }
}
