/**
 * Runs the docs tests of one API (the `api` project: its pages in Chromium, its code samples)
 * for the API whose spec package is the working directory: each specs/<api> package's
 * `test:docs` task, so turbo caches every API's docs tests apart and an edit to one spec
 * reruns only that API's. Reports and screenshots go to that package's reports/docs/.
 *
 *   node ../../packages/docs/test/support/api-tests.ts     # in specs/<api>/
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apisInDirectory } from "@commerce-api/specs";

const [api, ...others] = apisInDirectory(process.cwd());
if (!api || others.length > 0) {
  console.error(`${process.cwd()} is not the spec folder of exactly one API in redocly.yaml`);
  process.exit(1);
}

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const reportsDir = join(process.cwd(), "reports", "docs");
const vitest = join(packageDir, "node_modules", ".bin", "vitest");
const args = ["run", "--project", "api", "--reporter=default", "--reporter=json"];
const child = spawn(vitest, [...args, `--outputFile.json=${join(reportsDir, "vitest.json")}`], {
  cwd: packageDir,
  stdio: "inherit",
  env: { ...process.env, DOCS_API: api.name, DOCS_REPORTS_DIR: reportsDir },
});
child.on("exit", (code) => process.exit(code ?? 1));
