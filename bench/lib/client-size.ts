/**
 * What our client adds to an app's bundle: a one-call app bundled by esbuild (minified,
 * tree-shaken, Node built-ins left out), gzipped, against the same app on bare openapi-fetch.
 * Sizes are deterministic, so each is measured once.
 */

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { clientPackageDir, listApis, serverEnvironments } from "@commerce-api/specs";
import { build } from "esbuild";
import { type Benchmark, type FigureResult, measurement, reference } from "./figure.ts";
import { sampleRequestOf } from "./requests.ts";

const MAX_EXTRA_KB = 4;

/** Each API's sample call (requests.ts) as a one-call app, through its client package and through bare openapi-fetch. */
function apps(): { name: string; ours: string; bare: string }[] {
  return listApis()
    .filter((api) => clientPackageDir(api) !== undefined)
    .map((api) => {
      const sample = sampleRequestOf(api);
      const document = JSON.parse(readFileSync(api.bundlePath, "utf8"));
      const [[, baseUrl] = ["", ""]] = serverEnvironments(document, api.specFile);
      const call = `console.log(await client.GET(${JSON.stringify(sample.path)}, ${JSON.stringify({ params: sample.params })}));`;
      return {
        name: api.name,
        ours: `import { ${api.factoryName} } from ${JSON.stringify(api.packageName)};
const client = ${api.factoryName}(${JSON.stringify(sample.options)});
${call}`,
        bare: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: ${JSON.stringify(baseUrl)}, headers: ${JSON.stringify(sample.headers)} });
${call}`,
      };
    });
}

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
    for (const app of apps()) {
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
