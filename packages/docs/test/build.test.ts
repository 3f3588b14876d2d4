/**
 * The build entry (src/build.ts, what `pnpm build` runs as dist/build.js) and the site builder:
 * a broken $ref fails with the file and the JSON pointer and leaves the previous site exactly
 * as it was; a third API gets its page from the API list alone.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { listApis } from "@commerce-api/specs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, type OpenApiDocument } from "../src/openapi.ts";
import { serveDocs } from "../src/server.ts";
import { buildSite, type DocsApi } from "../src/site.ts";
import { isLocal, launchBrowser, openPage, reportsDir } from "./support/browser.ts";
import { checkReferencePage } from "./support/redoc.ts";

const buildEntry = fileURLToPath(new URL("../src/build.ts", import.meta.url));
const inventoryFixture = fileURLToPath(new URL("fixtures/inventory", import.meta.url));

/** Runs the build entry; resolves with its exit code and output instead of throwing. */
async function runBuild(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [buildEntry, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
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
  let goodSite: Record<string, string>;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "docs-build-"));
    siteDir = join(workDir, "site");
    const good = await runBuild(["--out", siteDir]);
    expect(good, "the first, good build").toMatchObject({ code: 0 });
    goodSite = await snapshot(siteDir);
    expect(Object.keys(goodSite)).toContain("/index.html");
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  /** The site is the previous good build, and no scratch directory was left beside it. */
  async function expectSiteUntouched() {
    expect(await snapshot(siteDir)).toEqual(goodSite);
    expect((await readdir(workDir)).filter((name) => name.includes("site"))).toEqual(["site"]);
  }

  it("in a bundled spec: fails naming the file and the pointer; the previous site stays", async () => {
    const [api] = listApis();
    if (!api) throw new Error("redocly.yaml lists no API");
    const document = JSON.parse(await readFile(api.bundlePath, "utf8"));
    const pointer = firstRefPointer(document.paths);
    if (!pointer) throw new Error(`${api.bundlePath} has no $ref under paths to break`);
    const fullPointer = pointer.replace(/^#/, "#/paths");
    nodeAt(document, fullPointer).$ref = "#/components/schemas/DoesNotExist";
    const broken = join(workDir, `${api.name}-broken.json`);
    await writeFile(broken, JSON.stringify(document, null, 2));

    const result = await runBuild(["--out", siteDir, "--spec", `${api.name}=${broken}`]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`${broken}:\\d+:\\d+ at ${fullPointer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`),
    );
    expect(result.stderr).toContain("Can't resolve $ref");
    await expectSiteUntouched();
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
    const [api] = listApis();

    const result = await runBuild(["--out", siteDir, "--spec", `${api?.name}=${join(copy, "openapi.yaml")}`]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`${pathFile}:\\d+:\\d+ at #/post/requestBody/content/application~1json/schema\\b`),
    );
    expect(result.stderr).toContain("components/Gone.yaml");
    await expectSiteUntouched();
  });

  it("--spec for an API that redocly.yaml does not list is refused with the known names", async () => {
    const result = await runBuild(["--out", siteDir, "--spec", `nope=${inventoryFixture}/openapi.yaml`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `unknown API "nope" (redocly.yaml lists: ${listApis()
        .map((api) => api.name)
        .join(", ")})`,
    );
    await expectSiteUntouched();
  });
});

describe("a third API", () => {
  it("gets its reference page, spec and index entry from the API list alone", async () => {
    const workDir = await mkdtemp(join(tmpdir(), "docs-third-"));
    const outDir = join(workDir, "site");
    const third: DocsApi = {
      name: "inventory",
      title: "Inventory",
      packageName: "@commerce-api/inventory",
      factoryName: "createInventoryClient",
      credentialOptions: {},
      mockPort: 4012,
      mockPortEnv: "INVENTORY_MOCK_PORT",
      specPath: join(inventoryFixture, "openapi.yaml"),
    };
    const apis = [...listApis().map((api) => ({ ...api, specPath: api.bundlePath })), third];
    const browser = await launchBrowser();
    let closeServer = async () => {};
    try {
      await buildSite({ apis, outDir });
      expect((await readdir(outDir)).sort()).toEqual(
        [
          "index.html",
          ...apis.flatMap((api) => [`${api.name}.html`, `${api.name}.json`, `changes-${api.name}.html`]),
        ].sort(),
      );
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
        await page.screenshot({ path: join(reportsDir, "inventory-failure.png"), fullPage: true });
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
