import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import {
  type ApiDefinition,
  type CredentialScheme,
  clientSecurity,
  credentialOptionsOf,
  type OpenApiDocument,
  queryStyles,
  serverEnvironments,
} from "../../specs/index.ts";

/**
 * The TypeScript types for one API, from its bundled spec. Pure and deterministic:
 * the same spec always gives the same bytes (no dates, no absolute paths).
 */
export async function renderTypes(api: ApiDefinition): Promise<string> {
  return renderTypesOf(JSON.parse(await readFile(api.bundlePath, "utf8")), api.specFile);
}

/** Every file `generate` writes for an API, with its content: its types and its client core. */
export async function generatedFiles(api: ApiDefinition): Promise<[path: string, content: string][]> {
  return [
    [api.typesPath, await renderTypes(api)],
    [api.clientPath, await renderClient(api)],
  ];
}

/** The same types for any bundled document (a released spec, say); `source` names it in the header. */
export async function renderTypesOf(spec: OpenAPI3, source: string): Promise<string> {
  const nodes = await openapiTS(spec, {
    // `export type Order = components["schemas"]["Order"]` for every component.
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    alphabetize: false,
    // An object schema without properties takes any (JSON Schema's meaning; vendor specs use it
    // for maps of links and free-form details), where openapi-typescript would say
    // Record<string, never> and refuse every documented example of it.
    emptyObjectsUnknown: true,
  });
  return [
    `// Generated from ${source} by scripts/generate.ts (openapi-typescript). Do not edit:`,
    "// change the spec and run `pnpm generate`.",
    "",
    astToString(nodes),
    renderEnvironments(source, spec as OpenApiDocument),
  ].join("\n");
}

/**
 * The spec's `servers`, keyed by environment name (specs/clients.ts), so a client's
 * `environment` option always matches the hosts the spec documents.
 */
function renderEnvironments(source: string, spec: OpenApiDocument): string {
  const entries = serverEnvironments(spec, source);
  return [
    "/** The hosts listed in the spec's `servers`, by environment name. */",
    `export const environments = ${JSON.stringify(Object.fromEntries(entries), null, 2)} as const;`,
    "export type Environment = keyof typeof environments;",
    "/** The first server in the spec: where a client goes when given neither `baseUrl` nor `environment`. */",
    `export const defaultEnvironment: Environment = ${JSON.stringify(entries[0]?.[0])};`,
    "",
  ].join("\n");
}

/** Text safe inside a `/** ... *\/` comment. */
const commentText = (text: string) => text.replaceAll("*/", "*\\/").replace(/\s+/g, " ").trim();

function credentialDoc(scheme: CredentialScheme, option: string): string {
  if (scheme.type === "apiKey")
    return `Sent as the \`${scheme.name}\` ${scheme.in} (security scheme \`${scheme.scheme}\`).`;
  if (scheme.type === "bearer")
    return `Sent as \`Authorization: Bearer <${option}>\` (security scheme \`${scheme.scheme}\`).`;
  return `Sent with the ${option === "username" || option.endsWith("Username") ? "password" : "username"} as HTTP basic \`Authorization\` (security scheme \`${scheme.scheme}\`).`;
}

/**
 * The client package's core, `src/generated/client.ts`: `create<Name>Client`, its options
 * (the shared ones plus one per credential the spec's security schemes ask for) and its
 * client type. Everything specific to the API is data from the spec handed to the runtime.
 */
export async function renderClient(api: ApiDefinition): Promise<string> {
  return renderClientOf(JSON.parse(await readFile(api.bundlePath, "utf8")), api);
}

export function renderClientOf(
  spec: OpenApiDocument & { info?: { title?: string } },
  api: Pick<
    ApiDefinition,
    "clientName" | "factoryName" | "packageName" | "specFile" | "credentialOptions" | "typesPath"
  >,
): string {
  const security = clientSecurity(spec, api.specFile, api.credentialOptions);
  // An option is required only when every alternative needs it.
  const required = (option: string) =>
    security.alternatives.length > 0 &&
    security.alternatives.every((alternative) =>
      alternative.some((name) => {
        const scheme = security.schemes.find((candidate) => candidate.scheme === name);
        return scheme !== undefined && credentialOptionsOf(scheme).includes(option);
      }),
    );
  const options = security.schemes.flatMap((scheme) =>
    credentialOptionsOf(scheme).map((option) => [
      `  /** ${commentText(credentialDoc(scheme, option))} */`,
      `  ${option}${required(option) ? "" : "?"}: string;`,
    ]),
  );
  const anyRequired = security.schemes.some((scheme) => credentialOptionsOf(scheme).some(required));
  const config = {
    factoryName: api.factoryName,
    packageName: api.packageName,
    credentials: security.schemes,
    security: security.alternatives,
  };
  const styles = queryStyles(spec);
  const styled = Object.keys(styles).length > 0;
  // The data as a JSON object literal, open at its end for the values imported beside it.
  const configStart = JSON.stringify(config, null, 2).slice(0, -2);
  const title = commentText(spec.info?.title ?? api.clientName);
  const name = api.clientName;
  return [
    `// Generated from ${api.specFile} and redocly.yaml by scripts/generate.ts. Do not edit:`,
    "// change the spec and run `pnpm generate`.",
    `import { type ApiConfig, type Client, type ClientOptions, createApiClient${styled ? ", queryStyleMiddleware" : ""} } from "@commerce-api/runtime";`,
    'import { packageVersion } from "../version.ts";',
    `import { defaultEnvironment, type Environment, environments, type paths } from "./${basename(api.typesPath)}";`,
    "",
    "/** What the client knows of its API, all from the spec: credentials, query styles, hosts. */",
    `const api: ApiConfig<Environment> = ${configStart},`,
    // Only a client whose spec needs it carries (and bundles) the query-style middleware.
    ...(styled
      ? [
          "  // The query parameters, per operation, that the spec serializes in their own style.",
          `  middleware: [queryStyleMiddleware(${JSON.stringify(styles, null, 2).replaceAll("\n", "\n  ")})],`,
        ]
      : []),
    "  packageVersion,",
    "  environments,",
    "  defaultEnvironment,",
    "};",
    "",
    `export interface ${name}ClientOptions extends ClientOptions<Environment> {`,
    ...options.flat(),
    "}",
    "",
    `/** A typed openapi-fetch client for ${title}: retries, timeouts, typed errors and credential redaction built in. */`,
    `export type ${name}Client = Client<paths>;`,
    "",
    `export function ${api.factoryName}(options: ${name}ClientOptions${anyRequired ? "" : " = {}"}): ${name}Client {`,
    "  return createApiClient<paths, Environment>(options, api);",
    "}",
    "",
  ].join("\n");
}
