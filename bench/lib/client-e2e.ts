/**
 * Our clients end to end over real HTTP (Node's fetch, keep-alive) against a plain local
 * server in its own process, against the same request as a hand-written fetch. Requests
 * are sequential; each round times a batch per variant, the order rotating between rounds.
 */
import { join } from "node:path";
import { repoRoot } from "@commerce-api/specs";
import { type Call, clientCases, type Variant, variantLabels } from "./clients.ts";
import { type Benchmark, type FigureResult, measurement, reference } from "./figure.ts";
import { freePort, startServer } from "./process.ts";

const TARGET_RATIO = 1.05;
const WARMUP_REQUESTS = 500;
const variants: Variant[] = ["ours", "fetch", "openapi-fetch"];

async function timeBatch(call: Call, requests: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < requests; i++) await call();
  return ((performance.now() - started) * 1000) / requests;
}

export const clientEndToEnd: Benchmark = {
  name: "client-e2e",
  async run({ quick, log }) {
    // Many short rounds rather than a few long ones: on a shared machine the load drifts, and
    // fine interleaving lets every variant sample the same conditions.
    const rounds = quick ? 4 : 25;
    const requests = quick ? 100 : 400;
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = await startServer(
      process.execPath,
      [join(import.meta.dirname, "json-server.ts"), String(port)],
      { url: baseUrl, headers: {} },
      { cwd: repoRoot, timeoutMs: 10_000 },
    );
    try {
      const results: FigureResult[] = [];
      for (const clientCase of await clientCases()) {
        const calls = clientCase.calls(fetch, baseUrl);
        // Warm-up: JIT, and the keep-alive connection each variant will reuse.
        for (const variant of variants) await timeBatch(calls[variant], WARMUP_REQUESTS);
        const perRequest: Record<Variant, number[]> = { ours: [], fetch: [], "openapi-fetch": [] };
        for (let round = 0; round < rounds; round++) {
          for (let i = 0; i < variants.length; i++) {
            const variant = variants[(i + round) % variants.length] as Variant;
            perRequest[variant].push(await timeBatch(calls[variant], requests));
          }
        }
        const summarize = (variant: Variant) => measurement(variantLabels[variant], "µs", perRequest[variant]);
        const ours = summarize("ours");
        log(`  ${clientCase.name}: ${variants.map((v) => `${v} ${summarize(v).value.toFixed(1)} µs`).join(", ")}`);
        const handWritten = reference(ours, summarize("fetch"));
        results.push({
          bench: "client-e2e",
          figure: `client end-to-end against a local server (${clientCase.name})`,
          measured: ours,
          references: [handWritten, reference(ours, summarize("openapi-fetch"))],
          target: "within 5% of a hand-written fetch",
          met: handWritten.ratio <= TARGET_RATIO,
          note: `time per request, ${requests} sequential requests per round, ${rounds} rounds; the server is a bare node:http answer in its own process`,
        });
      }
      return results;
    } finally {
      await server.stop();
    }
  },
};
