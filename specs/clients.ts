/**
 * How an API's client is shaped by its entry in the list and its spec: the credential
 * options (one per security scheme), the environments (from `servers`) and how each query
 * parameter is serialized (its `style`/`explode`). The code generator, the docs' samples,
 * the contract tests and the bench all read these rules here, so they cannot disagree.
 *
 * Credential options, per security scheme the spec's `security` uses:
 * - `apiKey` (header, query or cookie) takes `apiKey`;
 * - `http` bearer, `oauth2` and `openIdConnect` take `token` (sent as `Authorization: Bearer`);
 * - `http` basic takes `username` and `password`.
 * When two schemes would take the same option, each is named after its header or parameter
 * (apiKey) or its scheme name (the others), without a leading `X-`: `X-App-Id` -> `appId`.
 * `x-commerce-api.credentials` in redocly.yaml renames one explicitly (`{ <scheme>: <option> }`).
 * Any other scheme (`mutualTLS`, `http` digest, ...) is kept as "unsupported": a client whose
 * every alternative needs one refuses to be created, saying so.
 */

// What a generated client hands the runtime: the runtime's own type, defined once there.
import type { CredentialScheme } from "../packages/runtime/src/credentials.ts";

export type { CredentialScheme };

/** The small part of an OpenAPI document these rules read. */
export interface OpenApiDocument {
  servers?: {
    url?: string;
    description?: string;
    "x-environment"?: string;
    variables?: Record<string, { default?: unknown }>;
  }[];
  security?: Record<string, unknown>[];
  paths?: Record<string, Record<string, unknown>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

export interface ClientSecurity {
  /** Every scheme a security requirement (the document's or an operation's) names, in the order the spec defines them. */
  schemes: CredentialScheme[];
  /** The alternatives: each is the schemes to send together. Empty: no credentials needed. */
  alternatives: string[][];
}

export interface QueryStyle {
  style: string;
  explode: boolean;
  allowReserved?: boolean;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** `acme-pay` -> `AcmePay`, `DirectScale` -> `DirectScale`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => `${word[0]?.toUpperCase()}${word.slice(1)}`)
    .join("");
}

/** `X-App-Id` -> `appId`, `api_key` -> `apiKey`, `SubscriptionKey` -> `subscriptionKey`, `OAuth` -> `oauth`. */
export function camelCase(name: string): string {
  const words = name
    .replace(/^x-/i, "")
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  return words.map((word, index) => (index === 0 ? word : `${word[0]?.toUpperCase()}${word.slice(1)}`)).join("");
}

/** `appToken` -> `APP_TOKEN`: how an option is spelled as an environment variable. */
export function constantCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

/** A `#/...` reference inside the document, or the value itself. */
export function resolveRef<T>(document: object, value: T): T {
  let current: unknown = value;
  for (let hops = 0; hops < 32; hops++) {
    const ref = (current as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== "string") return current as T;
    if (!ref.startsWith("#/")) throw new Error(`only local $refs can be read here, not "${ref}"`);
    current = ref
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    if (current === undefined) throw new Error(`$ref "${ref}" points at nothing`);
  }
  throw new Error("$ref chain longer than 32 hops");
}

/** Every operation as `[METHOD, path, operation, pathItem]`, in document order. */
export function operationsOf(
  document: OpenApiDocument,
): [method: string, path: string, operation: Record<string, unknown>, pathItem: Record<string, unknown>][] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) => {
    const pathItem = resolveRef(document, item);
    return HTTP_METHODS.filter((method) => typeof pathItem[method] === "object").map(
      (method) => [method.toUpperCase(), path, pathItem[method] as Record<string, unknown>, pathItem] as const,
    ) as [string, string, Record<string, unknown>, Record<string, unknown>][];
  });
}

/** The document's security alternatives, or (without a top-level `security`) every distinct one its operations name. */
function securityAlternatives(document: OpenApiDocument): string[][] {
  const requirements =
    document.security ??
    operationsOf(document).flatMap(([, , operation]) => (operation.security as Record<string, unknown>[]) ?? []);
  const seen = new Set<string>();
  const alternatives: string[][] = [];
  for (const requirement of requirements) {
    const schemes = Object.keys(requirement);
    const key = JSON.stringify(schemes);
    if (!seen.has(key)) alternatives.push(schemes);
    seen.add(key);
  }
  return alternatives;
}

type RawScheme = { type?: string; in?: string; name?: string; scheme?: string };

