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
const variants: Variant[] = ["ours", "fetch", "openapi-fetch"];

async function timeBatch(call: Call, requests: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < requests; i++) await call();
  return ((performance.now() - started) * 1000) / requests;
}

export const clientEndToEnd: Benchmark = {
  name: "client-e2e",
  async run({ quick, log }) {
    const rounds = quick ? 2 : 7;
    const requests = quick ? 200 : 2000;
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
      for (const clientCase of clientCases()) {
        const calls = clientCase.calls(fetch, baseUrl);
        // Warm-up: JIT, and the keep-alive connection each variant will reuse.
        for (const variant of variants) await timeBatch(calls[variant], Math.min(requests, 500));
        const perRequest: Record<Variant, number[]> = { ours: [], fetch: [], "openapi-fetch": [] };
        for (let round = 0; round < rounds; round++) {
          for (let i = 0; i < variants.length; i++) {
            const variant = variants[(i + round) % variants.length] as Variant;
            perRequest[variant].push(await timeBatch(calls[variant], requests));
          }
          log(
            `  ${clientCase.name} round ${round + 1}/${rounds}: ${variants
              .map((variant) => `${variant} ${perRequest[variant].at(-1)?.toFixed(1)} µs`)
              .join(", ")}`,
          );
        }
        const summarize = (variant: Variant) => measurement(variantLabels[variant], "µs", perRequest[variant]);
        const ours = summarize("ours");
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
