import { describe, expect, it } from "vitest";
import { MAX_ORDERS_PER_IMPORT, type OrderImportItem, OrdersImportError, ServerError } from "../src/index.ts";
import { fakeVoucherify, json, testClient } from "./helpers.ts";

const orders = (count: number): OrderImportItem[] =>
  Array.from({ length: count }, (_, index) => ({ source_id: `legacy-${index}`, amount: 100 + index }));

/** Accepts every import with a new async action ID, unless `failOn` says which request fails. */
function importEndpoint(failOn?: number) {
  let count = 0;
  return fakeVoucherify({
    "POST /v1/orders/import": () => {
      count++;
      if (count === failOn) return json({ code: 500, message: "Internal error", request_id: "r-500" }, 500);
      return json({ async_action_id: `aa_${count}` });
    },
  });
}

describe("orders.import", () => {
  it("splits 4,500 orders into requests of 2000, 2000 and 500, losing or repeating none", async () => {
    const input = orders(4500);
    const { fetch, requests } = importEndpoint();

    const ids = await testClient(fetch).orders.import(input);

    expect(ids).toEqual(["aa_1", "aa_2", "aa_3"]);
    const bodies = requests.map(({ body }) => body as OrderImportItem[]);
    expect(bodies.map((body) => body.length)).toEqual([2000, 2000, 500]);
    expect(bodies.flat()).toEqual(input);
  });

  it("sends exactly 2000 orders in one request", async () => {
    const { fetch, requests } = importEndpoint();
    expect(await testClient(fetch).orders.import(orders(MAX_ORDERS_PER_IMPORT))).toEqual(["aa_1"]);
    expect(requests).toHaveLength(1);
  });

  it("sends nothing for no orders", async () => {
    const { fetch, requests } = importEndpoint();
    expect(await testClient(fetch).orders.import([])).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it("says which orders were accepted when a later request fails, and stops there", async () => {
    const { fetch, requests } = importEndpoint(2);
    const failure = await testClient(fetch)
      .orders.import(orders(4500))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(OrdersImportError);
    const error = failure as OrdersImportError;
    expect(error.asyncActionIds).toEqual(["aa_1"]);
    expect(error.importedCount).toBe(2000);
    expect(error.cause).toBeInstanceOf(ServerError);
    expect(error.message).toMatch(
      /^orders\.import: request 2 of 3 failed: .*500.*; orders 0-1999 were accepted \(async actions aa_1\); resume with orders\.slice\(2000\)$/,
    );
    expect(requests).toHaveLength(2);
  });

  it("does not retry an import request (it is not idempotent)", async () => {
    const { fetch, requests } = importEndpoint(1);
    await expect(testClient(fetch).orders.import(orders(10))).rejects.toThrow("no orders were imported");
    expect(requests).toHaveLength(1);
  });
});
