/**
 * Builds the whole docs site into a directory: per API a Redoc page (`<name>.html`), the
 * spec it renders (`<name>.json`, the bundled spec plus generated code samples) and a
 * Changes page (`changes-<name>.html`), and the index page. The site is built in a scratch
 * directory and swapped in only when every page built, so a failing build never leaves a
 * half-written site behind.
 */
import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Baseline, diffSpecs } from "@commerce-api/release";
import { replaceDirAtomic } from "./atomic-dir.ts";
import { renderChangesPage } from "./changes-page.ts";
import { withCodeSamples } from "./code-samples.ts";
import { changesFileName, pageFileName, renderIndexPage, type SiteApi, specFileName } from "./index-page.ts";
import type { OpenApiDocument } from "./openapi.ts";
import { buildDocs, bundleSpec } from "./redocly.ts";

export { pagesDir, toDocsApi } from "./docs-api.ts";

/** One API to document. */
export interface DocsApi extends Omit<SiteApi, "document"> {
  /** The spec: a bundled JSON file or a multi-file source entry (`openapi.yaml`). */
  specPath: string;
  /** The spec as last released; the Changes page lists what changed since. None: never released. */
  baseline?: Baseline;
  /** The client package's CHANGELOG.md, for the Changes page's released history (may not exist yet). */
  changelogPath?: string;
}

// tsc does not copy the template to dist/, so both src/site.ts and dist/site.js read it from src/.
const templatePath = fileURLToPath(new URL("../src/page.hbs", import.meta.url));

/**
 * Redoc renders its sidebar logo from cdn.redoc.ly. The page must not reach the network, so
 * the logo is swapped for an inline SVG that keeps the "API docs by Redoc" credit.
 */
