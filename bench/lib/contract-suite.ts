/**
 * The contract suite's wall time: both APIs, the suite starting and stopping its own mocks,
 * exactly as `pnpm --filter @commerce-api/contract-tests test` runs it (no turbo cache).
 */
import { repoRoot } from "@commerce-api/specs";
import { type Benchmark, measurement } from "./figure.ts";
import { failureNote, failureOutput, type TimedRun, timeCommand } from "./process.ts";

const TARGET_S = 20;
const TIMEOUT_MS = 5 * 60_000;

export const contractSuite: Benchmark = {
  name: "contract-suite",
  async run({ quick, log }) {
    const runs = quick ? 1 : 3;
    const timed: TimedRun[] = [];
    for (let run = 0; run < runs; run++) {
      timed.push(
        await timeCommand("pnpm", ["--filter", "@commerce-api/contract-tests", "test"], {
          cwd: repoRoot,
          timeoutMs: TIMEOUT_MS,
        }),
      );
      log(`  run ${run + 1}/${runs}: ${((timed.at(-1)?.ms ?? 0) / 1000).toFixed(1)} s`);
    }
    const measured = measurement(
      "pnpm --filter @commerce-api/contract-tests test",
      "s",
      timed.map((r) => r.ms / 1000),
    );
    const failed = failureNote(timed);
    const output = failureOutput(timed);
    return [
      {
        bench: "contract-suite",
        figure: "contract suite, both APIs, mocks included",
        measured,
        references: [],
        target: `under ${TARGET_S} s`,
        met: failed ? false : measured.value < TARGET_S,
        ...(failed && { note: failed }),
        ...(output && { failureOutput: output }),
      },
    ];
  },
};
