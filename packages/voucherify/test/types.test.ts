/**
 * Type tests, checked by tsc through `vitest run --typecheck` (and `pnpm typecheck`):
 * each `@ts-expect-error` line must fail to compile, or the check fails.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type AsyncAction,
  createVoucherifyClient,
  type Order,
  type OrderCreateRequest,
  type OrderImportItem,
  unwrap,
  type VoucherifyClient,
} from "../src/index.ts";

declare const vf: VoucherifyClient;

describe("the Voucherify client's types", () => {
  it("types responses by the spec", () => {
    expectTypeOf(
      unwrap(vf.GET("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } } })),
    ).resolves.toEqualTypeOf<Order>();
    expectTypeOf(vf.orders.list()).toEqualTypeOf<AsyncIterableIterator<Order>>();
    expectTypeOf(vf.orders.import).parameter(0).toEqualTypeOf<readonly OrderImportItem[]>();
    expectTypeOf(vf.orders.export).returns.resolves.toBeString();
    expectTypeOf(vf.asyncActions.wait).returns.resolves.toEqualTypeOf<AsyncAction>();
    expectTypeOf<OrderCreateRequest>().toHaveProperty("source_id");
  });

  it("rejects a path the spec does not have", () => {
    // @ts-expect-error no such path
    vf.GET("/v1/order");
    // @ts-expect-error the spec has no DELETE on orders
    vf.DELETE("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } } });
  });

  it("rejects a missing path parameter and a wrong parameter type", () => {
    // @ts-expect-error orderId is required
    vf.GET("/v1/orders/{orderId}", { params: { path: {} } });
    // @ts-expect-error limit is a number
    vf.GET("/v1/orders", { params: { query: { limit: "100" } } });
    // @ts-expect-error not one of the sort orders the spec lists
    vf.orders.list({ order: "amount" });
  });

  it("rejects a body of the wrong shape", () => {
    // @ts-expect-error the import body is an array of orders
    vf.POST("/v1/orders/import", { body: { source_id: "o1" } });
    // @ts-expect-error amount is an integer, not a string
    vf.POST("/v1/orders", { body: { amount: "100" } });
    // @ts-expect-error a status the spec does not list
    vf.PUT("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } }, body: { status: "SHIPPED" } });
  });

  it("requires credentials that go together", () => {
    // @ts-expect-error appToken missing
    createVoucherifyClient({ appId: "a" });
    // @ts-expect-error app keys and an access token together
    createVoucherifyClient({ appId: "a", appToken: "t", accessToken: "x" });
    // @ts-expect-error not a cluster the spec lists
    createVoucherifyClient({ accessToken: "x", environment: "eu-west" });
  });
});
