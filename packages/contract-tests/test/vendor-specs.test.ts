/**
 * What real vendor specs contain, on a small fixture API (test/fixtures/pipeline): a bare
 * `example`, form and multipart bodies, an octet-stream body, an XML response, a `default`
 * response, a webhook and HTTP basic auth. Each is sent where it can be, checked as far as
 * it can be, and otherwise listed as not covered with its reason, never failed.
 */
import { fileURLToPath } from "node:url";
import { startMock } from "@commerce-api/mocks";
import { getApi } from "@commerce-api/specs";
import fc from "fast-check";
import createClient from "openapi-fetch";
import { describe, expect, test } from "vitest";
import { schemaArbitrary } from "../src/arbitraries.ts";
import { exampleCases } from "../src/cases.ts";
import {
  type ContractClient,
  createContractClient,
  credentialVariables,
  mockCredentialVariables,
} from "../src/clients.ts";
import { computeCoverage, coverageFailures } from "../src/coverage.ts";
import { send } from "../src/exchange.ts";
import { encodeBody } from "../src/media.ts";
import { requestRules, valueRules } from "../src/negative.ts";
import { loadSpec, readOperations } from "../src/spec.ts";

const configPath = fileURLToPath(new URL("fixtures/pipeline/redocly.yaml", import.meta.url));
const spec = loadSpec(getApi("shop", configPath));
const cases = exampleCases(spec);
const find = (title: string) => {
  const found = cases.find((item) => item.title === title);
  if (!found) throw new Error(`no case "${title}" in ${cases.map((item) => item.title).join("; ")}`);
  return found;
};

describe("cases from a vendor spec", () => {
  test("name a bare example the way Prism does, so the mock can be asked for it", () => {
    expect(find('getItem returns 200 as application/json with example "default"')).toMatchObject({
      example: "default",
      expected: { id: 7, name: "Lamp" },
    });
  });

  test("check an XML response by status and Content-Type only, saying why", () => {
    const xml = find("getItem returns 200 as application/xml");
    expect(xml.schemaPointer).toBeUndefined();
    expect(xml.bodyUnchecked).toContain("application/xml bodies are checked by status and Content-Type only");
  });

  test("mark a required body the suite cannot encode as not covered, with the media type", () => {
    expect(find("uploadPhoto returns 204").notCovered).toBe(
      "its request body (application/octet-stream) has no encoding the suite can build from a schema",
    );
    expect(find("describePhoto returns 204").notCovered).toBeUndefined();
  });

  test("mark a form with an array field the mock cannot read as not covered, naming the field", () => {
    expect(find("createItem returns 201").notCovered).toBeUndefined();
    expect(find("tagItem returns 204").notCovered).toBe(
      "the mock (Prism) reads application/x-www-form-urlencoded field tags as one string: an array field needs an `encoding` style in the spec",
    );
  });

  test("leave the default response, what cannot be sent and the webhook out of the floors, each listed with why", () => {
    const coverage = computeCoverage(spec, []);
    expect(coverage.notSelectable).toEqual(["getItem default"]);
    expect(coverage.operations.total).toBe(3);
    expect(coverage.notCovered).toEqual([
      "uploadPhoto: its request body (application/octet-stream) has no encoding the suite can build from a schema",
      "tagItem: the mock (Prism) reads application/x-www-form-urlencoded field tags as one string: an array field needs an `encoding` style in the spec",
      "webhook itemSold POST: a webhook is a request the API sends, which a mock of it is not asked to make",
    ]);
    expect(coverageFailures("mock", [coverage]).join("\n")).not.toContain("uploadPhoto");
  });
});

