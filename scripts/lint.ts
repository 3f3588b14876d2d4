/**
 * Lints APIs from redocly.yaml with its rules and prints one line per problem
 * (`file:line:column severity rule: message`). Run in a spec package (its `lint` task) it
 * lints that package's API; elsewhere every API, or those named. Exits 1 on any error.
 *
 *   node scripts/lint.ts [--config path/to/redocly.yaml] [name...]
 */
import { parseArgs } from "node:util";
import { defaultConfigPath } from "../specs/index.ts";
import { formatProblem, lintApi, selectApis } from "./lib/spec-tasks.ts";

const { values, positionals } = parseArgs({
  options: { config: { type: "string", default: defaultConfigPath } },
  allowPositionals: true,
});
let errors = 0;
for (const api of selectApis(values.config, positionals)) {
  const problems = await lintApi(api);
  for (const problem of problems) console.error(formatProblem(problem));
  const count = problems.filter((problem) => problem.severity === "error").length;
  errors += count;
  console.log(`${api.id} (${api.specFile}): ${count === 0 ? "valid" : `${count} error(s)`}`);
}
if (errors > 0) process.exit(1);
