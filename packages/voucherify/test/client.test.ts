import { readFileSync } from "node:fs";
import * as runtime from "@commerce-api/runtime";
import { describe, expect, it } from "vitest";
import * as voucherify from "../src/index.ts";
import { createVoucherifyClient, type VoucherifyClientOptions } from "../src/index.ts";
import { packageVersion } from "../src/version.ts";
import { APP_ID, APP_TOKEN, fakeVoucherify, json } from "./helpers.ts";

async function sentRequest(options: Partial<VoucherifyClientOptions>) {
  const { fetch, requests } = fakeVoucherify({ "GET /v1/orders/ord_1": () => json({ id: "ord_1" }) });
  const client = createVoucherifyClient({ fetch, ...options } as VoucherifyClientOptions);
  await client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } } });
  return requests[0];
}

describe("createVoucherifyClient", () => {
  it("sends the application keys as X-App-Id and X-App-Token", async () => {
    const { fetch } = fakeVoucherify({});
    let seen: Headers | undefined;
    const client = createVoucherifyClient({
      appId: APP_ID,
      appToken: APP_TOKEN,
      fetch: async (request) => {
        seen = request.headers;
        return fetch(request);
      },
    });
    await client.GET("/v1/orders");
    expect(seen?.get("x-app-id")).toBe(APP_ID);
    expect(seen?.get("x-app-token")).toBe(APP_TOKEN);
    expect(seen?.get("user-agent")).toBe(`@commerce-api/voucherify/${packageVersion}`);
  });

  it("sends an OAuth access token as a bearer token, and no app keys", async () => {
    let seen: Headers | undefined;
    const client = createVoucherifyClient({
      accessToken: "oauth-token",
      fetch: async (request) => {
        seen = request.headers;
        return json({ object: "list", data_ref: "orders", orders: [], total: 0 });
      },
    });
    await client.GET("/v1/orders");
    expect(seen?.get("authorization")).toBe("Bearer oauth-token");
    expect(seen?.has("x-app-token")).toBe(false);
  });

  it.each([
    ["eu (the default)", {}, "https://api.voucherify.io"],
    ["us1", { environment: "us1" as const }, "https://us1.api.voucherify.io"],
    ["as1", { environment: "as1" as const }, "https://as1.api.voucherify.io"],
  ])("sends requests to the %s cluster", async (_, options, origin) => {
    const sent = await sentRequest({ appId: APP_ID, appToken: APP_TOKEN, ...options });
    expect(sent?.url.origin).toBe(origin);
  });

  it.each([
    [{ appId: APP_ID }, "appToken is required when appId is given"],
    [{ appToken: APP_TOKEN }, "appId is required when appToken is given"],
    [{}, "appId and appToken, or accessToken, are required"],
    [
      { appId: APP_ID, appToken: APP_TOKEN, accessToken: "t" },
      "give either appId and appToken, or accessToken, not both",
    ],
    [{ appId: "", appToken: APP_TOKEN }, "appId must be a non-empty string"],
    [{ accessToken: "t", environment: "eu-west" }, 'unknown environment "eu-west"; expected one of: eu, us1, as1'],
  ])("rejects %o with a message naming the option", (options, message) => {
    expect(() => createVoucherifyClient(options as VoucherifyClientOptions)).toThrow(
      new TypeError(`createVoucherifyClient: ${message}`),
    );
  });

  it("never shows the app token or the app id in an error (every credential is redacted)", async () => {
    const { fetch } = fakeVoucherify({
      "GET /v1/orders/ord_1": () => json({ code: 401, message: `Unauthorized token ${APP_TOKEN}` }, 401),
    });
    const client = createVoucherifyClient({ appId: APP_ID, appToken: APP_TOKEN, fetch });
    const error = (await voucherify
      .unwrap(client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "ord_1" } } }))
      .catch((failure: unknown) => failure)) as voucherify.AuthenticationError;
    expect(error).toBeInstanceOf(voucherify.AuthenticationError);
    expect(`${error} ${JSON.stringify(error)} ${error.stack}`).not.toContain(APP_TOKEN);
    expect(error.request?.headers["x-app-id"]).toBe("[REDACTED]");
  });
});

describe("exports", () => {
  it("re-exports the runtime's error classes, so instanceof works with one import", () => {
    expect(voucherify.ApiError).toBe(runtime.ApiError);
    expect(voucherify.RateLimitError).toBe(runtime.RateLimitError);
    expect(voucherify.TimeoutError).toBe(runtime.TimeoutError);
  });

  it("exports the spec's environments", () => {
    expect(voucherify.defaultEnvironment).toBe("eu");
    expect(Object.keys(voucherify.environments)).toEqual(["eu", "us1", "as1"]);
  });

  it("sends the version that package.json declares", () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(packageVersion).toBe(version);
  });
});
