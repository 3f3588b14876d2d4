/** Directory swap for the site build, so a failed build never replaces a good site. */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Runs `produce(scratchDir)` and, only if it succeeds, swaps the scratch directory in for
 * `targetDir`; on failure `targetDir` is left exactly as it was. The scratch directory is a
 * sibling of the target, so the swap is two renames on one file system.
 */
export async function replaceDirAtomic(
  targetDir: string,
  produce: (scratchDir: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(targetDir), { recursive: true });
  const scratch = join(dirname(targetDir), `.${randomBytes(4).toString("hex")}.tmp-${basename(targetDir)}`);
  const retired = `${scratch}.old`;
  try {
    await mkdir(scratch);
    await produce(scratch);
    await rename(targetDir, retired).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    await rename(scratch, targetDir);
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(retired, { recursive: true, force: true });
  }
}
