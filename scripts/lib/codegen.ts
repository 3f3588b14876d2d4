import { readFile } from "node:fs/promises";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import type { ApiDefinition } from "../../specs/index.ts";

/**
 * The TypeScript types for one API, from its bundled spec. Pure and deterministic:
 * the same spec always gives the same bytes (no dates, no absolute paths).
 */
export async function renderTypes(api: ApiDefinition): Promise<string> {
  return renderTypesOf(JSON.parse(await readFile(api.bundlePath, "utf8")), api.specFile);
}

/** The same types for any bundled document (a released spec, say); `source` names it in the header. */
export async function renderTypesOf(spec: OpenAPI3, source: string): Promise<string> {
  const nodes = await openapiTS(spec, {
    // `export type Order = components["schemas"]["Order"]` for every component.
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    alphabetize: false,
  });
  return [
    `// Generated from ${source} by scripts/generate.ts (openapi-typescript). Do not edit:`,
    "// change the spec and run `pnpm generate`.",
    "",
    astToString(nodes),
    renderEnvironments(source, spec.servers as Server[] | undefined),
  ].join("\n");
}

/**
 * The spec's `servers`, keyed by their `x-environment` names, so a client's
 * `environment` option always matches the hosts the spec documents.
 */
type Server = { url?: string; "x-environment"?: string };

function renderEnvironments(source: string, servers: Server[] = []): string {
  const entries = servers.map((server, index) => {
    const name = server["x-environment"];
    if (!name || !server.url) throw new Error(`${source}: servers[${index}] needs a url and an x-environment name`);
    return [name, server.url.replace(/\/+$/, "")] as const;
  });
  if (entries.length === 0) throw new Error(`${source}: servers must list at least one server`);
  return [
    "/** The hosts listed in the spec's `servers`, by their `x-environment` name. */",
    `export const environments = ${JSON.stringify(Object.fromEntries(entries), null, 2)} as const;`,
    "export type Environment = keyof typeof environments;",
    "/** The first server in the spec: where a client goes when given neither `baseUrl` nor `environment`. */",
    `export const defaultEnvironment: Environment = ${JSON.stringify(entries[0]?.[0])};`,
    "",
  ].join("\n");
}
