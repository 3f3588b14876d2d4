/**
 * Each API's spec is a workspace package of its own (specs/<api>/package.json), so turbo
 * caches every API's chain apart: an edit to one spec changes the hashes of that API's tasks
 * (lint, bundle, types, client build, typecheck and tests, contract cases, docs pages and docs
 * tests) and of the few tasks that read every API by nature, named below; every other task
 * replays from the cache. Checked on a scratch copy of the repository with
 * `turbo run --dry=json`, which hashes every task without running any.
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
/** What `pnpm test` runs. */
const tasks = ["check:code", "lint", "typecheck", "test", "api:check"];

/**
 * The tasks outside an API's own packages that an edit to its spec reruns, because what they
 * check is every API at once. Anything else that reruns is a leak into the shared work.
 */
const READ_EVERY_API: Record<string, string> = {
  "@commerce-api/docs#site": "copies every API's pages and renders the index, which lists every API",
  "@commerce-api/docs#test:site": "checks that index in Chromium",
  "@commerce-api/release#api:check": "the breaking-change gate over every API against its release",
  "@commerce-api/mocks#build": "the published mocks package ships every API's bundle",
  "@commerce-api/mocks#test": "tests the package that ships them",
  "@commerce-api/contract-tests#typecheck": "the suite imports every client package",
  "@commerce-api/contract-tests#test": "the suite's machinery is tested on the real specs and clients",
  "@commerce-api/bench#typecheck": "the benchmarks import every client package",
};

/** The tasks each API's spec package runs for it, beside lint and bundle. */
const specTasks = ["docs:page", "test:contract", "test:docs"];

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

  it("names only tasks that exist as the ones that read every API", () => {
    for (const task of Object.keys(READ_EVERY_API))
      expect(before.has(task), `${task} is a task of pnpm test`).toBe(true);
  });

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
    const others = apis.filter((other) => other !== api);
    it(`an edit to ${api.title}'s spec reruns its chain, its contract cases and its docs, and leaves ${others.map((other) => `${other.title}'s`).join(", ") || "no other API's"} tasks and the shared tests cached`, async () => {
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

        for (const other of others) {
          const theirs = await ownPackages(other);
          expect(rerun.filter((task) => theirs.some((name) => task.startsWith(`${name}#`)))).toEqual([]);
        }
        expect(rerun.filter((task) => !ownTask(task) && !(task in READ_EVERY_API))).toEqual([]);
        expect(rerun.filter(ownTask).sort()).toEqual([...after.keys()].filter(ownTask).sort());
        const [specPackage] = own;
        for (const task of specTasks) expect(rerun).toContain(`${specPackage}#${task}`);
      } finally {
        await writeFile(edited, original);
      }
    });
  }
});
