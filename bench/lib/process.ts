/**
 * Child processes for the benchmarks: timed commands, servers started on a free loopback
 * port, and the poll that finds a server's first answer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { stripVTControlCharacters } from "node:util";
import { type Measurement, measurement } from "./figure.ts";

export interface TimedRun {
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
  /** Exit code (null if a signal ended it). */
  code: number | null;
  /** The end of stdout and stderr together, to show why a run failed. */
  tail: string;
}

const TAIL_CHARS = 4000;

/** Runs a command to completion and times it, output captured rather than shown. */
export async function timeCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<TimedRun> {
  let tail = "";
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a timeout can end the whole tree (turbo, vitest workers).
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-TAIL_CHARS);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const timer = setTimeout(() => killTree(child), options.timeoutMs);
  try {
    const [code] = (await once(child, "close")) as [number | null];
    return { ms: performance.now() - started, code, tail };
  } finally {
    clearTimeout(timer);
  }
}

/** The runs' wall times, in seconds. */
export function seconds(label: string, runs: readonly TimedRun[]): Measurement {
  return measurement(
    label,
    "s",
    runs.map((run) => run.ms / 1000),
  );
}

/** How many of these turbo runs replayed every task from a cache (turbo prints "FULL TURBO"). */
export function fullCacheHits(runs: readonly TimedRun[]): number {
  return runs.filter((run) => run.tail.includes("FULL TURBO")).length;
}

/**
 * Why some of these runs failed (their time measures a failure, not the work): turbo's
 * `Failed:` line when there is one, else the last lines of the first failure's output.
 * Undefined when every run exited 0.
 */
export function failureNote(runs: readonly TimedRun[]): string | undefined {
  const failed = runs.filter((run) => run.code !== 0);
  const first = failed[0];
  if (first === undefined) return undefined;
  const lines = stripVTControlCharacters(first.tail).trim().split("\n");
  const failedTasks = lines.filter((line) => /^\s*Failed:\s/.test(line)).map((line) => line.trim());
  const why = (failedTasks.length > 0 ? failedTasks : lines.slice(-3)).join(" / ");
  return `${failed.length} of ${runs.length} runs failed (exit code ${first.code}): ${why}`;
}

/** The captured end of the first failed run's output, for results.json; undefined when none failed. */
export function failureOutput(runs: readonly TimedRun[]): string | undefined {
  const first = runs.find((run) => run.code !== 0);
  return first && stripVTControlCharacters(first.tail);
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Already gone between the check and the kill.
  }
}

/** A port nothing listens on right now (the OS picks it), for servers that need one up front. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no TCP address for a probe server");
  return address.port;
}

export interface ServerProcess {
  child: ChildProcess;
  /** Milliseconds from spawn to the first HTTP answer. */
  startupMs: number;
  /** Status of that first answer. */
  firstStatus: number;
  stop(): Promise<void>;
}

/**
 * Spawns a server and polls `probe` until it answers over HTTP (any status). The time
 * counts from spawn, so it includes Node's start-up and every module the server loads.
 */
export async function startServer(
  command: string,
  args: string[],
  probe: { url: string; headers: Record<string, string> },
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<ServerProcess> {
  let output = "";
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // Drained, or a chatty server (Prism's CLI logs every request) would block on a full pipe.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = once(child, "close");
    killTree(child);
    await closed;
  };
  try {
    const firstStatus = await firstAnswer(probe, child, started + options.timeoutMs, () => output);
    return { child, startupMs: performance.now() - started, firstStatus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Short enough not to blur a start-up of a few hundred milliseconds.
const POLL_INTERVAL_MS = 5;

async function firstAnswer(
  probe: { url: string; headers: Record<string, string> },
  child: ChildProcess,
  deadline: number,
  output: () => string,
): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering:\n${output()}`);
    try {
      const response = await fetch(probe.url, { headers: probe.headers });
      await response.arrayBuffer();
      return response.status;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) throw new Error(`no answer from ${probe.url} in time:\n${output()}`);
    await sleep(POLL_INTERVAL_MS);
  }
}
