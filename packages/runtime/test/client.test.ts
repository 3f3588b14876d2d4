import { describe, expect, it } from "vitest";
import type { Middleware } from "../src/index.ts";
import { createTestClient, getOrder, json, SECRET_KEY, scriptedFetch } from "./helpers.ts";

async function sentRequest(options: Parameters<typeof createTestClient>[0]): Promise<Request> {
  const { fetch, requests } = scriptedFetch(json({ id: "o1" }));
  await getOrder(createTestClient({ ...options, fetch }));
  const sent = requests[0]?.request;
  if (!sent) throw new Error("no request was sent");
  return sent;
}

describe("where requests go", () => {
  it("uses the spec's default environment when given neither baseUrl nor environment", async () => {
    expect((await sentRequest({})).url).toBe("https://api.example.com/v1/orders/o1");
  });

  it("uses the named environment", async () => {
    expect((await sentRequest({ environment: "stage" })).url).toBe("https://stage.example.com/v1/orders/o1");
  });

  it("uses baseUrl, with or without a trailing slash", async () => {
    expect((await sentRequest({ baseUrl: "http://127.0.0.1:4010/" })).url).toBe("http://127.0.0.1:4010/v1/orders/o1");
  });
});

describe("what every request carries", () => {
  it("sends the credentials, the caller's headers and a User-Agent naming the package", async () => {
    const sent = await sentRequest({ headers: { "X-Channel": "pos" } });
    expect(sent.headers.get("x-secret-key")).toBe(SECRET_KEY);
    expect(sent.headers.get("x-channel")).toBe("pos");
    expect(sent.headers.get("user-agent")).toBe("@commerce-api/test/1.2.3");
  });

  it("puts the caller's userAgent in front of the package's", async () => {
    const sent = await sentRequest({ userAgent: "my-shop/1.4" });
    expect(sent.headers.get("user-agent")).toBe("my-shop/1.4 @commerce-api/test/1.2.3");
  });

  it("does not let a default header override the credentials", async () => {
    const sent = await sentRequest({ headers: { "X-Secret-Key": "something else" } });
    expect(sent.headers.get("x-secret-key")).toBe(SECRET_KEY);
  });

  it("runs the caller's openapi-fetch middleware, in order", async () => {
    const seen: string[] = [];
    const tagging: Middleware = {
      onRequest({ request }) {
        seen.push("first");
        request.headers.set("X-Trace", "t-1");
      },
    };
    const observing: Middleware = {
      onResponse({ response }) {
        seen.push(`second saw ${response.status}`);
      },
    };
    const sent = await sentRequest({ middleware: [tagging, observing] });
    expect(sent.headers.get("x-trace")).toBe("t-1");
    expect(seen).toEqual(["first", "second saw 200"]);
  });
});

describe("option validation", () => {
  it.each([
    [
      { baseUrl: "https://a.example", environment: "stage" as const },
      'give either baseUrl or environment, not both (got baseUrl "https://a.example", environment "stage")',
    ],
    [{ environment: "prod" as "stage" }, 'unknown environment "prod"; expected one of: production, stage'],
    [{ baseUrl: "127.0.0.1:4010" }, 'baseUrl must be an absolute http(s) URL (got "127.0.0.1:4010")'],
    [{ timeoutMs: 0 }, "timeoutMs must be a positive number of milliseconds (got 0)"],
    [{ maxRetries: 1.5 }, "maxRetries must be a whole number >= 0 (got 1.5)"],
    [{ maxRetries: -1 }, "maxRetries must be a whole number >= 0 (got -1)"],
  ])("rejects %o, naming the option", (options, message) => {
    expect(() => createTestClient(options)).toThrow(new TypeError(`createTestClient: ${message}`));
  });
});
