/**
 * `pnpm release`: versions and publishes every public package.
 *
 * 1. Refuses a dirty working tree, and the public npm registry unless `--allow-public-registry`
 *    (these are internal packages). The registry is whatever npm is configured with
 *    (`NPM_CONFIG_REGISTRY`, `.npmrc`, a `@commerce-api:registry` scope), with the user's auth.
 * 2. With pending changesets: refuses if a version they would produce is already in the
 *    registry; adds each API's change list (from the spec diff) as a changeset, so it lands
 *    in the client's CHANGELOG; runs `changeset version`; records each released API's spec
 *    as its new baseline (specs/<api>/released/); commits. Nothing is pushed.
 * 3. Builds, packs and checks every tarball (publint, attw, no tests or secrets), then
 *    publishes each version the registry does not have yet, dependencies first, and tags it
 *    locally. A version already there is skipped, so a rerun after a failure finishes the job.
 *
 *   --version-only            stop after step 2 (the version commit)
 *   --allow-public-registry   publish even when npm points at registry.npmjs.org
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readChangesets } from "@changesets/read";
import { listApis, repoRoot } from "@commerce-api/specs";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { readBaseline, writeBaseline } from "./baseline.ts";
import { renderApiChanges } from "./changelog.ts";
import { diffSpecs } from "./diff.ts";

class ReleaseStopped extends Error {}

/** The package that ships the bundled specs (its mocks serve them). */
const MOCKS_PACKAGE = "@commerce-api/mocks";

const PUBLIC_REGISTRIES = new Set(["registry.npmjs.org", "registry.npmjs.com", "registry.yarnpkg.com"]);
/** Files that must never ship: tests, and anything that can hold credentials. */
const FORBIDDEN_IN_TARBALL = [
  /(^|\/)test\//,
  /\.test\.[cm]?[jt]s$/,
  /(^|\/)\.npmrc$/,
  /(^|\/)\.env(\.|$)/,
  /\.(pem|key|p12)$/,
];

function run(command: string, args: string[], cwd = repoRoot): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: process.env }, (error, stdout, stderr) => {
      if (error) reject(new ReleaseStopped(`\`${command} ${args.join(" ")}\` failed:\n${stderr || stdout}`.trim()));
      else resolve(stdout.trim());
    });
  });
}

const log = (line: string) => console.log(`release: ${line}`);

interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  dependencies: string[];
}

/** The workspace's public packages, each after the ones it depends on. */
async function publicPackages(): Promise<WorkspacePackage[]> {
  const listed = JSON.parse(await run("pnpm", ["-r", "ls", "--depth", "-1", "--json"])) as {
    name: string;
    path: string;
    private?: boolean;
  }[];
  const packages: WorkspacePackage[] = [];
  for (const { name, path } of listed) {
    const manifest = JSON.parse(await readFile(join(path, "package.json"), "utf8"));
    if (manifest.private || !name) continue;
    packages.push({
      name,
      version: manifest.version,
      dir: path,
      dependencies: Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }),
    });
  }
  const ordered: WorkspacePackage[] = [];
  const visit = (pkg: WorkspacePackage) => {
    if (ordered.includes(pkg)) return;
    for (const dependency of pkg.dependencies) {
      const internal = packages.find((candidate) => candidate.name === dependency);
      if (internal) visit(internal);
    }
    ordered.push(pkg);
  };
  for (const pkg of [...packages].sort((a, b) => a.name.localeCompare(b.name))) visit(pkg);
  return ordered;
}

/** The registry npm publishes `@commerce-api/*` to: the scope's registry if set, else the default. */
async function configuredRegistry(): Promise<string> {
  const scoped = await run("npm", ["config", "get", "@commerce-api:registry"]);
  const registry = scoped && scoped !== "undefined" ? scoped : await run("npm", ["config", "get", "registry"]);
  return registry.endsWith("/") ? registry : `${registry}/`;
}

async function existsInRegistry(registry: string, name: string, version: string): Promise<boolean> {
  try {
    const found = await run("npm", ["view", `${name}@${version}`, "version", "--json", "--registry", registry]);
    return found !== "";
  } catch (error) {
    if (String((error as Error).message).includes("E404")) return false;
    throw error;
  }
}

/** Step 2: apply the pending changesets, with the API change lists, and commit. */
type ReleasePlan = { name: string; type: string; newVersion: string }[];

