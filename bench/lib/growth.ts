/**
 * How codegen + typecheck time grows with the spec: both bundled specs at 1x, 10x and
 * 100x their size (grow-spec.ts), each run through the real pipeline (`scripts/generate.ts
 * --config` on a scratch API list) and then `tsc --noEmit` on the generated files with the
 * repository's compiler settings.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listApis, repoRoot } from "@commerce-api/specs";
import { type Benchmark, type FigureResult, type Measurement, measurement, reference } from "./figure.ts";
import { growSpec } from "./grow-spec.ts";
import { failureNote, type TimedRun, timeCommand } from "./process.ts";
import { writeScratchApis } from "./scratch-apis.ts";
import { generateScript, tscCli } from "./tools.ts";

const FACTORS = [1, 10, 100] as const;
const TIMEOUT_MS = 10 * 60_000;
/**
 * "Roughly linear": the cost of each extra copy between 10x and 100x may be at most this
 * many times the cost of each extra copy between 1x and 10x. A quadratic step would make it ~10.
 */
const MAX_MARGINAL_GROWTH = 2;

interface Workload {
  factor: number;
  configPath: string;
  tsconfigPath: string;
  specBytes: number;
}

async function prepare(scratch: string, factor: number): Promise<Workload> {
  const dir = join(scratch, `${factor}x`);
  const apis = listApis();
  const specs = await Promise.all(
    apis.map(async (api) => ({ api, spec: growSpec(JSON.parse(await readFile(api.bundlePath, "utf8")), factor) })),
  );
  const { configPath, typesPaths } = await writeScratchApis(dir, specs);
  const tsconfigPath = join(dir, "tsconfig.json");
  // The repository's compiler settings; the generated types need no Node typings.
  const tsconfig = {
    extends: join(repoRoot, "tsconfig.base.json"),
    compilerOptions: { noEmit: true, types: [] },
    files: typesPaths,
  };
  await writeFile(tsconfigPath, JSON.stringify(tsconfig, null, 2));
  // ES modules, as in the client packages (NodeNext reads this to decide).
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const specBytes = specs.reduce((sum, { spec }) => sum + JSON.stringify(spec).length, 0);
  return { factor, configPath, tsconfigPath, specBytes };
}

export const growth: Benchmark = {
  name: "growth",
  async run({ quick, log }) {
    const runs = quick ? 1 : 3;
    const names = listApis().map((api) => api.name);
    const scratch = await mkdtemp(join(tmpdir(), "bench-growth-"));
    try {
      const workloads = await Promise.all(FACTORS.map((factor) => prepare(scratch, factor)));
      const timings = workloads.map((workload) => ({
        workload,
        codegen: [] as TimedRun[],
        typecheck: [] as TimedRun[],
      }));
      for (let run = 0; run < runs; run++) {
        // Rotate the order so no size always runs first (cold disk cache) or last.
        const order = timings.map((_, i) => timings[(i + run) % timings.length] as (typeof timings)[number]);
        for (const { workload, codegen, typecheck } of order) {
          codegen.push(
            await timeCommand(process.execPath, [generateScript, "--config", workload.configPath, ...names], {
              cwd: scratch,
              timeoutMs: TIMEOUT_MS,
            }),
          );
          typecheck.push(
            await timeCommand(process.execPath, [tscCli, "-p", workload.tsconfigPath], {
              cwd: scratch,
              timeoutMs: TIMEOUT_MS,
            }),
          );
          log(
            `  run ${run + 1}/${runs}, ${workload.factor}x: codegen ${((codegen.at(-1)?.ms ?? 0) / 1000).toFixed(2)} s, typecheck ${((typecheck.at(-1)?.ms ?? 0) / 1000).toFixed(2)} s`,
          );
        }
      }
      const measured = new Map<number, Measurement>();
      const failures: string[] = [];
      for (const { workload, codegen, typecheck } of timings) {
        const seconds = (list: TimedRun[]) => list.map((r) => r.ms / 1000);
        measured.set(
          workload.factor,
          measurement(
            `${workload.factor}x (${Math.round(workload.specBytes / 1024)} kB of spec)`,
            "s",
            codegen.map((r, i) => (r.ms + (typecheck[i]?.ms ?? 0)) / 1000),
            { "codegen s": seconds(codegen), "typecheck s": seconds(typecheck) },
          ),
        );
        const failed = failureNote([...codegen, ...typecheck]);
        if (failed) failures.push(`${workload.factor}x: ${failed}`);
      }
      const [one, ten, hundred] = FACTORS.map((factor) => measured.get(factor) as Measurement) as [
        Measurement,
        Measurement,
        Measurement,
      ];
      // Per extra copy of the specs: from 1x to 10x, and from 10x to 100x.
      const earlySlope = (ten.value - one.value) / 9;
      const lateSlope = (hundred.value - ten.value) / 90;
      const marginalGrowth = lateSlope / earlySlope;
      const failedNote = failures.length > 0 ? failures.join("; ") : undefined;
      const rows: FigureResult[] = [
        {
          bench: "growth",
          figure: `growth: codegen + typecheck, specs at 10x`,
          measured: ten,
          references: [reference(ten, one)],
          target: "roughly linear (ratio <= 10)",
          met: failedNote ? false : ten.value / one.value <= 10,
          note: failedNote ?? "both specs, pipeline codegen then tsc --noEmit; 1x is our specs as they are",
        },
        {
          bench: "growth",
          figure: `growth: codegen + typecheck, specs at 100x`,
          measured: hundred,
          references: [reference(hundred, one), reference(hundred, ten)],
          target: `roughly linear (ratio <= 100, and each copy past 10x costs <= ${MAX_MARGINAL_GROWTH}x a copy below it)`,
          met: failedNote
            ? false
            : hundred.value / one.value <= 100 && earlySlope > 0 && marginalGrowth <= MAX_MARGINAL_GROWTH,
          note:
            failedNote ??
            `time per extra copy: ${(earlySlope * 1000).toFixed(0)} ms from 1x to 10x, ${(lateSlope * 1000).toFixed(0)} ms from 10x to 100x (${marginalGrowth.toFixed(2)}x)`,
        },
      ];
      return rows;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
