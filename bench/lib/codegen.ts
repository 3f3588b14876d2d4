/**
 * Codegen for both specs: our pipeline (`scripts/generate.ts`, one process for every API)
 * against the plain `openapi-typescript <spec> -o <out>` CLI, run once per spec. Both are
 * timed as whole processes, Node start-up included, writing into a temp directory.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listApis } from "@commerce-api/specs";
import { type Benchmark, measurement, reference } from "./figure.ts";
import { failureNote, type TimedRun, timeCommand } from "./process.ts";
import { writeScratchApis } from "./scratch-apis.ts";
import { generateScript, openapiTypescriptCli } from "./tools.ts";

const TIMEOUT_MS = 5 * 60_000;

export const codegen: Benchmark = {
  name: "codegen",
  async run({ quick, log }) {
    const runs = quick ? 2 : 7;
    const apis = listApis();
    const scratch = await mkdtemp(join(tmpdir(), "bench-codegen-"));
    try {
      const pipelineDir = join(scratch, "pipeline");
      // The CLI reads a redocly.yaml in its working directory and then ignores its input
      // argument, so it runs in a directory without one.
      const cliDir = join(scratch, "cli");
      await mkdir(cliDir);
      const { configPath } = await writeScratchApis(
        pipelineDir,
        await Promise.all(apis.map(async (api) => ({ api, spec: JSON.parse(await readFile(api.bundlePath, "utf8")) }))),
      );
      const ours: TimedRun[] = [];
      const cli: TimedRun[][] = [];
      const runOurs = () =>
        timeCommand(process.execPath, [generateScript, "--config", configPath, ...apis.map((api) => api.name)], {
          cwd: scratch,
          timeoutMs: TIMEOUT_MS,
        });
      const runCli = async () => {
        const perSpec: TimedRun[] = [];
        for (const api of apis) {
          const out = join(cliDir, `${api.name}.ts`);
          perSpec.push(
            await timeCommand(process.execPath, [openapiTypescriptCli, api.bundlePath, "-o", out], {
              cwd: cliDir,
              timeoutMs: TIMEOUT_MS,
            }),
          );
        }
        return perSpec;
      };
      for (let run = 0; run < runs; run++) {
        if (run % 2 === 0) {
          ours.push(await runOurs());
          cli.push(await runCli());
        } else {
          cli.push(await runCli());
          ours.push(await runOurs());
        }
        const cliMs = cli.at(-1)?.reduce((sum, r) => sum + r.ms, 0) ?? 0;
        log(`  run ${run + 1}/${runs}: ours ${ours.at(-1)?.ms.toFixed(0)} ms, CLI ${cliMs.toFixed(0)} ms`);
      }
      const measured = measurement(
        `scripts/generate.ts, ${apis.length} specs in one process`,
        "ms",
        ours.map((r) => r.ms),
      );
      const cliRef = reference(
        measured,
        measurement(
          `openapi-typescript CLI, one run per spec (${apis.length} runs, summed)`,
          "ms",
          cli.map((perSpec) => perSpec.reduce((sum, r) => sum + r.ms, 0)),
        ),
      );
      const failed = failureNote([...ours, ...cli.flat()]);
      return [
        {
          bench: "codegen",
          figure: `codegen for both specs (${apis.map((api) => api.name).join(", ")})`,
          measured,
          references: [cliRef],
          target: "no slower than the plain CLI (ratio <= 1)",
          met: failed ? false : cliRef.ratio <= 1,
          note: failed ?? "wall time of whole processes, Node start-up included; output written to a temp directory",
        },
      ];
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
