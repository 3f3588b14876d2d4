/**
 * Generates the TypeScript types of the client package it runs in (or of the APIs named
 * on the command line) from the bundled specs, to each API's `x-openapi-ts.output`.
 *
 *   node scripts/generate.ts                 # the API whose client package is the cwd
 *   node scripts/generate.ts voucherify      # by name
 *   node scripts/generate.ts --check [name]  # exit 1 if the file on disk is stale
 *   --config path/to/redocly.yaml            # another API list (tests use scratch copies)
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { type ApiDefinition, defaultConfigPath, getApi, listApis } from "../specs/index.ts";
import { renderTypes } from "./lib/codegen.ts";
import { writeFileAtomic } from "./lib/fs.ts";

const { values, positionals } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    config: { type: "string", default: defaultConfigPath },
  },
  allowPositionals: true,
});

async function apisToGenerate(): Promise<ApiDefinition[]> {
  if (positionals.length > 0) return positionals.map((name) => getApi(name, values.config));
  const { name } = JSON.parse(await readFile(join(process.cwd(), "package.json"), "utf8")) as { name: string };
  const apis = listApis(values.config).filter((api) => api.packageName === name);
  if (apis.length === 0) throw new Error(`No API in ${values.config} has x-commerce-api.package "${name}"`);
  return apis;
}

let stale = false;
for (const api of await apisToGenerate()) {
  const types = await renderTypes(api);
  const target = relative(process.cwd(), api.typesPath);
  if (values.check) {
    const current = await readFile(api.typesPath, "utf8").catch(() => "");
    if (current !== types) {
      stale = true;
      console.error(`${target} is out of date with ${api.specFile}: run \`pnpm generate\`.`);
    }
  } else {
    await writeFileAtomic(api.typesPath, types);
    console.log(`generated ${target}`);
  }
}
if (stale) process.exit(1);
