/**
 * Generates the client package it runs in (or those of the APIs named on the command line)
 * from the bundled specs: the TypeScript types, to each API's `x-openapi-ts.output`, and the
 * client core (`create<Name>Client`, scripts/lib/codegen.ts) as `client.ts` beside them.
 *
 *   node scripts/generate.ts                 # the API whose client package is the cwd
 *   node scripts/generate.ts voucherify      # by name
 *   node scripts/generate.ts --check [name]  # exit 1 if a file on disk is stale
 *   --config path/to/redocly.yaml            # another API list (tests use scratch copies)
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { type ApiDefinition, defaultConfigPath, getApi, listApis } from "../specs/index.ts";
import { generatedFiles } from "./lib/codegen.ts";
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
  for (const [path, content] of await generatedFiles(api)) {
    const target = relative(process.cwd(), path);
    if (values.check) {
      const current = await readFile(path, "utf8").catch(() => "");
      if (current !== content) {
        stale = true;
        console.error(`${target} is out of date with ${api.specFile}: run \`pnpm generate\`.`);
      }
    } else {
      await writeFileAtomic(path, content);
      console.log(`generated ${target}`);
    }
  }
}
if (stale) process.exit(1);
