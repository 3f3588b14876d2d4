/**
 * The coverage report: which operations, documented statuses, named examples, negative
 * rules and properties of each spec were exercised by a passing test. The expected items
 * come from the specs (the same derivation as the cases), the covered ones from the
 * metadata each passing test leaves on itself.
 */
import { type BaselinedMeta, caseId } from "./baseline.ts";
import { exampleCases, isSelectableStatus, requestVariants } from "./cases.ts";
import { negativeCases } from "./negative.ts";
import { propertyChecks } from "./properties.ts";
import { HTTP_METHODS, type HttpMethod, type LoadedSpec } from "./spec.ts";

/** What one test covers, attached to it as `task.meta.contract`. */
export interface CoverageMeta {
  api: string;
  kind: "example" | "negative" | "property";
  operationId: string;
  /** example: the status answered; negative/property: the case or property key. */
  status?: number;
  key?: string;
  /** example: `"<status> <media type> <name>"` of the response example received. */
  responseExample?: string;
  requestExample?: string;
}

declare module "vitest" {
  interface TaskMeta {
    contract?: CoverageMeta;
  }
}

export interface Tally {
  total: number;
  covered: number;
  percent: number;
  missing: string[];
}

export interface ApiCoverage {
  api: string;
  operations: Tally;
  statuses: Tally;
  examples: Tally;
  negativeRules: Tally & { byKind: Record<string, { total: number; covered: number }> };
  properties: Tally;
  /** Documented response keys Prism cannot be asked for (`default`, `4XX`): not counted above. */
  notSelectable: string[];
  /** What the suite cannot exercise, each with why (a body it cannot encode, a webhook): not counted above, never a failure. */
  notCovered: string[];
  /** Responses checked by status and Content-Type only, each with why (their body is not JSON). */
  bodyUnchecked: string[];
  /** `<case> — <reason>` of each baselined case that failed as recorded (specs/<name>/contract-baseline.yaml). */
  baselined: string[];
}

export interface CoverageReport {
  mode: "mock" | "live";
  generatedAt: string;
  apis: ApiCoverage[];
  /** Why the run fails on coverage; empty when it does not. */
  failures: string[];
}

function tally(expected: string[], covered: Set<string>): Tally {
  const missing = expected.filter((item) => !covered.has(item));
  const total = expected.length;
  const done = total - missing.length;
  return { total, covered: done, percent: total === 0 ? 100 : Math.floor((done / total) * 1000) / 10, missing };
}

export const responseExampleKey = (status: number | string, mediaType: string, name: string) =>
  `${status} ${mediaType} ${name}`;

/**
 * Coverage of one spec by the passing tests' metadata. A baselined example case that failed as
 * recorded still exercised its operation and status (the fault is the vendor document's, and
 * listed): it counts for those two measures, never for its example.
 */
export function computeCoverage(
  spec: LoadedSpec,
  passed: CoverageMeta[],
  baselined: BaselinedMeta[] = [],
): ApiCoverage {
  const mine = passed.filter((meta) => meta.api === spec.api.name);
  const covered = { operations: new Set<string>(), statuses: new Set<string>(), examples: new Set<string>() };
  const negative = new Set<string>();
  const properties = new Set<string>();
  for (const meta of mine) {
    if (meta.kind === "negative" && meta.key) negative.add(meta.key);
    if (meta.kind === "property" && meta.key) properties.add(meta.key);
    if (meta.kind !== "example") continue;
    covered.operations.add(meta.operationId);
    if (meta.status !== undefined) covered.statuses.add(`${meta.operationId} ${meta.status}`);
    if (meta.responseExample) covered.examples.add(`${meta.operationId} ${meta.responseExample}`);
    if (meta.requestExample) covered.examples.add(`${meta.operationId} request ${meta.requestExample}`);
  }

  const cases = exampleCases(spec);
  const mineBaselined = baselined.filter((meta) => meta.api === spec.api.name);
  const baselinedIds = new Set(mineBaselined.map((meta) => meta.case));
  for (const item of cases) {
    if (!baselinedIds.has(caseId("examples", item.title))) continue;
    covered.operations.add(item.operation.operationId);
    covered.statuses.add(`${item.operation.operationId} ${item.status}`);
  }
  // An operation whose request cannot be sent is out of every measure, and listed with its reason.
  const unsendable = new Map(
    spec.operations.flatMap((operation) => {
      const variants = requestVariants(spec, operation);
      const reason = variants.every((variant) => variant.notCovered) && variants[0]?.notCovered;
      return reason ? [[operation, reason] as const] : [];
    }),
  );
  const operations = spec.operations.filter((operation) => !unsendable.has(operation));
  const expectedExamples = new Set<string>();
  for (const item of cases.filter((candidate) => !candidate.notCovered)) {
    if (item.example && item.mediaType) {
      expectedExamples.add(
        `${item.operation.operationId} ${responseExampleKey(item.status, item.mediaType, item.example)}`,
      );
    }
    if (item.requestExample) expectedExamples.add(`${item.operation.operationId} request ${item.requestExample}`);
  }
  const negatives = negativeCases(spec);
  const byKind: Record<string, { total: number; covered: number }> = {};
  for (const item of negatives) {
    const entry = byKind[item.rule.kind] ?? { total: 0, covered: 0 };
    byKind[item.rule.kind] = entry;
    entry.total += 1;
    if (negative.has(item.key)) entry.covered += 1;
  }
  return {
    api: spec.api.name,
    operations: tally(
      operations.map((operation) => operation.operationId),
      covered.operations,
    ),
    statuses: tally(
      operations.flatMap((operation) =>
        operation.responses
          .filter((response) => isSelectableStatus(response.status))
          .map((response) => `${operation.operationId} ${response.status}`),
      ),
      covered.statuses,
    ),
    examples: tally([...expectedExamples], covered.examples),
    negativeRules: {
      ...tally(
        negatives.map((item) => item.key),
        negative,
      ),
      byKind,
    },
    properties: tally(
      spec.operations.flatMap((operation) => propertyChecks(spec, operation).map((check) => check.key)),
      properties,
    ),
    notSelectable: spec.operations.flatMap((operation) =>
      operation.responses
        .filter((response) => !isSelectableStatus(response.status))
        .map((response) => `${operation.operationId} ${response.status}`),
    ),
    notCovered: [
      ...[...unsendable].map(([operation, reason]) => `${operation.operationId}: ${reason}`),
      ...webhooks(spec).map(
        (webhook) =>
          `webhook ${webhook}: a webhook is a request the API sends, which a mock of it is not asked to make`,
      ),
    ],
    baselined: mineBaselined.map((meta) => `${meta.case} — ${meta.reason}`).sort(),
    bodyUnchecked: cases.flatMap((item) =>
      item.bodyUnchecked && !item.notCovered ? [`${item.title}: ${item.bodyUnchecked}`] : [],
    ),
  };
}

