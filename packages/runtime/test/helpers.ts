import { afterEach, beforeEach, vi } from "vitest";
import { type ClientOptions, createApiClient } from "../src/index.ts";

/** A two-operation API, enough to drive the runtime the way a generated client does. */
export interface paths {
  "/v1/orders/{orderId}": {
    get: {
      parameters: { path: { orderId: string } };
      responses: {
        200: { content: { "application/json": { id: string } } };
        404: { content: { "application/json": { message: string } } };
      };
    };
  };
  "/v1/orders": {
    post: {
      requestBody: { content: { "application/json": { amount: number } } };
      responses: {
        200: { content: { "application/json": { id: string } } };
        500: { content: { "application/json": { message: string } } };
      };
    };
  };
}

export const SECRET_KEY = "sk_live_0123456789abcdef";

export function createTestClient(options: ClientOptions<"production" | "stage"> = {}) {
  return createApiClient<paths, "production" | "stage">(options, {
    factoryName: "createTestClient",
    packageName: "@commerce-api/test",
    packageVersion: "1.2.3",
    environments: { production: "https://api.example.com", stage: "https://stage.example.com" },
    defaultEnvironment: "production",
    authHeaders: { "X-Secret-Key": SECRET_KEY },
    sensitiveHeaders: ["X-Secret-Key"],
  });
}

type Reply = Response | Error | ((request: Request) => Response | Promise<Response>);

/**
 * A fake fetch that answers with the scripted replies in order (an Error rejects, like a
 * network failure) and records every request it was sent, with its body already read.
 */
export function scriptedFetch(...replies: Reply[]) {
  const requests: { request: Request; body: string }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push({ request, body: await request.text() });
    const reply = replies[requests.length - 1];
    if (reply === undefined)
      throw new Error(`unexpected request #${requests.length}: ${request.method} ${request.url}`);
    if (reply instanceof Error) throw reply;
    return typeof reply === "function" ? reply(request) : reply;
  };
  return { fetch, requests };
}

/** A fetch that never answers until its request is aborted, then rejects like undici does. */
export function hangingFetch() {
  let calls = 0;
  const fetch = (request: Request, init?: RequestInit): Promise<Response> => {
    calls++;
    const signal = init?.signal ?? request.signal;
    return new Promise((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  };
  return { fetch, calls: () => calls };
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { "Content-Type": "application/json", ...init.headers },
  });
}

/** The one call most tests make: GET an order, optionally with the caller's signal or headers. */
export const getOrder = (
  client: ReturnType<typeof createTestClient>,
  init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
) => client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "o1" } }, ...init });

/**
 * Fake timers and no jitter for every test in the calling file, so backoff delays are exact
 * (500 ms, 1000 ms, 2000 ms, ...) and timeouts fire when the test advances the clock.
 */
export function useExactClock(): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}
