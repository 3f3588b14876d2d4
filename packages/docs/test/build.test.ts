/**
 * The site builders, on the fixture spec (no API of redocly.yaml, so no spec edit reruns
 * these): an API's pages (`buildApiPages`, each spec package's docs:page) and the whole site
 * (`buildSite`, pnpm start's fallback) fail on a broken $ref with the file and the JSON
 * pointer and leave the previous output exactly as it was; the site copies an API's pages
 * and lists it on the index from the API list alone (`assembleSite`, the `site` task).
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, type OpenApiDocument } from "../src/openapi.ts";
import { bundleSpec } from "../src/redocly.ts";
import { serveDocs } from "../src/server.ts";
import { apiPageFiles, assembleSite, buildApiPages, buildSite, type DocsApi } from "../src/site.ts";
import { isLocal, launchBrowser, openPage, reportsDir } from "./support/browser.ts";
import { checkReferencePage } from "./support/redoc.ts";

const inventoryFixture = fileURLToPath(new URL("fixtures/inventory", import.meta.url));

/** The fixture as an API of the site, documented from `specPath`. */
const inventory = (specPath: string): DocsApi => ({
  name: "inventory",
  title: "Inventory",
  packageName: "@commerce-api/inventory",
  factoryName: "createInventoryClient",
  credentialOptions: {},
  mockPort: 4012,
  mockPortEnv: "INVENTORY_MOCK_PORT",
  specPath,
});

/** The error `build` rejects with, as the task prints it. */
async function failure(build: Promise<void>): Promise<string> {
  return build.then(
    () => {
      throw new Error("the build succeeded");
    },
    (error: Error) => error.message,
  );
}

/** Every file under `dir` with a hash of its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Object.fromEntries(
    await Promise.all(
      files.map(async (file) => [
        file.slice(dir.length),
        createHash("sha256")
          .update(await readFile(file))
          .digest("hex"),
      ]),
    ),
  );
}

/** The JSON pointer of the first `$ref` in a document (depth first, in key order). */
function firstRefPointer(node: unknown, pointer = "#"): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  if (typeof (node as { $ref?: unknown }).$ref === "string") return pointer;
  for (const [key, child] of Object.entries(node)) {
    const found = firstRefPointer(child, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
    if (found) return found;
  }
  return undefined;
}

function nodeAt(document: unknown, pointer: string): { $ref: string } {
  return pointer
    .slice(2)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, key) => (node as Record<string, unknown>)[key], document) as { $ref: string };
}

describe("a spec with a broken $ref", () => {
  let workDir: string;
  let siteDir: string;
  let pagesDir: string;
  let bundled: string;
  let goodSite: Record<string, string>;
  let goodPages: Record<string, string>;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "docs-build-"));
    siteDir = join(workDir, "site");
    pagesDir = join(workDir, "pages");
    bundled = join(workDir, "inventory.json");
    await bundleSpec(join(inventoryFixture, "openapi.yaml"), bundled);
    await buildSite({ apis: [inventory(bundled)], outDir: siteDir });
    await buildApiPages(inventory(bundled), pagesDir);
    goodSite = await snapshot(siteDir);
    goodPages = await snapshot(pagesDir);
    expect(Object.keys(goodSite)).toContain("/index.html");
    expect(Object.keys(goodPages).sort()).toEqual(
      ["index.html", ...apiPageFiles(inventory(bundled))].map((file) => `/${file}`).sort(),
    );
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  /** The site and the pages are the previous good builds, and no scratch directory was left beside them. */
  async function expectOutputUntouched() {
    expect(await snapshot(siteDir)).toEqual(goodSite);
    expect(await snapshot(pagesDir)).toEqual(goodPages);
    expect((await readdir(workDir)).filter((name) => name.includes(".tmp-"))).toEqual([]);
  }

  it("in a bundled spec: fails naming the file and the pointer; the previous pages and site stay", async () => {
    const document = JSON.parse(await readFile(bundled, "utf8"));
    const pointer = firstRefPointer(document.paths);
    if (!pointer) throw new Error(`${bundled} has no $ref under paths to break`);
    const fullPointer = pointer.replace(/^#/, "#/paths");
    nodeAt(document, fullPointer).$ref = "#/components/schemas/DoesNotExist";
    const broken = join(workDir, "inventory-broken.json");
    await writeFile(broken, JSON.stringify(document, null, 2));

    for (const message of [
      await failure(buildApiPages(inventory(broken), pagesDir)),
      await failure(buildSite({ apis: [inventory(broken)], outDir: siteDir })),
    ]) {
      expect(message).toMatch(
        new RegExp(`${broken}:\\d+:\\d+ at ${fullPointer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`),
      );
      expect(message).toContain("Can't resolve $ref");
    }
    await expectOutputUntouched();
  });

  it("in a multi-file source spec: names the file holding the $ref and the pointer inside it", async () => {
    const copy = join(workDir, "inventory");
    await cp(inventoryFixture, copy, { recursive: true });
    const pathFile = join(copy, "paths", "stock.yaml");
    const original = await readFile(pathFile, "utf8");
    await writeFile(
      pathFile,
      original.replace("$ref: ../components/StockAdjustment.yaml", "$ref: ../components/Gone.yaml"),
    );

    const message = await failure(buildApiPages(inventory(join(copy, "openapi.yaml")), pagesDir));

    expect(message).toMatch(
      new RegExp(`${pathFile}:\\d+:\\d+ at #/post/requestBody/content/application~1json/schema\\b`),
    );
    expect(message).toContain("components/Gone.yaml");
    await expectOutputUntouched();
  });
});

