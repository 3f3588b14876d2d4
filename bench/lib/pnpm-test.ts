/**
 * `pnpm test` wall time, cold and warm. Cold runs with an empty turbo cache (a fresh
 * TURBO_CACHE_DIR, so the working tree's .turbo cache is left alone); warm is the same
 * command again right after, with that cache and nothing changed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "@commerce-api/specs";
import { type Benchmark, measurement } from "./figure.ts";
import { failureNote, type TimedRun, timeCommand } from "./process.ts";

const COLD_TARGET_S = 60;
const WARM_TARGET_S = 2;
const TIMEOUT_MS = 15 * 60_000;

export const pnpmTest: Benchmark = {
  name: "pnpm-test",
  async run({ quick, log }) {
    // Cold runs are the most expensive figure of all: a few rounds, each followed by warm runs.
    const rounds = quick ? 1 : 3;
    const warmPerRound = quick ? 1 : 3;
    const cold: TimedRun[] = [];
    const warm: TimedRun[] = [];
    for (let round = 0; round < rounds; round++) {
      const cacheDir = await mkdtemp(join(tmpdir(), "bench-turbo-cache-"));
      try {
        const env = { ...process.env, TURBO_CACHE_DIR: cacheDir };
        const run = () => timeCommand("pnpm", ["test"], { cwd: repoRoot, env, timeoutMs: TIMEOUT_MS });
        cold.push(await run());
        log(`  round ${round + 1}/${rounds}: cold ${((cold.at(-1)?.ms ?? 0) / 1000).toFixed(1)} s`);
        for (let i = 0; i < warmPerRound; i++) warm.push(await run());
        log(
          `  warm: ${warm
            .slice(-warmPerRound)
            .map((r) => `${(r.ms / 1000).toFixed(2)} s`)
            .join(", ")}`,
        );
      } finally {
        await rm(cacheDir, { recursive: true, force: true });
      }
    }
    const coldRuns = measurement(
      "pnpm test, empty turbo cache",
      "s",
      cold.map((r) => r.ms / 1000),
    );
    const warmRuns = measurement(
      "pnpm test, nothing changed",
      "s",
      warm.map((r) => r.ms / 1000),
    );
    // turbo prints "FULL TURBO" when every task was replayed from the cache.
    const fullHits = warm.filter((r) => r.tail.includes("FULL TURBO")).length;
    const coldFailure = failureNote(cold);
    const warmFailure = failureNote(warm);
    return [
      {
        bench: "pnpm-test",
        figure: "`pnpm test` cold (empty turbo cache)",
        measured: coldRuns,
        references: [],
        target: `under ${COLD_TARGET_S} s on 2 cores`,
        met: coldFailure ? false : coldRuns.value < COLD_TARGET_S,
        note: coldFailure ?? `${rounds} run(s), each with a new TURBO_CACHE_DIR`,
      },
      {
        bench: "pnpm-test",
        figure: "`pnpm test` warm (nothing changed)",
        measured: warmRuns,
        references: [],
        target: `under ${WARM_TARGET_S} s (full cache hit)`,
        met: warmFailure ? false : fullHits === warm.length && warmRuns.value < WARM_TARGET_S,
        note: warmFailure ?? `${fullHits} of ${warm.length} runs were a full cache hit ("FULL TURBO")`,
      },
    ];
  },
};
