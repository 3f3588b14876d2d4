/**
 * Response bodies are validated with the semantics of the document's own OpenAPI version: a
 * 3.0 document's `nullable` and boolean exclusive bounds mean what 3.0 says, composition
 * without `type` compiles, a vendor's own formats are accepted as annotations, and readOnly
 * and writeOnly properties belong to one side of an exchange each.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createValidator, describeErrors, fromOpenApi30 } from "../src/schema.ts";

const document = JSON.parse(readFileSync(new URL("fixtures/openapi-3.0.json", import.meta.url), "utf8"));
const pointer = "/paths/~1counters~1{id}/get/responses/200/content/application~1json/schema";
const validator = createValidator(document, "counter");
const errors = (value: unknown) => describeErrors(validator.errors(pointer, value));

describe("an OpenAPI 3.0 document's schemas", () => {
  test("accept null where a field is nullable, and only there", () => {
    expect(errors({ id: "CA1", value: 1, label: null, state: null })).toBe("");
    expect(errors({ id: null, value: 1 })).toBe("/id must be string");
  });

  test("read a boolean exclusiveMinimum as excluding its minimum", () => {
    expect(errors({ id: "CA1", value: 0 })).toBe("/value must be > 0");
  });

  test("compile an allOf member without a type, and take an unknown format as an annotation", () => {
    expect(errors({ id: "any text", value: 3 })).toBe("");
    expect(errors({ id: "CA1" })).toBe("(root) must have required property 'value'");
  });

  test("keep a writeOnly property out of responses and a readOnly one out of requests, required or not", () => {
    const card = "/components/schemas/Card";
    expect(describeErrors(validator.errors(card, { id: "c1", number: "4242" }))).toBe("");
    expect(describeErrors(validator.errors(card, { id: "c1", number: "4242", cvc: "123" }))).toBe(
      "/cvc boolean schema is false",
    );
    expect(describeErrors(validator.errors(card, { number: "4242", cvc: "123" }, "request"))).toBe("");
    expect(describeErrors(validator.errors(card, { id: "c1", number: "4242", cvc: "123" }, "request"))).toBe(
      "/id boolean schema is false",
    );
  });

  test("convert nullable compositions and enums without touching a 3.1 keyword", () => {
    expect(fromOpenApi30({ allOf: [{ $ref: "#/x" }], nullable: true })).toEqual({
      anyOf: [{ allOf: [{ $ref: "#/x" }] }, { type: "null" }],
    });
    expect(fromOpenApi30({ type: "string", enum: ["a"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(fromOpenApi30({ type: "number", exclusiveMaximum: 5 })).toEqual({ type: "number", exclusiveMaximum: 5 });
  });
});
