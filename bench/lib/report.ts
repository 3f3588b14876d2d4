/**
 * The run's record: the machine it ran on and every figure, as results.json and as the
 * markdown table in RESULTS.md.
 */
import type { FigureResult, Measurement } from "./figure.ts";

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average over the run (sampled every 10 s): how busy the machine was. */
  loadAverage: { start: number; end: number; mean: number; max: number };
}

export interface Report {
  date: string;
  commit: string;
  command: string;
  quick: boolean;
  note?: string;
  machine: Machine;
  figures: FigureResult[];
  /** Benchmarks that could not produce a figure, and why. */
  failures: { bench: string; error: string }[];
}

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return String(Number(value.toPrecision(3)));
}

function formatMeasurement(m: Measurement): string {
  const details = Object.entries(m.details ?? {}).map(([key, value]) => {
    const [label, unit] = key.split(" ");
    return `${label} ${number(value)}${unit ? ` ${unit}` : ""}`;
  });
  return `${number(m.value)} ${m.unit}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}

const cell = (text: string) => text.replaceAll("|", "\\|");

export function renderTable(figures: FigureResult[]): string {
  const rows = figures.map((f) => {
    const references = f.references.map((r) => `${r.label}: ${formatMeasurement(r)}`).join("<br>") || "-";
    const ratios = f.references.map((r) => `${r.ratio.toFixed(2)}x`).join("<br>") || "-";
    const met = f.met === undefined ? "n/a" : f.met ? "yes" : "**no**";
    return `| ${cell(f.figure)} | ${cell(formatMeasurement(f.measured))} | ${cell(references)} | ${ratios} | ${cell(f.target)} | ${met} |`;
  });
  return [
    "| figure | ours | reference, same run | ratio (ours / reference) | target | met |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

export function renderNotes(figures: FigureResult[]): string[] {
  return figures.filter((f) => f.note).map((f) => `- **${cell(f.figure)}**: ${f.note}`);
}

export function renderMarkdown(report: Report): string {
  const { machine } = report;
  const load = machine.loadAverage;
  const notes = renderNotes(report.figures);
  const failures = report.failures.map((f) => `- **${f.bench}**: ${f.error.split("\n")[0]}`);
  return [
    "# Benchmark results",
    "",
    "Written by `pnpm bench` (`bench/run.ts`); do not edit by hand. Every figure is the median over",
    "repeated runs, and every reference was measured in the same run, interleaved with ours.",
    "`results.json` beside this file has each run's raw samples. A benchmark never fails on a",
    "time: **met** only records whether the median meets the target.",
    "",
    "Load comes from autocannon, micro timings from tinybench and bundles from esbuild, all",
    "devDependencies of `@commerce-api/bench` (nothing to install from apt). `pnpm bench --only <name>",
    "--quick` tries one benchmark with tiny repetition counts and prints without writing here.",
    "",
    `- date: ${report.date}`,
    `- commit: ${report.commit}`,
    `- command: \`${report.command}\`${report.quick ? " (quick: tiny repetition counts, not worth comparing)" : ""}`,
    `- machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`,
    `- Node ${machine.node}`,
    `- 1-minute load average during the run: mean ${load.mean.toFixed(1)}, max ${load.max.toFixed(1)} (${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end)${load.mean > machine.cores ? `: more runnable processes than the ${machine.cores} cores, so the machine was shared (with other work, or the benchmarks' own parallel runs) and timings are noisier than on an idle machine` : ""}`,
    ...(report.note ? [`- note: ${report.note}`] : []),
    "",
    renderTable(report.figures),
    "",
    ...(notes.length > 0 ? ["## Notes", "", ...notes, ""] : []),
    ...(failures.length > 0 ? ["## Not measured", "", ...failures, ""] : []),
  ].join("\n");
}
