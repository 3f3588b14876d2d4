/**
 * `pnpm bench`: runs every benchmark, prints the table, and (for a full run) writes
 * bench/results.json and bench/RESULTS.md.
 *
 *   node bench/run.ts                      # everything; writes the results
 *   node bench/run.ts --only mock-startup  # some benchmarks (repeatable); prints only
 *   node bench/run.ts --quick              # tiny repetition counts, to try things out; prints only
 *   node bench/run.ts --note "..."         # a sentence for RESULTS.md, e.g. what else ran on the machine
 *
 * `pnpm bench` builds the workspace packages first; run directly, this expects them built.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { apiCheck } from "./lib/api-check.ts";
import { clientEndToEnd } from "./lib/client-e2e.ts";
import { clientOverhead } from "./lib/client-overhead.ts";
import { clientSize } from "./lib/client-size.ts";
import { codegen } from "./lib/codegen.ts";
import { contractSuite } from "./lib/contract-suite.ts";
import type { Benchmark, FigureResult } from "./lib/figure.ts";
import { growth } from "./lib/growth.ts";
import { liveReload } from "./lib/live-reload.ts";
import { mockStartup } from "./lib/mock-startup.ts";
import { mockThroughput } from "./lib/mock-throughput.ts";
import { pnpmTest } from "./lib/pnpm-test.ts";
import { pnpmRelease } from "./lib/release.ts";
import { remoteCache } from "./lib/remote-cache.ts";
import { type Report, renderMarkdown, renderNotes, renderTable } from "./lib/report.ts";
import { sandboxImport } from "./lib/sandbox-import.ts";

const benchmarks: Benchmark[] = [
  pnpmTest,
  remoteCache,
  codegen,
  mockStartup,
  mockThroughput,
  sandboxImport,
  clientOverhead,
  clientEndToEnd,
  clientSize,
  contractSuite,
  growth,
  apiCheck,
  pnpmRelease,
  liveReload,
];

const args = process.argv.slice(2);
const { values } = parseArgs({
  // `pnpm bench -- --quick` hands the `--` on; options after it are still ours.
  args: args[0] === "--" ? args.slice(1) : args,
  options: {
    only: { type: "string", multiple: true },
    quick: { type: "boolean", default: false },
    note: { type: "string" },
  },
});
const names = benchmarks.map((b) => b.name);
const unknown = (values.only ?? []).filter((name) => !names.includes(name));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")}; known: ${names.join(", ")}`);
const selected = values.only ? benchmarks.filter((b) => values.only?.includes(b.name)) : benchmarks;

const git = (...args: string[]) => execFileSync("git", args, { cwd: import.meta.dirname, encoding: "utf8" }).trim();
const dirty = git("status", "--porcelain").length > 0;
// How busy the machine was: the 1-minute load average, sampled through the whole run
// (it counts the benchmarks' own processes too, such as the cold `pnpm test`).
const loadSamples = [loadavg()[0] ?? 0];
const loadSampler = setInterval(() => loadSamples.push(loadavg()[0] ?? 0), 10_000);
loadSampler.unref();

const figures: FigureResult[] = [];
const failures: Report["failures"] = [];
for (const benchmark of selected) {
  console.log(`\n# ${benchmark.name}`);
  try {
    const results = await benchmark.run({ quick: values.quick, log: (line) => console.log(line) });
    figures.push(...results);
    console.log([renderTable(results), "", ...renderNotes(results)].join("\n"));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ bench: benchmark.name, error: message });
    console.error(`${benchmark.name} could not be measured: ${message}`);
  }
}

clearInterval(loadSampler);
loadSamples.push(loadavg()[0] ?? 0);
const report: Report = {
  date: new Date().toISOString(),
  commit: `${git("rev-parse", "--short", "HEAD")}${dirty ? " plus uncommitted changes" : ""}`,
  command: ["node bench/run.ts", ...args].join(" "),
  quick: values.quick,
  ...(values.note && { note: values.note }),
  machine: {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage: {
      start: loadSamples[0] ?? 0,
      end: loadSamples.at(-1) ?? 0,
      mean: loadSamples.reduce((sum, value) => sum + value, 0) / loadSamples.length,
      max: Math.max(...loadSamples),
    },
  },
  figures,
  failures,
};

console.log(`\n${renderTable(figures)}`);
if (values.quick || values.only) {
  console.log("\n(--quick or --only: results.json and RESULTS.md left as they were)");
} else {
  await writeFile(join(import.meta.dirname, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(import.meta.dirname, "RESULTS.md"), renderMarkdown(report));
  console.log("\nwrote bench/results.json and bench/RESULTS.md");
}
if (failures.length > 0) {
  console.error(`\nnot measured: ${failures.map((f) => f.bench).join(", ")}`);
  process.exitCode = 1;
}
