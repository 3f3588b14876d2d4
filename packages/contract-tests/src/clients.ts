/**
 * The client each API's cases are sent through. An API with a client package uses that
 * package's factory, exactly as a user would (dummy credentials against a mock, real ones
 * live, no retries so a 429 case is seen as sent). An API without one gets a plain
 * openapi-fetch client that sends the credentials its spec's securitySchemes ask for, so a
 * third API in redocly.yaml gets its cases before anyone writes its client.
 */
import type { ApiDefinition } from "@commerce-api/specs";
import createClient from "openapi-fetch";
import type { LoadedSpec, SecurityScheme } from "./spec.ts";

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

interface ClientFactory {
  /** Environment variables with the live credentials, in the order `create` reads them. */
  credentials: string[];
  /** The client, or a promise of it. */
  create(baseUrl: string, credentials: Record<string, string>): unknown;
}

// Keyed by the package name redocly.yaml gives each API (x-commerce-api.package).
// Each client package is imported when its API's cases run, so a run for one API (a spec
// package's) needs only that API's client built.
const PACKAGE_CLIENTS: Record<string, ClientFactory> = {
  "@commerce-api/directscale": {
    credentials: ["DIRECTSCALE_API_KEY"],
    create: async (baseUrl, credentials) =>
      (await import("@commerce-api/directscale")).createDirectScaleClient({
        apiKey: String(credentials.DIRECTSCALE_API_KEY),
        baseUrl,
        maxRetries: 0,
      }),
  },
  "@commerce-api/voucherify": {
    credentials: ["VOUCHERIFY_APP_ID", "VOUCHERIFY_APP_TOKEN"],
    create: async (baseUrl, credentials) =>
      (await import("@commerce-api/voucherify")).createVoucherifyClient({
        appId: String(credentials.VOUCHERIFY_APP_ID),
        appToken: String(credentials.VOUCHERIFY_APP_TOKEN),
        baseUrl,
        maxRetries: 0,
      }),
  },
};

/** `SubscriptionKey` -> `SUBSCRIPTION_KEY`, `X-App-Id` -> `X_APP_ID`. */
const envName = (...parts: string[]) =>
  parts
    .map((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .toUpperCase(),
    )
    .join("_");

/** The first security alternative whose credentials all travel in headers, which the plain client can send. */
function headerSchemes(spec: LoadedSpec): SecurityScheme[] {
  const sendable = (scheme: SecurityScheme) =>
    (scheme.type === "apiKey" && scheme.in === "header") ||
    scheme.type === "http" ||
    scheme.type === "oauth2" ||
    scheme.type === "openIdConnect";
  const alternatives = spec.operations.map((operation) => operation.security).find((security) => security.length > 0);
  if (!alternatives) return [];
  const usable = alternatives.find((alternative) => alternative.every(sendable));
  if (!usable) {
    throw new Error(
      `${spec.api.title}: no security alternative uses header credentials; the plain client cannot send it`,
    );
  }
  return usable;
}

function plainClientFactory(spec: LoadedSpec): ClientFactory {
  const schemes = headerSchemes(spec);
  const variable = (scheme: SecurityScheme) => envName(spec.api.name, scheme.key);
  return {
    credentials: schemes.map(variable),
    create(baseUrl, credentials) {
      const headers: Record<string, string> = {};
      for (const scheme of schemes) {
        const value = credentials[variable(scheme)];
        if (value === undefined) continue;
        if (scheme.type === "apiKey") headers[scheme.name as string] = value;
        else if (scheme.type === "http" && scheme.scheme?.toLowerCase() === "basic") {
          headers.Authorization = `Basic ${Buffer.from(value).toString("base64")}`;
        } else headers.Authorization = `Bearer ${value}`;
      }
      return createClient({ baseUrl, headers });
    },
  };
}

function factoryFor(spec: LoadedSpec): ClientFactory {
  return PACKAGE_CLIENTS[spec.api.packageName] ?? plainClientFactory(spec);
}

/** Whether the API's cases go through its client package (false: the spec-derived plain client). */
export const hasClientPackage = (api: ApiDefinition): boolean => Object.hasOwn(PACKAGE_CLIENTS, api.packageName);

/** The environment variables an API's live credentials are read from. */
export const credentialVariables = (spec: LoadedSpec): string[] => factoryFor(spec).credentials;

/** A client for `spec`'s API at `baseUrl`. */
export async function createContractClient(
  spec: LoadedSpec,
  baseUrl: string,
  credentials: Record<string, string>,
  options: { plain?: boolean } = {},
): Promise<ContractClient> {
  const factory = options.plain ? plainClientFactory(spec) : factoryFor(spec);
  // Typed clients are structurally this interface at run time; see ContractClient.
  return (await factory.create(baseUrl, credentials)) as ContractClient;
}
