import { describe, expect, it } from "vitest";
import { NotFoundError, type Order } from "../src/index.ts";
import { fakeVoucherify, json, order, testClient } from "./helpers.ts";

/** A fake order store of `total` orders, served page by page like Voucherify does. */
function orderStore(total: number) {
  const all = Array.from({ length: total }, (_, index) => order(`ord_${index + 1}`));
  return fakeVoucherify({
    "GET /v1/orders": (_, url) => {
      const limit = Number(url.searchParams.get("limit") ?? 10);
      const page = Number(url.searchParams.get("page") ?? 1);
      const orders = all.slice((page - 1) * limit, page * limit);
      return json({ object: "list", data_ref: "orders", orders, total });
    },
  });
}

async function collect(iterator: AsyncIterable<Order>): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of iterator) ids.push(item.id);
  return ids;
}

describe("orders.list", () => {
  it("yields every order of every page, in order, and stops after the short last page", async () => {
    const { fetch, requests } = orderStore(250);
    const ids = await collect(testClient(fetch).orders.list({ limit: 100 }));

    expect(ids).toEqual(Array.from({ length: 250 }, (_, index) => `ord_${index + 1}`));
    expect(requests.map(({ url }) => url.searchParams.get("page"))).toEqual(["1", "2", "3"]);
  });

  it("stops when total is reached, without asking for an empty page", async () => {
    const { fetch, requests } = orderStore(200);
    const ids = await collect(testClient(fetch).orders.list({ limit: 100 }));
    expect(ids).toHaveLength(200);
    expect(requests).toHaveLength(2);
  });

  it("asks for the largest page size, 100, when no limit is given", async () => {
    const { fetch, requests } = orderStore(5);
    await collect(testClient(fetch).orders.list());
    expect(requests[0]?.url.searchParams.get("limit")).toBe("100");
  });

  it("passes the sort order on, and starts at the page asked for", async () => {
    const { fetch, requests } = orderStore(30);
    const ids = await collect(testClient(fetch).orders.list({ limit: 10, page: 2, order: "-created_at" }));
    expect(ids[0]).toBe("ord_11");
    expect(requests.map(({ url }) => url.search)).toEqual([
      "?limit=10&page=2&order=-created_at",
      "?limit=10&page=3&order=-created_at",
    ]);
  });

  it("yields nothing for an empty project after one request", async () => {
    const { fetch, requests } = orderStore(0);
    expect(await collect(testClient(fetch).orders.list())).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it("fetches a page only when the loop reaches it", async () => {
    const { fetch, requests } = orderStore(1000);
    for await (const item of testClient(fetch).orders.list({ limit: 100 })) {
      if (item.id === "ord_50") break;
    }
    expect(requests).toHaveLength(1);
  });

  it("throws the typed error when a page fails", async () => {
    const { fetch } = fakeVoucherify({});
    await expect(collect(testClient(fetch).orders.list())).rejects.toBeInstanceOf(NotFoundError);
  });
});
