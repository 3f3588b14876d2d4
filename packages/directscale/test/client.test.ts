import { readFileSync } from "node:fs";
import * as runtime from "@commerce-api/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as directscale from "../src/index.ts";
import {
  AuthenticationError,
  type CreateCustomerOrderRequest,
  createDirectScaleClient,
  type DirectScaleClientOptions,
  RateLimitError,
  ServerError,
  unwrap,
} from "../src/index.ts";
import { packageVersion } from "../src/version.ts";
import { API_KEY, json, scriptedFetch, testClient } from "./helpers.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const order: CreateCustomerOrderRequest = {
  ShipMethodId: 6,
  StoreId: 3,
  CurrencyCode: "usd",
  ShippingAddress: { Street1: "350 S 400 W", City: "Lindon", Region: "UT", PostalCode: "84042", CountryCode: "us" },
  Items: [{ ItemId: 30, Quantity: 3 }],
  Payments: [{ Amount: 154.85, CurrencyCode: "usd", MerchantId: 99 }],
};

const created = { OrderId: 1001, Total: 154.85, SubTotal: 150, TaxTotal: 4.85, ShippingTotal: 0, DiscountTotal: 0 };

describe("createDirectScaleClient", () => {
  it("places an order: POSTs the typed body with the subscription key and returns the typed result", async () => {
    const { fetch, requests } = scriptedFetch(json(created, 201));
    const { data } = await testClient(fetch).POST("/v1/customers/{customerId}/orders", {
      params: { path: { customerId: "2" } },
      body: order,
    });

    expect(data?.OrderId).toBe(1001);
    const sent = requests[0];
    expect(sent?.request.url).toBe("https://dsapi.directscale.com/v1/customers/2/orders");
    expect(sent?.body).toEqual(order);
    expect(sent?.request.headers.get("ocp-apim-subscription-key")).toBe(API_KEY);
    expect(sent?.request.headers.get("user-agent")).toBe(`@commerce-api/directscale/${packageVersion}`);
  });

  it.each([
    ["production (the default)", {}, "https://dsapi.directscale.com"],
    ["stage", { environment: "stage" as const }, "https://dsapi-stage.directscale.com"],
    ["a mock's baseUrl", { baseUrl: "http://127.0.0.1:4010" }, "http://127.0.0.1:4010"],
  ])("sends requests to %s", async (_, options, origin) => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status: 200 }));
    await testClient(fetch, options).PUT("/v1/orders/{orderId}/enqueuestats", { params: { path: { orderId: "17" } } });
    expect(requests[0]?.request.url).toBe(`${origin}/v1/orders/17/enqueuestats`);
  });

  it("sends several package statuses as one comma-separated parameter, as the spec says", async () => {
    const { fetch, requests } = scriptedFetch(json([]));
    await testClient(fetch).GET("/v1/orders/packages", {
      params: { query: { warehouseId: 1, packageStatuses: ["Submitted", "Printed"] } },
    });
    expect(new URL(requests[0]?.request.url ?? "").search).toBe("?warehouseId=1&packageStatuses=Submitted,Printed");
  });

  it.each([
    [{}, "apiKey is required"],
    [{ apiKey: "" }, "apiKey must be a non-empty string"],
    [{ apiKey: "k", environment: "staging" }, 'unknown environment "staging"; expected one of: production, stage'],
  ])("rejects %o with a message naming the option", (options, message) => {
    expect(() => createDirectScaleClient(options as DirectScaleClientOptions)).toThrow(
      new TypeError(`createDirectScaleClient: ${message}`),
    );
  });
});

describe("DirectScale's failures", () => {
  it("turns the gateway's 401 into an AuthenticationError that never shows the key", async () => {
    const { fetch } = scriptedFetch(
      json({ statusCode: 401, message: "Access denied due to invalid subscription key." }, 401, {
        "x-request-id": "apim-1",
      }),
    );
    const error = await unwrap(
      testClient(fetch).GET("/v1/orders/packages", { params: { query: { warehouseId: 1 } } }),
    ).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(AuthenticationError);
    const { message, requestId, request } = error as AuthenticationError;
    expect(message).toContain("401");
    expect(message).toContain("Access denied due to invalid subscription key.");
    expect(requestId).toBe("apim-1");
    expect(request?.headers["ocp-apim-subscription-key"]).toBe("[REDACTED]");
    expect(`${error} ${JSON.stringify(error)}`).not.toContain(API_KEY);
  });

  it("waits out the gateway's Retry-After on a throttled GET, then succeeds", async () => {
    vi.useFakeTimers();
    const { fetch, requests } = scriptedFetch(
      json({ statusCode: 429, message: "Rate limit is exceeded." }, 429, { "Retry-After": "2" }),
      json([]),
    );
    const pending = testClient(fetch).GET("/v1/orders/packages", { params: { query: { warehouseId: 1 } } });
    await vi.advanceTimersByTimeAsync(2000);
    expect((await pending).data).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  it("does not retry a throttled order placement (a POST), so no order is placed twice", async () => {
    const { fetch, requests } = scriptedFetch(json({ statusCode: 429, message: "Rate limit is exceeded." }, 429));
    const error = await unwrap(
      testClient(fetch).POST("/v1/customers/{customerId}/orders", {
        params: { path: { customerId: "2" } },
        body: order,
      }),
    ).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(requests).toHaveLength(1);
  });

  it("reports DirectScale's 500 for a malformed order as a ServerError with its Message", async () => {
    const { fetch } = scriptedFetch(json({ Message: "Object reference not set to an instance of an object." }, 500));
    const error = await unwrap(
      testClient(fetch).POST("/v1/customers/{customerId}/orders", {
        params: { path: { customerId: "2" } },
        body: order,
      }),
    ).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toContain(": Object reference not set to an instance of an object.");
  });
});

describe("exports", () => {
  it("re-exports the runtime's error classes, so instanceof works with one import", () => {
    expect(directscale.ApiError).toBe(runtime.ApiError);
    expect(directscale.NotFoundError).toBe(runtime.NotFoundError);
    expect(directscale.ConnectionError).toBe(runtime.ConnectionError);
  });

  it("exports the spec's environments", () => {
    expect(directscale.defaultEnvironment).toBe("production");
    expect(directscale.environments.stage).toBe("https://dsapi-stage.directscale.com");
  });

  it("sends the version that package.json declares", () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(packageVersion).toBe(version);
  });
});
