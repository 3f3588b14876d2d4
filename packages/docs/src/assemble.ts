/**
 * The docs site in dist/site from each API's pages, as its spec package's `docs:page` task
 * built them (specs/<api>/dist/docs/), plus the index: the `site` task. Only the index is
 * rendered here, so an edit to one spec rebuilds that API's pages and this copy, nothing else.
 *
 *   node src/assemble.ts
 */
import { listApis } from "@commerce-api/specs";
import { pagesDir, toDocsApi } from "./docs-api.ts";
import { siteDir } from "./server.ts";
import { assembleSite } from "./site.ts";

try {
  const apis = await Promise.all(
    listApis().map(async (api) => ({ api: await toDocsApi(api), pagesDir: pagesDir(api) })),
  );
  await assembleSite({ apis, outDir: siteDir });
  console.log(`docs site assembled in ${siteDir}: index.html and ${apis.map(({ api }) => api.name).join(", ")}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
