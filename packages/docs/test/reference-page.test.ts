/**
 * One API's pages as its spec package's docs:page task built them (the `api` project, run
 * from that package), in headless Chromium: the reference page served over HTTP on 127.0.0.1
 * shows every operation, schema and code sample, as does the API's card on the index, opened from file:// it renders up to its
 * first operation, neither logs a console error or requests anything beyond 127.0.0.1, and
 * the Changes page it links to lists every version of the client's CHANGELOG. Screenshots
 * go to the spec package's reports/docs/.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readBaseline } from "@commerce-api/release";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changesFileName, pageFileName } from "../src/index-page.ts";
import { type DocsServer, serveDocs } from "../src/server.ts";
import { testedApi } from "./support/api.ts";
import { type Browser, isLocal, launchBrowser, openPage, reportsDir } from "./support/browser.ts";
import { checkIndex } from "./support/index-card.ts";
import { checkReferencePage } from "./support/redoc.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const { api, document, pagesDir } = testedApi();
const screenshots = reportsDir("api");

describe(`the ${api.name} docs pages`, () => {
  let browser: Browser;
  let server: DocsServer;

  beforeAll(async () => {
    if (!existsSync(join(pagesDir, pageFileName(api)))) {
      throw new Error(`No ${pageFileName(api)} in ${pagesDir}: turbo runs the spec package's docs:page task first`);
    }
    await mkdir(screenshots, { recursive: true });
    browser = await launchBrowser();
    server = await serveDocs({ port: 0, dir: pagesDir });
  });

  afterAll(async () => {
    await server?.close();
    await browser?.close();
    // Only a browser that started has requests to check; a failed launch has already said why.
    if (browser) expect(browser.requests.filter((url) => !isLocal(url))).toEqual([]);
  });

  it("the reference page shows every operation, schema and code sample, and the API's index card links to it", async () => {
    const { page, errors } = await openPage(browser);
    // The folder's own index: this API's card alone, as the site's index shows it among the others.
    await page.goto(server.url);
    await checkIndex(page, { api, document });
    await page.goto(`${server.url}${pageFileName(api)}`);
    await page.getByRole("heading", { level: 1, name: document.info.title }).waitFor({ state: "visible" });
    await page.screenshot({ path: join(screenshots, `${api.name}.png`) });
    await checkReferencePage(page, document, async () => {
      await page.screenshot({ path: join(screenshots, `${api.name}-operation.png`) });
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  // Opened from file:// only how the page and its inlined script load differs, so it is
  // checked up to its first operation; the test above clicks through all of them.
  it("the reference page works from file://, with its schemas and an operation, requesting nothing else", async () => {
    const { page, errors } = await openPage(browser);
    const requestsBefore = browser.requests.length;
    await page.goto(pathToFileURL(join(pagesDir, pageFileName(api))).href);
    await checkReferencePage(
      page,
      document,
      async () => {
        await page.screenshot({ path: join(screenshots, `${api.name}-file.png`) });
      },
      1,
    );
    expect(browser.requests.slice(requestsBefore).filter((url) => !url.startsWith("file:"))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it(`the Changes page is linked from the reference page, with every version in ${api.packageName}'s CHANGELOG`, async () => {
    const read = (file: string) => readFileSync(join(pagesDir, file), "utf8");
    const page = read(changesFileName(api));
    expect(read(pageFileName(api))).toContain(`href="${changesFileName(api)}">Changes</a>`);

    const baseline = await readBaseline(api);
    expect(page).toContain(baseline ? `<h2>Since ${baseline.version}</h2>` : "<h2>Not released yet</h2>");
    if (!baseline) return;
    // Released, so changesets wrote the client's CHANGELOG; the docs package depends on each client.
    const changelog = readFileSync(join(packageDir, "node_modules", api.packageName, "CHANGELOG.md"), "utf8");
    const versions = [...changelog.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(versions).toContain(baseline.version);
    const headings = [...page.matchAll(/<h3>([^<]*)<\/h3>/g)].map((match) => match[1]);
    expect(headings.filter((heading) => versions.includes(heading))).toEqual(versions);
  });
});
