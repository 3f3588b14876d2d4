/**
 * Import → DONE on the stateful Voucherify mock: `orders.import()` of 4,500 orders (three
 * requests) and `asyncActions.wait()` on each, until all are DONE, with jobs that take no time
 * of their own (`jobDelayMs: 0`), so the figure is the mock's work: Prism validating 2,000
 * orders a request, the store writing them. Beside it, the same three requests sent to the
 * stateless mock, which validates them the same way and answers from the spec's example.
 */
import { startMock } from "@commerce-api/mocks";
import { createVoucherifyClient } from "@commerce-api/voucherify";
import { type Benchmark, measurement, reference } from "./figure.ts";

const ORDER_COUNT = 4500;
const TARGET_RATIO = 2;
const orders = Array.from({ length: ORDER_COUNT }, (_, index) => ({
  source_id: `BENCH-IMPORT-${index + 1}`,
  status: "PAID" as const,
  amount: index,
}));

async function timeImport(stateful: boolean): Promise<number> {
  await using mock = await startMock("voucherify", { port: 0, ...(stateful && { stateful: { jobDelayMs: 0 } }) });
  const client = createVoucherifyClient({
    appId: "bench-app-id",
    appToken: "bench-app-token",
    baseUrl: mock.url,
    maxRetries: 0,
  });
  const started = performance.now();
  const ids = await client.orders.import(orders);
  if (stateful) await Promise.all(ids.map((id) => client.asyncActions.wait(id, { pollIntervalMs: 5 })));
  return performance.now() - started;
}

export const sandboxImport: Benchmark = {
  name: "sandbox-import",
  async run({ quick, log }) {
    const runs = quick ? 1 : 5;
    const times = { stateful: [] as number[], stateless: [] as number[] };
    await timeImport(true); // warm-up: the first run pays for loading and compiling the validators
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? ([true, false] as const) : ([false, true] as const);
      for (const stateful of order) times[stateful ? "stateful" : "stateless"].push(await timeImport(stateful));
      log(
        `  run ${run + 1}/${runs}: stateful ${times.stateful.at(-1)?.toFixed(0)} ms, stateless ${times.stateless.at(-1)?.toFixed(0)} ms`,
      );
    }
    const measured = measurement(`import of ${ORDER_COUNT} orders to DONE, stateful mock`, "ms", times.stateful);
    const statelessRef = reference(measured, measurement("the same 3 requests, stateless mock", "ms", times.stateless));
    return [
      {
        bench: "sandbox-import",
        figure: `orders.import() of ${ORDER_COUNT} orders until DONE (stateful voucherify)`,
        measured,
        references: [statelessRef],
        target: `<= ${TARGET_RATIO}x the stateless mock's time for the same requests`,
        met: statelessRef.ratio <= TARGET_RATIO,
        note: `jobDelayMs 0, polls every 5 ms; ${runs} runs after a warm-up`,
      },
    ];
  },
};
