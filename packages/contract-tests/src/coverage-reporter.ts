/**
 * A Vitest reporter that writes reports/coverage.json and reports/coverage.md after every
 * run and fails the run when, against the mocks, an operation or a documented status was
 * not covered by a passing test. It only gates a full run: one that included the example
 * cases and no test-name filter (`-t`), which leaves cases out on purpose.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Reporter, TestModule, Vitest } from "vitest/node";
import type { BaselinedMeta } from "./baseline.ts";
import {
  type CoverageMeta,
  type CoverageReport,
  computeCoverage,
  coverageFailures,
  renderMarkdown,
} from "./coverage.ts";
import { currentPlan, reportsDir } from "./run.ts";

const EXAMPLES_FILE = /[/\\]test[/\\]examples\.test\.ts$/;

export class CoverageReporter implements Reporter {
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.filtered = Boolean(vitest.config.testNamePattern);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    if (!testModules.some((module) => EXAMPLES_FILE.test(module.moduleId))) return;
    const passed: CoverageMeta[] = [];
    const baselined: BaselinedMeta[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests("passed")) {
        const meta = test.meta();
        if (meta.baselined) baselined.push(meta.baselined);
        else if (meta.contract) passed.push(meta.contract);
      }
    }
    const plan = currentPlan();
    const apis = plan.apis.map(({ spec }) => computeCoverage(spec, passed, baselined));
    const report: CoverageReport = {
      mode: plan.mode,
      generatedAt: new Date().toISOString(),
      apis,
      failures: coverageFailures(plan.mode, apis),
    };
    await mkdir(reportsDir, { recursive: true });
    await writeFile(join(reportsDir, "coverage.json"), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(reportsDir, "coverage.md"), renderMarkdown(report));
    for (const { api, operations, statuses, examples, negativeRules, properties } of apis) {
      const share = (name: string, value: { covered: number; total: number }) =>
        `${name} ${value.covered}/${value.total}`;
      console.log(
        `contract coverage ${api}: ${[
          share("operations", operations),
          share("statuses", statuses),
          share("examples", examples),
          share("negative rules", negativeRules),
          share("properties", properties),
        ].join(", ")}`,
      );
    }
    for (const item of apis.flatMap((api) => api.baselined)) console.log(`baselined: ${item}`);
    if (report.failures.length > 0 && this.filtered) {
      console.log("contract coverage not enforced: the run was filtered with a test-name pattern");
    } else if (report.failures.length > 0) {
      console.error(`contract coverage below 100%:\n${report.failures.map((line) => `  ${line}`).join("\n")}`);
      process.exitCode = 1;
    }
  }
}
