/**
 * Drift between a client's generated types and its spec: the pipeline's own check,
 * `scripts/generate.ts --check`, regenerates the types from the bundle in memory and
 * compares them with the file on disk. A spec changed without `pnpm generate` fails it,
 * with the script's message naming the file and what to run.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@commerce-api/specs";

const run = promisify(execFile);

export interface DriftResult {
  stale: boolean;
  /** What the check printed (its stderr names each stale file and the fix). */
  message: string;
}

export async function checkDrift(configPath: string, names: string[]): Promise<DriftResult> {
  const script = join(repoRoot, "scripts", "generate.ts");
  try {
    await run(process.execPath, [script, "--check", "--config", configPath, ...names], { cwd: repoRoot });
    return { stale: false, message: "" };
  } catch (error) {
    const { code, stderr, stdout } = error as { code?: number; stderr?: string; stdout?: string };
    // Exit 1 with a message is the check's verdict; anything else means it could not run.
    if (code !== 1 || !stderr) throw error;
    return { stale: true, message: `${stderr}${stdout ?? ""}`.trim() };
  }
}
