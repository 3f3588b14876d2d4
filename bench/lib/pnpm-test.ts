/**
 * `pnpm test` wall time, cold and warm. Cold runs with an empty turbo cache (a fresh
 * TURBO_CACHE_DIR, so the working tree's .turbo cache is left alone); warm is the same
 * command again right after, with that cache and nothing changed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "@commerce-api/specs";
import type { Benchmark } from "./figure.ts";
import { failureNote, failureOutput, fullCacheHits, seconds, type TimedRun, timeCommand } from "./process.ts";

const COLD_TARGET_S = 60;
const WARM_TARGET_S = 2;
const TIMEOUT_MS = 15 * 60_000;

interface Round {
  cold: TimedRun;
  warm: TimedRun[];
}

export const pnpmTest: Benchmark = {
  name: "pnpm-test",
  async run({ quick, log }) {
    // Cold runs are the most expensive figure of all: a few rounds, each followed by warm runs.
    const roundCount = quick ? 1 : 3;
    const warmPerRound = quick ? 1 : 3;
    const rounds: Round[] = [];
    for (let index = 0; index < roundCount; index++) {
      const cacheDir = await mkdtemp(join(tmpdir(), "bench-turbo-cache-"));
      try {
        const env = { ...process.env, TURBO_CACHE_DIR: cacheDir };
        const run = () => timeCommand("pnpm", ["test"], { cwd: repoRoot, env, timeoutMs: TIMEOUT_MS });
        const round: Round = { cold: await run(), warm: [] };
        for (let i = 0; i < warmPerRound; i++) round.warm.push(await run());
        rounds.push(round);
        log(
          `  round ${index + 1}/${roundCount}: cold ${(round.cold.ms / 1000).toFixed(1)} s (exit ${round.cold.code}), warm ${round.warm.map((r) => `${(r.ms / 1000).toFixed(2)} s`).join(", ")}`,
        );
      } finally {
        await rm(cacheDir, { recursive: true, force: true });
      }
    }
    // A failed cold run stops early and leaves its failed tasks uncached, so its time and the
    // warm run after it (which redoes those tasks) measure the failure, not cold or warm:
    // such rounds are left out, and said so, unless no round passed at all.
    const passed = rounds.filter((round) => round.cold.code === 0);
    const counted = passed.length > 0 ? passed : rounds;
    const cold = counted.map((round) => round.cold);
    const warm = counted.flatMap((round) => round.warm);
    const coldFailed = failureNote(rounds.map((round) => round.cold));
    const leftOut =
      coldFailed && passed.length > 0
        ? `; ${rounds.length - passed.length} round(s) left out, their warm runs too`
        : "";
    const warmFailed = failureNote(warm);
    const fullHits = fullCacheHits(warm);
    const coldRuns = seconds("pnpm test, empty turbo cache", cold);
    const warmRuns = seconds("pnpm test, nothing changed", warm);
    const coldOutput = failureOutput(rounds.map((round) => round.cold));
    const warmOutput = failureOutput(warm);
    return [
      {
        bench: "pnpm-test",
        figure: "`pnpm test` cold (empty turbo cache)",
        measured: coldRuns,
        references: [],
        target: `under ${COLD_TARGET_S} s on 2 cores`,
        met: passed.length > 0 ? coldRuns.value < COLD_TARGET_S : false,
        note: `${counted.length} run(s), each with a new TURBO_CACHE_DIR${coldFailed ? `; ${coldFailed}${leftOut}` : ""}`,
        ...(coldOutput && { failureOutput: coldOutput }),
      },
      {
        bench: "pnpm-test",
        figure: "`pnpm test` warm (nothing changed)",
        measured: warmRuns,
        references: [],
        target: `under ${WARM_TARGET_S} s (full cache hit)`,
        met: !warmFailed && fullHits === warm.length && warmRuns.value < WARM_TARGET_S,
        note: `${fullHits} of ${warm.length} runs were a full cache hit ("FULL TURBO")${warmFailed ? `; ${warmFailed}` : ""}`,
        ...(warmOutput && { failureOutput: warmOutput }),
      },
    ];
  },
};
