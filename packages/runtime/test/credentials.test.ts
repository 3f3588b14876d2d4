import { describe, expect, it } from "vitest";
import {
  type ApiConfig,
  type ClientOptions,
  type CredentialScheme,
  createApiClient,
  queryStyleMiddleware,
  unwrap,
} from "../src/index.ts";
import { json, type paths, scriptedFetch } from "./helpers.ts";

type Options = ClientOptions<"production"> & Record<string, unknown>;

/** A client configured the way a generated one is: credentials and query styles as data from the spec. */
function specClient(options: Options, config: Partial<ApiConfig<"production">>) {
  return createApiClient<paths, "production">(options, {
    factoryName: "createShopClient",
    packageName: "@commerce-api/shop",
    packageVersion: "1.0.0",
    environments: { production: "https://shop.example.com" },
    defaultEnvironment: "production",
    ...config,
  });
}

const headerKey: CredentialScheme = { scheme: "Key", type: "apiKey", option: "apiKey", in: "header", name: "X-Key" };
const queryKey: CredentialScheme = { scheme: "Q", type: "apiKey", option: "apiKey", in: "query", name: "api-token" };
const cookieKey: CredentialScheme = { scheme: "C", type: "apiKey", option: "apiKey", in: "cookie", name: "session" };
const bearer: CredentialScheme = { scheme: "OAuth", type: "bearer", option: "token" };
const basic: CredentialScheme = { scheme: "Basic", type: "basic", username: "username", password: "password" };

async function sent(options: Options, config: Partial<ApiConfig<"production">>): Promise<Request> {
  const { fetch, requests } = scriptedFetch(json({ id: "o1" }));
  await specClient({ ...options, fetch }, config).GET("/v1/orders/{orderId}", { params: { path: { orderId: "o1" } } });
  const request = requests[0]?.request;
  if (!request) throw new Error("nothing was sent");
  return request;
}

