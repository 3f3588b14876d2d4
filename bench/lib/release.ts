/**
 * `pnpm release` into a local registry: the whole command (turbo build, pack, the tarball
 * checks with publint and attw, registry look-ups, publish, tags) in a scratch copy of the
 * workspace, each run publishing every public package at its current version into a fresh
 * Verdaccio, against `npm publish` of the same tarballs into another fresh Verdaccio, runs
 * interleaved.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRegistry } from "@commerce-api/release/testing/registry";
import { scratchWorkspace } from "@commerce-api/release/testing/scratch-workspace";
import { type Benchmark, measurement, reference } from "./figure.ts";
import { failureNote, failureOutput, type TimedRun, timeCommand } from "./process.ts";

const TIMEOUT_MS = 10 * 60_000;

/** Times `publish` against a registry started for it alone, so every run publishes everything. */
async function inFreshRegistry(publish: (env: NodeJS.ProcessEnv) => Promise<TimedRun>): Promise<TimedRun> {
  await using registry = await startLocalRegistry();
  // Awaited here: returning the bare promise would close the registry before it settles.
  return await publish({ ...process.env, NPM_CONFIG_USERCONFIG: registry.npmrcPath });
}

/** The workspace's public packages' directories. */
async function publicPackageDirs(workspace: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const name of await readdir(join(workspace, "packages"))) {
    const manifest = JSON.parse(await readFile(join(workspace, "packages", name, "package.json"), "utf8"));
    if (!manifest.private) dirs.push(join(workspace, "packages", name));
  }
  return dirs;
}

export const pnpmRelease: Benchmark = {
  name: "release",
  async run({ quick, log }) {
    const runs = quick ? 1 : 3;
    const workspace = await scratchWorkspace();
    // Outside the workspace: `pnpm release` refuses a dirty working tree.
    const tarballDir = await mkdtemp(join(tmpdir(), "bench-release-tarballs-"));
    try {
      const runRelease = (env: NodeJS.ProcessEnv) =>
        timeCommand("pnpm", ["release"], { cwd: workspace, env, timeoutMs: TIMEOUT_MS });
      // The first run builds with an empty turbo cache; the timed runs replay the build from
      // it, as a release right after `pnpm test` does.
      const cold = await inFreshRegistry(runRelease);
      if (cold.code !== 0) throw new Error(`pnpm release failed in the scratch workspace:\n${cold.tail}`);
      log(`  first run, empty turbo cache: ${(cold.ms / 1000).toFixed(1)} s`);

      const packageDirs = await publicPackageDirs(workspace);
      for (const dir of packageDirs) {
        const pack = await timeCommand("pnpm", ["pack", "--pack-destination", tarballDir], {
          cwd: dir,
          timeoutMs: TIMEOUT_MS,
        });
        if (pack.code !== 0) throw new Error(`pnpm pack failed in ${dir}:\n${pack.tail}`);
      }
      const tarballs = (await readdir(tarballDir)).map((file) => join(tarballDir, file));
      if (tarballs.length !== packageDirs.length) {
        throw new Error(`pnpm pack wrote ${tarballs.length} tarballs for ${packageDirs.length} public packages`);
      }
      const npmPublish = async (env: NodeJS.ProcessEnv) => {
        const perTarball: TimedRun[] = [];
        for (const tarball of tarballs) {
          perTarball.push(
            await timeCommand("npm", ["publish", tarball, "--access", "restricted"], {
              cwd: tarballDir,
              env,
              timeoutMs: TIMEOUT_MS,
            }),
          );
        }
        const failed = perTarball.find((run) => run.code !== 0);
        return failed ?? { ms: perTarball.reduce((sum, run) => sum + run.ms, 0), code: 0, tail: "" };
      };

      const ours: TimedRun[] = [];
      const npm: TimedRun[] = [];
      for (let run = 0; run < runs; run++) {
        // Alternate which goes first, so neither always gets the warmer disk cache.
        if (run % 2 === 0) {
          ours.push(await inFreshRegistry(runRelease));
          npm.push(await inFreshRegistry(npmPublish));
        } else {
          npm.push(await inFreshRegistry(npmPublish));
          ours.push(await inFreshRegistry(runRelease));
        }
        log(
          `  run ${run + 1}/${runs}: pnpm release ${((ours.at(-1)?.ms ?? 0) / 1000).toFixed(1)} s, npm publish ${((npm.at(-1)?.ms ?? 0) / 1000).toFixed(1)} s`,
        );
      }
      // Every timed run must have published every package, or it timed something else.
      const short = ours.filter((run) => (run.tail.match(/^release: published /gm) ?? []).length !== tarballs.length);
      const measured = measurement(
        `pnpm release, build from turbo's cache, ${tarballs.length} packages`,
        "s",
        ours.map((run) => run.ms / 1000),
      );
      const npmRef = reference(
        measured,
        measurement(
          `npm publish of the same ${tarballs.length} tarballs`,
          "s",
          npm.map((run) => run.ms / 1000),
        ),
      );
      const failed = failureNote([...ours, ...npm]);
      const output = failureOutput([...ours, ...npm]);
      return [
        {
          bench: "release",
          figure: `\`pnpm release\` into a local registry (${tarballs.length} packages)`,
          measured,
          references: [npmRef],
          target: "none yet (recorded to watch)",
          met: failed || short.length > 0 ? false : undefined,
          note: [
            failed,
            short.length > 0 && `${short.length} run(s) did not publish all ${tarballs.length} packages`,
            `each run into a fresh Verdaccio on loopback, in a scratch copy of the workspace; the first run, with an empty turbo cache, took ${(cold.ms / 1000).toFixed(1)} s and is not counted; the reference publishes the tarballs a release checks, so the ratio is what building from the cache, packing and checking them (publint, attw, contents) adds`,
          ]
            .filter(Boolean)
            .join("; "),
          ...(output && { failureOutput: output }),
        },
      ];
    } finally {
      await rm(workspace, { recursive: true, force: true });
      await rm(tarballDir, { recursive: true, force: true });
    }
  },
};
