/**
 * Mock start-up to first answer: from spawning a fresh Node to the first HTTP response to
 * the sample request, ours against the `prism mock` CLI on the same spec, runs interleaved.
 */
import { type Benchmark, type FigureResult, measurement, reference } from "./figure.ts";
import { launchMock, type MockKind, mockLabels } from "./mock-launch.ts";
import { apisWithSamples } from "./requests.ts";

const TARGET_MS = 1500;

export const mockStartup: Benchmark = {
  name: "mock-startup",
  async run({ quick, log }) {
    const runs = quick ? 2 : 7;
    const results: FigureResult[] = [];
    for (const { api, sample } of apisWithSamples()) {
      const times: Record<Exclude<MockKind, "stateful">, number[]> = { ours: [], "prism-cli": [] };
      const statuses = new Set<string>();
      for (let run = 0; run < runs; run++) {
        // Alternate which goes first, so neither always gets the warmer disk cache.
        const order = run % 2 === 0 ? (["ours", "prism-cli"] as const) : (["prism-cli", "ours"] as const);
        for (const kind of order) {
          const mock = await launchMock(kind, api, sample);
          await mock.stop();
          times[kind].push(mock.startupMs);
          statuses.add(`${mockLabels[kind]} ${mock.firstStatus}`);
        }
        log(
          `  ${api.name} run ${run + 1}/${runs}: ours ${times.ours.at(-1)?.toFixed(0)} ms, prism CLI ${times["prism-cli"].at(-1)?.toFixed(0)} ms`,
        );
      }
      const ours = measurement(mockLabels.ours, "ms", times.ours);
      results.push({
        bench: "mock-startup",
        figure: `mock startup to first answer (${api.name})`,
        measured: ours,
        references: [reference(ours, measurement(mockLabels["prism-cli"], "ms", times["prism-cli"]))],
        target: `under ${TARGET_MS / 1000} s`,
        met: ours.value < TARGET_MS,
        note: `first answers: ${[...statuses].join(", ")}`,
      });
    }
    return results;
  },
};