describe("credentials described by the spec's security schemes", () => {
  it("sends an API key in the header, query parameter or cookie the scheme names", async () => {
    const inHeader = await sent({ apiKey: "k1" }, { credentials: [headerKey], security: [["Key"]] });
    expect(inHeader.headers.get("x-key")).toBe("k1");
    const inQuery = await sent({ apiKey: "k 2" }, { credentials: [queryKey], security: [["Q"]] });
    expect(new URL(inQuery.url).search).toBe("?api-token=k%202");
    const inCookie = await sent({ apiKey: "k3" }, { credentials: [cookieKey], security: [["C"]] });
    expect(inCookie.headers.get("cookie")).toBe("session=k3");
  });

  it("sends a token as a bearer Authorization, and a username and password as basic", async () => {
    expect(
      (await sent({ token: "t1" }, { credentials: [bearer], security: [["OAuth"]] })).headers.get("authorization"),
    ).toBe("Bearer t1");
    const basicRequest = await sent(
      { username: "ann", password: "pä55" },
      { credentials: [basic], security: [["Basic"]] },
    );
    expect(basicRequest.headers.get("authorization")).toBe(`Basic ${Buffer.from("ann:pä55").toString("base64")}`);
  });

  it("takes either alternative the spec offers, and sends what it is given", async () => {
    const config = { credentials: [headerKey, bearer], security: [["Key"], ["OAuth"]] };
    const withToken = await sent({ token: "t1" }, config);
    expect(withToken.headers.get("authorization")).toBe("Bearer t1");
    expect(withToken.headers.has("x-key")).toBe(false);
    const withBoth = await sent({ token: "t1", apiKey: "k1" }, config);
    expect([withBoth.headers.get("authorization"), withBoth.headers.get("x-key")]).toEqual(["Bearer t1", "k1"]);
  });

  it("needs no credentials when the spec asks for none", async () => {
    expect((await sent({}, { credentials: [], security: [] })).headers.has("authorization")).toBe(false);
  });

  it.each([
    [{}, [["Key"]], "apiKey is required"],
    [{ apiKey: 7 }, [["Key"]], "apiKey must be a non-empty string"],
    [{}, [["Key", "OAuth"]], "apiKey and token are required"],
    [{ apiKey: "k" }, [["Key", "OAuth"]], "token is required when apiKey is given"],
    [{}, [["Key"], ["Basic"]], "apiKey, or username and password, are required"],
  ])("rejects %o (security %j) at creation, naming the options", (options, security, message) => {
    expect(() => specClient(options as Options, { credentials: [headerKey, bearer, basic], security })).toThrow(
      new TypeError(`createShopClient: ${message}`),
    );
  });

  it("refuses to be created when every alternative needs a scheme it cannot send", () => {
    const mtls: CredentialScheme = {
      scheme: "Mtls",
      type: "unsupported",
      reason: "mutualTLS credentials cannot be sent",
    };
    expect(() => specClient({}, { credentials: [mtls], security: [["Mtls"]] })).toThrow(
      /createShopClient: the API only accepts credentials this client cannot send \(security scheme "Mtls": mutualTLS/,
    );
    expect(() =>
      specClient({ token: "t" }, { credentials: [mtls, bearer], security: [["Mtls"], ["OAuth"]] }),
    ).not.toThrow();
  });

  it("never shows an API key sent in the query string in an error", async () => {
    const { fetch } = scriptedFetch(json({ message: "bad key secret-key-1" }, { status: 401 }));
    const client = specClient({ apiKey: "secret-key-1", fetch }, { credentials: [queryKey], security: [["Q"]] });
    const error = await unwrap(client.GET("/v1/orders/{orderId}", { params: { path: { orderId: "o1" } } })).catch(
      (failure: unknown) => failure,
    );
    expect(String(error)).toContain("api-token=%5BREDACTED%5D");
    expect(`${error} ${JSON.stringify(error)}`).not.toContain("secret-key-1");
  });
});

describe("query parameters in the spec's own style", () => {
  interface listPaths {
    "/v1/orders": {
      get: {
        parameters: { query?: { status?: string[]; page?: number } };
        responses: { 200: { content: { "application/json": unknown[] } } };
      };
    };
    "/v1/items": {
      get: {
        parameters: { query?: { status?: string[] } };
        responses: { 200: { content: { "application/json": unknown[] } } };
      };
    };
  }

  it("serializes each operation's parameters as its spec says, and the others in openapi-fetch's default", async () => {
    const { fetch, requests } = scriptedFetch(json([]), json([]), json([]));
    const client = createApiClient<listPaths, "production">(
      { fetch },
      {
        factoryName: "createShopClient",
        packageName: "@commerce-api/shop",
        packageVersion: "1.0.0",
        environments: { production: "https://shop.example.com" },
        defaultEnvironment: "production",
        middleware: [
          queryStyleMiddleware({ "GET /v1/orders": { status: { style: "pipeDelimited", explode: false } } }),
        ],
      },
    );
    await client.GET("/v1/orders", { params: { query: { status: ["PAID", "NEW"], page: 2 } } });
    await client.GET("/v1/items", { params: { query: { status: ["PAID", "NEW"] } } });
    // The styled operation called without its styled parameter: the rest as always.
    await client.GET("/v1/orders", { params: { query: { page: 3 } } });
    expect(requests.map(({ request }) => new URL(request.url).search)).toEqual([
      "?status=PAID|NEW&page=2",
      "?status=PAID&status=NEW",
      "?page=3",
    ]);
  });
});

describe("a relative server URL", () => {
  it("needs a baseUrl outside a browser, and says so", () => {
    const relative = { environments: { production: "/api/v3" } };
    expect(() => specClient({}, relative)).toThrow(
      'createShopClient: the environment "production" is the relative URL "/api/v3" in the spec\'s servers: give baseUrl, the API\'s absolute root URL',
    );
    expect(() => specClient({ baseUrl: "http://127.0.0.1:4010/api/v3" }, relative)).not.toThrow();
  });
});