/**
 * The client's credential options and the alternatives the spec accepts. `renames` is the
 * API's `x-commerce-api.credentials` (scheme name -> option); `where` names the spec in errors.
 */
export function clientSecurity(
  document: OpenApiDocument,
  where: string,
  renames: Readonly<Record<string, string>> = {},
): ClientSecurity {
  const alternatives = securityAlternatives(document);
  // Options for every scheme any operation names, so a client can call each one.
  const operationSchemes = operationsOf(document).flatMap(([, , operation]) =>
    ((operation.security as Record<string, unknown>[]) ?? []).flatMap(Object.keys),
  );
  const used = new Set([...alternatives.flat(), ...operationSchemes]);
  const defined = document.components?.securitySchemes ?? {};
  for (const name of [...used, ...Object.keys(renames)]) {
    if (!Object.hasOwn(defined, name)) {
      throw new Error(
        `${where}: security names the scheme "${name}", which components.securitySchemes does not define`,
      );
    }
  }
  const raw = Object.keys(defined)
    .filter((name) => used.has(name))
    .map((name) => [name, resolveRef(document, defined[name]) as RawScheme] as const);
  const kindOf = ({ type, scheme }: RawScheme) => {
    if (type === "apiKey") return "apiKey";
    if (type === "oauth2" || type === "openIdConnect") return "bearer";
    if (type === "http" && /^bearer$/i.test(scheme ?? "")) return "bearer";
    if (type === "http" && /^basic$/i.test(scheme ?? "")) return "basic";
    return "unsupported";
  };
  const defaultOption = { apiKey: "apiKey", bearer: "token", basic: "" } as const;
  const sharing = new Map<string, number>();
  for (const [name, scheme] of raw) {
    const kind = kindOf(scheme);
    if (kind !== "unsupported" && !renames[name]) sharing.set(kind, (sharing.get(kind) ?? 0) + 1);
  }
  const schemes = raw.map(([name, scheme]): CredentialScheme => {
    const kind = kindOf(scheme);
    const alone = (sharing.get(kind) ?? 0) <= 1;
    if (kind === "apiKey") {
      if (!scheme.name || !["header", "query", "cookie"].includes(scheme.in ?? "")) {
        throw new Error(`${where}: the apiKey scheme "${name}" needs a name and an \`in\` of header, query or cookie`);
      }
      const option = renames[name] ?? (alone ? defaultOption.apiKey : camelCase(scheme.name));
      return { scheme: name, type: "apiKey", option, in: scheme.in as "header", name: scheme.name };
    }
    if (kind === "bearer")
      return { scheme: name, type: "bearer", option: renames[name] ?? (alone ? "token" : camelCase(name)) };
    if (kind === "basic") {
      const prefix = renames[name] ?? (alone ? "" : camelCase(name));
      const option = (suffix: string) => (prefix ? `${prefix}${pascalCase(suffix)}` : suffix);
      return { scheme: name, type: "basic", username: option("username"), password: option("password") };
    }
    const what = scheme.type === "http" ? `http ${scheme.scheme ?? "(no scheme)"}` : String(scheme.type);
    return { scheme: name, type: "unsupported", reason: `${what} credentials cannot be sent by a generated client` };
  });
  const owners = new Map<string, string>();
  for (const scheme of schemes) {
    for (const option of credentialOptionsOf(scheme)) {
      const other = owners.get(option);
      if (other) {
        throw new Error(
          `${where}: the schemes "${other}" and "${scheme.scheme}" would both take the option "${option}"; name one in x-commerce-api.credentials`,
        );
      }
      owners.set(option, scheme.scheme);
    }
  }
  return { schemes, alternatives };
}

/** The client options a scheme takes (none for one a client cannot send). */
export function credentialOptionsOf(scheme: CredentialScheme): string[] {
  if (scheme.type === "basic") return [scheme.username, scheme.password];
  return scheme.type === "unsupported" ? [] : [scheme.option];
}

/**
 * The client's environments, by name, from the spec's `servers`: each server's
 * `x-environment`, else the first word of its description (`Sandbox server` -> `sandbox`),
 * else the first label of its host, else `default`; a name already taken gets `-2`, `-3`...
 * Server variables take their `default`. A spec without servers gets `default`: `/`.
 * URLs may be relative (the client then needs a `baseUrl`, or a page to resolve against).
 */
