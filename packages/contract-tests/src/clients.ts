/**
 * The client each API's cases are sent through. An API with a client package uses that
 * package's factory (`x-commerce-api.package`, `create<Name>Client`), exactly as a user would
 * (dummy credentials against a mock, real ones live, no retries so a 429 case is seen as
 * sent). An API without one gets the runtime's client configured from its spec the way a
 * generated client is, so a third API in redocly.yaml gets its cases before its package exists.
 * Credentials come from `<API>_<OPTION>` variables: `DIRECTSCALE_API_KEY`, `VOUCHERIFY_APP_ID`.
 */
import { type ClientOptions, createApiClient, queryStyleMiddleware } from "@commerce-api/runtime";
import {
  type ApiDefinition,
  clientPackageDir,
  clientSecurity,
  credentialOptionsOf,
  credentialVariable,
  liveCredentialOptions,
  credentialVariables as liveCredentialVariables,
  type OpenApiDocument,
  queryStyles,
  serverEnvironments,
} from "@commerce-api/specs";
import type { LoadedSpec } from "./spec.ts";

/** The options of openapi-fetch's `request()` that the suite uses. */
export interface RequestInit {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, string> };
  body?: unknown;
  headers: Record<string, string | null>;
  parseAs: "json" | "text";
}

/**
 * openapi-fetch's `request(method, path, init)`, untyped: the cases are data read from the
 * spec at run time. The same requests and bodies are compiled against the generated types
 * in test/types.test.ts, which is where the client's types are held to the spec.
 */
export interface ContractClient {
  request(
    method: string,
    path: string,
    init: RequestInit,
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

/** The client options of the first alternative the spec accepts that a client can send (none: no credentials). */
const credentialOptions = (spec: LoadedSpec): string[] =>
  liveCredentialOptions(spec.document as OpenApiDocument, spec.api.specFile, spec.api.credentialOptions);

/**
 * The client options that meet every operation's own requirement: for each operation, those of
 * the first alternative it accepts that a client can send. Operations may each ask for another
 * scheme (an OAuth one here, an API key there), so against a mock each of those gets a dummy
 * value; alternatives an operation does not need are left out (a client may refuse two at once).
 */
function everyCredentialOption(spec: LoadedSpec): string[] {
  const document = spec.document as OpenApiDocument;
  const { schemes } = clientSecurity(document, spec.api.specFile, spec.api.credentialOptions);
  const byKey = new Map(schemes.map((scheme) => [scheme.scheme, scheme]));
  const sendable = (keys: string[]) => keys.every((key) => byKey.get(key) && byKey.get(key)?.type !== "unsupported");
  const needed = spec.operations.flatMap((operation) => {
    const alternative = operation.security.map((schemesOf) => schemesOf.map((scheme) => scheme.key)).find(sendable);
    return (alternative ?? []).flatMap((key) => {
      const scheme = byKey.get(key);
      return scheme ? credentialOptionsOf(scheme) : [];
    });
  });
  return [...new Set([...credentialOptions(spec), ...needed])];
}

/** Whether the API's cases go through its client package (false: the spec-configured runtime client). */
export const hasClientPackage = (api: ApiDefinition): boolean => clientPackageDir(api) !== undefined;

/** The environment variables an API's live credentials are read from (specs' rule, as its contract:live passes through). */
export const credentialVariables = (spec: LoadedSpec): string[] =>
  liveCredentialVariables(
    spec.api.name,
    spec.document as OpenApiDocument,
    spec.api.specFile,
    spec.api.credentialOptions,
  );

/** The variables of every credential the client can send: what a mock run fills with dummies. */
export const mockCredentialVariables = (spec: LoadedSpec): string[] =>
  everyCredentialOption(spec).map((option) => credentialVariable(spec.api.name, option));

type Factory = (options: ClientOptions<string> & Record<string, unknown>) => unknown;

async function packageFactory(api: ApiDefinition): Promise<Factory> {
  // Each client package is imported when its API's cases run, so a run for one API (a spec
  // package's) needs only that API's client built.
  const module = (await import(api.packageName).catch((error: unknown) => {
    throw new Error(
      `Add ${api.packageName} to the devDependencies of @commerce-api/contract-tests (and run pnpm install) to test it`,
      { cause: error },
    );
  })) as Record<string, unknown>;
  const factory = module[api.factoryName];
  if (typeof factory !== "function") throw new Error(`${api.packageName} does not export ${api.factoryName}`);
  return factory as Factory;
}

/** The runtime's client configured from the spec alone, as a generated client package would be. */
function specFactory(spec: LoadedSpec): Factory {
  const document = spec.document as OpenApiDocument;
  const { schemes, alternatives } = clientSecurity(document, spec.api.specFile, spec.api.credentialOptions);
  const environments = Object.fromEntries(serverEnvironments(document, spec.api.specFile));
  return (options) =>
    createApiClient(options, {
      factoryName: spec.api.factoryName,
      packageName: "@commerce-api/contract-tests",
      packageVersion: "0.0.0",
      environments,
      defaultEnvironment: Object.keys(environments)[0] ?? "",
      credentials: schemes,
      security: alternatives,
      middleware: [queryStyleMiddleware(queryStyles(document))],
    });
}

/** A client for `spec`'s API at `baseUrl`. */
export async function createContractClient(
  spec: LoadedSpec,
  baseUrl: string,
  credentials: Record<string, string>,
  options: { plain?: boolean } = {},
): Promise<ContractClient> {
  const factory = options.plain || !hasClientPackage(spec.api) ? specFactory(spec) : await packageFactory(spec.api);
  const given = everyCredentialOption(spec).flatMap((option) => {
    const value = credentials[credentialVariable(spec.api.name, option)];
    return value === undefined ? [] : [[option, value]];
  });
  // Typed clients are structurally this interface at run time; see ContractClient.
  return factory({ ...Object.fromEntries(given), baseUrl, maxRetries: 0 }) as ContractClient;
}
