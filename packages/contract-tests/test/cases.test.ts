/**
 * The case builder derives the suite from a spec: these tests change a spec and watch the
 * cases follow, so a new operation, response or example can never go untested.
 */
import { getApi } from "@commerce-api/specs";
import { describe, expect, test } from "vitest";
import { exampleCases, exampleParameters } from "../src/cases.ts";
import { type LoadedSpec, loadSpec, pointerTo, readOperations, resolvePointer } from "../src/spec.ts";

// Always the repository's DirectScale spec, also when CONTRACT_CONFIG points the suite elsewhere.
const real = loadSpec(getApi("directscale"));

/** The real DirectScale bundle with values set (or, for `undefined`, removed) at JSON pointers. */
function edited(changes: Record<string, unknown>): LoadedSpec {
  const document = structuredClone(real.document);
  for (const [pointer, value] of Object.entries(changes)) {
    const parent = resolvePointer(document, pointer.slice(0, pointer.lastIndexOf("/"))) as Record<string, unknown>;
    const key = (pointer.split("/").at(-1) as string).replaceAll("~1", "/").replaceAll("~0", "~");
    if (value === undefined) delete parent[key];
    else parent[key] = value;
  }
  return { ...real, document, operations: readOperations(document) };
}

const keys = (spec: LoadedSpec) => exampleCases(spec).map((item) => item.title);

describe("the case builder", () => {
  test("gives a documented response with two named examples one case per example", () => {
    const titles = keys(real).filter((title) => title.startsWith("getPackages returns 200"));
    expect(titles).toEqual([
      'getPackages returns 200 with example "packages"',
      'getPackages returns 200 with example "no-packages"',
    ]);
  });

  test("gives a response without a body one case that expects no body", () => {
    const [item, ...others] = exampleCases(real).filter(
      (candidate) => candidate.title === "enqueueOrderStats returns 200",
    );
    expect(others).toEqual([]);
    expect(item).toMatchObject({ status: 200 });
    expect(item?.mediaType).toBeUndefined();
  });

  test("adds the cases of a response added to the spec", () => {
    const spec = edited({
      [pointerTo("paths", "/v1/orders/packages", "get", "responses", "503")]: {
        description: "Down for maintenance.",
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/ErrorBody" },
            examples: { maintenance: { value: { Message: "Back soon." } }, overload: { value: {} } },
          },
        },
      },
    });
    const added = keys(spec).filter((title) => !keys(real).includes(title));
    expect(added).toEqual([
      'getPackages returns 503 with example "maintenance"',
      'getPackages returns 503 with example "overload"',
    ]);
  });

  test("adds the cases of an operation added to the spec", () => {
    const spec = edited({
      [pointerTo("paths", "/v1/ping")]: {
        get: {
          operationId: "ping",
          responses: { "204": { description: "Alive." }, "401": { $ref: "#/components/responses/Unauthorized" } },
        },
      },
    });
    const added = keys(spec).filter((title) => !keys(real).includes(title));
    expect(added).toEqual([
      "ping returns 204",
      'ping returns 401 with example "missing-key"',
      'ping returns 401 with example "invalid-key"',
    ]);
  });

  test("sends every request example at least once, paired by name with a response example when one matches", () => {
    const created = pointerTo("paths", "/v1/customers/{customerId}/orders", "post", "responses", "201", "content");
    const spec = edited({
      [`${created}${pointerTo("application/json", "examples", "full-order")}`]: {
        $ref: "#/components/examples/CreateOrderCreated",
      },
    });
    const orders = exampleCases(spec).filter((item) => item.operation.operationId === "createCustomerOrder");
    const fullOrder = orders.find((item) => item.example === "full-order");
    expect(fullOrder?.requestExample).toBe("full-order");
    expect(new Set(orders.map((item) => item.requestExample))).toEqual(new Set(["minimal-order", "full-order"]));
  });

  test("sends required parameters and optional ones with examples, and samples a required one without", () => {
    const spec = edited({
      "/components/parameters/WarehouseId/example": undefined,
      "/components/parameters/WarehouseId/schema": { type: "integer", minimum: 5, maximum: 9 },
      "/components/parameters/InvoiceEndDate/example": undefined,
    });
    const operation = spec.operations.find((candidate) => candidate.operationId === "getPackages");
    if (!operation) throw new Error("getPackages is missing from the DirectScale spec");
    const { query } = exampleParameters(spec, operation);
    expect(query.warehouseId).toBeGreaterThanOrEqual(5);
    expect(query.warehouseId).toBeLessThanOrEqual(9);
    expect(query.invoiceStartDate).toBe("2020-08-04T00:00:00Z");
    expect(query).not.toHaveProperty("invoiceEndDate");
  });
});
