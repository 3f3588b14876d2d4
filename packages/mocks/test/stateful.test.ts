import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningMock, startMock } from "../src/index.ts";

type Json = Record<string, unknown> & { id: string };

/** JSON calls to a mock with the API's credentials. */
function caller(mock: () => RunningMock, credentials: Record<string, string>) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${mock().url}${path}`, {
      method,
      headers: { ...credentials, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, response };
  };
}

// Jobs move on by the sandbox's clock (Date.now): the tests step it instead of waiting.
const JOB_DELAY_MS = 60_000;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2025-06-01T10:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});
const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

describe("a stateful Voucherify mock", () => {
  let mock: RunningMock;
  const call = caller(() => mock, { "X-App-Id": "app", "X-App-Token": "token" });
  beforeAll(async () => {
    mock = await startMock("voucherify", { port: 0, stateful: { jobDelayMs: JOB_DELAY_MS } });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset?.());

  it("returns a created order by its id, changes it with PUT, and answers 404 for an unknown id", async () => {
    const created = await call("POST", "/v1/orders", { source_id: "WEB-1", amount: 500, status: "CREATED" });
    expect(created.status).toBe(200);
    const { id } = created.body as Json;
    expect((await call("GET", `/v1/orders/${id}`)).body).toEqual(created.body);

    later(1000);
    const updated = await call("PUT", `/v1/orders/${id}`, { status: "PAID" });
    expect(updated.body).toMatchObject({
      id,
      source_id: "WEB-1",
      amount: 500,
      status: "PAID",
      updated_at: new Date().toISOString(),
    });
    expect((await call("GET", `/v1/orders/${id}`)).body).toEqual(updated.body);

    const missing = await call("GET", "/v1/orders/ord_unknown");
    expect(missing.status).toBe(404);
    expect(missing.body.details).toContain("ord_unknown");
  });

  it("updates the order a create names by source_id instead of adding another", async () => {
    const first = await call("POST", "/v1/orders", { source_id: "WEB-2", amount: 1 });
    const second = await call("POST", "/v1/orders", { source_id: "WEB-2", amount: 2 });
    expect(second.body).toMatchObject({ id: first.body.id, amount: 2 });
    expect((await call("GET", "/v1/orders")).body.total).toBe(1);
  });

  it("lists orders page by page, oldest first, with the total of all of them", async () => {
    for (let index = 1; index <= 25; index++) {
      await call("POST", "/v1/orders", { source_id: `WEB-${index}` });
      later(1);
    }
    const page = async (query: string) => (await call("GET", `/v1/orders?${query}`)).body;
    const third = await page("limit=10&page=3");
    expect(third).toMatchObject({ object: "list", data_ref: "orders", total: 25 });
    expect(third.orders.map((order: Json) => order.source_id)).toEqual([21, 22, 23, 24, 25].map((n) => `WEB-${n}`));
    expect((await page("page=4")).orders).toEqual([]);
    expect((await page("limit=2&order=-created_at")).orders.map((order: Json) => order.source_id)).toEqual([
      "WEB-25",
      "WEB-24",
    ]);
  });

  it("runs imports one after the other: ENQUEUED, IN_PROGRESS, then DONE with the counts, the orders listable", async () => {
    const first = await call("POST", "/v1/orders/import", [{ source_id: "IMP-1" }, { source_id: "IMP-2" }]);
    const second = await call("POST", "/v1/orders/import", [{ source_id: "IMP-3" }, { id: "ord_unknown" }]);
    const status = async (action: { body: { async_action_id: string } }) =>
      (await call("GET", `/v1/async-actions/${action.body.async_action_id}`)).body;

    expect(await status(first)).toMatchObject({ status: "IN_PROGRESS", type: "ORDERS.IMPORT", result: null });
    expect(await status(second)).toMatchObject({ status: "ENQUEUED", result: null });
    expect((await call("GET", "/v1/orders")).body.total).toBe(0);

    later(JOB_DELAY_MS);
    expect(await status(first)).toMatchObject({
      status: "DONE",
      progress: 100,
      result: { done_count: 2, failed_count: 0 },
    });
    expect(await status(second)).toMatchObject({ status: "IN_PROGRESS" });
    later(JOB_DELAY_MS);
    expect(await status(second)).toMatchObject({
      status: "DONE",
      result: { done_count: 1, failed_count: 1, failed: [{ source_id: null, reason: "no order with id ord_unknown" }] },
    });
    const listed = (await call("GET", "/v1/orders")).body.orders.map((order: Json) => order.source_id);
    expect(listed).toEqual(["IMP-1", "IMP-2", "IMP-3"]);
  });

  it("exports orders: SCHEDULED, then DONE with a URL on the mock itself whose token downloads the CSV", async () => {
    await call("POST", "/v1/orders", { source_id: "EXP-1", status: "PAID", metadata: { channel: "web, app" } });
    await call("POST", "/v1/orders", { source_id: "EXP-2", status: "CANCELED" });
    const created = await call("POST", "/v1/orders/export", {
      parameters: { fields: ["source_id", "status", "metadata.channel"], order: "-created_at" },
    });
    expect(created.body).toMatchObject({ object: "export", status: "SCHEDULED", result: null });

    later(JOB_DELAY_MS);
    const done = (await call("GET", `/v1/exports/${created.body.id}`)).body;
    expect(done.status).toBe("DONE");
    const url = new URL(done.result.url);
    expect(url.origin).toBe(mock.url);
    const file = await fetch(url);
    expect(file.headers.get("content-type")).toContain("text/csv");
    expect(await file.text()).toBe('source_id,status,metadata.channel\nEXP-2,CANCELED,\nEXP-1,PAID,"web, app"\n');

    url.searchParams.set("token", "someone-elses");
    expect((await fetch(url)).status).toBe(401);
  });

  it("checks each request against the spec before the store sees it", async () => {
    const refused = await call("POST", "/v1/orders", { source_id: "BAD-1", status: "LOST" });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.validation)).toContain("status");
    const unauthorised = await fetch(`${mock.url}/v1/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ source_id: "BAD-2" }),
    });
    expect(unauthorised.status).toBe(401);
    expect((await call("GET", "/v1/orders")).body.total).toBe(0);
  });

  it("empties its store on POST /__sandbox/reset, as reset() does", async () => {
    await call("POST", "/v1/orders", { source_id: "GONE-1" });
    expect((await fetch(`${mock.url}/__sandbox/reset`, { method: "POST" })).status).toBe(204);
    expect((await call("GET", "/v1/orders")).body.total).toBe(0);
    const wrongMethod = await fetch(`${mock.url}/__sandbox/reset`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });
});

