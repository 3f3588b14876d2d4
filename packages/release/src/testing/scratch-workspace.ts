/**
 * Throw-away copies of this workspace as git repositories of their own, with dependencies
 * installed from the local pnpm store: `pnpm release` commits and tags there, never here.
 * They hold the files git would track in the working tree now (committed or not), so the
 * release test and `pnpm bench` see the code as it is: all of it (`scratchWorkspace`), or the
 * release machinery with the runtime, the mocks and a fixture API in place of the real ones
 * (`fixtureWorkspace`).
 */
import { execFile } from "node:child_process";
import { cp, glob, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listApis, repoRoot } from "@commerce-api/specs";
import { parse, stringify } from "yaml";
import { writeBaseline } from "../baseline.ts";

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

/** The files git would track in the working tree now, for which `keep` is true, copied into `dir`. */
async function copyTracked(dir: string, keep: (file: string) => boolean = () => true): Promise<void> {
  const files = (await succeed("git", ["ls-files", "-co", "--exclude-standard", "-z"], repoRoot))
    .split("\0")
    .filter((file) => file !== "" && keep(file));
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(repoRoot, file), join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // deleted in the working tree, not yet in git
    });
  }
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const writeJson = (path: string, value: unknown) => writeFile(path, `${JSON.stringify(value, null, 2)}\n`);

/** Commits everything in `dir` as a new repository's first commit, then installs offline. */
async function commitAndInstall(dir: string, install: string[]): Promise<void> {
  await succeed("git", ["init", "--quiet", "--initial-branch=main"], dir);
  // The identity `pnpm release` commits and tags with, as a developer's own git config would give it.
  await succeed("git", ["config", "user.name", "release-test"], dir);
  await succeed("git", ["config", "user.email", "release-test@example.invalid"], dir);
  await succeed("git", ["add", "-A"], dir);
  await succeed("git", ["commit", "--quiet", "-m", "scratch"], dir);
  await succeed("pnpm", ["install", "--offline", ...install, "--reporter=silent"], dir);
}

export async function scratchWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "commerce-api-workspace-"));
  await copyTracked(dir);
  await commitAndInstall(dir, ["--frozen-lockfile"]);
  return dir;
}

/**
 * What `fixtureWorkspace` copies from this repository, as paths or folder prefixes: the root
 * configuration, the pipeline scripts (not their tests), the API list reader, and the runtime,
 * mocks and release packages. No real API's spec or client is among them, so no spec edit
 * changes what the release test runs on; packages/release/turbo.json lists the same files as
 * the test's inputs.
 */
export const FIXTURE_WORKSPACE_FILES = [
  ".changeset/config.json",
  ".gitignore",
  "package.json",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  "tsconfig.base.json",
  "turbo.json",
  "scripts/",
  "specs/index.ts",
  "specs/clients.ts",
  "specs/package.json",
  "specs/turbo.json",
  "packages/runtime/",
  "packages/mocks/",
  "packages/release/",
];

/** The fixture API the release test releases: the pipeline tests' Pets spec, and a client package for it. */
export const fixtureApi = {
  name: "pets",
  title: "Pets",
  packageName: "@commerce-api/pets",
  specDir: fileURLToPath(new URL("../../../../scripts/test/fixtures/specs/pets/", import.meta.url)),
  clientDir: fileURLToPath(new URL("../../test/fixtures/pets-client/", import.meta.url)),
};

/**
 * A scratch workspace whose one API is the fixture (specs/pets, packages/pets), released once
 * at 1.0.0 (its baseline in specs/pets/released/), beside this repository's runtime, mocks and
 * release tooling (`FIXTURE_WORKSPACE_FILES`). Workspace dependencies on packages it does not
 * hold (the real clients, the docs) are dropped, and the install resolves from the local store.
 */
export async function fixtureWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "commerce-api-release-fixture-"));
  await copyTracked(
    dir,
    (file) =>
      !file.startsWith("scripts/test/") &&
      FIXTURE_WORKSPACE_FILES.some((kept) => file === kept || (kept.endsWith("/") && file.startsWith(kept))),
  );
  await cp(fixtureApi.specDir, join(dir, "specs", fixtureApi.name), { recursive: true });
  await cp(fixtureApi.clientDir, join(dir, "packages", fixtureApi.name), { recursive: true });
  const specPackage = `@commerce-api/${fixtureApi.name}-spec`;
  await writeJson(join(dir, "specs", fixtureApi.name, "package.json"), {
    name: specPackage,
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: { lint: "node ../../scripts/lint.ts", bundle: "node ../../scripts/bundle.ts" },
  });

  const config = parse(await readFile(join(repoRoot, "redocly.yaml"), "utf8"));
  config.apis = {
    [`${fixtureApi.name}@v1`]: {
      root: `specs/${fixtureApi.name}/openapi.yaml`,
      "x-openapi-ts": { output: `packages/${fixtureApi.name}/src/generated/openapi.ts` },
      "x-commerce-api": { title: fixtureApi.title, package: fixtureApi.packageName, mockPort: 4980 },
    },
  };
  await writeFile(join(dir, "redocly.yaml"), stringify(config));

  // The API list's package depends on the one spec package; other workspace links that point
  // at packages left out are dropped.
  const files: string[] = [];
  for await (const file of glob(["package.json", "*/package.json", "*/*/package.json"], { cwd: dir })) files.push(file);
  const found = await Promise.all(
    files.map(async (file) => ({ file, manifest: JSON.parse(await readFile(join(dir, file), "utf8")) as Manifest })),
  );
  const held = new Set<string>();
  for (const { manifest } of found) held.add(manifest.name);
  for (const { file, manifest } of found) {
    for (const field of ["dependencies", "devDependencies"] as const) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (range.startsWith("workspace:") && !held.has(name)) delete manifest[field]?.[name];
      }
    }
    if (manifest.name === "@commerce-api/specs") manifest.devDependencies = { [specPackage]: "workspace:*" };
    await writeJson(join(dir, file), manifest);
  }

  // Released once: the baseline the release's change list is computed against.
  // The fixture's workspace is not the lockfile's, so the lockfile is updated here; said
  // explicitly because pnpm freezes it by default when CI is set.
  await succeed("pnpm", ["install", "--offline", "--no-frozen-lockfile", "--reporter=silent"], dir);
  await succeed("pnpm", ["exec", "node", "scripts/turbo.ts", "run", "bundle", "--output-logs=errors-only"], dir);
  const [api] = listApis(join(dir, "redocly.yaml"));
  if (!api) throw new Error(`${dir}/redocly.yaml lists no API`);
  await writeBaseline(api, "1.0.0");
  await commitAndInstall(dir, []);
  return dir;
}
