/**
 * Negative cases derived from the schemas: each request breaks exactly one constraint
 * (or leaves out credentials) and must be refused with a 4xx. Against the mocks the answer
 * must also name the broken field and the failed rule; a live host's error format is its
 * own, so there only the 4xx is required.
 */
import { describe, expect, test } from "vitest";
import { caseId, underBaseline } from "../src/baseline.ts";
import { send } from "../src/exchange.ts";
import { negativeCases, reportsRule } from "../src/negative.ts";
import { currentBaseline, currentPlan } from "../src/run.ts";
import { useTarget } from "../src/suite.ts";
import { skipReason } from "../src/target.ts";

const plan = currentPlan();

for (const planned of plan.apis) {
  const { spec } = planned;

  describe(`${spec.api.title} negative cases`, () => {
    const target = useTarget(planned);
    const baseline = currentBaseline(spec.api);

    for (const item of negativeCases(spec)) {
      const id = caseId("negative cases", item.title);
      test.concurrent(item.title, async (outer) => {
        const reason = skipReason(plan, item.operation);
        if (reason) outer.skip(reason);
        await underBaseline(spec.api, baseline, id, async (context: typeof outer) => {
          const exchange = await send(target.client, item.operation, item.request);

          expect(exchange.status, JSON.stringify(exchange.body)).toBeGreaterThanOrEqual(400);
          expect(exchange.status).toBeLessThan(500);
          if (plan.mode === "mock") {
            const named = exchange.violations.some((violation) => reportsRule(violation, item.rule));
            expect(
              named,
              `no violation ${JSON.stringify(item.rule.expect)} in ${JSON.stringify(exchange.violations)}`,
            ).toBe(true);
          }
          context.task.meta.contract = {
            api: spec.api.name,
            kind: "negative",
            operationId: item.operation.operationId,
            key: item.key,
          };
        })(outer);
      });
    }
  });
}
