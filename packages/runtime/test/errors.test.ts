import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  CommerceApiError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  ServerError,
  unwrap,
} from "../src/index.ts";
import { createTestClient, getOrder, json, scriptedFetch } from "./helpers.ts";

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error,
  );
}

describe("error mapping", () => {
  it.each([
    [400, BadRequestError],
    [422, BadRequestError],
    [401, AuthenticationError],
    [403, AuthenticationError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [409, ApiError],
  ])("maps status %i to %o", async (status, expected) => {
    const { fetch } = scriptedFetch(json({ message: "nope" }, { status, headers: { "Retry-After": "120" } }));
    const error = await failureOf(unwrap(getOrder(createTestClient({ fetch }))));
    expect(error).toBeInstanceOf(expected);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(CommerceApiError);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).name).toBe(expected.name);
  });

  it("keeps the parsed body, and writes a message with the call, the status and the API's own message", async () => {
    const body = {
      code: 404,
      key: "not_found",
      message: "Resource not found",
      details: "Cannot find order with id o1",
    };
    const { fetch } = scriptedFetch(json(body, { status: 404, statusText: "Not Found" }));
    const error = (await failureOf(unwrap(getOrder(createTestClient({ fetch }))))) as NotFoundError;

    expect(error.body).toEqual(body);
    expect(error.message).toBe(
      "GET https://api.example.com/v1/orders/o1 failed with 404 Not Found: Resource not found (Cannot find order with id o1)",
    );
    expect(error.request?.method).toBe("GET");
  });

  it("reads DirectScale's PascalCase Message and keeps a non-JSON body as text", async () => {
    const { fetch } = scriptedFetch(
      json({ Message: "Customer 2 not found" }, { status: 404 }),
      new Response("<html>Bad Gateway</html>", { status: 502 }),
    );
    const client = createTestClient({ fetch, maxRetries: 0 });
    expect(((await failureOf(unwrap(getOrder(client)))) as ApiError).message).toContain(": Customer 2 not found");
    const gateway = (await failureOf(unwrap(getOrder(client)))) as ServerError;
    expect(gateway.body).toBe("<html>Bad Gateway</html>");
  });

  it("reads an RFC 9457 problem's detail, as the mock servers send", async () => {
    const problem = { type: "about:blank", title: "Invalid request", status: 422, detail: "Your request is not valid" };
    const { fetch } = scriptedFetch(
      json(problem, { status: 422, headers: { "Content-Type": "application/problem+json" } }),
    );
    const error = (await failureOf(unwrap(getOrder(createTestClient({ fetch }))))) as BadRequestError;
    expect(error.message).toMatch(/failed with 422: Your request is not valid$/);
  });

  it.each([
    ["an x-request-id header", { "x-request-id": "req-abc" }, {}],
    ["a Request-Id header (Azure APIM)", { "Request-Id": "req-abc" }, {}],
    ["Voucherify's request_id in the body", {}, { request_id: "req-abc" }],
  ])("takes the request id from %s", async (_, headers, body) => {
    const { fetch } = scriptedFetch(json({ message: "bad", ...body }, { status: 400, headers }));
    const error = (await failureOf(unwrap(getOrder(createTestClient({ fetch }))))) as ApiError;
    expect(error.requestId).toBe("req-abc");
    expect(error.message).toMatch(/\[request id req-abc\]$/);
  });

  it("treats a non-2xx response with an empty body as an error too", async () => {
    const { fetch } = scriptedFetch(new Response(null, { status: 401 }));
    const error = await failureOf(unwrap(getOrder(createTestClient({ fetch }))));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as ApiError).body).toBeUndefined();
  });

  it("wraps a network failure in a ConnectionError with the fetch error as its cause", async () => {
    const cause = new TypeError("fetch failed");
    const { fetch } = scriptedFetch(cause);
    const error = await failureOf(getOrder(createTestClient({ fetch, maxRetries: 0 })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).cause).toBe(cause);
    expect((error as ConnectionError).message).toBe("GET https://api.example.com/v1/orders/o1 failed: fetch failed");
  });
});

describe("unwrap", () => {
  it("returns the data of a successful call", async () => {
    const { fetch } = scriptedFetch(json({ id: "o1" }));
    const order = await unwrap(getOrder(createTestClient({ fetch })));
    expect(order).toEqual({ id: "o1" });
  });
});

describe("throwOnError", () => {
  it("makes the call itself throw the typed error, with the body already parsed", async () => {
    const { fetch } = scriptedFetch(json({ message: "Resource not found", request_id: "r1" }, { status: 404 }));
    const error = await failureOf(getOrder(createTestClient({ fetch, throwOnError: true })));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).body).toEqual({ message: "Resource not found", request_id: "r1" });
    expect((error as NotFoundError).requestId).toBe("r1");
  });

  it("still returns successful responses", async () => {
    const { fetch } = scriptedFetch(json({ id: "o1" }));
    const { data } = await getOrder(createTestClient({ fetch, throwOnError: true }));
    expect(data).toEqual({ id: "o1" });
  });

  it("is off by default: the call resolves with openapi-fetch's { error, response }", async () => {
    const { fetch } = scriptedFetch(json({ message: "Resource not found" }, { status: 404 }));
    const { error, response } = await getOrder(createTestClient({ fetch }));
    expect(error).toEqual({ message: "Resource not found" });
    expect(response.status).toBe(404);
  });
});
