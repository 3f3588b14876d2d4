import { describe, expect, it, vi } from "vitest";
import { ConnectionError, TimeoutError } from "../src/index.ts";
import { createTestClient, getOrder, hangingFetch, json, useExactClock } from "./helpers.ts";

useExactClock();

describe("timeouts", () => {
  it("aborts a request with no response after timeoutMs and throws a TimeoutError naming the call", async () => {
    const { fetch, calls } = hangingFetch();
    const pending = getOrder(createTestClient({ fetch, timeoutMs: 2000, maxRetries: 0 }));
    const assertion = expect(pending).rejects.toSatisfy(
      (error) =>
        error instanceof TimeoutError &&
        error instanceof ConnectionError &&
        error.timeoutMs === 2000 &&
        error.message === "GET https://api.example.com/v1/orders/o1 timed out after 2000 ms",
    );
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
  });

  it("waits 60 seconds by default", async () => {
    const { fetch } = hangingFetch();
    let settled = false;
    const pending = getOrder(createTestClient({ fetch, maxRetries: 0 })).finally(() => {
      settled = true;
    });
    const assertion = expect(pending).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
  });

  it("gives every attempt its own timeout and retries a timed-out GET", async () => {
    const { fetch, calls } = hangingFetch();
    const pending = getOrder(createTestClient({ fetch, timeoutMs: 1000, maxRetries: 2 }));
    const assertion = expect(pending).rejects.toThrow("timed out after 1000 ms (3 attempts)");
    // 1000 (attempt 1) + 500 backoff + 1000 (attempt 2) + 1000 backoff + 1000 (attempt 3)
    await vi.advanceTimersByTimeAsync(4499);
    expect(calls()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
  });

  it("lets a response that arrives in time through", async () => {
    const fetch = (_request: Request, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const timer = setTimeout(() => resolve(json({ id: "o1" })), 900);
        init?.signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(init.signal?.reason);
        });
      });
    const pending = getOrder(createTestClient({ fetch, timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(900);
    expect((await pending).data).toEqual({ id: "o1" });
  });

  it("never aborts a response that arrived in time, however long its body takes to read", async () => {
    let signal: AbortSignal | undefined;
    const fetch = async (_request: Request, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return json({ id: "o1" });
    };
    const { response } = await getOrder(createTestClient({ fetch, timeoutMs: 1000, maxRetries: 0 }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(response.ok).toBe(true);
    expect(signal?.aborted).toBe(false);
  });

  it("reports the caller's own abort as is, not as a timeout, and does not retry it", async () => {
    const { fetch, calls } = hangingFetch();
    const controller = new AbortController();
    const pending = getOrder(createTestClient({ fetch, timeoutMs: 5000 }), { signal: controller.signal });
    const assertion = expect(pending).rejects.toSatisfy(
      (error) => !(error instanceof TimeoutError) && error instanceof Error && error.message === "user navigated away",
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error("user navigated away"));
    await assertion;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls()).toBe(1);
  });

  it("sends nothing when the caller's signal is already aborted", async () => {
    const { fetch, calls } = hangingFetch();
    await expect(
      getOrder(createTestClient({ fetch }), { signal: AbortSignal.abort(new Error("too late")) }),
    ).rejects.toThrow("too late");
    expect(calls()).toBe(0);
  });
});
