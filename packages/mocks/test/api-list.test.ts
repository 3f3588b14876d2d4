import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listApis } from "@commerce-api/specs";
import { describe, expect, it } from "vitest";
import { startMocks } from "../src/index.ts";
import { specPath as shopSpec } from "./fixtures/shop.ts";

const anyPort = (names: string[]) => Object.fromEntries(names.map((name) => [name, 0]));

type Operation = { security?: unknown[] };
type Spec = { security?: unknown[]; paths: Record<string, Record<string, Operation>> };
const methods = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

/** Every operation that needs credentials, as a method and a concrete path ("1" for each path parameter). */
function securedOperations(spec: Spec): { method: string; path: string }[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method, operation]) => methods.has(method) && (operation.security ?? spec.security ?? []).length > 0)
      .map(([method]) => ({ method: method.toUpperCase(), path: path.replaceAll(/\{[^}]+\}/g, "1") })),
  );
}

describe("the API list in redocly.yaml drives which mocks exist", () => {
  it("starts one mock per API by default, each serving its bundle: 401 without credentials, 404 off the spec", async () => {
    const apis = listApis();
    const mocks = await startMocks({ ports: anyPort(apis.map((api) => api.name)) });
    try {
      expect(mocks.map((mock) => mock.name)).toEqual(apis.map((api) => api.name));
      for (const [index, mock] of mocks.entries()) {
        const spec = JSON.parse(await readFile(apis[index]?.bundlePath ?? "", "utf8")) as Spec;
        const secured = securedOperations(spec);
        expect(secured.length, `${mock.name} has operations that need credentials`).toBeGreaterThan(0);
        for (const { method, path } of secured) {
          const response = await fetch(`${mock.url}${path}`, { method });
          expect(response.status, `${mock.name}: ${method} ${path} without credentials`).toBe(401);
        }
        expect((await fetch(`${mock.url}/not/in/the/spec`)).status).toBe(404);
      }
    } finally {
      await Promise.all(mocks.map((mock) => mock.close()));
    }
  });

  it("gives a third API listed in redocly.yaml a mock, with no code change", async () => {
    // A copy of the repository's config with one more entry, and the bundles where it expects them.
    const root = await mkdtemp(join(tmpdir(), "mocks-api-list-"));
    try {
      const entry = (name: string, title: string, mockPort: number) => ({
        root: `specs/${name}/openapi.yaml`,
        "x-openapi-ts": { output: `packages/${name}/src/generated/openapi.ts` },
        "x-commerce-api": { title, package: `@commerce-api/${name}`, mockPort },
      });
      const apis: Record<string, unknown> = {};
      // Each bundle goes where its entry puts it: dist/<name>.json beside the entry file.
      const placeBundle = async (name: string, bundle: string) => {
        await mkdir(join(root, "specs", name, "dist"), { recursive: true });
        await copyFile(bundle, join(root, "specs", name, "dist", `${name}.json`));
      };
      for (const api of listApis()) {
        apis[api.id] = entry(api.name, api.title, api.mockPort);
        await placeBundle(api.name, api.bundlePath);
      }
      apis["shop@v1"] = entry("shop", "Shop", 4990);
      await placeBundle("shop", shopSpec);
      const configPath = join(root, "redocly.yaml");
      // JSON is YAML, so the config can be written without a YAML library.
      await writeFile(configPath, JSON.stringify({ apis }));

      const names = [...listApis().map((api) => api.name), "shop"];
      const mocks = await startMocks({ configPath, ports: anyPort(names) });
      try {
        expect(mocks.map((mock) => mock.name)).toEqual(names);
        const shop = mocks.find((mock) => mock.name === "shop");
        const response = await fetch(`${shop?.url}/orders/1`, { headers: { Authorization: "Bearer a-token" } });
        expect(response.status).toBe(200);
      } finally {
        await Promise.all(mocks.map((mock) => mock.close()));
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
