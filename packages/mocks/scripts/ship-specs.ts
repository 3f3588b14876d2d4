/**
 * Second half of `build`: copies every API's bundled spec (specs/<api>/dist/<api>.json) and a
 * manifest of the API list into dist/specs/, so the published package serves the same specs
 * without the repository. The copies are byte-for-byte and the manifest is written in the
 * order of redocly.yaml, so a rebuild writes identical files.
 *
 *   node scripts/ship-specs.ts [--out DIR]   # default: dist/specs/
 */
import { copyFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { listApis } from "@commerce-api/specs";
import { MANIFEST_FILE, shippedSpecsDir, toShippedApi } from "../src/apis.ts";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const outDir = values.out === undefined ? shippedSpecsDir : resolve(values.out);
const apis = listApis();
// Filled beside the target and renamed into place, so the folder is never half-written and an
// API removed from redocly.yaml leaves no bundle behind.
const scratch = join(dirname(outDir), `.specs-${process.pid}`);
await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
try {
  const manifest = [];
  for (const api of apis) {
    const shipped = toShippedApi(api);
    manifest.push(shipped);
    await copyFile(api.bundlePath, join(scratch, shipped.spec)).catch((error: unknown) => {
      throw new Error(`${api.title}: cannot ship ${api.bundlePath} (run \`pnpm turbo run bundle\` first): ${error}`);
    });
  }
  await writeFile(join(scratch, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(outDir, { recursive: true, force: true });
  await rename(scratch, outDir);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
