/**
 * Builds the docs site: `node dist/build.js [--out <dir>] [--spec <name>=<path>]...`
 *
 * By default it documents every API in redocly.yaml from its bundled spec
 * (specs/<name>/dist/<name>.json) into dist/site. `--spec` documents one of those APIs from another
 * file (a bundled JSON or a multi-file source entry) and `--out` writes somewhere else, so a
 * test can build from temporary, even broken, copies without touching the real site.
 * Each API's Changes page compares that spec with the last released one
 * (specs/<name>/released/) and shows its client package's CHANGELOG.md.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { listApis } from "@commerce-api/specs";
import { changesFileName, pageFileName } from "./index-page.ts";
import { siteDir } from "./server.ts";
import { buildSite, toDocsApi } from "./site.ts";

function parseSpecOverrides(entries: string[]): Map<string, string> {
  const known = listApis().map((api) => api.name);
  return new Map(
    entries.map((entry) => {
      const match = /^([^=]+)=(.+)$/.exec(entry);
      if (!match?.[1] || !match[2]) throw new Error(`--spec ${entry}: expected <name>=<path>`);
      if (!known.includes(match[1])) {
        throw new Error(`--spec ${entry}: unknown API "${match[1]}" (redocly.yaml lists: ${known.join(", ")})`);
      }
      return [match[1], resolve(match[2])];
    }),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: "string" }, spec: { type: "string", multiple: true } },
  });
  const overrides = parseSpecOverrides(values.spec ?? []);
  const outDir = values.out ? resolve(values.out) : siteDir;
  const apis = await Promise.all(listApis().map((api) => toDocsApi(api, overrides.get(api.name))));
  await buildSite({ apis, outDir });
  console.log(
    `docs site built in ${outDir}: index.html, ${apis.map((api) => `${pageFileName(api)}, ${changesFileName(api)}`).join(", ")}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
