/**
 * A throw-away copy of this workspace as a git repository of its own, with dependencies
 * installed from the local pnpm store: `pnpm release` commits and tags there, never here.
 * It holds the files git would track in the working tree now (committed or not), so the
 * release tests and `pnpm bench` see the code as it is.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "@commerce-api/specs";

export function exec(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function succeed(command: string, args: string[], cwd: string): Promise<string> {
  const { code, output } = await exec(command, args, cwd);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${output}`);
  return output;
}

export async function scratchWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "commerce-api-workspace-"));
  const files = (await succeed("git", ["ls-files", "-co", "--exclude-standard", "-z"], repoRoot))
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(repoRoot, file), join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // deleted in the working tree, not yet in git
    });
  }
  await succeed("git", ["init", "--quiet", "--initial-branch=main"], dir);
  // The identity `pnpm release` commits and tags with, as a developer's own git config would give it.
  await succeed("git", ["config", "user.name", "release-test"], dir);
  await succeed("git", ["config", "user.email", "release-test@example.invalid"], dir);
  await succeed("git", ["add", "-A"], dir);
  await succeed("git", ["commit", "--quiet", "-m", "scratch"], dir);
  await succeed("pnpm", ["install", "--offline", "--frozen-lockfile", "--reporter=silent"], dir);
  return dir;
}
