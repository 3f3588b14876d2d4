/** An API from redocly.yaml as the docs site documents it: the build's and `pnpm start`'s. */
import { dirname, join } from "node:path";
import { readBaseline } from "@commerce-api/release";
import { type ApiDefinition, clientPackageDir } from "@commerce-api/specs";
import type { DocsApi } from "./site.ts";

/** The client package's CHANGELOG.md (x-commerce-api.package, found where its generated types live). */
function changelogPath(api: ApiDefinition): string {
  const dir = clientPackageDir(api);
  if (!dir) {
    throw new Error(
      `${api.configPath}: apis.${api.id}: x-openapi-ts.output ${api.typesPath} does not lie in its client package "${api.packageName}"`,
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
    factoryName: api.factoryName,
    credentialOptions: api.credentialOptions,
    mockPort: api.mockPort,
    mockPortEnv: api.mockPortEnv,
    specPath,
    baseline: await readBaseline(api),
    changelogPath: changelogPath(api),
  };
}
