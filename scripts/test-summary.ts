/**
 * Adds up the vitest JSON reports that `pnpm test` leaves in each package's reports/ (a task's
 * own subfolder where a package has several test tasks)
 * (restored by turbo on a cache hit too) and prints one closing line,
 * "N passed, N failed, N skipped", so CI can tell a run that tested nothing.
 */
import { glob, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const totals = { passed: 0, failed: 0, skipped: 0 };
const reports: string[] = [];
for await (const path of glob(
  ["packages/*/reports/**/vitest.json", "specs/*/reports/**/vitest.json", "scripts/reports/vitest.json"],
  { cwd: root },
)) {
  const report = JSON.parse(await readFile(`${root}${path}`, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  reports.push(path);
}
if (reports.length === 0) {
  console.error("test-summary: no vitest report found under packages/*/reports: did any test run?");
  process.exit(1);
}
console.log(`test-summary: ${reports.length} vitest reports`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
