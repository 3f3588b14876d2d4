/**
 * Per-request overhead of our clients with a stubbed fetch (no network): what the client
 * adds on top of building the request and parsing the answer, against bare openapi-fetch
 * and a hand-written fetch call. tinybench times each call; the figure is the median of
 * its per-call medians over a few rounds, the variants interleaved within each round.
 */
import { Bench } from "tinybench";
import { clientCases, type Fetch, type Variant, variantLabels } from "./clients.ts";
import { type Benchmark, type FigureResult, measurement, reference } from "./figure.ts";
import { fixedAnswer } from "./requests.ts";

const TARGET_RATIO = 1.2;

/** Answers at once with a fresh 200 JSON response, as a real fetch would hand one back. */
const stubFetch: Fetch = async () =>
  new Response(fixedAnswer, { status: 200, headers: { "Content-Type": "application/json" } });

export const clientOverhead: Benchmark = {
  name: "client-overhead",
  async run({ quick, log }) {
    // Several shorter rounds rather than one long one, so load drifting on a shared machine
    // reaches every variant alike.
    const rounds = quick ? 1 : 5;
    const results: FigureResult[] = [];
    for (const clientCase of await clientCases()) {
      const calls = clientCase.calls(stubFetch, "http://api.bench.invalid");
      const medians: Record<Variant, number[]> = { ours: [], "openapi-fetch": [], fetch: [] };
      for (let round = 0; round < rounds; round++) {
        const bench = new Bench({ time: quick ? 200 : 600, warmupTime: quick ? 50 : 200, throws: true });
        for (const [variant, call] of Object.entries(calls)) bench.add(variant, call);
        for (const task of await bench.run()) {
          const result = task.result;
          if (result.state !== "completed") throw new Error(`${clientCase.name} ${task.name}: ${result.state}`);
          medians[task.name as Variant].push(result.latency.p50 * 1000);
        }
        log(
          `  ${clientCase.name} round ${round + 1}/${rounds}: ${Object.entries(medians)
            .map(([variant, list]) => `${variant} ${list.at(-1)?.toFixed(2)} µs`)
            .join(", ")}`,
        );
      }
      const summarize = (variant: Variant) => measurement(variantLabels[variant], "µs", medians[variant]);
      const ours = summarize("ours");
      const bare = reference(ours, summarize("openapi-fetch"));
      results.push({
        bench: "client-overhead",
        figure: `client per-request time, stubbed fetch (${clientCase.name})`,
        measured: ours,
        references: [bare, reference(ours, summarize("fetch"))],
        target: `<= ${TARGET_RATIO}x bare openapi-fetch`,
        met: bare.ratio <= TARGET_RATIO,
        note: "median time per call (tinybench) including building the Request and parsing the JSON answer; the stub makes a fresh Response per call",
      });
    }
    return results;
  },
};
