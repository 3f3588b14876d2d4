/**
 * What our client adds to an app's bundle: a one-call app bundled by esbuild (minified,
 * tree-shaken, Node built-ins left out), gzipped, against the same app on bare openapi-fetch.
 * Sizes are deterministic, so each is measured once.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { type Benchmark, type FigureResult, measurement, reference } from "./figure.ts";

const MAX_EXTRA_KB = 4;

const apps: { name: string; ours: string; bare: string }[] = [
  {
    name: "directscale",
    ours: `import { createDirectScaleClient } from "@commerce-api/directscale";
const client = createDirectScaleClient({ apiKey: process.env.KEY });
console.log(await client.GET("/v1/orders/packages", { params: { query: { warehouseId: 1 } } }));`,
    bare: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://dsapi.directscale.com", headers: { "Ocp-Apim-Subscription-Key": process.env.KEY } });
console.log(await client.GET("/v1/orders/packages", { params: { query: { warehouseId: 1 } } }));`,
  },
  {
    name: "voucherify",
    ours: `import { createVoucherifyClient } from "@commerce-api/voucherify";
const client = createVoucherifyClient({ appId: process.env.ID, appToken: process.env.TOKEN });
console.log(await client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } } }));`,
    bare: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://api.voucherify.io", headers: { "X-App-Id": process.env.ID, "X-App-Token": process.env.TOKEN } });
console.log(await client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } } }));`,
  },
];

/** Minified and gzipped (level 9) size of the bundled app, in kB (1000 bytes). */
async function bundledKb(contents: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node24",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild wrote no bundle");
  return gzipSync(output.contents, { level: 9 }).length / 1000;
}

export const clientSize: Benchmark = {
  name: "client-size",
  async run() {
    const results: FigureResult[] = [];
    for (const app of apps) {
      const ours = measurement("ours", "kB", [await bundledKb(app.ours)]);
      const bare = reference(ours, measurement("openapi-fetch alone", "kB", [await bundledKb(app.bare)]));
      const extra = ours.value - bare.value;
      results.push({
        bench: "client-size",
        figure: `client runtime size, min+gzip, one-call app (${app.name})`,
        measured: ours,
        references: [bare],
        target: `at most +${MAX_EXTRA_KB} kB over openapi-fetch alone`,
        met: extra <= MAX_EXTRA_KB,
        note: `+${extra.toFixed(2)} kB; esbuild bundle (minified, ESM, platform node), gzip level 9; deterministic, measured once`,
      });
    }
    return results;
  },
};
