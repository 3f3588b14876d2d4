/** Where the commands the benchmarks time live, resolved once. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { repoRoot } from "@commerce-api/specs";

const require = createRequire(import.meta.url);

/** A package's command-line script, from its package.json `bin`, to run with this Node. */
function binOf(packageName: string, command: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: Record<string, string> };
  const script = bin[command];
  if (script === undefined) throw new Error(`${packageName} has no "${command}" command`);
  return join(dirname(manifestPath), script);
}

/** The repository's codegen step, as turbo's `generate` task runs it. */
export const generateScript = join(repoRoot, "scripts", "generate.ts");
export const openapiTypescriptCli = binOf("openapi-typescript", "openapi-typescript");
export const tscCli = binOf("typescript", "tsc");
