/**
 * The built site (dist/site) in headless Chromium, served over HTTP on 127.0.0.1 and opened
 * from file://: every page renders what the bundled specs contain, logs no console error and
 * requests nothing beyond 127.0.0.1. Screenshots go to reports/.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ApiDefinition, listApis } from "@commerce-api/specs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, type OpenApiDocument } from "../src/openapi.ts";
import { type DocsServer, serveDocs, siteDir } from "../src/server.ts";
import { type Browser, isLocal, launchBrowser, openPage, reportsDir } from "./support/browser.ts";
import { checkReferencePage, summaryOf } from "./support/redoc.ts";

const apis = listApis().map((api) => ({
  api,
  document: JSON.parse(readFileSync(api.bundlePath, "utf8")) as OpenApiDocument,
}));

/** The index shows each API's title, version, servers, operations and links. */
async function checkIndex(page: Page, { api, document }: { api: ApiDefinition; document: OpenApiDocument }) {
  const card = page.locator(`#api-${api.name}`);
  await card.getByRole("link", { name: document.info.title, exact: true }).waitFor({ state: "visible" });
  await card.getByText(`version ${document.info.version}`).waitFor({ state: "visible" });
  for (const server of document.servers ?? []) {
    await card.getByText(server.url, { exact: true }).waitFor({ state: "visible" });
  }
  for (const target of listOperations(document)) {
    await card.getByText(summaryOf(target), { exact: true }).waitFor({ state: "visible" });
  }
  expect(await card.getByRole("link", { name: "API reference" }).getAttribute("href")).toBe(`${api.name}.html`);
  expect(await card.getByRole("link", { name: "OpenAPI description (JSON)" }).getAttribute("href")).toBe(
    `${api.name}.json`,
  );
}

describe("the docs site in Chromium", () => {
  let browser: Browser;
  let server: DocsServer;

  beforeAll(async () => {
    if (!existsSync(join(siteDir, "index.html"))) {
      throw new Error(`No built site in ${siteDir}: run \`pnpm docs\` (turbo runs the build before the tests)`);
    }
    await mkdir(reportsDir, { recursive: true });
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
    await page.screenshot({ path: join(reportsDir, "index.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const { api, document } of apis) {
    it(`serves the ${api.name} reference with every operation, schema and code sample`, async () => {
      const { page, errors } = await openPage(browser);
      await page.goto(`${server.url}${api.name}.html`);
      await page.getByRole("heading", { level: 1, name: document.info.title }).waitFor({ state: "visible" });
      await page.screenshot({ path: join(reportsDir, `${api.name}.png`) });
      await checkReferencePage(page, document, async () => {
        await page.screenshot({ path: join(reportsDir, `${api.name}-operation.png`) });
      });
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  // Opened from file:// only how the page and its inlined script load differs, so after the
  // index each page is checked up to its first operation; the tests above click through all.
  it("works from file://: the index, and each reference page it links to, render with their schemas and an operation", async () => {
    const { page, errors } = await openPage(browser);
    const requestsBefore = browser.requests.length;
    await page.goto(pathToFileURL(join(siteDir, "index.html")).href);
    for (const api of apis) await checkIndex(page, api);
    // Each link's target, as the browser resolves it from file://, opened in turn: one load of
    // the index for all of them instead of one per link.
    const references = await Promise.all(
      apis.map(({ api }) =>
        page
          .locator(`#api-${api.name}`)
          .getByRole("link", { name: "API reference" })
          .evaluate((link) => (link as HTMLAnchorElement).href),
      ),
    );
    for (const [index, { api, document }] of apis.entries()) {
      expect(references[index]).toBe(pathToFileURL(join(siteDir, `${api.name}.html`)).href);
      await page.goto(references[index] as string);
      await checkReferencePage(
        page,
        document,
        async () => {
          await page.screenshot({ path: join(reportsDir, `${api.name}-file.png`) });
        },
        1,
      );
    }
    expect(browser.requests.slice(requestsBefore).filter((url) => !url.startsWith("file:"))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
