/**
 * `pnpm test` wall time, cold and warm. Cold runs with an empty turbo cache (a fresh
 * TURBO_CACHE_DIR, so the working tree's .turbo cache is left alone); warm is the same
 * command again right after, with that cache and nothing changed; "one spec edited" is the
 * same again after a one-line description edit in one API's path file (undone afterwards),
 * as a share of that round's cold run. Cold and edited runs also write turbo's run summary
 * (`--summarize`), which names the slowest tasks of a cold run and the tasks an edit reran.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { listApis, repoRoot } from "@commerce-api/specs";
import { type Benchmark, median, reference } from "./figure.ts";
import { failureNote, failureOutput, fullCacheHits, seconds, type TimedRun, timeCommand } from "./process.ts";

const COLD_TARGET_S = 60;
const WARM_TARGET_S = 2;
const EDITED_TARGET_SHARE = 0.3;
const TIMEOUT_MS = 15 * 60_000;

interface Round {
  cold: TimedRun;
  warm: TimedRun[];
  edited: TimedRun;
  coldTasks: TaskRun[];
  editedTasks: TaskRun[];
}

/** One task of a run, from turbo's run summary: whether it ran (a cache miss) and for how long. */
interface TaskRun {
  taskId: string;
  ran: boolean;
  seconds: number;
}

/** The tasks of the newest run summary turbo wrote in .turbo/runs/ since `since` (ms), if any. */
async function summaryTasks(since: number): Promise<TaskRun[]> {
  const runsDir = join(repoRoot, ".turbo", "runs");
  const files = await readdir(runsDir).catch(() => [] as string[]);
  const dated = await Promise.all(
    files.map(async (file) => ({ file, mtime: (await stat(join(runsDir, file))).mtimeMs })),
  );
  const newest = dated.filter(({ mtime }) => mtime >= since).sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) return [];
  const summary = JSON.parse(await readFile(join(runsDir, newest.file), "utf8")) as {
    tasks: {
      taskId: string;
      command: string;
      cache: { status: string };
      execution?: { startTime: number; endTime: number };
    }[];
  };
  return summary.tasks
    .filter((task) => task.command !== "<NONEXISTENT>")
    .map((task) => ({
      taskId: task.taskId,
      ran: task.cache.status !== "HIT",
      seconds: task.execution ? (task.execution.endTime - task.execution.startTime) / 1000 : 0,
    }));
}

/** "a 12.3 s, b 4.5 s" for the `count` longest of `tasks`. */
const longest = (tasks: TaskRun[], count: number) =>
  [...tasks]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count)
    .map((task) => `${task.taskId} ${task.seconds.toFixed(1)} s`)
    .join(", ");

/**
 * Appends " (edited)" to the first one-line description in the first API's first path file,
 * as a spec author's small fix would, with the patch changeset they would add for it
 * (`pnpm api:check`, part of `pnpm test`, fails a spec change without one); returns the file
 * and the function that undoes both.
 */
async function editOneSpec(): Promise<{ file: string; undo: () => Promise<void> }> {
  const [api] = listApis();
  if (!api) throw new Error("no API to edit");
  const pathsDir = join(dirname(api.specPath), "paths");
  const [first] = (await readdir(pathsDir)).filter((name) => name.endsWith(".yaml")).sort();
  if (!first) throw new Error(`${pathsDir} has no path files`);
  const file = join(pathsDir, first);
  const original = await readFile(file, "utf8");
  const edited = original.replace(/^(\s*description: (?![|>]).+)$/m, "$1 (edited)");
  if (edited === original) throw new Error(`${file} has no one-line description to edit`);
  const changeset = join(repoRoot, ".changeset", `bench-edit-${api.name}.md`);
  await writeFile(changeset, `---\n"${api.packageName}": patch\n---\n\nA description edited by pnpm bench.\n`);
  await writeFile(file, edited);
  return {
    file: relative(repoRoot, file),
    undo: async () => {
      await writeFile(file, original);
      await rm(changeset, { force: true });
    },
  };
}

