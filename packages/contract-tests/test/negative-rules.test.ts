/**
 * The negative rules come from the schemas: each constraint a schema states yields one
 * request that breaks it and nothing else, with where the server must report it.
 */
import { describe, expect, test } from "vitest";
import type { RequestData } from "../src/cases.ts";
import { applyRule, authRules, type NegativeRule, requestRules, valueRules } from "../src/negative.ts";
import type { LoadedSpec, Operation, Parameter } from "../src/spec.ts";

const document = {
  components: {
    schemas: {
      Line: {
        type: "object",
        additionalProperties: false,
        required: ["sku", "quantity"],
        properties: {
          sku: { type: "string", pattern: "^[A-Z]{3}-\\d+$" },
          quantity: { type: "integer", minimum: 1, maximum: 99 },
          status: { type: "string", enum: ["OPEN", "DONE"] },
          placedAt: { type: "string", format: "date-time" },
        },
      },
    },
  },
};

const summary = (rules: NegativeRule[]) =>
  rules.map(
    (rule) => `${rule.kind} ${rule.field.join(".")} ${JSON.stringify(rule.value)} @${rule.expect.location.join(".")}`,
  );

describe("negative rules", () => {
  test("break each required field, type, enum, bound, pattern, format and closed object of a body once", () => {
    const value = { sku: "ABC-1", quantity: 2 };
    expect(summary(valueRules(document, { $ref: "#/components/schemas/Line" }, value))).toEqual([
      'type body "not-a-number" @body',
      "required body.sku undefined @body",
      "required body.quantity undefined @body",
      'additionalProperties body.unexpectedProperty "surprise" @body',
      "type body.sku 12345 @body.sku",
      'pattern body.sku "0" @body.sku',
      'type body.quantity "not-a-number" @body.quantity',
      "minimum body.quantity 0 @body.quantity",
      "maximum body.quantity 100 @body.quantity",
      "type body.status 12345 @body.status",
      'enum body.status "not-an-allowed-value" @body.status',
      "type body.placedAt 12345 @body.placedAt",
      'format body.placedAt "not-a-date-time" @body.placedAt',
    ]);
  });

  test("leave fields under anyOf alone, since another branch may still accept the broken value", () => {
    const schema = { anyOf: [{ $ref: "#/components/schemas/Line" }, { type: "string" }] };
    expect(valueRules(document, schema, { sku: "ABC-1", quantity: 2 })).toEqual([]);
  });

  test("do not treat an empty or single-valued URL parameter as a wrong type or too short, as it reads as absent", () => {
    const parameter = (name: string, schema: Parameter["schema"]): Parameter => ({
      name,
      in: "query",
      required: false,
      schema,
      hasExample: false,
    });
    const operation: Operation = {
      operationId: "list",
      method: "get",
      path: "/things",
      parameters: [
        parameter("code", { type: "string", minLength: 1 }),
        parameter("tags", { type: "array", minItems: 1, items: { type: "string" } }),
        parameter("limit", { type: "integer", minimum: 1 }),
      ],
      responses: [],
      security: [],
      hasOwnServers: false,
    };
    const request: RequestData = { path: {}, query: { code: "x", tags: ["a"], limit: 5 }, header: {} };
    const spec = { document: {} } as LoadedSpec;
    expect(summary(requestRules(spec, operation, request))).toEqual([
      'type query.limit "not-a-number" @query.limit',
      "minimum query.limit 0 @query.limit",
    ]);
  });

  test("strip all credentials, and each part of a combined credential, with the headers the schemes name", () => {
    const operation = {
      security: [
        [
          { key: "AppId", type: "apiKey", in: "header", name: "X-App-Id" },
          { key: "AppToken", type: "apiKey", in: "header", name: "X-App-Token" },
        ],
        [{ key: "OAuth", type: "oauth2" }],
      ],
    } as Operation;
    expect(authRules(operation).map((rule) => `${rule.kind} -${rule.removeHeaders?.join(",")}`)).toEqual([
      "missing-auth -X-App-Id,X-App-Token,Authorization",
      "partial-auth -X-App-Id,Authorization",
      "partial-auth -X-App-Token,Authorization",
    ]);
  });

  test("apply to a copy of the request, leaving the valid one as it was", () => {
    const request: RequestData = { path: {}, query: {}, header: {}, body: { sku: "ABC-1", quantity: 2 } };
    const [, dropSku] = valueRules(document, { $ref: "#/components/schemas/Line" }, request.body);
    if (!dropSku) throw new Error("expected a rule dropping sku");
    expect(applyRule(request, dropSku).body).toEqual({ quantity: 2 });
    expect(request.body).toEqual({ sku: "ABC-1", quantity: 2 });
  });
});
