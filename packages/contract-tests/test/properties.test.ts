/**
 * Property-based checks with fast-check, against the mocks: requests generated from each
 * operation's schemas are accepted, and the same requests with one constraint broken are
 * rejected naming the broken field. Random requests are not sent to a live host (they
 * would write, or trip its rate limits), so a live run skips this file's tests.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { caseId, underBaseline } from "../src/baseline.ts";
import { successMediaType } from "../src/cases.ts";
import { send } from "../src/exchange.ts";
import { applyRule, reportsRule } from "../src/negative.ts";
import { brokenRequestArbitrary, propertyChecks, requestArbitrary } from "../src/properties.ts";
import { currentBaseline, currentPlan, propertySeed } from "../src/run.ts";
import { useTarget } from "../src/suite.ts";

const plan = currentPlan();
// Enough runs to vary every optional field and enum; each is one round trip to the mock.
const RUNS = 25;

for (const planned of plan.apis) {
  const { spec } = planned;
  const checks = spec.operations.flatMap((operation) =>
    propertyChecks(spec, operation).map((check) => ({ ...check, operation })),
  );

  describe(`${spec.api.title} properties`, () => {
    const target = useTarget(planned);
    const baseline = currentBaseline(spec.api);

    for (const check of checks) {
      test.concurrent(check.title, async (outer) => {
        if (plan.mode === "live") outer.skip("property-based requests are only sent to the mocks");
        await underBaseline(spec.api, baseline, caseId("properties", check.title), async (context: typeof outer) => {
          const { operation } = check;
          const accept = successMediaType(operation);
          if (check.kind === "accepts") {
            await fc.assert(
              fc.asyncProperty(requestArbitrary(spec, operation, target.validator), async (request) => {
                const exchange = await send(target.client, operation, request, { ...(accept && { accept }) });
                const refused = exchange.violations.filter((violation) => violation.side === "request");
                expect(refused, JSON.stringify(request)).toEqual([]);
                expect(exchange.status).toBeLessThan(300);
              }),
              { numRuns: RUNS, ...(propertySeed !== undefined && { seed: propertySeed }) },
            );
          } else {
            await fc.assert(
              fc.asyncProperty(brokenRequestArbitrary(spec, operation, target.validator), async ({ request, rule }) => {
                const exchange = await send(target.client, operation, applyRule(request, rule));
                expect(exchange.status).toBeGreaterThanOrEqual(400);
                expect(exchange.status).toBeLessThan(500);
                const named = exchange.violations.some((violation) => reportsRule(violation, rule));
                expect(named, `${rule.description}: ${JSON.stringify(exchange.violations)}`).toBe(true);
              }),
              { numRuns: RUNS, ...(propertySeed !== undefined && { seed: propertySeed }) },
            );
          }
          context.task.meta.contract = {
            api: spec.api.name,
            kind: "property",
            operationId: operation.operationId,
            key: check.key,
          };
        })(outer);
      });
    }
  });
}
