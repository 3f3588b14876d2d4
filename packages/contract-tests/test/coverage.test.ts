/**
 * The coverage report counts what passing tests covered against what the spec documents,
 * and fails a mock run that leaves an operation or a documented status uncovered.
 */
import { getApi } from "@commerce-api/specs";
import { describe, expect, test } from "vitest";
import { exampleCases } from "../src/cases.ts";
import { type CoverageMeta, computeCoverage, coverageFailures, responseExampleKey } from "../src/coverage.ts";
import { loadSpec } from "../src/spec.ts";

// Always the repository's DirectScale spec, also when CONTRACT_CONFIG points the suite elsewhere.
const spec = loadSpec(getApi("directscale"));

/** What the example tests leave behind when every one of them passes. */
const everyExamplePassed: CoverageMeta[] = exampleCases(spec).map((item) => ({
  api: "directscale",
  kind: "example",
  operationId: item.operation.operationId,
  status: item.status,
  ...(item.example &&
    item.mediaType && { responseExample: responseExampleKey(item.status, item.mediaType, item.example) }),
  ...(item.requestExample && { requestExample: item.requestExample }),
}));

describe("contract coverage", () => {
  test("is complete for operations, statuses and examples when every example case passed", () => {
    const coverage = computeCoverage(spec, everyExamplePassed);
    for (const measure of ["operations", "statuses", "examples"] as const) {
      expect(coverage[measure]).toMatchObject({ percent: 100, missing: [] });
    }
    expect(coverage.operations.total).toBe(spec.operations.length);
    expect(coverage.negativeRules.covered).toBe(0);
    expect(coverageFailures("mock", [coverage])).toEqual([]);
  });

  test("names the status that no passing test covered and fails a mock run for it", () => {
    const passed = everyExamplePassed.filter((meta) => !(meta.operationId === "splitPackage" && meta.status === 400));
    const coverage = computeCoverage(spec, passed);
    expect(coverage.statuses.missing).toEqual(["splitPackage 400"]);
    expect(coverage.operations.percent).toBe(100);
    expect(coverageFailures("mock", [coverage])).toEqual([
      expect.stringContaining("directscale: statuses covered 16/17 (missing: splitPackage 400)"),
    ]);
  });

  test("reports but never fails a live run, which cannot choose statuses", () => {
    const coverage = computeCoverage(spec, []);
    expect(coverage.operations.percent).toBe(0);
    expect(coverageFailures("live", [coverage])).toEqual([]);
  });
});
