/**
 * Builds the docs pages of the API whose spec package is the working directory (its
 * reference page, spec and Changes page) into that package's dist/docs/: each specs/<api>
 * package's `docs:page` task, so an edit to one spec rebuilds only that API's pages. The
 * site (`site`, src/assemble.ts) copies them and adds the index.
 *
 *   node ../../packages/docs/src/page.ts     # in specs/<api>/
 */
import { apisInDirectory } from "@commerce-api/specs";
import { pagesDir, toDocsApi } from "./docs-api.ts";
import { apiPageFiles, buildApiPages } from "./site.ts";

const [api, ...others] = apisInDirectory(process.cwd());
if (!api || others.length > 0) {
  console.error(`${process.cwd()} is not the spec folder of exactly one API in redocly.yaml`);
  process.exit(1);
}
try {
  await buildApiPages(await toDocsApi(api), pagesDir(api));
  console.log(`${api.name} docs built in ${pagesDir(api)}: ${apiPageFiles(api).join(", ")}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
