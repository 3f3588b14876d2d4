/**
 * Bundles every API in redocly.yaml into one self-contained JSON file
 * (specs/dist/<name>.json) that codegen, mocks, docs and tests read.
 * A spec that fails to bundle (e.g. a broken $ref) stops here with Redocly's message,
 * and the previous bundle stays untouched.
 */
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { listApis, repoRoot } from "../specs/index.ts";
import { scratchPath, writeFileAtomic } from "./lib/fs.ts";

const run = promisify(execFile);
const redocly = join(repoRoot, "node_modules", ".bin", "redocly");

async function bundle(id: string, bundlePath: string): Promise<void> {
  const scratch = `${scratchPath(bundlePath)}.json`;
  try {
    await run(redocly, ["bundle", id, "--config", join(repoRoot, "redocly.yaml"), "--output", scratch], {
      cwd: repoRoot,
    });
    // Round-trip through JSON.parse so the file is known to be complete and well-formed.
    const document = JSON.parse(await readFile(scratch, "utf8"));
    await writeFileAtomic(bundlePath, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`Bundling ${id} failed:\n${stderr || stdout || String(error)}`);
  } finally {
    await rm(scratch, { force: true });
  }
}

const results = await Promise.allSettled(listApis().map((api) => bundle(api.id, api.bundlePath)));
const failures = results.filter((result) => result.status === "rejected");
for (const failure of failures) console.error((failure as PromiseRejectedResult).reason.message);
if (failures.length > 0) process.exit(1);
for (const api of listApis()) console.log(`bundled ${api.id} -> ${api.bundlePath.slice(repoRoot.length)}`);
