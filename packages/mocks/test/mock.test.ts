import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.ts";
import { appKeys, configPath, orderExamples } from "./fixtures/shop.ts";

type Violation = { location: string[]; message: string };

function violations(response: Response): Violation[] {
  return JSON.parse(response.headers.get("sl-violations") ?? "[]");
}

const locations = (list: Violation[]) => list.map((violation) => violation.location.join(".").toLowerCase());

describe("a mock serving a spec", () => {
  const lines: string[] = [];
  let mock: RunningMock;

  beforeAll(async () => {
    mock = await startMock("shop", { configPath, port: 0, log: (line) => lines.push(line) });
  });
  afterAll(() => mock.close());

  it("answers an authorised request with the spec's first example", async () => {
    const response = await fetch(`${mock.url}/orders/1`, { headers: appKeys });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(orderExamples.paid.value);
  });

  it("accepts either credential the spec allows and answers 401 to a request with neither or half a pair", async () => {
    const status = async (headers: Record<string, string>) => (await fetch(`${mock.url}/orders/1`, { headers })).status;
    expect(await status(appKeys)).toBe(200);
    expect(await status({ Authorization: "Bearer a-token" })).toBe(200);
    expect(await status({})).toBe(401);
    expect(await status({ "X-App-Id": "app-id" })).toBe(401);
  });

  it("answers a body that breaks the schema with 422 problem+json naming the field", async () => {
    const response = await fetch(`${mock.url}/orders`, {
      method: "POST",
      headers: { ...appKeys, "Content-Type": "application/json" },
      body: JSON.stringify({ sku: "MUG-1", quantity: "two" }),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = await response.json();
    expect(locations(problem.validation)).toEqual(["body.quantity"]);
  });

  it("answers a parameter that breaks the schema with the spec's own 400, naming each violation in its message and in sl-violations", async () => {
    const response = await fetch(`${mock.url}/orders/abc?expand=everything`, { headers: appKeys });
    expect(response.status).toBe(400);
    const { message } = await response.json();
    expect(message).toContain("path parameter orderid must be integer (at request.path.orderid)");
    expect(message).toContain(
      "query parameter expand must be equal to one of the allowed values: items (at request.query.expand)",
    );
    expect(locations(violations(response)).sort()).toEqual(["request.path.orderid", "request.query.expand"]);
  });

  it("keeps the spec's example untouched when the caller chose it with Prefer", async () => {
    const response = await fetch(`${mock.url}/orders/abc`, { headers: { ...appKeys, Prefer: "code=400" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: "Bad request" });
  });

  it("answers 404 for a path the spec does not have", async () => {
    const response = await fetch(`${mock.url}/customers`, { headers: appKeys });
    expect(response.status).toBe(404);
  });

  it("lets a browser on another origin call it: answers the preflight and sends CORS headers", async () => {
    const origin = "http://localhost:5173";
    const preflight = await fetch(`${mock.url}/orders/1`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-app-id" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-app-id");

    const response = await fetch(`${mock.url}/orders/1`, { headers: { ...appKeys, Origin: origin } });
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("logs one line per request with method, path, status and time, then one per violation", async () => {
    lines.length = 0;
    await (await fetch(`${mock.url}/orders/7?expand=items`, { headers: appKeys })).text();
    await (await fetch(`${mock.url}/orders/7`)).text();
    expect(lines[0]).toMatch(/^\[shop\] GET \/orders\/7\?expand=items 200 \d+ms$/);
    expect(lines[1]).toMatch(/^\[shop\] GET \/orders\/7 401 \d+ms$/);
    expect(lines[2]).toBe("[shop]   error at request: Invalid security scheme used");
    expect(lines).toHaveLength(3);
  });

  it("listens on 127.0.0.1 only, on the free port it was given", async () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.port).toBeGreaterThan(0);
    const otherAddresses = Object.values(networkInterfaces())
      .flatMap((addresses) => addresses ?? [])
      .filter((address) => address.family === "IPv4" && !address.internal);
    for (const { address } of otherAddresses) {
      await expect(fetch(`http://${address}:${mock.port}/orders/1`, { headers: appKeys })).rejects.toThrow();
    }
  });
});

describe("closing a mock", () => {
  it("closes at the end of an `await using` scope, even when the scope throws", async () => {
    let url = "";
    const useMock = async () => {
      await using mock = await startMock("shop", { configPath, port: 0 });
      url = mock.url;
      expect((await fetch(`${url}/orders/1`, { headers: appKeys })).status).toBe(200);
      throw new Error("the test failed");
    };
    await expect(useMock()).rejects.toThrow("the test failed");
    await expect(fetch(`${url}/orders/1`, { headers: appKeys })).rejects.toThrow();
  });

  it("closes open keep-alive connections, and a second close() is harmless", async () => {
    const mock = await startMock("shop", { configPath, port: 0 });
    // fetch keeps the connection alive; close() must not wait for it to idle out.
    await (await fetch(`${mock.url}/orders/1`, { headers: appKeys })).text();
    await mock.close();
    await mock.close();
    await expect(fetch(`${mock.url}/orders/1`, { headers: appKeys })).rejects.toThrow();
  });
});
