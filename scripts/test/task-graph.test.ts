/**
 * Each API's spec is a workspace package of its own (specs/<api>/package.json), so turbo
 * caches every API's chain apart: an edit to one spec changes the hashes of that API's
 * tasks only. Checked on a scratch copy of the repository with `turbo run --dry=json`,
 * which hashes every task without running any.
 */
import { execFile } from "node:child_process";
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiDefinition, listApis, repoRoot } from "../../specs/index.ts";

const run = promisify(execFile);
const turbo = join(repoRoot, "node_modules/.bin/turbo");
const tasks = ["check:code", "lint", "typecheck", "test"];

/** The repository's files as git sees them (tracked and new, nothing ignored), copied to a temp dir. */
async function scratchCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "task-graph-"));
  const { stdout } = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = stdout.split("\0").filter((file) => file !== "");
  await Promise.all(files.map((file) => cp(join(repoRoot, file), join(dir, file)).catch(() => {})));
  return dir;
}

/** Every task's hash (`<package>#<task>`), as turbo would compute it for `pnpm test`. */
async function taskHashes(dir: string): Promise<Map<string, string>> {
  const { stdout } = await run(turbo, ["run", ...tasks, "--dry=json"], {
    cwd: dir,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const plan = JSON.parse(stdout) as { tasks: { taskId: string; hash: string; command: string }[] };
  return new Map(plan.tasks.filter((task) => task.command !== "<NONEXISTENT>").map((task) => [task.taskId, task.hash]));
}

const packageName = async (dir: string) =>
  (JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { name: string }).name;

/** An API's own packages: its spec package and, if it has one, its client package. */
async function ownPackages(api: ApiDefinition): Promise<string[]> {
  return [await packageName(dirname(api.specPath)), api.packageName];
}

const apis = listApis();

describe("the task graph", () => {
  let dir: string;
  let before: Map<string, string>;

  beforeAll(async () => {
    dir = await scratchCopy();
    before = await taskHashes(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gives every API in redocly.yaml a spec package, and the API list package depends on each", async () => {
    const listPackage = JSON.parse(await readFile(join(repoRoot, "specs/package.json"), "utf8"));
    for (const api of apis) {
      const name = await packageName(dirname(api.specPath));
      expect(before.has(`${name}#lint`), `${name} has a lint task`).toBe(true);
      expect(before.has(`${name}#bundle`), `${name} has a bundle task`).toBe(true);
      expect(listPackage.devDependencies, `specs/package.json must list ${name}`).toHaveProperty(name);
    }
  });

  for (const api of apis) {
    it(`reruns only ${api.name}'s tasks after an edit to its spec, the pipeline's tests included`, async () => {
      const pathsDir = join(dirname(api.specPath), "paths");
      const [first] = (await readdir(pathsDir)).filter((file) => file.endsWith(".yaml")).sort();
      if (!first) throw new Error(`${relative(repoRoot, pathsDir)} has no path files to edit`);
      const edited = join(dir, relative(repoRoot, pathsDir), first);
      const original = await readFile(edited, "utf8");
      await appendFile(edited, "# an edit\n");
      try {
        const after = await taskHashes(dir);
        const rerun = [...after].filter(([task, hash]) => before.get(task) !== hash).map(([task]) => task);
        const own = await ownPackages(api);
        const ownTask = (task: string) => own.some((name) => task.startsWith(`${name}#`));

        const others = apis.filter((other) => other !== api);
        for (const other of others) {
          const theirs = await ownPackages(other);
          expect(rerun.filter((task) => theirs.some((name) => task.startsWith(`${name}#`)))).toEqual([]);
        }
        expect(rerun.filter((task) => task.startsWith("@commerce-api/scripts#"))).toEqual([]);
        expect(rerun.filter(ownTask).sort()).toEqual([...after.keys()].filter(ownTask).sort());
      } finally {
        await writeFile(edited, original);
      }
    });
  }
});
