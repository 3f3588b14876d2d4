/**
 * Lints APIs from redocly.yaml with its rules and prints one line per problem
 * (`file:line:column severity rule: message`). Run in a spec package (its `lint` task) it
 * lints that package's API; elsewhere every API, or those named. Exits 1 on any error. An
 * imported API's lint baseline (see lintApi) is counted on every run.
 *
 *   node scripts/lint.ts [--config path/to/redocly.yaml] [name...]
 */
import { dirname, relative } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfigPath } from "../specs/index.ts";
import { formatProblem, lintApi, selectApis } from "./lib/spec-tasks.ts";

const { values, positionals } = parseArgs({
  options: { config: { type: "string", default: defaultConfigPath } },
  allowPositionals: true,
});
let errors = 0;
for (const api of selectApis(values.config, positionals)) {
  const { problems, baselined } = await lintApi(api);
  for (const problem of problems) console.error(formatProblem(problem));
  const count = problems.filter((problem) => problem.severity === "error").length;
  errors += count;
  // The baseline is reported on every run, so what an imported spec still lacks stays in view.
  const baseline =
    baselined > 0
      ? `; ${baselined} problem(s) of the vendor's spec baselined in ${relative(dirname(values.config), api.lintBaselinePath)}`
      : "";
  console.log(`${api.id} (${api.specFile}): ${count === 0 ? "valid" : `${count} error(s)`}${baseline}`);
}
if (errors > 0) process.exit(1);
