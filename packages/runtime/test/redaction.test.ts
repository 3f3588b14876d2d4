import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { type ApiError, type ConnectionError, REDACTED, redactHeaders, unwrap } from "../src/index.ts";
import { createTestClient, getOrder, json, SECRET_KEY, scriptedFetch } from "./helpers.ts";

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: Error) => error,
  );
}

/** Everything a user might print or log about an error. */
function everythingShown(error: Error): string {
  return [error.message, String(error), error.stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join("\n");
}

describe("redaction", () => {
  it("never shows the key in an API error, even when the server echoes it back", async () => {
    const { fetch } = scriptedFetch(
      json({ message: `Access denied: invalid key ${SECRET_KEY}`, request_id: "r1" }, { status: 401 }),
    );
    const error = (await failureOf(unwrap(getOrder(createTestClient({ fetch }))))) as ApiError;

    expect(everythingShown(error)).not.toContain(SECRET_KEY);
    expect(error.message).toContain(`invalid key ${REDACTED}`);
    expect(error.request?.headers["x-secret-key"]).toBe(REDACTED);
  });

  it("hides a bearer token and an app token but shows the app id", async () => {
    const { fetch } = scriptedFetch(json({ message: "token tok_987654321 expired" }, { status: 403 }));
    const error = (await failureOf(
      unwrap(
        getOrder(createTestClient({ fetch }), {
          headers: { Authorization: "Bearer tok_987654321", "X-App-Id": "app-visible-id" },
        }),
      ),
    )) as ApiError;

    expect(everythingShown(error)).not.toContain("tok_987654321");
    expect(error.request?.headers.authorization).toBe(REDACTED);
    expect(error.request?.headers["x-app-id"]).toBe("app-visible-id");
  });

  it("hides the key in errors thrown by throwOnError", async () => {
    const { fetch } = scriptedFetch(json({ message: `bad key ${SECRET_KEY}` }, { status: 401 }));
    const error = await failureOf(getOrder(createTestClient({ fetch, throwOnError: true })));
    expect(everythingShown(error)).not.toContain(SECRET_KEY);
  });

  it("hides the key in connection errors", async () => {
    const { fetch } = scriptedFetch(new TypeError("fetch failed"));
    const error = (await failureOf(getOrder(createTestClient({ fetch, maxRetries: 0 })))) as ConnectionError;
    expect(everythingShown(error)).not.toContain(SECRET_KEY);
    expect(error.request.headers["x-secret-key"]).toBe(REDACTED);
  });

  it("hides credentials passed in the query string", async () => {
    const { fetch } = scriptedFetch(new Response(null, { status: 401 }));
    const client = createTestClient({ fetch, baseUrl: "https://api.example.com" });
    const error = (await failureOf(
      unwrap(
        client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "o1" }, query: { token: "dl_secret" } } }),
      ),
    )) as ApiError;
    expect(everythingShown(error)).not.toContain("dl_secret");
    expect(error.request?.url).toBe("https://api.example.com/v1/orders/o1?token=%5BREDACTED%5D");
  });

  it("redactHeaders gives a loggable copy with every credential replaced, whatever its case", () => {
    const headers = new Headers({
      "Ocp-Apim-Subscription-Key": "k1",
      "X-App-Token": "t1",
      "X-App-Id": "id1",
      Authorization: "Bearer t2",
      Accept: "application/json",
    });
    const sensitive = new Set(["ocp-apim-subscription-key", "x-app-token", "authorization"]);
    expect(redactHeaders(headers, sensitive)).toEqual({
      "ocp-apim-subscription-key": REDACTED,
      "x-app-token": REDACTED,
      "x-app-id": "id1",
      authorization: REDACTED,
      accept: "application/json",
    });
    expect(redactHeaders({ AUTHORIZATION: "Bearer t2" })).toEqual({ AUTHORIZATION: REDACTED });
  });
});
