/**
 * Headless Debian Chromium through playwright-core, with every request and console error
 * recorded, and every request to a host other than 127.0.0.1 blocked and reported.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/**
 * Where screenshots go: the spec package's reports/docs/ when one API's tests run from there
 * (DOCS_REPORTS_DIR, set by api-tests.ts), else this package's reports/<project>/.
 */
export const reportsDir = (project: "unit" | "site" | "api") =>
  process.env.DOCS_REPORTS_DIR || new URL(`../../reports/${project}/`, import.meta.url).pathname;

export interface Browser {
  context: BrowserContext;
  /** Every URL requested from any page, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Schemes that never leave the machine: the page itself, inline data, in-page objects. */
const LOCAL_SCHEMES = new Set(["file:", "data:", "blob:", "about:"]);

/** True if a request to `url` stays on this machine (127.0.0.1 or a local scheme). */
export function isLocal(url: string): boolean {
  const parsed = new URL(url);
  return LOCAL_SCHEMES.has(parsed.protocol) || parsed.hostname === "127.0.0.1";
}

/**
 * The Chromium to drive: `CHROMIUM_PATH`, else Debian's. Checked before launching, because
 * Playwright's own message for a missing browser suggests a download that cannot work here.
 */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  const path = fromEnv || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      fromEnv
        ? `CHROMIUM_PATH=${fromEnv}, but there is no file there: point it at a Chromium or Chrome binary.`
        : "The docs browser tests need Chromium, and /usr/bin/chromium does not exist: install it with " +
            "`sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  return path;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  // A fresh profile per run: no cached pages, cookies or service workers from earlier runs.
  const userDataDir = await mkdtemp(join(tmpdir(), "docs-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  // Redoc parses megabytes of inlined script per page; with the rest of `pnpm test` sharing two
  // cores that can take far longer than Playwright's 30 s default. These are waits, not timings.
  context.setDefaultTimeout(120_000);
  const requests: string[] = [];
  context.on("request", (request) => requests.push(request.url()));
  // Only http(s) goes through routing: anything not for 127.0.0.1 is aborted before it leaves.
  await context.route("**/*", (route) => (isLocal(route.request().url()) ? route.continue() : route.abort()));
  return {
    context,
    requests,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A new page whose console errors and uncaught exceptions land in `errors`. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}
