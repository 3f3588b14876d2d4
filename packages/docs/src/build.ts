/**
 * Builds the docs site: `node dist/build.js [--out <dir>] [--spec <name>=<path>]...`
 *
 * By default it documents every API in redocly.yaml from its bundled spec
 * (specs/dist/<name>.json) into dist/site. `--spec` documents one of those APIs from another
 * file (a bundled JSON or a multi-file source entry) and `--out` writes somewhere else, so a
 * test can build from temporary, even broken, copies without touching the real site.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { listApis } from "@commerce-api/specs";
import { siteDir } from "./server.ts";
import { buildSite, type DocsApi } from "./site.ts";

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
  const apis: DocsApi[] = listApis().map((api) => ({
    name: api.name,
    title: api.title,
    packageName: api.packageName,
    mockPort: api.mockPort,
    mockPortEnv: api.mockPortEnv,
    specPath: overrides.get(api.name) ?? api.bundlePath,
  }));
  await buildSite({ apis, outDir });
  console.log(`docs site built in ${outDir}: index.html, ${apis.map((api) => `${api.name}.html`).join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
