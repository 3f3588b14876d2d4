import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startProxy } from "../src/index.ts";
import { appKeys, configPath, orderExamples } from "./fixtures/shop.ts";

type Received = { method?: string; url?: string; headers: IncomingHttpHeaders; body: string };

/** A stand-in for the real API on 127.0.0.1: order 2 comes back in a shape the spec does not allow. */
function startUpstream() {
  const received: Received[] = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    received.push({ method: request.method, url: request.url, headers: request.headers, body });
    const order = request.url === "/orders/2" ? { id: 2, status: "lost" } : orderExamples.paid.value;
    response.setHeader("Content-Type", "application/json");
    response.statusCode = request.method === "POST" ? 201 : 200;
    response.end(JSON.stringify(order));
  });
  return { server, received };
}

function violationsOf(response: Response): string[] {
  const list = JSON.parse(response.headers.get("sl-violations") ?? "[]") as { location: string[] }[];
  return list.map((violation) => violation.location.join(".").toLowerCase());
}

describe("the validation proxy", () => {
  const upstream = startUpstream();
  const lines: string[] = [];
  let proxy: RunningMock;

  beforeAll(async () => {
    await new Promise<void>((resolve) => upstream.server.listen(0, "127.0.0.1", resolve));
    const { port } = upstream.server.address() as AddressInfo;
    proxy = await startProxy("shop", `http://127.0.0.1:${port}`, {
      configPath,
      port: 0,
      log: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  it("forwards a request with the caller's credentials and returns the upstream's answer, with nothing to report", async () => {
    const response = await fetch(`${proxy.url}/orders/1`, { headers: appKeys });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(orderExamples.paid.value);
    expect(response.headers.has("sl-violations")).toBe(false);
    expect(upstream.received.at(-1)).toMatchObject({
      method: "GET",
      url: "/orders/1",
      headers: { "x-app-id": "app-id", "x-app-token": "app-token" },
    });
  });

  it("reports an upstream response that breaks the spec, in sl-violations and in the log", async () => {
    lines.length = 0;
    const response = await fetch(`${proxy.url}/orders/2`, { headers: appKeys });
    expect(await response.json()).toEqual({ id: 2, status: "lost" });
    expect(violationsOf(response)).toEqual(
      expect.arrayContaining(["response.body.id", "response.body.status", "response.body"]),
    );
    expect(lines[0]).toMatch(/^\[shop\] GET \/orders\/2 200 \d+ms$/);
    expect(lines).toContain("[shop]   error at response.body.id: Response body property id must be string");
  });

  it("reports a request that breaks the spec, and still forwards it so the real API's answer can be seen", async () => {
    const response = await fetch(`${proxy.url}/orders`, {
      method: "POST",
      headers: { ...appKeys, "Content-Type": "application/json" },
      body: JSON.stringify({ sku: "MUG-1", quantity: "two" }),
    });
    expect(response.status).toBe(201);
    expect(violationsOf(response)).toEqual(["request.body.quantity"]);
    expect(JSON.parse(upstream.received.at(-1)?.body ?? "")).toEqual({ sku: "MUG-1", quantity: "two" });
  });

  it("reports a call that the spec has no credentials for", async () => {
    const response = await fetch(`${proxy.url}/orders/1`);
    expect(violationsOf(response)).toEqual(["request"]);
    expect(response.headers.get("sl-violations")).toContain("Invalid security scheme used");
  });

  it("reports a path the spec does not have", async () => {
    const response = await fetch(`${proxy.url}/refunds`, { headers: appKeys });
    expect(upstream.received.at(-1)?.url).toBe("/refunds");
    expect(response.headers.get("sl-violations")).toContain("Selected route not found");
  });

  it("refuses an upstream that is not an http(s) URL", async () => {
    await expect(startProxy("shop", "api.voucherify.io", { configPath, port: 0 })).rejects.toThrow(
      'upstream must be an http:// or https:// URL, got "api.voucherify.io"',
    );
  });
});
