/**
 * Runs the contract suite (the `suite` project) for the API whose spec package is the
 * working directory: each specs/<api> package's `test` task, so turbo caches every API's
 * cases apart and an edit to one spec reruns only that API's. Reports go to that package's
 * reports/.
 *
 *   node ../../packages/contract-tests/src/api-suite.ts          # in specs/<api>/: against its mock
 *   node ../../packages/contract-tests/src/api-suite.ts --live   # against CONTRACT_TARGET (contract:live)
 *
 * `contract:live` runs in each spec package, whose turbo.json passes through that API's
 * credential variables (and only those), so no list of every API's variables is kept by hand.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apisInDirectory } from "@commerce-api/specs";
import { credentialVariables } from "./clients.ts";
import { loadSpec } from "./spec.ts";

const [api, ...others] = apisInDirectory(process.cwd());
if (!api || others.length > 0) {
  console.error(`${process.cwd()} is not the spec folder of exactly one API in redocly.yaml`);
  process.exit(1);
}

// Live (CONTRACT_TARGET), an API is run only if it is the one CONTRACT_API names, or none is
// named and its credentials are set: the whole suite's rule, applied per API.
if (process.env.CONTRACT_TARGET?.trim()) {
  const chosen = process.env.CONTRACT_API?.trim();
  const missing = credentialVariables(loadSpec(api)).filter((name) => !process.env[name]);
  if (chosen === api.name && missing.length > 0) {
    console.error(`${api.name}: CONTRACT_API=${chosen} needs ${missing.join(" and ")} set for CONTRACT_TARGET`);
    process.exit(1);
  }
  const reason =
    chosen && chosen !== api.name ? `CONTRACT_API=${chosen}` : missing.length > 0 && `${missing.join(" and ")} not set`;
  if (reason) {
    console.log(`${api.name}: not run against CONTRACT_TARGET (${reason})`);
    process.exit(0);
  }
}

const live = process.argv.includes("--live");
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const reportsDir = join(process.cwd(), "reports");
const vitest = join(packageDir, "node_modules", ".bin", "vitest");
const args = ["run", "--project", "suite", ...(live ? ["--mode=live"] : []), "--reporter=default", "--reporter=json"];
const child = spawn(vitest, [...args, `--outputFile.json=${join(reportsDir, "vitest.json")}`], {
  cwd: packageDir,
  stdio: "inherit",
  env: { ...process.env, CONTRACT_API: api.name, CONTRACT_REPORTS_DIR: reportsDir },
});
child.on("exit", (code) => process.exit(code ?? 1));