describe("request bodies", () => {
  test("never carry a readOnly property, nor a rule that breaks one, even where it is required", () => {
    const item = { $ref: "#/components/schemas/Item" };
    const values = fc.sample(schemaArbitrary(spec.document, item, "body"), { numRuns: 20, seed: 1 });
    expect(values.every((value) => !Object.hasOwn(value as object, "id"))).toBe(true);
    expect(values.every((value) => Object.hasOwn(value as object, "name"))).toBe(true);
    const fields = valueRules(spec.document, item, { id: 7, name: "Lamp" }).map((rule) => rule.field.join("."));
    expect(fields).toContain("body.name");
    expect(fields.filter((field) => field.startsWith("body.id"))).toEqual([]);
  });

  test("encode a form as its fields, an array as one field per item", () => {
    const { body, contentType } = encodeBody({ name: "Lamp", tags: ["a", "b"] }, "application/x-www-form-urlencoded");
    expect(String(body)).toBe("name=Lamp&tags=a&tags=b");
    expect(contentType).toBe("application/x-www-form-urlencoded");
  });

  test("drop a form's only field as a missing body, which only a required body may not be", () => {
    const operation = spec.operations.find((candidate) => candidate.operationId === "createItem");
    const body = operation?.requestBody;
    if (!operation || !body) throw new Error("the fixture's createItem has a body");
    const request = {
      path: {},
      query: {},
      header: {},
      body: { name: "Lamp" },
      mediaType: "application/x-www-form-urlencoded",
    };
    const dropped = (required: boolean) =>
      requestRules(spec, { ...operation, requestBody: { ...body, required } }, request)
        .filter((rule) => rule.kind === "required")
        .map((rule) => rule.expect);
    expect(dropped(true)).toEqual([{ location: [], code: "required" }]);
    expect(dropped(false)).toEqual([]);
  });

  test("encode multipart as FormData, leaving its Content-Type (and boundary) to fetch", () => {
    const { body, contentType } = encodeBody({ caption: "Lit", order: 2 }, "multipart/form-data");
    expect(body).toBeInstanceOf(FormData);
    expect([...(body as FormData).entries()]).toEqual([
      ["caption", "Lit"],
      ["order", "2"],
    ]);
    expect(contentType).toBeUndefined();
  });

  test("refuse a body it cannot encode, and a form that is not an object of fields, naming why", () => {
    expect(() => encodeBody("bytes", "application/octet-stream")).toThrow("application/octet-stream");
    expect(() => encodeBody([1], "application/x-www-form-urlencoded")).toThrow("must be an object of fields");
  });
});

describe("credentials against a mock", () => {
  test("are those each operation's own requirement needs, not only the first alternative's", () => {
    const document = structuredClone(spec.document) as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    document.components.securitySchemes.key = { type: "apiKey", in: "header", name: "X-Key" };
    const post = document.paths["/items"]?.post;
    if (post) post.security = [{ key: [] }];
    const twoSchemes = { ...spec, document, operations: readOperations(document) };
    expect(credentialVariables(twoSchemes)).toEqual(["SHOP_USERNAME", "SHOP_PASSWORD"]);
    expect(mockCredentialVariables(twoSchemes)).toEqual(["SHOP_USERNAME", "SHOP_PASSWORD", "SHOP_API_KEY"]);
  });
});

describe("the fixture API against its mock", () => {
  test("answers every case that can be sent as it asks, with HTTP basic credentials", async () => {
    await using mock = await startMock("shop", { port: 0, configPath, specPath: spec.path });
    const credentials = Object.fromEntries(mockCredentialVariables(spec).map((name) => [name, "contract-tests"]));
    expect(Object.keys(credentials)).toEqual(["SHOP_USERNAME", "SHOP_PASSWORD"]);
    const client = await createContractClient(spec, mock.url, credentials);
    for (const item of cases.filter((candidate) => !candidate.notCovered)) {
      const preference = item.example ? `code=${item.status}, example=${item.example}` : `code=${item.status}`;
      const exchange = await send(client, item.operation, item.request, {
        headers: { Prefer: preference },
        ...(item.mediaType && { accept: item.mediaType }),
      });
      expect([item.title, exchange.status, exchange.violations]).toEqual([item.title, item.status, []]);
      if (item.example) expect(exchange.body).toEqual(item.expected);
      if (item.mediaType) expect(exchange.mediaType).toBe(item.mediaType);
    }
  });

  test("reports Prism's own 401 for a request without credentials as the security violation", async () => {
    await using mock = await startMock("shop", { port: 0, configPath, specPath: spec.path });
    // Typed for no paths, it is an untyped ContractClient at run time.
    const anonymous = createClient({ baseUrl: mock.url }) as ContractClient;
    const item = find('getItem returns 200 as application/json with example "default"');
    const exchange = await send(anonymous, item.operation, item.request);
    expect(exchange.status).toBe(401);
    expect(exchange.violations).toContainEqual(expect.objectContaining({ side: "request", location: [], code: "401" }));
  });
});