describe("a stateful mock seeded from fixtures", () => {
  it("starts with the fixtures, and a reset brings them back", async () => {
    const fixtures = { orders: [{ source_id: "SEED-1", status: "PAID" }, { source_id: "SEED-2" }] };
    await using mock = await startMock("voucherify", { port: 0, stateful: { fixtures } });
    const call = caller(() => mock, { Authorization: "Bearer token" });
    const seeded = (await call("GET", "/v1/orders")).body.orders.map((order: Json) => order.source_id);
    expect(seeded).toEqual(["SEED-1", "SEED-2"]);
    await call("POST", "/v1/orders", { source_id: "NEW-1" });
    await mock.reset?.();
    expect((await call("GET", "/v1/orders")).body.orders.map((order: Json) => order.source_id)).toEqual(seeded);
  });

  it("keeps each mock's store to itself", async () => {
    await using one = await startMock("voucherify", { port: 0, stateful: true });
    await using other = await startMock("voucherify", { port: 0, stateful: true });
    await caller(() => one, { Authorization: "Bearer token" })("POST", "/v1/orders", { source_id: "ONE-1" });
    expect((await caller(() => other, { Authorization: "Bearer token" })("GET", "/v1/orders")).body.total).toBe(0);
  });
});

describe("a stateful DirectScale mock", () => {
  let mock: RunningMock;
  const call = caller(() => mock, { "Ocp-Apim-Subscription-Key": "key" });
  const order = {
    ShipMethodId: 6,
    StoreId: 3,
    CurrencyCode: "usd",
    WarehouseId: 2,
    FirstName: "Ann",
    ShippingAddress: { Street1: "350 S 400 W", City: "Lindon", Region: "UT", PostalCode: "84042", CountryCode: "us" },
    Items: [
      { ItemId: 30, Quantity: 3 },
      { ItemId: 31, Quantity: 1 },
      { ItemId: 32, Quantity: 2 },
    ],
    Payments: [{ Amount: 10, CurrencyCode: "usd", MerchantId: 99 }],
  };
  beforeAll(async () => {
    mock = await startMock("directscale", { port: 0, stateful: true });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset?.());

  it("gives created orders distinct, increasing ids", async () => {
    const ids: number[] = [];
    for (let index = 0; index < 3; index++) {
      const created = await call("POST", "/v1/customers/2/orders", order);
      expect(created.status).toBe(201);
      ids.push(created.body.OrderId);
    }
    expect(ids[1]).toBeGreaterThan(ids[0] ?? Number.POSITIVE_INFINITY);
    expect(ids[2]).toBeGreaterThan(ids[1] ?? Number.POSITIVE_INFINITY);
  });

  it("lists the packages of the orders placed today in a warehouse, and splits one", async () => {
    const { OrderId } = (await call("POST", "/v1/customers/2/orders", order)).body;
    await call("POST", "/v1/customers/2/orders", { ...order, WarehouseId: 9 });
    const packages = (await call("GET", "/v1/orders/packages?warehouseId=2")).body;
    expect(packages).toHaveLength(1);
    const [original] = packages;
    expect(original).toMatchObject({ OrderNumber: OrderId, WarehouseID: 2, Status: "Submitted", ShipTo: "Ann" });
    expect(original.LineItems.map((item: { ItemId: number }) => item.ItemId)).toEqual([30, 31, 32]);
    expect((await call("GET", "/v1/orders/packages?warehouseId=2&packageStatuses=Shipped")).body).toEqual([]);

    const [, second, third] = original.LineItems.map((item: { OrderLineItemId: number }) => item.OrderLineItemId);
    const newPackage = {
      shipByDate: "2025-06-05T00:00:00Z",
      shipMethodId: 7,
      warehouseId: 2,
      shipToName: "Ann's office",
      shippingAddress: { Street1: "1 Main St", City: "Provo", Region: "UT", PostalCode: "84601", CountryCode: "us" },
    };
    const split = await call("POST", `/v1/orders/packages/split/${original.ID}`, [
      { ...newPackage, itemIds: [second, third] },
    ]);
    expect(split.status).toBe(201);
    const [kept, moved] = split.body;
    expect(kept.LineItems.map((item: { ItemId: number }) => item.ItemId)).toEqual([30]);
    expect(moved).toMatchObject({ OrderNumber: OrderId, ShipTo: "Ann's office", City: "Provo", ShipMethodID: 7 });
    expect(moved.LineItems.map((item: { ItemId: number }) => item.ItemId)).toEqual([31, 32]);
    expect((await call("GET", "/v1/orders/packages?warehouseId=2")).body).toEqual(split.body);

    const again = await call("POST", `/v1/orders/packages/split/${original.ID}`, [
      { ...newPackage, itemIds: [second] },
    ]);
    expect(again.status).toBe(400);
    expect(again.body.Message).toContain(`Line item ${second}`);
  });

  it("queues stats for a known order (200, no body) and answers 404 for an unknown one", async () => {
    const { OrderId } = (await call("POST", "/v1/customers/2/orders", order)).body;
    const queued = await call("PUT", `/v1/orders/${OrderId}/enqueuestats`);
    expect([queued.status, queued.body]).toEqual([200, undefined]);
    const unknown = await call("PUT", "/v1/orders/1/enqueuestats");
    expect(unknown.status).toBe(404);
    expect(unknown.body.Message).toContain("1");
  });
});
