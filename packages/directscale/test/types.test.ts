/**
 * Type tests, checked by tsc through `vitest run --typecheck` (and `pnpm typecheck`):
 * each `@ts-expect-error` line must fail to compile, or the check fails.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type CreateCustomerOrderRequest,
  type CreateOrderResult,
  createDirectScaleClient,
  type DirectScaleClient,
  type Package,
  unwrap,
} from "../src/index.ts";

declare const ds: DirectScaleClient;
declare const order: CreateCustomerOrderRequest;

describe("the DirectScale client's types", () => {
  it("types responses by the spec", () => {
    expectTypeOf(
      unwrap(ds.POST("/v1/customers/{customerId}/orders", { params: { path: { customerId: "2" } }, body: order })),
    ).resolves.toEqualTypeOf<CreateOrderResult>();
    expectTypeOf(
      unwrap(ds.GET("/v1/orders/packages", { params: { query: { warehouseId: 1 } } })),
    ).resolves.toEqualTypeOf<Package[]>();
  });

  it("rejects a path the spec does not have, or a method it does not list", () => {
    // @ts-expect-error no such path
    ds.GET("/v1/customers/{customerId}");
    // @ts-expect-error enqueuestats is a PUT, not a POST
    ds.POST("/v1/orders/{orderId}/enqueuestats", { params: { path: { orderId: "1" } } });
  });

  it("rejects a body missing a required field", () => {
    const { ShipMethodId: _, ...withoutShipMethod } = order;
    ds.POST("/v1/customers/{customerId}/orders", {
      params: { path: { customerId: "2" } },
      // @ts-expect-error ShipMethodId is required
      body: withoutShipMethod,
    });
    // @ts-expect-error the split body is a list of new packages
    ds.POST("/v1/orders/packages/split/{packageId}", { params: { path: { packageId: 5 } }, body: { itemIds: [1] } });
  });

  it("rejects parameters of the wrong type, or missing", () => {
    // @ts-expect-error customerId is a string in the spec
    ds.POST("/v1/customers/{customerId}/orders", { params: { path: { customerId: 2 } }, body: order });
    // @ts-expect-error packageId is an integer
    ds.POST("/v1/orders/packages/split/{packageId}", { params: { path: { packageId: "5" } }, body: [] });
    // @ts-expect-error warehouseId is required
    ds.GET("/v1/orders/packages", { params: { query: {} } });
    // @ts-expect-error not a package status
    ds.GET("/v1/orders/packages", { params: { query: { warehouseId: 1, packageStatuses: ["Lost"] } } });
  });

  it("requires the api key and a known environment", () => {
    // @ts-expect-error apiKey is required
    createDirectScaleClient({ environment: "stage" });
    // @ts-expect-error not an environment the spec lists
    createDirectScaleClient({ apiKey: "k", environment: "staging" });
  });
});
