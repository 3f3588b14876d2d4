import { describe, expect, it, vi } from "vitest";
import { ConnectionError, RateLimitError, unwrap } from "../src/index.ts";
import { backoffDelay } from "../src/retry.ts";
import { createTestClient, getOrder, json, scriptedFetch, useExactClock } from "./helpers.ts";

useExactClock();

describe("retries", () => {
  it("retries a GET after a 503 and returns the eventual success", async () => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status: 503 }), json({ id: "o1" }));
    const pending = getOrder(createTestClient({ fetch }));

    await vi.advanceTimersByTimeAsync(500);

    const { data } = await pending;
    expect(data).toEqual({ id: "o1" });
    expect(requests).toHaveLength(2);
  });

  it("waits with exponential backoff between attempts", async () => {
    const { fetch, requests } = scriptedFetch(
      new Response(null, { status: 500 }),
      new Response(null, { status: 502 }),
      new Response(null, { status: 504 }),
      json({ id: "o1" }),
    );
    const pending = getOrder(createTestClient({ fetch, maxRetries: 3 }));

    await vi.advanceTimersByTimeAsync(499);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(requests).toHaveLength(4);
    expect((await pending).data).toEqual({ id: "o1" });
  });

  it("shortens each backoff by at most a quarter at random, and caps it at 8 s", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    expect(backoffDelay(0)).toBeGreaterThan(375);
    expect(backoffDelay(0)).toBeLessThanOrEqual(500);
    vi.spyOn(Math, "random").mockReturnValue(0);
    expect(backoffDelay(10)).toBe(8000);
  });

  it("gives up after maxRetries and returns the last error response", async () => {
    const { fetch, requests } = scriptedFetch(
      new Response(null, { status: 503 }),
      new Response(null, { status: 503 }),
      json({ message: "still down" }, { status: 503 }),
    );
    const pending = getOrder(createTestClient({ fetch }));

    await vi.advanceTimersByTimeAsync(1500);

    const { error, response } = await pending;
    expect(requests).toHaveLength(3);
    expect(response.status).toBe(503);
    expect(error).toEqual({ message: "still down" });
  });

  it.each([408, 429, 500, 503])("retries status %i", async (status) => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status }), json({ id: "o1" }));
    const pending = getOrder(createTestClient({ fetch }));
    await vi.advanceTimersByTimeAsync(500);
    expect((await pending).data).toEqual({ id: "o1" });
    expect(requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 422])("does not retry status %i", async (status) => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status }));
    const { response } = await getOrder(createTestClient({ fetch }));
    expect(response.status).toBe(status);
    expect(requests).toHaveLength(1);
  });

  it("retries a network error, then reports a ConnectionError carrying the cause", async () => {
    const refused = new TypeError("fetch failed: ECONNREFUSED");
    const { fetch, requests } = scriptedFetch(refused, refused, refused);
    const assertion = expect(getOrder(createTestClient({ fetch }))).rejects.toSatisfy(
      (error) => error instanceof ConnectionError && error.cause === refused && /\(3 attempts\)/.test(error.message),
    );
    await vi.advanceTimersByTimeAsync(1500);
    await assertion;
    expect(requests).toHaveLength(3);
  });

  it("sends no retry at all when maxRetries is 0", async () => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status: 503 }));
    const { response } = await getOrder(createTestClient({ fetch, maxRetries: 0 }));
    expect(response.status).toBe(503);
    expect(requests).toHaveLength(1);
  });

  it("stops waiting and rejects with the caller's reason when the caller aborts during a backoff", async () => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status: 503 }), json({ id: "o1" }));
    const controller = new AbortController();
    const pending = createTestClient({ fetch }).GET("/v1/orders/{orderId}", {
      params: { path: { orderId: "o1" } },
      signal: controller.signal,
    });
    const assertion = expect(pending).rejects.toThrow("caller gave up");
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error("caller gave up"));
    await assertion;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(1);
  });
});

describe("Retry-After", () => {
  it("waits the number of seconds the server asks for instead of the backoff", async () => {
    const { fetch, requests } = scriptedFetch(
      new Response(null, { status: 429, headers: { "Retry-After": "3" } }),
      json({ id: "o1" }),
    );
    const pending = getOrder(createTestClient({ fetch }));

    await vi.advanceTimersByTimeAsync(2999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    expect((await pending).data).toEqual({ id: "o1" });
  });

  it("understands an HTTP date", async () => {
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
    const { fetch, requests } = scriptedFetch(
      new Response(null, { status: 503, headers: { "Retry-After": "Wed, 01 Jan 2025 00:00:05 GMT" } }),
      json({ id: "o1" }),
    );
    const pending = getOrder(createTestClient({ fetch }));

    await vi.advanceTimersByTimeAsync(4999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).data).toEqual({ id: "o1" });
  });

  it("does not sleep through a wait longer than a minute: the caller gets a RateLimitError saying how long", async () => {
    const { fetch, requests } = scriptedFetch(
      json({ message: "slow down" }, { status: 429, headers: { "Retry-After": "3600" } }),
    );
    const failure = await unwrap(getOrder(createTestClient({ fetch }))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect((failure as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(requests).toHaveLength(1);
  });
});

describe("non-idempotent calls", () => {
  const createOrder = (client: ReturnType<typeof createTestClient>, init: object = {}) =>
    client.POST("/v1/orders", { body: { amount: 100 }, ...init });

  it("never retries a plain POST, whatever the failure", async () => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status: 503 }));
    const { response } = await createOrder(createTestClient({ fetch }));
    expect(response.status).toBe(503);
    expect(requests).toHaveLength(1);
  });

  it("never retries a plain POST after a network error: it may have reached the server", async () => {
    const { fetch, requests } = scriptedFetch(new TypeError("socket hang up"));
    await expect(createOrder(createTestClient({ fetch }))).rejects.toBeInstanceOf(ConnectionError);
    expect(requests).toHaveLength(1);
  });

  it("retries a POST that carries an Idempotency-Key, resending the same body and key", async () => {
    const { fetch, requests } = scriptedFetch(new Response(null, { status: 503 }), json({ id: "o9" }));
    const pending = createOrder(createTestClient({ fetch }), { headers: { "Idempotency-Key": "order-42" } });
    await vi.advanceTimersByTimeAsync(500);

    expect((await pending).data).toEqual({ id: "o9" });
    expect(requests.map(({ body }) => body)).toEqual(['{"amount":100}', '{"amount":100}']);
    expect(requests.map(({ request }) => request.headers.get("idempotency-key"))).toEqual(["order-42", "order-42"]);
  });

  it("retries a POST the caller marks idempotent: true", async () => {
    const { fetch, requests } = scriptedFetch(new TypeError("socket hang up"), json({ id: "o9" }));
    const pending = createOrder(createTestClient({ fetch }), { idempotent: true });
    await vi.advanceTimersByTimeAsync(500);

    expect((await pending).data).toEqual({ id: "o9" });
    expect(requests[1]?.body).toBe('{"amount":100}');
  });
});
