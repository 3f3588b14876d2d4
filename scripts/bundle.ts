/**
 * Bundles APIs from redocly.yaml into one self-contained JSON file each (`dist/<name>.json`
 * in the spec's folder) that codegen, mocks, docs and tests read. Run in a spec package
 * (its `bundle` task) it bundles that package's API; elsewhere every API, or those named.
 * A spec that fails to bundle stops here with Redocly's message naming the file and
 * pointer, and the previous bundle stays untouched.
 *
 *   node scripts/bundle.ts [--config path/to/redocly.yaml] [name...]
 */
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfigPath } from "../specs/index.ts";
import { bundleApi, selectApis } from "./lib/spec-tasks.ts";

const { values, positionals } = parseArgs({
  options: { config: { type: "string", default: defaultConfigPath } },
  allowPositionals: true,
});
const apis = selectApis(values.config, positionals);
const results = await Promise.allSettled(apis.map((api) => bundleApi(api)));
const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as Error] : []));
for (const failure of failures) console.error(failure.message);
if (failures.length > 0) process.exit(1);
for (const api of apis) console.log(`bundled ${api.id} -> ${relative(process.cwd(), api.bundlePath)}`);
