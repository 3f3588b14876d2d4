/**
 * Adds a vendor's OpenAPI spec (3.0 or 3.1) as a new API: its spec folder, its entry in
 * redocly.yaml, its lint baseline, its client package and a changeset. See scripts/lib/new-api.ts.
 *
 *   pnpm new-api <name> --from <file|url> [--config path/to/redocly.yaml]
 */
import { dirname, relative } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfigPath } from "../specs/index.ts";
import { newApi } from "./lib/new-api.ts";

const usage = `Usage: pnpm new-api <name> --from <file|url> [--config <redocly.yaml>]

Imports an OpenAPI 3.0 or 3.1 spec as the API <name> (kebab-case): splits it into specs/<name>/,
adds its entry to redocly.yaml (next free mock port), records its lint baseline, writes its
client package packages/<name>/ (@commerce-api/<name>), records its contract baseline (the
cases its own document fails) and writes a changeset. --from is a YAML or JSON
file (an already-split spec's entry file works: its relative $refs are followed) or an http(s) URL.
Refuses a name in use, a spec it cannot read or fetch and an invalid spec, leaving nothing behind.`;

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: {
        from: { type: "string" },
        config: { type: "string", default: defaultConfigPath },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
})();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [name, ...extra] = positionals;
if (!name || extra.length > 0 || !values.from) {
  console.error(`${!name || extra.length > 0 ? "Give exactly one API name." : "--from is required."}\n\n${usage}`);
  process.exit(2);
}

try {
  const result = await newApi({
    name,
    from: values.from,
    configPath: values.config,
    // pnpm runs a root script in the root; INIT_CWD is where it was called, what --from is relative to.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  });
  const { api } = result;
  console.log(
    `Added ${api.id} (${api.title}), mock port ${api.mockPort}, client ${api.packageName} (${api.factoryName}).`,
  );
  console.log(`Created:\n${result.created.map((path) => `  ${path}`).join("\n")}`);
  console.log(`Changed:\n${result.changed.map((path) => `  ${path}`).join("\n")}`);
  console.log(
    result.baselined > 0
      ? `Lint baseline: ${result.baselined} problem(s) the vendor's spec has under this repo's rules, in ${relative(dirname(api.configPath), api.lintBaselinePath)}; pnpm lint reports them on every run and fails on a new one. Fix them over time and delete their entries.`
      : "Lint baseline: none needed, the spec meets every rule.",
  );
  if (result.contractBaseline) console.log(`Contract baseline: ${result.contractBaseline}`);
  console.log("Next: pnpm install && pnpm test");
} catch (error) {
  console.error(`pnpm new-api ${name}: ${(error as Error).message}\nNothing was added.`);
  process.exit(1);
}
