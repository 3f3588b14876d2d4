/**
 * `pnpm test:repeat <package> <n>`: runs one package's test suite n times in a row and reports
 * every run that failed, with the failing tests; the way to show a flaky suite is fixed.
 *
 *   pnpm test:repeat docs 20
 *   pnpm test:repeat @commerce-api/mocks 5
 *
 * What the suite needs (builds, bundles, generated types) is brought up to date once by turbo;
 * then each run is `turbo run test --only --force`: the suite itself, never a cache replay,
 * with the same environment rules as `pnpm test`. A failed run's output is kept in
 * `<package>/reports/test-repeat/run-<i>.log`. Exits 1 if any run failed.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../specs/index.ts";

const usage = "usage: pnpm test:repeat <package> <n>   (e.g. pnpm test:repeat docs 20)";
const { positionals } = parseArgs({ allowPositionals: true, strict: true });
const [packageArg, timesArg] = positionals;
const times = Number(timesArg);
if (!packageArg || !Number.isInteger(times) || times < 1 || positionals.length !== 2) {
  console.error(usage);
  process.exit(2);
}

/** Turbo as the root scripts run it: the Node major in the cache key, telemetry off. */
const turboScript = join(repoRoot, "scripts", "turbo.ts");

/** Every workspace package's name and directory, as turbo sees them. */
function workspacePackages(): { name: string; path: string }[] {
  const result = spawnSync(process.execPath, [turboScript, "ls", "--output=json"], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`turbo ls failed:\n${result.stderr}`);
  return (JSON.parse(result.stdout) as { packages: { items: { name: string; path: string }[] } }).packages.items;
}

const packages = workspacePackages();
const target = packages.find(({ name }) => name === packageArg || name === `@commerce-api/${packageArg}`);
if (!target) {
  console.error(
    `test:repeat: no package "${packageArg}"; the packages: ${packages.map(({ name }) => name).join(", ")}`,
  );
  process.exit(2);
}
const packageDir = join(repoRoot, target.path);
const logDir = join(packageDir, "reports", "test-repeat");

/** Runs turbo with the output captured; resolves with its exit code and output. */
function turbo(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [turboScript, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The names of the failed tests in the package's vitest JSON report, if it wrote one. */
async function failedTests(): Promise<string[]> {
  const reportPath = join(packageDir, "reports", "vitest.json");
  if (!existsSync(reportPath)) return [];
  const report = JSON.parse(await readFile(reportPath, "utf8")) as {
    testResults: {
      name: string;
      status: string;
      message?: string;
      assertionResults: { fullName: string; status: string }[];
    }[];
  };
  return report.testResults.flatMap((file) => {
    const where = file.name.slice(packageDir.length + 1);
    const failed = file.assertionResults.filter((test) => test.status === "failed");
    if (failed.length > 0) return failed.map((test) => `${where} > ${test.fullName}`);
    if (file.status !== "failed") return [];
    // A failed hook (beforeAll, say) fails the file and skips its tests; the report keeps no message for it.
    return [`${where}: ${file.message?.split("\n")[0] || "failed outside its tests (in a hook): see the output"}`];
  });
}

const prepared = await turbo(["run", "test", `--filter=${target.name}`, "--dry=json"]);
const taskIds = (JSON.parse(prepared.output) as { tasks: { taskId: string; command: string }[] }).tasks
  .filter(({ command }) => command !== "<NONEXISTENT>")
  .map(({ taskId }) => taskId);
if (!taskIds.includes(`${target.name}#test`)) {
  console.error(`test:repeat: ${target.name} has no test script`);
  process.exit(2);
}
const prerequisites = taskIds.filter((taskId) => taskId !== `${target.name}#test`);
if (prerequisites.length > 0) {
  console.log(`test:repeat: bringing ${prerequisites.length} prerequisite tasks up to date`);
  const { code, output } = await turbo(["run", ...prerequisites, "--output-logs=errors-only"]);
  if (code !== 0) {
    console.error(`test:repeat: a prerequisite of ${target.name}#test failed:\n${output}`);
    process.exit(1);
  }
}

await rm(logDir, { recursive: true, force: true });
const failures: { run: number; tests: string[] }[] = [];
const started = Date.now();
for (let run = 1; run <= times; run++) {
  await rm(join(packageDir, "reports", "vitest.json"), { force: true });
  const runStarted = Date.now();
  const { code, output } = await turbo(["run", "test", `--filter=${target.name}`, "--only", "--force"]);
  const seconds = ((Date.now() - runStarted) / 1000).toFixed(1);
  if (code === 0) {
    console.log(`run ${run}/${times}: passed in ${seconds} s`);
    continue;
  }
  const tests = await failedTests();
  failures.push({ run, tests });
  await mkdir(logDir, { recursive: true });
  const logPath = join(logDir, `run-${run}.log`);
  await writeFile(logPath, output);
  console.log(`run ${run}/${times}: FAILED in ${seconds} s (output: ${logPath})`);
  for (const test of tests.length > 0 ? tests : ["(no test report: see the output)"]) console.log(`  ${test}`);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (failures.length === 0) {
  console.log(`test:repeat: ${target.name}: ${times} of ${times} runs passed (${minutes} min)`);
} else {
  console.log(`test:repeat: ${target.name}: ${failures.length} of ${times} runs failed (${minutes} min):`);
  for (const { run, tests } of failures) console.log(`  run ${run}: ${tests.join("; ") || "see its log"}`);
  process.exit(1);
}