/** turbo's closing "Cached: N cached, M total", e.g. "12 of 27 tasks replayed". */
function cachedShare(run: TimedRun): string {
  const match = /Cached:\s+(\d+) cached, (\d+) total/.exec(stripVTControlCharacters(run.tail));
  return match ? `${match[1]} of ${match[2]} tasks replayed from the cache` : "task counts not found in the output";
}

/** The tasks an edited run did not replay, longest first, with their times. */
const rerunTasks = (tasks: TaskRun[]) =>
  longest(
    tasks.filter((task) => task.ran),
    Number.POSITIVE_INFINITY,
  ) || "no task (or no run summary)";

export const pnpmTest: Benchmark = {
  name: "pnpm-test",
  async run({ quick, log }) {
    // Cold runs are the most expensive figure of all: a few rounds, each followed by warm runs.
    const roundCount = quick ? 1 : 3;
    const warmPerRound = quick ? 1 : 3;
    const rounds: Round[] = [];
    let editedFile = "";
    for (let index = 0; index < roundCount; index++) {
      const cacheDir = await mkdtemp(join(tmpdir(), "bench-turbo-cache-"));
      try {
        const env = { ...process.env, TURBO_CACHE_DIR: cacheDir };
        const run = (...args: string[]) =>
          timeCommand("pnpm", ["test", ...args], { cwd: repoRoot, env, timeoutMs: TIMEOUT_MS });
        const coldStarted = Date.now();
        const cold = await run("--summarize");
        const coldTasks = await summaryTasks(coldStarted);
        const warm: TimedRun[] = [];
        for (let i = 0; i < warmPerRound; i++) warm.push(await run());
        const edit = await editOneSpec();
        let edited: TimedRun;
        const editedStarted = Date.now();
        try {
          edited = await run("--summarize");
        } finally {
          await edit.undo();
        }
        const editedTasks = await summaryTasks(editedStarted);
        rounds.push({ cold, warm, edited, coldTasks, editedTasks });
        editedFile = edit.file;
        log(
          `  round ${index + 1}/${roundCount}: cold ${(cold.ms / 1000).toFixed(1)} s (exit ${cold.code}; slowest: ${longest(coldTasks, 5)}), warm ${warm.map((r) => `${(r.ms / 1000).toFixed(2)} s`).join(", ")}, one spec edited ${(edited.ms / 1000).toFixed(1)} s (${cachedShare(edited)}; reran: ${rerunTasks(editedTasks)})`,
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
    const edited = counted.map((round) => round.edited);
    const editedRuns = seconds("pnpm test, one spec edited", edited);
    const shares = counted.map((round) => round.edited.ms / round.cold.ms);
    const editedShare = median(shares);
    const editedFailed = failureNote(edited);
    const editedOutput = failureOutput(edited);
    return [
      {
        bench: "pnpm-test",
        figure: "`pnpm test` cold (empty turbo cache)",
        measured: coldRuns,
        references: [],
        target: `under ${COLD_TARGET_S} s on 2 cores`,
        met: passed.length > 0 ? coldRuns.value < COLD_TARGET_S : false,
        note: `${counted.length} run(s), each with a new TURBO_CACHE_DIR; slowest tasks of the first: ${longest(counted[0]?.coldTasks ?? [], 5) || "no run summary"}${coldFailed ? `; ${coldFailed}${leftOut}` : ""}`,
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
      {
        bench: "pnpm-test",
        figure: "`pnpm test` after a one-line edit to one spec",
        measured: editedRuns,
        references: [reference(editedRuns, coldRuns)],
        target: `at most ${EDITED_TARGET_SHARE * 100}% of the cold run`,
        met: !editedFailed && passed.length > 0 ? editedShare <= EDITED_TARGET_SHARE : false,
        note: `a description edit in ${editedFile}, undone after; median share of its round's cold run ${(editedShare * 100).toFixed(0)}%; ${counted.map((round) => cachedShare(round.edited)).join("; ")}; the first reran ${rerunTasks(counted[0]?.editedTasks ?? [])}${editedFailed ? `; ${editedFailed}` : ""}`,
        ...(editedOutput && { failureOutput: editedOutput }),
      },
    ];
  },
};
