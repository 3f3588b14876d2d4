/**
 * The assembled site (dist/site) in headless Chromium, served over HTTP on 127.0.0.1 and
 * opened from file://: the index shows every API and the getting-started guide, logs no
 * console error and requests nothing beyond 127.0.0.1, and each of its links leads to the
 * page that API's spec package built and tested (reference-page.test.ts), copied unchanged.
 * The index is the one page that shows every API; each API's own pages are tested, and
 * cached, with that API. Screenshots go to reports/site/.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listApis } from "@commerce-api/specs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pagesDir } from "../src/docs-api.ts";
import type { OpenApiDocument } from "../src/openapi.ts";
import { type DocsServer, serveDocs, siteDir } from "../src/server.ts";
import { apiPageFiles } from "../src/site.ts";
import { type Browser, isLocal, launchBrowser, openPage, reportsDir } from "./support/browser.ts";
import { checkIndex } from "./support/index-card.ts";

const screenshots = reportsDir("site");

const apis = listApis().map((api) => ({
  api,
  document: JSON.parse(readFileSync(api.bundlePath, "utf8")) as OpenApiDocument,
}));

describe("the docs site in Chromium", () => {
  let browser: Browser;
  let server: DocsServer;

  beforeAll(async () => {
    if (!existsSync(join(siteDir, "index.html"))) {
      throw new Error(`No built site in ${siteDir}: run \`pnpm docs\` (turbo runs the build before the tests)`);
    }
    await mkdir(screenshots, { recursive: true });
    browser = await launchBrowser();
    server = await serveDocs({ port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await browser?.close();
    // Only a browser that started has requests to check; a failed launch has already said why.
    if (browser) expect(browser.requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it("serves the index with every API and the getting-started guide", async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(server.url);
    for (const api of apis) await checkIndex(page, api);
    const guide = page.locator("#getting-started");
    await guide.getByRole("heading", { name: "Getting started" }).waitFor({ state: "visible" });
    await guide.getByText("pnpm start", { exact: true }).waitFor({ state: "visible" });
    for (const { api } of apis) {
      await guide.getByText(`pnpm add ${api.packageName}`).waitFor({ state: "visible" });
      await guide.getByText(`baseUrl: "http://127.0.0.1:${api.mockPort}"`).first().waitFor({ state: "visible" });
    }
    await guide.getByText("--header 'Prefer: example=").first().waitFor({ state: "visible" });
    await page.screenshot({ path: join(screenshots, "index.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("has each API's pages as its spec package built them, byte for byte", async () => {
    for (const { api } of apis) {
      for (const file of apiPageFiles(api)) {
        expect(await readFile(join(siteDir, file)), file).toEqual(await readFile(join(pagesDir(api), file)));
      }
    }
  });

  it("works from file://: the index renders every API, and each link resolves to that API's page beside it", async () => {
    const { page, errors } = await openPage(browser);
    const requestsBefore = browser.requests.length;
    await page.goto(pathToFileURL(join(siteDir, "index.html")).href);
    for (const api of apis) await checkIndex(page, api);
    for (const { api } of apis) {
      const href = await page
        .locator(`#api-${api.name}`)
        .getByRole("link", { name: "API reference" })
        .evaluate((link) => (link as HTMLAnchorElement).href);
      expect(href).toBe(pathToFileURL(join(siteDir, `${api.name}.html`)).href);
      expect(existsSync(new URL(href)), href).toBe(true);
    }
    expect(browser.requests.slice(requestsBefore).filter((url) => !url.startsWith("file:"))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
