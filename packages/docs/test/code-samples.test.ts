/**
 * The generated code samples: exact output for a small multi-file fixture spec, and the cases
 * the fixture does not cover on hand-made documents. The properties every operation of each
 * real API's samples must have are checked per API (api-samples.test.ts).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeSamplesFor, withCodeSamples } from "../src/code-samples.ts";
import { listOperations, type OpenApiDocument } from "../src/openapi.ts";
import { bundleSpec } from "../src/redocly.ts";

const fixture = fileURLToPath(new URL("fixtures/inventory/openapi.yaml", import.meta.url));
const inventory = {
  factoryName: "createInventoryClient",
  packageName: "@commerce-api/inventory",
  credentialOptions: {},
};

function samplesOf(document: OpenApiDocument, client: typeof inventory, method: string, path: string) {
  const target = listOperations(document).find((operation) => operation.method === method && operation.path === path);
  if (!target) throw new Error(`no ${method} ${path}`);
  const [curl, typescript] = codeSamplesFor(document, client, target);
  return { curl, typescript };
}

describe("samples for the fixture spec", () => {
  let document: OpenApiDocument;
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "docs-samples-"));
    await bundleSpec(fixture, join(workDir, "inventory.json"));
    document = JSON.parse(await readFile(join(workDir, "inventory.json"), "utf8"));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it("curl: production host, example path parameter, required query only, key placeholder", () => {
    const { curl } = samplesOf(document, inventory, "get", "/v2/warehouses/{warehouseId}/stock");
    expect(curl).toEqual({
      lang: "curl",
      label: "curl",
      source: [
        "curl --request GET \\",
        "  --url 'https://api.inventory.example.com/v2/warehouses/7/stock?sku=AB-1&sku=CD-2' \\",
        "  --header 'X-Api-Key: YOUR_API_KEY'",
      ].join("\n"),
    });
  });

  it("curl: the body is the first named request example, shell-quoted", () => {
    const { curl } = samplesOf(document, inventory, "post", "/v2/warehouses/{warehouseId}/stock");
    expect(curl?.source).toBe(
      [
        "curl --request POST \\",
        "  --url 'https://api.inventory.example.com/v2/warehouses/7/stock' \\",
        "  --header 'X-Api-Key: YOUR_API_KEY' \\",
        "  --header 'Content-Type: application/json' \\",
        `  --data '{`,
        `  "sku": "AB-1",`,
        `  "delta": 12,`,
        `  "note": "Bob'\\''s pallet"`,
        `}'`,
      ].join("\n"),
    );
  });

  it("TypeScript: the client package's factory and client.<METHOD>(path, { params, body })", () => {
    const get = samplesOf(document, inventory, "get", "/v2/warehouses/{warehouseId}/stock");
    expect(get.typescript).toEqual({
      lang: "TypeScript",
      label: "TypeScript",
      source: `import { createInventoryClient } from "@commerce-api/inventory";

const client = createInventoryClient({
  apiKey: "YOUR_API_KEY",
  baseUrl: "https://api.inventory.example.com",
});

const { data, error, response } = await client.GET("/v2/warehouses/{warehouseId}/stock", {
  params: { path: { warehouseId: 7 }, query: { sku: ["AB-1", "CD-2"] } },
});

if (!response.ok) console.error(response.status, error);
else console.log(data);
`,
    });
    const post = samplesOf(document, inventory, "post", "/v2/warehouses/{warehouseId}/stock");
    expect(post.typescript?.source).toContain(`await client.POST("/v2/warehouses/{warehouseId}/stock", {
  params: { path: { warehouseId: 7 } },
  body: { sku: "AB-1", delta: 12, note: "Bob's pallet" },
});`);
  });

  it("withCodeSamples annotates every operation of a copy and leaves the input alone", () => {
    const before = structuredClone(document);
    const annotated = withCodeSamples(document, inventory);
    expect(document).toEqual(before);
    for (const { operation } of listOperations(annotated)) {
      expect(operation["x-codeSamples"]?.map((sample) => sample.label)).toEqual(["curl", "TypeScript"]);
    }
  });
});

/** A one-operation document with the given security and servers. */
function documentWith(overrides: Partial<OpenApiDocument>): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: { title: "T", version: "1" },
    servers: [{ url: "https://{region}.api.example.com/", variables: { region: { default: "eu1" } } }],
    paths: {
      "/things": {
        get: {
          summary: "List things",
          parameters: [
            {
              name: "tags",
              in: "query",
              required: true,
              style: "form",
              explode: false,
              schema: { type: "array", items: { type: "string" } },
              example: ["a", "b"],
            },
            { name: "since", in: "query", required: true, schema: { type: "string", format: "date-time" } },
          ],
        },
      },
    },
    ...overrides,
  };
}