/** What `changeset status` says the pending changesets release (private dependents, type "none", left out). */
async function releasePlan(): Promise<ReleasePlan> {
  const dir = await mkdtemp(join(tmpdir(), "commerce-api-release-"));
  try {
    await run("pnpm", ["exec", "changeset", "status", `--output=${join(dir, "status.json")}`]);
    const status = JSON.parse(await readFile(join(dir, "status.json"), "utf8")) as { releases: ReleasePlan };
    return status.releases.filter((release) => release.type !== "none");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes each released API's change list (baseline → current bundle) as a changeset; returns their paths. */
async function writeApiChangesets(plan: ReleasePlan): Promise<string[]> {
  await run("pnpm", ["exec", "node", "scripts/turbo.ts", "run", "bundle", "--output-logs=errors-only"]);
  const written: string[] = [];
  for (const api of listApis()) {
    const release = plan.find(({ name }) => name === api.packageName);
    const baseline = release && (await readBaseline(api));
    if (!baseline) continue;
    const changes = diffSpecs(baseline.spec, JSON.parse(await readFile(api.bundlePath, "utf8")));
    if (changes.length === 0) continue;
    const file = join(repoRoot, ".changeset", `api-changes-${api.name}.md`);
    // The mocks ship every bundled spec, so they take the same bump as the API's client.
    await writeFile(
      file,
      `---\n"${api.packageName}": patch\n"${MOCKS_PACKAGE}": ${release.type}\n---\n\n${renderApiChanges(api.title, baseline.version, changes)}\n`,
    );
    written.push(file);
  }
  return written;
}

/** Step 2: apply the pending changesets, with the API change lists, and commit. */
async function versionPackages(registry: string | undefined): Promise<void> {
  const apiChangesets = await writeApiChangesets(await releasePlan());
  const plan = await releasePlan();
  if (registry) {
    for (const { name, newVersion } of plan) {
      if (await existsInRegistry(registry, name, newVersion)) {
        await Promise.all(apiChangesets.map((file) => rm(file)));
        throw new ReleaseStopped(
          `${name}@${newVersion} is already in ${registry}: the pending changesets would release a version that exists. Nothing was changed.`,
        );
      }
    }
  }

  await run("pnpm", ["exec", "changeset", "version"]);
  const versions = new Map((await publicPackages()).map((pkg) => [pkg.name, pkg]));
  for (const { name } of plan) {
    const pkg = versions.get(name);
    if (!pkg) continue;
    // The User-Agent version (src/version.ts) follows package.json; a test keeps them equal.
    const versionFile = join(pkg.dir, "src", "version.ts");
    if (existsSync(versionFile)) {
      const source = await readFile(versionFile, "utf8");
      await writeFile(versionFile, source.replace(/packageVersion = "[^"]*"/, `packageVersion = "${pkg.version}"`));
    }
  }
  for (const api of listApis()) {
    const version = plan.some(({ name }) => name === api.packageName) && versions.get(api.packageName)?.version;
    if (version) await writeBaseline(api, version);
  }

  const released = plan.map(({ name }) => `${name}@${versions.get(name)?.version}`);
  await run("git", ["add", "-A"]);
  await run("git", ["commit", "--quiet", "-m", `Release ${released.join(", ")}`]);
  log(`versioned and committed (not pushed): ${released.join(", ")}`);
}

/** Packs `pkg` and checks the tarball; returns its path. */
async function packAndCheck(pkg: WorkspacePackage, destination: string): Promise<string> {
  const before = new Set(await readdir(destination));
  await run("pnpm", ["pack", "--pack-destination", destination], pkg.dir);
  const file = (await readdir(destination)).find((name) => name.endsWith(".tgz") && !before.has(name));
  if (!file) throw new ReleaseStopped(`pnpm pack wrote no tarball for ${pkg.name}`);
  const tarball = join(destination, file);

  const files = (await run("tar", ["-tzf", tarball])).split("\n").map((entry) => entry.replace(/^package\//, ""));
  const forbidden = files.filter((entry) => FORBIDDEN_IN_TARBALL.some((pattern) => pattern.test(entry)));
  if (forbidden.length > 0) {
    throw new ReleaseStopped(`${pkg.name}'s tarball would ship files it must not: ${forbidden.join(", ")}`);
  }
  const { messages, pkg: manifest } = await publint({ pkgDir: pkg.dir, pack: "pnpm", strict: true });
  if (messages.length > 0) {
    const problems = messages.map(
      (message) => `  ${message.type}: ${formatMessage(message, manifest) ?? message.code}`,
    );
    throw new ReleaseStopped(`publint found problems in ${pkg.name}:\n${problems.join("\n")}`);
  }
  const attw = join(import.meta.dirname, "..", "node_modules", ".bin", "attw");
  await run(attw, [tarball, "--profile", "esm-only", "--format", "ascii"]);
  return tarball;
}

/** Step 3: build, check and publish what the registry does not have yet. */
async function publishPackages(registry: string): Promise<void> {
  const packages = await publicPackages();
  const filters = packages.map((pkg) => `--filter=${pkg.name}`);
  // Through the root scripts' launcher, so the build is cached per Node major like theirs.
  await run("pnpm", ["exec", "node", "scripts/turbo.ts", "run", "build", ...filters, "--output-logs=errors-only"]);

  const tarballDir = await mkdtemp(join(tmpdir(), "commerce-api-tarballs-"));
  const published: string[] = [];
  const alreadyThere: string[] = [];
  let current: WorkspacePackage | undefined;
  try {
    const tarballs = new Map<WorkspacePackage, string>();
    for (const pkg of packages) tarballs.set(pkg, await packAndCheck(pkg, tarballDir));
    log(`checked ${packages.length} tarballs: publint and attw clean, no tests or secrets`);
    for (const pkg of packages) {
      current = pkg;
      const id = `${pkg.name}@${pkg.version}`;
      if (await existsInRegistry(registry, pkg.name, pkg.version)) {
        alreadyThere.push(id);
        continue;
      }
      await run("npm", ["publish", tarballs.get(pkg) ?? "", "--registry", registry, "--access", "restricted"]);
      published.push(id);
      const tagged = await run("git", ["tag", "--list", id]);
      if (!tagged) await run("git", ["tag", id]);
      log(`published ${id} to ${registry} (tagged locally)`);
    }
    current = undefined;
  } catch (error) {
    const pending = packages
      .filter((pkg) => ![...published, ...alreadyThere].includes(`${pkg.name}@${pkg.version}`))
      .map((pkg) => `${pkg.name}@${pkg.version}`);
    throw new ReleaseStopped(
      [
        `${current ? `publishing ${current.name} failed` : "release stopped"}: ${(error as Error).message}`,
        `published now: ${published.join(", ") || "none"}`,
        `already in the registry: ${alreadyThere.join(", ") || "none"}`,
        `not published: ${pending.join(", ")}`,
        "Fix the cause and run `pnpm release` again: it publishes only what is missing.",
      ].join("\n"),
    );
  } finally {
    await rm(tarballDir, { recursive: true, force: true });
  }
  log(
    `done. published: ${published.join(", ") || "none"}; already in ${registry}: ${alreadyThere.join(", ") || "none"}. ` +
      "Push the release commit and tags yourself (git push --follow-tags).",
  );
}

const { values } = parseArgs({
  options: {
    "version-only": { type: "boolean", default: false },
    "allow-public-registry": { type: "boolean", default: false },
  },
});

try {
  const dirty = await run("git", ["status", "--porcelain"]);
  if (dirty) {
    throw new ReleaseStopped(
      `the working tree has uncommitted changes; commit or stash them first (release commits the version bump itself):\n${dirty}`,
    );
  }
  const registry = values["version-only"] ? undefined : await configuredRegistry();
  if (registry && PUBLIC_REGISTRIES.has(new URL(registry).hostname) && !values["allow-public-registry"]) {
    throw new ReleaseStopped(
      `npm is configured to publish to the public registry (${registry}). These are internal packages: point ` +
        "NPM_CONFIG_REGISTRY (or @commerce-api:registry in .npmrc) at your registry, or pass --allow-public-registry.",
    );
  }
  if ((await readChangesets(repoRoot)).length > 0) await versionPackages(registry);
  else log("no pending changesets: nothing to version");
  if (registry) await publishPackages(registry);
} catch (error) {
  if (!(error instanceof ReleaseStopped)) throw error;
  console.error(`release: ${error.message}`);
  process.exitCode = 1;
}
