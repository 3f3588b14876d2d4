/** Where the commands the benchmarks time live, resolved once. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { repoRoot } from "@commerce-api/specs";

/**
 * A package's command-line script, from its package.json `bin`, to run with this Node;
 * resolved from `from` (a file or package.json), by default this package.
 */
function binOf(packageName: string, command: string, from = import.meta.url): string {
  const manifestPath = createRequire(from).resolve(`${packageName}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: Record<string, string> };
  const script = bin[command];
  if (script === undefined) throw new Error(`${packageName} has no "${command}" command`);
  return join(dirname(manifestPath), script);
}

/** The repository's codegen step, as turbo's `generate` task runs it. */
export const generateScript = join(repoRoot, "scripts", "generate.ts");
export const openapiTypescriptCli = binOf("openapi-typescript", "openapi-typescript");
/** The TypeScript 7 compiler the clients' typecheck tasks run (this package keeps TypeScript 5 for openapi-typescript). */
export const tscCli = binOf("typescript", "tsc", join(repoRoot, "package.json"));
/** The pinned Redocly CLI, as the pipeline's scripts (the spec packages' bundle task) have it. */
export const redoclyCli = binOf("@redocly/cli", "redocly", join(repoRoot, "scripts", "package.json"));
/** The breaking-change gate, as `pnpm api:check` runs it once turbo has generated the types. */
export const apiCheckScript = join(repoRoot, "packages", "release", "src", "api-check.ts");
