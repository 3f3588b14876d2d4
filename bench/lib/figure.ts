/**
 * What every benchmark returns, and the statistics they share. A figure is always a median
 * over repeated runs, shown beside references measured in the same run; nothing here
 * judges a time by throwing: `met` is recorded for the table, never asserted.
 */

/** One measured thing: ours, or a reference it is compared with. */
export interface Measurement {
  /** What was measured, e.g. `prism mock CLI`. */
  label: string;
  /** The median of `samples`. */
  value: number;
  unit: Unit;
  /** One value per repeated run, in run order. */
  samples: number[];
  /** Secondary medians shown in brackets, e.g. latency percentiles. */
  details?: Record<string, number>;
}

export interface Reference extends Measurement {
  /** Our value divided by this reference's value. */
  ratio: number;
}

export interface FigureResult {
  /** The benchmark that produced it (what `--only` selects). */
  bench: string;
  /** The row's title in the table. */
  figure: string;
  measured: Measurement;
  /** The first reference is the one the target is about, where the target names one. */
  references: Reference[];
  target: string;
  /** Whether the measured value meets the target; undefined when the run could not tell. */
  met: boolean | undefined;
  /** Anything a reader needs to trust the figure (failed runs, non-2xx answers, how it was taken). */
  note?: string;
  /** The end of a failed run's output (results.json only), to see why without rerunning. */
  failureOutput?: string;
}

export type Unit = "s" | "ms" | "µs" | "req/s" | "kB";

export interface BenchContext {
  /** Tiny repetition counts, for trying a benchmark out; the figures are not worth recording. */
  quick: boolean;
  /** Progress lines, so a long run shows where it is. */
  log: (line: string) => void;
}

export interface Benchmark {
  /** Short name for `--only`. */
  name: string;
  run(context: BenchContext): Promise<FigureResult[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Nearest-rank percentile (`p` in 0-100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function measurement(
  label: string,
  unit: Unit,
  samples: number[],
  details?: Record<string, number[]>,
): Measurement {
  return {
    label,
    value: median(samples),
    unit,
    samples,
    ...(details && {
      details: Object.fromEntries(Object.entries(details).map(([key, values]) => [key, median(values)])),
    }),
  };
}

export function reference(ours: Measurement, theirs: Measurement): Reference {
  return { ...theirs, ratio: ours.value / theirs.value };
}
