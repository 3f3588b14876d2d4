/**
 * The Voucherify client's multi-request workflows, end to end against a stateful mock: what
 * an import writes is what the list pages through and what the export file holds. This runs
 * against its own in-process sandbox whatever CONTRACT_TARGET says: a live project is not the
 * place to import 4,500 orders.
 */
import { type RunningMock, startMock } from "@commerce-api/mocks";
import { createVoucherifyClient, MAX_ORDERS_PER_IMPORT, type VoucherifyClient } from "@commerce-api/voucherify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ORDER_COUNT = 4500;
const sourceIds = Array.from({ length: ORDER_COUNT }, (_, index) => `IMPORT-${String(index + 1).padStart(5, "0")}`);

describe("the Voucherify client's workflows against a stateful mock", () => {
  let mock: RunningMock;
  let client: VoucherifyClient;
  const importRequests: string[] = [];

  beforeAll(async () => {
    mock = await startMock("voucherify", {
      port: 0,
      stateful: { jobDelayMs: 50 },
      log: (line) => {
        if (line.includes("POST /v1/orders/import")) importRequests.push(line);
      },
    });
    client = createVoucherifyClient({ appId: "app", appToken: "token", baseUrl: mock.url, maxRetries: 0 });
  });
  afterAll(() => mock.close());

  it(`imports ${ORDER_COUNT} orders in ${Math.ceil(ORDER_COUNT / MAX_ORDERS_PER_IMPORT)} requests, each DONE with its count`, async () => {
    const orders = sourceIds.map((source_id, index) => ({ source_id, amount: index, status: "PAID" as const }));
    const actionIds = await client.orders.import(orders);
    expect(actionIds).toHaveLength(3);
    expect(importRequests).toHaveLength(3);
    const actions = await Promise.all(actionIds.map((id) => client.asyncActions.wait(id, { pollIntervalMs: 20 })));
    expect(actions.map((action) => [action.status, action.result?.done_count, action.result?.failed_count])).toEqual([
      ["DONE", 2000, 0],
      ["DONE", 2000, 0],
      ["DONE", 500, 0],
    ]);
  });

  it("lists every imported order exactly once with orders.list()", async () => {
    const listed: string[] = [];
    for await (const order of client.orders.list()) listed.push(String(order.source_id));
    expect(listed).toHaveLength(ORDER_COUNT);
    expect(new Set(listed).size).toBe(ORDER_COUNT);
    expect(listed.toSorted()).toEqual(sourceIds);
  });

  it("exports a file from the mock itself that holds every order in the fields asked for", async () => {
    const url = await client.orders.export({ fields: ["source_id", "amount", "status"] }, { pollIntervalMs: 20 });
    expect(new URL(url).origin).toBe(mock.url);
    expect(new URL(url).searchParams.get("token")).toBeTruthy();
    const file = await fetch(url);
    expect(file.status).toBe(200);
    const [header, ...rows] = (await file.text()).trimEnd().split("\n");
    expect(header).toBe("source_id,amount,status");
    expect(rows).toHaveLength(ORDER_COUNT);
    expect(rows.toSorted()).toEqual(sourceIds.map((sourceId, index) => `${sourceId},${index},PAID`).toSorted());
  });
});
