/**
 * The API the `api` project tests: the one whose spec package's test:docs started the run
 * (DOCS_API, set by api-tests.ts), with its bundle and the pages its docs:page task built.
 */
import { readFileSync } from "node:fs";
import { type ApiDefinition, getApi } from "@commerce-api/specs";
import { pagesDir } from "../../src/docs-api.ts";
import type { OpenApiDocument } from "../../src/openapi.ts";

export function testedApi(): { api: ApiDefinition; document: OpenApiDocument; pagesDir: string } {
  const name = process.env.DOCS_API;
  if (!name) {
    throw new Error(
      "DOCS_API is not set: an API's docs tests run from its spec package (pnpm turbo run test:docs --filter=@commerce-api/<api>-spec)",
    );
  }
  const api = getApi(name);
  return {
    api,
    document: JSON.parse(readFileSync(api.bundlePath, "utf8")) as OpenApiDocument,
    pagesDir: pagesDir(api),
  };
}
