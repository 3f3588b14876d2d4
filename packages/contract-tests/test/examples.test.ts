/**
 * Every operation x documented status x named example, through the API's client: the mock
 * is asked for that response (`Prefer`), and what comes back must have that status, that
 * media type, a body its schema accepts, and be the example itself. Against a live host,
 * where no response can be chosen, each operation is called once and whatever it answers
 * must be a documented status with a body matching that status's schema.
 */
import { describe, expect, type TestContext, test } from "vitest";
import { caseId, underBaseline } from "../src/baseline.ts";
import { exampleCases } from "../src/cases.ts";
import { responseExampleKey } from "../src/coverage.ts";
import { send } from "../src/exchange.ts";
import { currentBaseline, currentPlan } from "../src/run.ts";
import { describeErrors } from "../src/schema.ts";
import { useTarget } from "../src/suite.ts";
import { skipReason } from "../src/target.ts";

const plan = currentPlan();

for (const planned of plan.apis) {
  const { spec } = planned;
  const cases = exampleCases(spec);
  const baseline = currentBaseline(spec.api);

  describe(`${spec.api.title} examples`, () => {
    const target = useTarget(planned);

    if (plan.mode === "mock") {
      for (const item of cases) {
        const run = underBaseline(spec.api, baseline, caseId("examples", item.title), async ({ task }: TestContext) => {
          const { operation, status, mediaType, example } = item;
          const preference = example ? `code=${status}, example=${example}` : `code=${status}`;
          const exchange = await send(target.client, operation, item.request, {
            headers: { Prefer: preference },
            ...(mediaType && { accept: mediaType }),
          });

          expect(exchange.status, JSON.stringify(exchange.body)).toBe(status);
          if (mediaType) expect(exchange.mediaType).toBe(mediaType);
          else expect(exchange.body, "the spec documents no body for this response").toBeUndefined();
          if (item.schemaPointer) {
            const errors = target.validator.errors(item.schemaPointer, exchange.body);
            // Every error, on one line: the failure message is what a contract baseline records.
            if (errors.length > 0) {
              throw new Error(
                `the body must match the response schema: ${describeErrors(errors).replaceAll("\n", "; ")}`,
              );
            }
          }
          // A body read as text (XML, ...) is not the parsed example; status and media type are what is checked.
          if (example && !item.bodyUnchecked) expect(exchange.body).toEqual(item.expected);

          task.meta.contract = {
            api: spec.api.name,
            kind: "example",
            operationId: operation.operationId,
            status,
            ...(example && mediaType && { responseExample: responseExampleKey(status, mediaType, example) }),
            ...(item.requestExample && { requestExample: item.requestExample }),
          };
        });
        test.concurrent(item.title, async (context) => {
          // Not sendable is not a failure: the coverage report lists the case with this reason.
          if (item.notCovered) context.skip(item.notCovered);
          await run(context);
        });
      }
      return;
    }

    // Live: one call per operation, with the request of its first success case.
    const perOperation = spec.operations.flatMap((operation) => {
      const own = cases.filter((item) => item.operation === operation);
      const chosen = own.find((item) => item.status < 300) ?? own[0];
      return chosen ? [chosen] : [];
    });
    test.concurrent.for(perOperation)(
      "$operation.operationId answers a documented status with a matching body",
      async (item, context) => {
        const reason = skipReason(plan, item.operation);
        if (reason) context.skip(reason);
        const { operation } = item;
        const exchange = await send(target.client, operation, item.request, {
          ...(item.mediaType && { accept: item.mediaType }),
        });
        const documented = operation.responses.find((response) => response.status === String(exchange.status));
        expect(
          documented,
          `status ${exchange.status} is not documented: ${JSON.stringify(exchange.body)}`,
        ).toBeDefined();
        const content = documented?.content.find((candidate) => candidate.mediaType === exchange.mediaType);
        if (documented && documented.content.length > 0) {
          expect(content, `media type ${exchange.mediaType} is not documented for ${exchange.status}`).toBeDefined();
        }
        if (content?.schemaPointer) {
          const errors = target.validator.errors(content.schemaPointer, exchange.body);
          expect(describeErrors(errors), "the body must match the response schema").toBe("");
        }
        context.task.meta.contract = {
          api: spec.api.name,
          kind: "example",
          operationId: operation.operationId,
          status: exchange.status,
        };
      },
    );
  });
}
