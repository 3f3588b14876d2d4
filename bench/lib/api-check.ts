/**
 * `pnpm api:check`, the breaking-change gate, for every API at once and for each alone:
 * fresh processes of packages/release/src/api-check.ts (what `pnpm api:check` runs once
 * turbo's `generate` is a cache hit), against `redocly lint` of the same specs with the
 * repository's rules, runs interleaved.
 *
 * The gate runs on a scratch copy of the API list, so what it compares does not depend on
 * the working tree: each API's released baseline is its current bundle, and the current
 * bundle either equals it ("nothing changed": the gate stops at the equality check) or has
 * a one-sentence description edit ("a spec change": the semantic diff runs and every
 * released call is compiled against the current types). A pending major changeset for
 * every client covers any change, so the gate passes and each run times the whole check.
 * Like every run of the gate, each overwrites packages/release/reports/api-check.md (a
 * gitignored turbo output that the next `pnpm api:check` restores or rewrites).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type ApiDefinition, defaultConfigPath, listApis, repoRoot } from "@commerce-api/specs";
import { type Benchmark, type FigureResult, type Measurement, measurement, reference } from "./figure.ts";
import { failureNote, failureOutput, type TimedRun, timeCommand } from "./process.ts";
import { writeScratchApis } from "./scratch-apis.ts";
import { apiCheckScript, redoclyCli } from "./tools.ts";

const TIMEOUT_MS = 5 * 60_000;
// With nothing to compare the gate reads two JSON files per API; it runs beside the lint on
// every change (`pnpm test`) and should not cost more. A spec change makes it type-check
// every released call with the TypeScript 5 compiler: recorded to watch, no target yet.
const UNCHANGED_TARGET_RATIO = 1;
const LINT_ENV = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };

type Json = { [key: string]: unknown };

/** A scratch API list whose baselines are today's bundles; `edited` adds a description change. */
async function writeGateScratch(dir: string, apis: ApiDefinition[], edited: boolean): Promise<string> {
  const bundles = await Promise.all(
    apis.map(async (api) => JSON.parse(await readFile(api.bundlePath, "utf8")) as Json & { info: Json }),
  );
  const current = bundles.map((bundle) =>
    edited ? { ...bundle, info: { ...bundle.info, description: `${bundle.info.description} Edited.` } } : bundle,
  );
  const { configPath, typesPaths } = await writeScratchApis(
    dir,
    apis.map((api, index) => ({ api, spec: current[index] })),
  );
  for (const [index, scratchApi] of listApis(configPath).entries()) {
    const api = apis[index] as ApiDefinition;
    const released = join(dirname(scratchApi.specPath), "released");
    await mkdir(released, { recursive: true });
    await writeFile(join(released, "openapi.json"), JSON.stringify(bundles[index]));
    await writeFile(join(released, "release.json"), JSON.stringify({ package: api.packageName, version: "0.0.0" }));
    // A description edit leaves the generated types as they are.
    const typesPath = typesPaths[index] as string;
    await mkdir(dirname(typesPath), { recursive: true });
    await copyFile(api.typesPath, typesPath);
  }
  await mkdir(join(dir, ".changeset"));
  const bumps = apis.map((api) => `"${api.packageName}": major\n`).join("");
  await writeFile(join(dir, ".changeset", "bench.md"), `---\n${bumps}---\n\nWhatever changed.\n`);
  return configPath;
}

interface Job {
  ours: string[];
  lint: string[];
  label: string;
  /** `a spec change` or `nothing changed`. */
  scenario: string;
  /** The highest ratio to the lint that meets the target, if there is one. */
  targetRatio?: number;
  note: string;
}

export const apiCheck: Benchmark = {
  name: "api-check",
  async run({ quick, log }) {
    const runs = quick ? 2 : 5;
    const apis = listApis();
    const scratch = await mkdtemp(join(tmpdir(), "bench-api-check-"));
    try {
      const changed = await writeGateScratch(join(scratch, "changed"), apis, true);
      const unchanged = await writeGateScratch(join(scratch, "unchanged"), apis, false);
      const lintAll = [redoclyCli, "lint", "--config", defaultConfigPath];
      const everyApi = `every API (${apis.map((api) => api.name).join(", ")})`;
      const jobs: Job[] = [
        {
          label: everyApi,
          scenario: "a spec change",
          ours: [apiCheckScript, "--config", changed],
          lint: lintAll,
          note: "fresh processes on a scratch copy of the API list (turbo's generate, a cache hit in `pnpm api:check`, left out); the reference is `redocly lint`, the other whole-spec check every change goes through, chosen over the clients' `tsc --noEmit`, which would mostly compare TypeScript 7's native compiler with the TypeScript 5 API the gate has to use",
        },
        ...apis.map((api) => ({
          label: api.name,
          scenario: "a spec change",
          ours: [apiCheckScript, "--config", changed, api.name],
          lint: [...lintAll, api.id],
          note: `\`api-check.ts ${api.name}\` against \`redocly lint ${api.id}\`, as for every API`,
        })),
        {
          label: everyApi,
          scenario: "nothing changed",
          ours: [apiCheckScript, "--config", unchanged],
          lint: lintAll,
          targetRatio: UNCHANGED_TARGET_RATIO,
          note: "with nothing to compare, the time is mostly loading the gate's modules (the TypeScript 5 compiler API, api-smart-diff, openapi-typescript), which it loads before it knows whether it needs them",
        },
      ];
      const ours: TimedRun[][] = jobs.map(() => []);
      const lint: TimedRun[][] = jobs.map(() => []);
      for (let run = 0; run < runs; run++) {
        for (const [index, job] of jobs.entries()) {
          // Alternate which goes first, so neither always gets the warmer disk cache.
          const timeOurs = async () => {
            ours[index]?.push(await timeCommand(process.execPath, job.ours, { cwd: repoRoot, timeoutMs: TIMEOUT_MS }));
          };
          const timeLint = async () => {
            lint[index]?.push(
              await timeCommand(process.execPath, job.lint, { cwd: repoRoot, env: LINT_ENV, timeoutMs: TIMEOUT_MS }),
            );
          };
          if (run % 2 === 0) {
            await timeOurs();
            await timeLint();
          } else {
            await timeLint();
            await timeOurs();
          }
          log(
            `  run ${run + 1}/${runs}, ${job.label}, ${job.scenario}: api:check ${ours[index]?.at(-1)?.ms.toFixed(0)} ms, redocly lint ${lint[index]?.at(-1)?.ms.toFixed(0)} ms`,
          );
        }
      }
      return jobs.map((job, index): FigureResult => {
        const oursRuns = ours[index] ?? [];
        const lintRuns = lint[index] ?? [];
        const measured: Measurement = measurement("api-check.ts, fresh process", "s", seconds(oursRuns));
        const lintRef = reference(measured, measurement("redocly lint, same specs", "s", seconds(lintRuns)));
        const failed = failureNote([...oursRuns, ...lintRuns]);
        const output = failureOutput([...oursRuns, ...lintRuns]);
        return {
          bench: "api-check",
          figure: `\`pnpm api:check\`, ${job.label}, ${job.scenario}`,
          measured,
          references: [lintRef],
          target:
            job.targetRatio === undefined
              ? "none yet (recorded to watch)"
              : `no slower than \`redocly lint\` of the same specs (ratio <= ${job.targetRatio})`,
          met: failed ? false : job.targetRatio === undefined ? undefined : lintRef.ratio <= job.targetRatio,
          note: failed ?? job.note,
          ...(output && { failureOutput: output }),
        };
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};

const seconds = (runs: readonly TimedRun[]) => runs.map((run) => run.ms / 1000);
