/** An API from redocly.yaml as the docs site documents it: the build's and `pnpm start`'s. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readBaseline } from "@commerce-api/release";
import type { ApiDefinition } from "@commerce-api/specs";
import type { DocsApi } from "./site.ts";

/**
 * The client package's CHANGELOG.md: beside the package.json nearest to the API's generated
 * types, which live in its client package (`x-openapi-ts.output`).
 */
function changelogPath(api: ApiDefinition): string {
  let dir = dirname(api.typesPath);
  while (!existsSync(join(dir, "package.json"))) {
    if (dirname(dir) === dir)
      throw new Error(`${api.configPath}: apis.${api.id}: no package.json above ${api.typesPath}`);
    dir = dirname(dir);
  }
  const { name } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
  if (name !== api.packageName) {
    throw new Error(
      `${api.configPath}: apis.${api.id}: x-openapi-ts.output ${api.typesPath} lies in package "${name}", not in its client package "${api.packageName}"`,
    );
  }
  return join(dir, "CHANGELOG.md");
}

/** Where an API's own pages are built (its spec package's `docs:page` task), for the site to copy. */
export const pagesDir = (api: ApiDefinition) => join(dirname(api.specPath), "dist", "docs");

/** The API documented from `specPath` (default: its bundle), with its release baseline and CHANGELOG. */
export async function toDocsApi(api: ApiDefinition, specPath: string = api.bundlePath): Promise<DocsApi> {
  return {
    name: api.name,
    title: api.title,
    packageName: api.packageName,
    mockPort: api.mockPort,
    mockPortEnv: api.mockPortEnv,
    specPath,
    baseline: await readBaseline(api),
    changelogPath: changelogPath(api),
  };
}
