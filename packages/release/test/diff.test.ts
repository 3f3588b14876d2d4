import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { getApi } from "@commerce-api/specs";
import { describe, expect, it } from "vitest";
import { type ApiChange, describeChange, diffSpecs } from "../src/diff.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit the spec as free-form JSON, deep paths and all.
type Json = { [key: string]: any };
const api = getApi("voucherify");
const released: Json = JSON.parse(await readFile(join(api.specPath, "..", "released", "openapi.json"), "utf8"));

function changesAfter(edit: (spec: Json) => void): ApiChange[] {
  const current = structuredClone(released);
  edit(current);
  return diffSpecs(released, current);
}
const lines = (changes: ApiChange[]) => changes.map((change) => `${change.kind} ${describeChange(change)}`);

describe("the spec diff", () => {
  it("finds nothing between a spec and itself", () => {
    expect(changesAfter(() => {})).toEqual([]);
  });

  it("leaves the documents it compares as they were", () => {
    const before = structuredClone(released);
    const after = structuredClone(released);
    delete after.paths["/v1/orders/{orderId}"].put;
    const afterAsEdited = structuredClone(after);
    diffSpecs(before, after);
    expect(before).toStrictEqual(released);
    expect(after).toStrictEqual(afterAsEdited);
  });

  it("calls a new required query parameter breaking, and says why", () => {
    const changes = changesAfter((spec) =>
      spec.paths["/v1/orders"].get.parameters.push({
        name: "region",
        in: "query",
        required: true,
        schema: { type: "string" },
      }),
    );
    expect(lines(changes)).toEqual(['breaking GET /v1/orders: query parameter "region": required added']);
    expect(changes[0]?.why).toMatch(/requests that leave it out are rejected/);
  });

  it("calls a removed operation breaking", () => {
    const changes = changesAfter((spec) => delete spec.paths["/v1/orders/{orderId}"].put);
    expect(lines(changes)).toEqual(["breaking PUT /v1/orders/{orderId}: operation: removed"]);
  });

  it("calls a request property made required breaking, at every operation whose body has it", () => {
    const changes = changesAfter((spec) => (spec.components.schemas.OrderRequestBase.required = ["source_id"]));
    expect(lines(changes)).toEqual([
      'breaking POST /v1/orders: request field "source_id" (application/json): made required',
      'breaking PUT /v1/orders/{orderId}: request field "source_id" (application/json): made required',
      'breaking POST /v1/orders/import: request field "[].source_id" (application/json): made required',
    ]);
  });

  it("calls a removed response property breaking, for typed callers that read it", () => {
    const changes = changesAfter((spec) => delete spec.components.schemas.Order.properties.source_id);
    expect(lines(changes)).toContain(
      'breaking GET /v1/orders/{orderId}: response 200 field "source_id" (application/json): removed',
    );
    expect(changes.every((change) => change.kind === "breaking")).toBe(true);
    expect(changes[0]?.why).toMatch(/no longer compiles/);
  });

  it("calls a narrowed request enum breaking, and the same narrowing in a response not", () => {
    const changes = changesAfter(
      (spec) => (spec.components.schemas.OrderStatus.enum = ["PAID", "CANCELED", "FULFILLED"]),
    );
    expect(lines(changes)).toContain(
      'breaking POST /v1/orders: request field "status" (application/json): value "CREATED" no longer allowed',
    );
    expect(lines(changes)).toContain(
      'non-breaking GET /v1/orders/{orderId}: response 200 field "status" (application/json): value "CREATED" no longer allowed',
    );
  });

  it("calls a new optional parameter and a new operation non-breaking", () => {
    const changes = changesAfter((spec) => {
      spec.paths["/v1/orders"].get.parameters.push({ name: "status", in: "query", schema: { type: "string" } });
      spec.paths["/v1/orders/count"] = { get: { ...spec.paths["/v1/orders"].get, operationId: "countOrders" } };
    });
    expect(lines(changes)).toEqual([
      'non-breaking GET /v1/orders: query parameter "status": added',
      "non-breaking GET /v1/orders/count: operation: added",
    ]);
  });

  it("calls description edits docs-only, even of a field named like an annotation keyword", () => {
    const changes = changesAfter((spec) => {
      spec.components.schemas.Order.description = "Reworded.";
    });
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((change) => change.kind === "docs-only")).toBe(true);
    const renamed = changesAfter((spec) => {
      spec.components.schemas.OrderItemProduct.properties.description = { type: "string" };
    });
    expect(renamed.some((change) => change.kind !== "docs-only")).toBe(true);
  });

  it("calls a request field widened to an anyOf that keeps its old schema non-breaking, and the same in a response breaking", () => {
    const widen = (schema: Json) => ({ anyOf: [schema, { type: "string", format: "date" }], description: "Either." });
    const changes = changesAfter((spec) => {
      const properties = spec.components.schemas.OrderRequestBase.properties;
      properties.source_id = widen(properties.source_id);
    });
    expect(lines(changes)).toContain(
      'non-breaking POST /v1/orders: request field "source_id" (application/json): widened: also accepts the anyOf\'s other branches',
    );
    expect(changes.filter((change) => change.kind === "breaking")).toEqual([]);

    const narrowed = changesAfter((spec) => {
      const properties = spec.components.schemas.OrderRequestBase.properties;
      properties.source_id = { anyOf: [{ type: "string", format: "date" }, { type: "integer" }] };
    });
    expect(narrowed.some((change) => change.kind === "breaking" && change.where.includes("source_id"))).toBe(true);

    const response = changesAfter((spec) => {
      const properties = spec.components.schemas.Order.properties;
      properties.source_id = widen(properties.source_id);
    });
    expect(response.some((change) => change.kind === "breaking" && change.where.startsWith("response"))).toBe(true);
  });

  it("calls a vendor extension inside a schema docs-only", () => {
    const changes = changesAfter((spec) => {
      spec.components.schemas.OrderRequestBase.properties.source_id["x-source-quirk"] = "The vendor's page says so.";
    });
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((change) => change.kind === "docs-only")).toBe(true);
  });
});