describe("samples for other spec shapes", () => {
  it("a pair of API keys becomes two client options named after their headers", () => {
    const document = documentWith({
      security: [{ AppId: [], AppToken: [] }, { OAuth: [] }],
      components: {
        securitySchemes: {
          AppId: { type: "apiKey", in: "header", name: "X-App-Id" },
          AppToken: { type: "apiKey", in: "header", name: "X-App-Token" },
          OAuth: { type: "oauth2" },
        },
      },
    });
    const { curl, typescript } = samplesOf(
      document,
      { factoryName: "createShopHubClient", packageName: "shop", credentialOptions: {} },
      "get",
      "/things",
    );
    expect(curl?.source).toContain("--header 'X-App-Id: YOUR_APP_ID' \\\n  --header 'X-App-Token: YOUR_APP_TOKEN'");
    expect(typescript?.source).toContain(
      'createShopHubClient({\n  appId: "YOUR_APP_ID",\n  appToken: "YOUR_APP_TOKEN",\n  baseUrl: "https://eu1.api.example.com",\n});',
    );
  });

  it("server variables take their defaults; unexploded arrays are comma-joined; missing examples come from the schema", () => {
    const { curl } = samplesOf(documentWith({}), inventory, "get", "/things");
    expect(curl?.source).toBe(
      "curl --request GET \\\n  --url 'https://eu1.api.example.com/things?tags=a%2Cb&since=2024-01-01T00%3A00%3A00Z'",
    );
  });

  it("a value built from a schema meets its pattern and length bounds, the same on every build", () => {
    const document = documentWith({});
    const things = document.paths?.["/things/{sid}/{code}"] ?? {};
    things.get = {
      summary: "One thing",
      parameters: [
        { name: "sid", in: "path", required: true, schema: { type: "string", pattern: "^VA[0-9a-fA-F]{32}$" } },
        { name: "code", in: "path", required: true, schema: { type: "string", minLength: 6, maxLength: 8 } },
        { name: "lang", in: "query", required: true, schema: { type: "string", maxLength: 2 } },
      ],
    };
    (document.paths as Record<string, unknown>)["/things/{sid}/{code}"] = things;
    const { curl } = samplesOf(document, inventory, "get", "/things/{sid}/{code}");
    expect(curl?.source).toBe(
      `curl --request GET \\\n  --url 'https://eu1.api.example.com/things/VA${"0".repeat(32)}/codexx?lang=la'`,
    );
  });

  it("a form example's strings become the schema's types in the TypeScript sample, and undeclared fields are left out", () => {
    const document = documentWith({});
    const things = document.paths?.["/things"] as Record<string, unknown>;
    things.post = {
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: {
              type: "object",
              properties: {
                Name: { type: "string" },
                Record: { type: "boolean" },
                Timeout: { type: "integer" },
                Events: { type: "array", items: { type: "string" } },
              },
            },
            example: { Name: "Lamp", Record: "true", Timeout: "30", Events: "answered", PlayBeep: "false" },
          },
        },
      },
    };
    const { curl, typescript } = samplesOf(document, inventory, "post", "/things");
    expect(typescript?.source).toContain('body: { Name: "Lamp", Record: true, Timeout: 30, Events: ["answered"] },');
    // curl sends the form as the vendor wrote it.
    expect(curl?.source).toContain("PlayBeep=false");
  });

  it("bearer schemes send an Authorization header", () => {
    const document = documentWith({
      security: [{ Bearer: [] }],
      components: { securitySchemes: { Bearer: { type: "http", scheme: "bearer" } } },
    });
    const { curl, typescript } = samplesOf(document, inventory, "get", "/things");
    expect(curl?.source).toContain("--header 'Authorization: Bearer YOUR_TOKEN'");
    expect(typescript?.source).toContain('  token: "YOUR_TOKEN",');
  });

  it("an operation's own security gives the TypeScript sample its credentials, and a form body is sent as a form", () => {
    const document = documentWith({
      components: { securitySchemes: { Key: { type: "apiKey", in: "header", name: "api_key" } } },
    });
    const things = document.paths?.["/things"] as Record<string, Record<string, unknown>>;
    things.post = {
      security: [{ Key: [] }],
      requestBody: {
        required: true,
        content: { "application/x-www-form-urlencoded": { example: { name: "Lamp" } } },
      },
    };
    const { typescript } = samplesOf(document, inventory, "post", "/things");
    expect(typescript?.source).toContain('createInventoryClient({\n  apiKey: "YOUR_API_KEY",');
    expect(typescript?.source).toContain(
      '{\n  body: { name: "Lamp" },\n  headers: { "Content-Type": "application/x-www-form-urlencoded" },\n}',
    );
  });

  it("a spec without servers fails: the samples would have no host", () => {
    expect(() => withCodeSamples(documentWith({ servers: [] }), inventory)).toThrow(/lists no servers/);
  });
});