const REDOC_LOGO_URLS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const INLINE_REDOC_LOGO = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='12'><text x='0' y='10' font-family='sans-serif' font-size='11' font-weight='bold' fill='#0044D4'>Redoc</text></svg>",
)}`;

function redocOptions(api: DocsApi): Record<string, unknown> {
  return {
    // Our two samples, plus Redoc's view of the request examples themselves (Payload), and
    // none of the samples Redoc would otherwise generate for other languages.
    codeSamples: {
      languages: [
        { lang: "curl", label: "curl" },
        { lang: "TypeScript", label: "TypeScript" },
        { lang: "Payload", label: "Payload" },
      ],
    },
    // Lists every component schema in the sidebar, not only those reached from an operation.
    schemaDefinitionsTagName: "Schemas",
    downloadUrls: [{ title: "OpenAPI description (JSON)", url: specFileName(api) }],
  };
}

async function buildApi(api: DocsApi, siteDir: string, workDir: string): Promise<SiteApi> {
  const bundledPath = join(workDir, `${api.name}.bundled.json`);
  await bundleSpec(api.specPath, bundledPath);
  // The parsed bundle as it is for the diff, and typed as the docs read it.
  const bundled = JSON.parse(await readFile(bundledPath, "utf8"));
  const document: OpenApiDocument = bundled;

  const specPath = join(siteDir, specFileName(api));
  await writeFile(specPath, `${JSON.stringify(withCodeSamples(document, api), null, 2)}\n`);
  const pagePath = join(siteDir, pageFileName(api));
  await buildDocs({
    specPath,
    outputPath: pagePath,
    title: `${document.info.title} reference`,
    templatePath,
    redocOptions: redocOptions(api),
    templateOptions: { changesPage: changesFileName(api) },
  });
  const page = await readFile(pagePath, "utf8");
  await writeFile(
    pagePath,
    REDOC_LOGO_URLS.reduce((html, url) => html.replaceAll(url, INLINE_REDOC_LOGO), page),
  );
  await writeFile(
    join(siteDir, changesFileName(api)),
    renderChangesPage(api, {
      sinceRelease: api.baseline && { version: api.baseline.version, changes: diffSpecs(api.baseline.spec, bundled) },
      changelog: api.changelogPath && (await readIfExists(api.changelogPath)),
    }),
  );
  return { ...api, document };
}

async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

/**
 * Builds the site for `apis` into `outDir`. Every API is attempted; if any fails, the error
 * lists each failing spec with Redocly's report and `outDir` keeps its previous content.
 */
export async function buildSite({ apis, outDir }: { apis: DocsApi[]; outDir: string }): Promise<void> {
  if (apis.length === 0) throw new Error("No APIs to document");
  const workDir = await mkdtemp(join(tmpdir(), "commerce-api-docs-"));
  try {
    await replaceDirAtomic(outDir, async (siteDir) => {
      const results = await Promise.allSettled(apis.map((api) => buildApi(api, siteDir, workDir)));
      const failures = results.flatMap((result, index) =>
        result.status === "rejected"
          ? [`${apis[index]?.name} (${apis[index]?.specPath}):\n${(result.reason as Error).message}`]
          : [],
      );
      if (failures.length > 0) {
        throw new Error(`Docs build failed; ${outDir} was left as it was.\n\n${failures.join("\n\n")}`);
      }
      const built = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      await writeFile(join(siteDir, "index.html"), renderIndexPage(built));
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The files one API contributes to the site: its reference page, its spec and its Changes page. */
export const apiPageFiles = (api: { name: string }) => [pageFileName(api), specFileName(api), changesFileName(api)];

/**
 * Builds one API's files (`apiPageFiles`) into `outDir`, with an index of that API alone, so
 * the folder is a site of its own to serve and test: what each spec package's `docs:page`
 * task runs, so an API's pages are built and cached apart from the others'. `outDir` is
 * replaced only once every file built.
 */
export async function buildApiPages(api: DocsApi, outDir: string): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), "commerce-api-docs-"));
  try {
    await replaceDirAtomic(outDir, async (pagesDir) => {
      const built = await buildApi(api, pagesDir, workDir);
      await writeFile(join(pagesDir, "index.html"), renderIndexPage([built]));
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The site from the pages each API built on its own (`buildApiPages` into `pagesDir`): their
 * files copied, and the index, which shows every API, rendered from each spec. `outDir` is
 * replaced only once all of it is in place.
 */
export async function assembleSite({
  apis,
  outDir,
}: {
  apis: { api: DocsApi; pagesDir: string }[];
  outDir: string;
}): Promise<void> {
  if (apis.length === 0) throw new Error("No APIs to document");
  await replaceDirAtomic(outDir, async (siteDir) => {
    const site: SiteApi[] = [];
    for (const { api, pagesDir } of apis) {
      for (const file of apiPageFiles(api)) {
        await copyFile(join(pagesDir, file), join(siteDir, file)).catch((error: NodeJS.ErrnoException) => {
          throw new Error(
            `${api.name}: ${join(pagesDir, file)} is missing (its spec package's docs:page task builds it): ${error.message}`,
          );
        });
      }
      site.push({ ...api, document: JSON.parse(await readFile(api.specPath, "utf8")) as OpenApiDocument });
    }
    await writeFile(join(siteDir, "index.html"), renderIndexPage(site));
  });
}

/**
 * Rebuilds one API's page and spec in an already built `siteDir`, and the index (which shows
 * every API), for `pnpm start`'s live reload. Each file is written beside its target and
 * renamed over it, so a browser never loads half a page; if the build fails, the site keeps
 * its previous files. `apis` is every API on the site, each read from its `specPath`.
 * Returns the pages that changed.
 */
export async function rebuildApiPage({
  api,
  apis,
  siteDir,
}: {
  api: DocsApi;
  apis: DocsApi[];
  siteDir: string;
}): Promise<string[]> {
  const workDir = await mkdtemp(join(tmpdir(), "commerce-api-docs-"));
  // Beside the site, so the final renames stay on one file system.
  const pageDir = await mkdtemp(join(dirname(siteDir), `.${basename(siteDir)}-rebuild-`));
  try {
    const rebuilt = await buildApi(api, pageDir, workDir);
    const site = await Promise.all(
      apis.map(async (entry) =>
        entry.name === api.name
          ? rebuilt
          : { ...entry, document: JSON.parse(await readFile(entry.specPath, "utf8")) as OpenApiDocument },
      ),
    );
    await writeFile(join(pageDir, "index.html"), renderIndexPage(site));
    const pages = [pageFileName(api), changesFileName(api), "index.html"];
    for (const file of [specFileName(api), ...pages]) await rename(join(pageDir, file), join(siteDir, file));
    return pages;
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await rm(pageDir, { recursive: true, force: true });
  }
}