export function serverEnvironments(document: OpenApiDocument, where: string): [name: string, url: string][] {
  const servers = document.servers?.length ? document.servers : [{ url: "/" }];
  const environments: [string, string][] = [];
  servers.forEach((server, index) => {
    if (typeof server.url !== "string") throw new Error(`${where}: servers[${index}] has no url`);
    const url = server.url.replace(/\{([^}]*)\}/g, (_match, variable: string) => {
      const value = server.variables?.[variable]?.default;
      if (typeof value !== "string") {
        throw new Error(`${where}: servers[${index}] uses {${variable}}, which its variables give no default`);
      }
      return value;
    });
    const host = URL.canParse(url) ? new URL(url).hostname.split(".")[0] : undefined;
    const derived = server.description?.match(/^[A-Za-z][A-Za-z0-9]*/)?.[0]?.toLowerCase() ?? host ?? "default";
    const base = server["x-environment"] ?? derived;
    let name = base;
    for (let suffix = 2; environments.some(([taken]) => taken === name); suffix++) name = `${base}-${suffix}`;
    environments.push([name, url.length > 1 ? url.replace(/\/+$/, "") : url]);
  });
  return environments;
}

/**
 * The query parameters whose serialization differs from openapi-fetch's default (arrays
 * `form` exploded, objects `deepObject`), per operation (`GET /path`). OpenAPI's default is
 * `form`, exploded when the style is `form`; an object parameter without a style is therefore
 * sent as `a=1&b=2`, not `filter[a]=1`.
 */
export function queryStyles(document: OpenApiDocument): Record<string, Record<string, QueryStyle>> {
  const styles: Record<string, Record<string, QueryStyle>> = {};
  for (const [method, path, operation, pathItem] of operationsOf(document)) {
    const parameters = new Map<string, Record<string, unknown>>();
    for (const listed of [
      ...((pathItem.parameters as unknown[]) ?? []),
      ...((operation.parameters as unknown[]) ?? []),
    ]) {
      const parameter = resolveRef(document, listed) as Record<string, unknown>;
      if (parameter.in === "query") parameters.set(String(parameter.name), parameter);
    }
    for (const [name, parameter] of parameters) {
      const style = typeof parameter.style === "string" ? parameter.style : "form";
      const explode = typeof parameter.explode === "boolean" ? parameter.explode : style === "form";
      const allowReserved = parameter.allowReserved === true;
      const type = (resolveRef(document, parameter.schema) as { type?: unknown } | undefined)?.type;
      const differs =
        allowReserved ||
        (type === "array" && (style !== "form" || !explode)) ||
        (type === "object" && style !== "deepObject");
      if (!differs) continue;
      styles[`${method} ${path}`] ??= {};
      (styles[`${method} ${path}`] as Record<string, QueryStyle>)[name] = {
        style,
        explode,
        ...(allowReserved && { allowReserved }),
      };
    }
  }
  return styles;
}

/**
 * The client options of the first security alternative a client can send (none when the spec
 * asks for no credentials): what a live run needs to be given.
 */
export function liveCredentialOptions(
  document: OpenApiDocument,
  where: string,
  renames: Readonly<Record<string, string>> = {},
): string[] {
  const { schemes, alternatives } = clientSecurity(document, where, renames);
  const sendable = alternatives
    .map((alternative) => alternative.map((name) => schemes.find((scheme) => scheme.scheme === name)))
    .find((alternative) => alternative.every((scheme) => scheme && scheme.type !== "unsupported"));
  if (alternatives.length > 0 && !sendable) {
    throw new Error(`${where}: every security alternative needs a scheme a client cannot send`);
  }
  return (sendable ?? []).flatMap((scheme) => (scheme ? credentialOptionsOf(scheme) : []));
}

/** The environment variable a client option of an API is read from: `<API>_<OPTION>`. */
export const credentialVariable = (apiName: string, option: string): string =>
  `${constantCase(apiName)}_${constantCase(option)}`;

/**
 * The environment variables a live contract run reads an API's credentials from
 * (`DIRECTSCALE_API_KEY`, `VOUCHERIFY_APP_ID`), one per liveCredentialOptions option.
 * A spec package's `contract:live` task passes exactly these through.
 */
export function credentialVariables(
  apiName: string,
  document: OpenApiDocument,
  where: string,
  renames: Readonly<Record<string, string>> = {},
): string[] {
  return liveCredentialOptions(document, where, renames).map((option) => credentialVariable(apiName, option));
}