/** `<name> <METHOD>` of every webhook the document describes (OpenAPI 3.1 `webhooks`). */
function webhooks(spec: LoadedSpec): string[] {
  const { webhooks: items } = spec.document as { webhooks?: Record<string, Record<string, unknown>> };
  return Object.entries(items ?? {}).flatMap(([name, item]) =>
    Object.keys(item ?? {})
      .filter((key) => HTTP_METHODS.includes(key as HttpMethod))
      .map((method) => `${name} ${method.toUpperCase()}`),
  );
}

/** The run fails below 100% of operations or documented statuses, against the mocks. */
export function coverageFailures(mode: "mock" | "live", apis: ApiCoverage[]): string[] {
  // Live hosts cannot be asked for a given status, and writes may be off: report, never gate.
  if (mode === "live") return [];
  return apis.flatMap((coverage) =>
    (["operations", "statuses"] as const)
      .filter((measure) => coverage[measure].percent < 100)
      .map(
        (measure) =>
          `${coverage.api}: ${measure} covered ${coverage[measure].covered}/${coverage[measure].total} ` +
          `(missing: ${coverage[measure].missing.join(", ")})`,
      ),
  );
}

const row = (name: string, value: Tally) => `| ${name} | ${value.covered} / ${value.total} | ${value.percent}% |`;

export function renderMarkdown(report: CoverageReport): string {
  const lines = [
    "# Contract coverage",
    "",
    `Run against ${report.mode === "mock" ? "the mocks" : "a live host"}, ${report.generatedAt}.`,
    report.mode === "live"
      ? "Reported, not enforced: a live host cannot be asked for a status, and writes run only with CONTRACT_ALLOW_WRITES=1."
      : report.failures.length === 0
        ? "Every operation and documented status is covered."
        : `**Below the 100% floor:**\n\n${report.failures.map((failure) => `- ${failure}`).join("\n")}`,
  ];
  for (const api of report.apis) {
    lines.push(
      "",
      `## ${api.api}`,
      "",
      "| measure | covered | % |",
      "| --- | --- | --- |",
      row("operations", api.operations),
      row("documented statuses", api.statuses),
      row("named examples", api.examples),
      row("negative rules", api.negativeRules),
      row("properties", api.properties),
      "",
      "Negative rules by kind: " +
        Object.entries(api.negativeRules.byKind)
          .map(([kind, { total, covered }]) => `${kind} ${covered}/${total}`)
          .join(", "),
    );
    const missing = [
      ...api.operations.missing.map((item) => `operation ${item}`),
      ...api.statuses.missing.map((item) => `status ${item}`),
      ...api.examples.missing.map((item) => `example ${item}`),
      ...api.negativeRules.missing.map((item) => `negative rule ${item}`),
      ...api.properties.missing.map((item) => `property ${item}`),
    ];
    if (missing.length > 0) lines.push("", "Not covered:", "", ...missing.map((item) => `- ${item}`));
    if (api.notSelectable.length > 0) {
      lines.push("", `Not selectable on a mock (not counted): ${api.notSelectable.join(", ")}`);
    }
    if (api.baselined.length > 0) {
      lines.push(
        "",
        "Baselined (the vendor document's known faults, see its contract-baseline.yaml):",
        "",
        ...api.baselined.map((item) => `- baselined: ${item}`),
      );
    }
    if (api.notCovered.length > 0) {
      lines.push("", "Not covered (not counted, not a failure):", "", ...api.notCovered.map((item) => `- ${item}`));
    }
    if (api.bodyUnchecked.length > 0) {
      lines.push("", "Checked by status and Content-Type only:", "", ...api.bodyUnchecked.map((item) => `- ${item}`));
    }
  }
  return `${lines.join("\n")}\n`;
}
