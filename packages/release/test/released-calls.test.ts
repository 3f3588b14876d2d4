import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getApi } from "@commerce-api/specs";
import { afterEach, describe, expect, it } from "vitest";
import { renderTypesOf } from "../../../scripts/lib/codegen.ts";
import { checkReleasedCalls } from "../src/released-calls.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit the spec as free-form JSON, deep paths and all.
type Json = { [key: string]: any };
const api = getApi("voucherify");
const released: Json = JSON.parse(await readFile(join(api.specPath, "..", "released", "openapi.json"), "utf8"));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The released calls compiled against the types generated from the released spec with `edit` applied. */
async function breaksAfter(edit: (spec: Json) => void) {
  const dir = await mkdtemp(join(tmpdir(), "released-calls-"));
  dirs.push(dir);
  const current = structuredClone(released);
  edit(current);
  await writeFile(join(dir, "current.ts"), await renderTypesOf(current as never, "edited"));
  const breaks = await checkReleasedCalls(released, "released", join(dir, "current.ts"), join(dir, "fixture"));
  return [...new Set(breaks.map((item) => item.operation))];
}

describe("the released calls, compiled against the new types", () => {
  it("all compile against the client as it is", async () => {
    expect(await breaksAfter(() => {})).toEqual([]);
    expect(await breaksAfter((spec) => (spec.info.description = "Reworded."))).toEqual([]);
  });

  it("stop compiling where a new required query parameter was added", async () => {
    const breaks = await breaksAfter((spec) =>
      spec.paths["/v1/orders"].get.parameters.push({
        name: "region",
        in: "query",
        required: true,
        schema: { type: "string" },
      }),
    );
    expect(breaks).toEqual(["GET /v1/orders"]);
  });

  it("stop compiling where an operation was removed", async () => {
    expect(await breaksAfter((spec) => delete spec.paths["/v1/orders/{orderId}"].put)).toEqual([
      "PUT /v1/orders/{orderId}",
    ]);
  });

  it("stop compiling where a request property was made required", async () => {
    const breaks = await breaksAfter((spec) => (spec.components.schemas.OrderRequestBase.required = ["source_id"]));
    expect(breaks.sort()).toEqual(["POST /v1/orders", "POST /v1/orders/import", "PUT /v1/orders/{orderId}"]);
  });

  it("stop compiling where a response property they read was removed", async () => {
    const breaks = await breaksAfter((spec) => delete spec.components.schemas.Order.properties.source_id);
    expect(breaks).toContain("GET /v1/orders/{orderId}");
  });

  it("stop compiling where a request enum was narrowed", async () => {
    const breaks = await breaksAfter(
      (spec) => (spec.components.schemas.OrderStatus.enum = ["PAID", "CANCELED", "FULFILLED"]),
    );
    expect(breaks).toContain("POST /v1/orders");
  });
});