describe("an API in the list", () => {
  it("gets its reference page, spec, Changes page and index entry, built on its own and copied into the site", async () => {
    const workDir = await mkdtemp(join(tmpdir(), "docs-assemble-"));
    const pagesDir = join(workDir, "pages");
    const outDir = join(workDir, "site");
    const api = inventory(join(inventoryFixture, "openapi.yaml"));
    const browser = await launchBrowser();
    let closeServer = async () => {};
    try {
      await buildApiPages(api, pagesDir);
      const bundled = join(workDir, "inventory.json");
      await bundleSpec(api.specPath, bundled);
      await assembleSite({ apis: [{ api: { ...api, specPath: bundled }, pagesDir }], outDir });
      expect((await readdir(outDir)).sort()).toEqual(["index.html", ...apiPageFiles(api)].sort());
      for (const file of apiPageFiles(api)) {
        expect(await readFile(join(outDir, file)), file).toEqual(await readFile(join(pagesDir, file)));
      }
      const spec = JSON.parse(await readFile(join(outDir, "inventory.json"), "utf8")) as OpenApiDocument;
      for (const { operation } of listOperations(spec)) {
        expect(operation["x-codeSamples"]?.[1]?.source).toContain("createInventoryClient");
      }

      const server = await serveDocs({ port: 0, dir: outDir });
      closeServer = server.close;
      const { page, errors } = await openPage(browser);
      await page.goto(server.url);
      const card = page.locator("#api-inventory");
      await card.getByText("version 2.3.0").waitFor({ state: "visible" });
      await card.getByText("Stock levels per warehouse, and adjustments to them.").waitFor({ state: "visible" });
      await page.locator("#getting-started").getByText("pnpm add @commerce-api/inventory").waitFor();
      // The link's target is asserted and then opened directly: clicking it raced the index
      // page's own rendering in CI and could leave the browser on the index.
      const reference = await card.getByRole("link", { name: "API reference" }).getAttribute("href");
      expect(reference).toBe("inventory.html");
      await page.goto(`${server.url}${reference}`);
      await checkReferencePage(page, spec, async () => {}).catch(async (error: unknown) => {
        // What the browser showed when the check gave up, for whoever reads the CI reports.
        await page.screenshot({ path: join(reportsDir("unit"), "inventory-failure.png"), fullPage: true });
        throw error;
      });
      expect(errors).toEqual([]);
      expect(browser.requests.filter((url) => !isLocal(url))).toEqual([]);
    } finally {
      await closeServer();
      await browser.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
