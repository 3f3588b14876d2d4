/**
 * Mock throughput with autocannon: the sample request, one connection at a time and 32 at
 * once, against ours and the `prism mock` CLI, each in its own process, runs interleaved; and
 * our stateful mock (seeded, for an API with a sandbox) beside the stateless one.
 * Each server is warmed up first, so the figure is the steady state rather than the first
 * requests that pay for JIT compilation and lazy loading.
 */
import autocannon from "autocannon";
import { type Benchmark, type FigureResult, measurement, percentile, reference } from "./figure.ts";
import { type LaunchedMock, launchMock, type MockKind, mockLabels } from "./mock-launch.ts";
import { apisWithSamples, type SampleRequest, sandboxFixtures } from "./requests.ts";

const TARGET_RATIO = 1.5;
/** A stateful answer goes through Prism's validation proxy and the store: at least half the stateless rate. */
const STATEFUL_TARGET_RATIO = 0.5;
const kinds: MockKind[] = ["ours", "prism-cli", "stateful"];
const modes = [
  { label: "sequential", connections: 1 },
  { label: "32 concurrent", connections: 32 },
] as const;

interface LoadRun {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

async function load(url: string, sample: SampleRequest, connections: number, seconds: number): Promise<LoadRun> {
  // autocannon's own latency histogram counts whole milliseconds, too coarse for a mock that
  // answers in a fraction of one; its per-response event carries the exact time.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, headers: sample.headers, connections, pipelining: 1, duration: seconds },
      (error: unknown, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
  return {
    // Only 2xx answers count: a mock that answers fast with errors is not fast.
    rps: result["2xx"] / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: result.non2xx + result.errors,
  };
}

export const mockThroughput: Benchmark = {
  name: "mock-throughput",
  async run({ quick, log }) {
    const runs = quick ? 1 : 3;
    const seconds = quick ? 1 : 5;
    const results: FigureResult[] = [];
    for (const { api, sample } of apisWithSamples()) {
      // The stateful figure only for an API with a sandbox, which the bench seeds.
      const apiKinds = kinds.filter((kind) => kind !== "stateful" || Object.hasOwn(sandboxFixtures, api.name));
      const started: LaunchedMock[] = [];
      const launch = async (kind: MockKind) => {
        const server = await launchMock(kind, api, sample);
        started.push(server);
        await load(server.url, sample, 32, seconds);
        return server;
      };
      try {
        const servers: Partial<Record<MockKind, LaunchedMock>> = {};
        for (const kind of apiKinds) servers[kind] = await launch(kind);
        for (const mode of modes) {
          const samples: Record<MockKind, LoadRun[]> = { ours: [], "prism-cli": [], stateful: [] };
          for (let run = 0; run < runs; run++) {
            // Rotate which goes first, so none always gets the quieter moment.
            const order = apiKinds.map((_, index) => apiKinds[(index + run) % apiKinds.length] as MockKind);
            for (const kind of order) {
              samples[kind].push(await load(servers[kind]?.url ?? "", sample, mode.connections, seconds));
            }
            log(
              `  ${api.name} ${mode.label} run ${run + 1}/${runs}: ${apiKinds.map((kind) => `${mockLabels[kind]} ${samples[kind].at(-1)?.rps.toFixed(0)} req/s`).join(", ")}`,
            );
          }
          const summarize = (kind: MockKind) =>
            measurement(
              mockLabels[kind],
              "req/s",
              samples[kind].map((run) => run.rps),
              { "p50 ms": samples[kind].map((run) => run.p50), "p99 ms": samples[kind].map((run) => run.p99) },
            );
          const measured = summarize("ours");
          const prismRef = reference(measured, summarize("prism-cli"));
          const failed = Object.entries(samples)
            .map(
              ([kind, list]) => [mockLabels[kind as MockKind], list.reduce((sum, run) => sum + run.failed, 0)] as const,
            )
            .filter(([, count]) => count > 0);
          results.push({
            bench: "mock-throughput",
            figure: `mock requests/s, ${mode.label} (${api.name})`,
            measured,
            references: [prismRef],
            target: `>= ${TARGET_RATIO}x the prism CLI`,
            met: prismRef.ratio >= TARGET_RATIO,
            note: [
              `autocannon, ${mode.connections} connection(s), ${runs} x ${seconds} s per server`,
              ...failed.map(([label, count]) => `${label}: ${count} non-2xx or failed requests (not counted)`),
            ].join("; "),
          });
          if (!apiKinds.includes("stateful")) continue;
          const stateful = summarize("stateful");
          const statelessRef = reference(stateful, measured);
          results.push({
            bench: "mock-throughput",
            figure: `stateful mock requests/s, ${mode.label} (${api.name})`,
            measured: stateful,
            references: [statelessRef],
            target: `>= ${STATEFUL_TARGET_RATIO}x the stateless mock`,
            met: statelessRef.ratio >= STATEFUL_TARGET_RATIO,
            note: `the same sample request, the store seeded with 100 orders; autocannon as above`,
          });
        }
      } finally {
        await Promise.all(started.map((server) => server.stop()));
      }
    }
    return results;
  },
};
