/**
 * The code samples (`x-codeSamples`) the reference pages show for every operation: a curl
 * command and a TypeScript call through the API's client package. They are derived from the
 * bundled spec on every docs build and injected into the docs' own copy of it, so they can
 * neither drift from the spec nor end up in the hand-written source.
 */
import {
  type ApiDefinition,
  type OpenApiDocument as ClientDocument,
  clientSecurity,
  constantCase,
  credentialOptionsOf,
} from "@commerce-api/specs";
import {
  type CodeSample,
  exampleForParameter,
  exampleForSchema,
  firstNamedExample,
  listOperations,
  type OpenApiDocument,
  type OperationRef,
  type ParameterObject,
  parametersOf,
  preferredMediaType,
  productionServerUrl,
  type Reference,
  resolve,
  type SchemaObject,
  type SecurityRequirement,
} from "./openapi.ts";

/** What the TypeScript sample needs to know about the API's client package (an entry of the API list). */
export type ClientPackage = Pick<ApiDefinition, "factoryName" | "packageName" | "credentialOptions">;

export interface SampleOptions {
  /** Where the request goes (no trailing slash). */
  baseUrl: string;
  /** Extra request headers, e.g. a mock's `Prefer`. */
  headers?: Record<string, string>;
}

/** One credential from a security requirement, as client options and as raw HTTP. */
interface Credential {
  /** The client factory options that carry it (`apiKey`; `username` and `password`), with what to type instead. */
  options: { option: string; placeholder: string }[];
  /** Where it travels: a header, the query, a cookie, or curl's `--user` (HTTP basic). */
  in: "header" | "query" | "cookie" | "user";
  /** Header, query or cookie name. */
  name: string;
  /** The raw value, placeholders included: `YOUR_API_KEY`, `Bearer YOUR_TOKEN`. */
  value: string;
}

/** The values a sample request sends, all taken from the spec's examples. */
interface RequestParts {
  path: Record<string, unknown>;
  query: { parameter: ParameterObject; value: unknown }[];
  headers: Record<string, unknown>;
  body?: { mediaType: string; value: unknown; schema?: SchemaObject | Reference };
}

/**
 * The credentials of a security requirement (the first alternative, the one a client
 * configures), with the option names the client package takes (specs/clients.ts).
 */
function credentialsFor(
  document: OpenApiDocument,
  requirement: SecurityRequirement | undefined,
  renames: Record<string, string> = {},
): Credential[] {
  const { schemes } = clientSecurity(document as ClientDocument, "the spec", renames);
  return Object.keys(requirement ?? {}).flatMap((schemeName): Credential[] => {
    const scheme = schemes.find((candidate) => candidate.scheme === schemeName);
    if (!scheme) throw new Error(`security requirement names an undefined scheme "${schemeName}"`);
    const options = credentialOptionsOf(scheme).map((option) => ({
      option,
      placeholder: `YOUR_${constantCase(option)}`,
    }));
    const [first, second] = options.map(({ placeholder }) => placeholder);
    if (scheme.type === "apiKey") return [{ options, in: scheme.in, name: scheme.name, value: `${first}` }];
    if (scheme.type === "bearer") return [{ options, in: "header", name: "Authorization", value: `Bearer ${first}` }];
    if (scheme.type === "basic") return [{ options, in: "user", name: "", value: `${first}:${second}` }];
    return [];
  });
}

function operationCredentials(document: OpenApiDocument, target: OperationRef): Credential[] {
  return credentialsFor(document, (target.operation.security ?? document.security)?.[0]);
}

/**
 * Path parameters, required query and header parameters (credentials excluded: the client
 * sends those) and the request body: the operation's first named request example, else its
 * `example`, else (for a required body) a value built from the schema.
 */
function requestParts(document: OpenApiDocument, target: OperationRef): RequestParts {
  const credentialHeaders = new Set(
    operationCredentials(document, target).map((credential) => credential.name.toLowerCase()),
  );
  const parts: RequestParts = { path: {}, query: [], headers: {} };
  for (const parameter of parametersOf(document, target)) {
    if (parameter.in === "path") parts.path[parameter.name] = exampleForParameter(document, parameter);
    else if (!parameter.required) continue;
    else if (parameter.in === "query") parts.query.push({ parameter, value: exampleForParameter(document, parameter) });
    else if (parameter.in === "header" && !credentialHeaders.has(parameter.name.toLowerCase())) {
      parts.headers[parameter.name] = exampleForParameter(document, parameter);
    }
  }
  if (target.operation.requestBody) {
    const requestBody = resolve(document, target.operation.requestBody);
    const [mediaType, media] = preferredMediaType(requestBody.content) ?? [];
    if (mediaType && media) {
      const named = firstNamedExample(document, media.examples);
      const { schema } = media;
      if (named) parts.body = { mediaType, value: named.value, schema };
      else if (media.example !== undefined) parts.body = { mediaType, value: media.example, schema };
      else if (requestBody.required)
        parts.body = { mediaType, value: exampleForSchema(document, media.schema, "body"), schema };
    }
  }
  return parts;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A body example as a typed client call takes it. A form's example is all strings (a form
 * carries nothing else); they become the booleans, numbers and lists its schema declares, which
 * openapi-fetch writes back as the same strings. A field the schema does not declare (a vendor's
 * stale example) is left out, as the client's types refuse it; Redoc's own panel still shows
 * the example as written.
 */
function asTyped(
  document: OpenApiDocument,
  value: unknown,
  schemaOrRef: SchemaObject | Reference | undefined,
): unknown {
  if (schemaOrRef === undefined) return value;
  const schema = resolve(document, schemaOrRef);
  const parts = [schema, ...(schema.allOf ?? []).map((part) => resolve(document, part))];
  const types = new Set(parts.flatMap((part) => (part.type === undefined ? [] : [part.type].flat())));
  const items = parts.find((part) => part.items)?.items;
  if (isPlainObject(value)) {
    const properties: Record<string, SchemaObject | Reference> = Object.assign(
      {},
      ...parts.map((part) => part.properties ?? {}),
    );
    // No declared fields, or more allowed: a map whose keys are all the example's own.
    if (Object.keys(properties).length === 0 || parts.some((part) => part.additionalProperties)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key in properties)
        .map(([key, field]) => [key, asTyped(document, field, properties[key])]),
    );
  }
  if (Array.isArray(value)) return value.map((item) => asTyped(document, item, items));
  if (typeof value === "string" && !types.has("string")) {
    if (types.has("array")) return [asTyped(document, value, items)];
    if (types.has("boolean") && (value === "true" || value === "false")) return value === "true";
    const number = Number(value);
    if ((types.has("integer") || types.has("number")) && value.trim() !== "" && Number.isFinite(number)) return number;
  }
  return value;
}

/** Adds a query parameter the way OpenAPI's `style`/`explode` (default: form, exploded) say. */
function appendQuery(search: URLSearchParams, parameter: ParameterObject, value: unknown): void {
  const style = parameter.style ?? "form";
  const explode = parameter.explode ?? style === "form";
  const separator = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
  if (Array.isArray(value)) {
    if (explode) for (const item of value) search.append(parameter.name, String(item));
    else search.append(parameter.name, value.map(String).join(separator));
  } else if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (style === "deepObject")
      for (const [key, item] of entries) search.append(`${parameter.name}[${key}]`, String(item));
    else if (explode) for (const [key, item] of entries) search.append(key, String(item));
    else search.append(parameter.name, entries.flat().map(String).join(","));
  } else {
    search.append(parameter.name, String(value));
  }
}

/** Single-quotes for POSIX shells: nothing inside is expanded. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function serializeBody({ mediaType, value }: { mediaType: string; value: unknown }): string {
  if (/json/.test(mediaType)) return JSON.stringify(value, null, 2);
  if (mediaType === "application/x-www-form-urlencoded" && isPlainObject(value)) {
    return new URLSearchParams(Object.entries(value).map(([key, item]) => [key, String(item)])).toString();
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The operation's path with its path parameters' example values filled in. */
function filledPath(target: OperationRef, parts: RequestParts): string {
  return target.path.replace(/\{([^}]+)\}/g, (placeholder, name: string) =>
    name in parts.path ? encodeURIComponent(String(parts.path[name])) : placeholder,
  );
}

/** A curl command for the operation, with the spec's example values and placeholder credentials. */
export function curlSample(document: OpenApiDocument, target: OperationRef, options: SampleOptions): string {
  const parts = requestParts(document, target);
  const credentials = operationCredentials(document, target);
  const path = filledPath(target, parts);
  const search = new URLSearchParams();
  for (const { parameter, value } of parts.query) appendQuery(search, parameter, value);
  for (const credential of credentials.filter((candidate) => candidate.in === "query")) {
    search.append(credential.name, credential.value);
  }
  const query = search.size > 0 ? `?${search}` : "";
  const lines = [
    `curl --request ${target.method.toUpperCase()}`,
    `--url ${shellQuote(options.baseUrl + path + query)}`,
  ];
  for (const { in: where, name, value } of credentials) {
    if (where === "header") lines.push(`--header ${shellQuote(`${name}: ${value}`)}`);
    if (where === "cookie") lines.push(`--cookie ${shellQuote(`${name}=${value}`)}`);
    if (where === "user") lines.push(`--user ${shellQuote(value)}`);
  }
  const headers = { ...parts.headers, ...options.headers };
  for (const [name, value] of Object.entries(headers)) lines.push(`--header ${shellQuote(`${name}: ${value}`)}`);
  if (parts.body) {
    lines.push(`--header ${shellQuote(`Content-Type: ${parts.body.mediaType}`)}`);
    lines.push(`--data ${shellQuote(serializeBody(parts.body))}`);
  }
  return lines.join(" \\\n  ");
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const propertyKey = (key: string) => (IDENTIFIER.test(key) ? key : JSON.stringify(key));

function inlineLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${inlineLiteral(item)}`).join(", ")} }`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/**
 * A TypeScript literal for a JSON value: on one line when that line (`lead` characters are
 * already on it, a trailing comma follows) stays within 80 columns, else one entry per line.
 */
function tsLiteral(value: unknown, indent: string, lead: number): string {
  const inline = inlineLiteral(value);
  if (lead + inline.length + 1 <= 80 || !(Array.isArray(value) || isPlainObject(value))) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${tsLiteral(item, inner, inner.length)},`).join("\n")}\n${indent}]`;
  }
  const properties = Object.entries(value).map(([key, item]) => {
    const head = `${inner}${propertyKey(key)}: `;
    return `${head}${tsLiteral(item, inner, head.length)},`;
  });
  return `{\n${properties.join("\n")}\n${indent}}`;
}

/** The request the samples send, as data, for tools that replay it (the bench). Credentials are placeholders. */
export interface SampleRequest {
  /** The operation's path template, e.g. `/v1/orders/{orderId}`. */
  path: string;
  /** Path and required query parameters, from the spec's examples, as openapi-fetch takes them. */
  params: { path: Record<string, unknown>; query: Record<string, unknown> };
  /** The path filled in, with the query string (query credentials included): `/v1/orders/7?limit=10`. */
  url: string;
  /** The credentials as the client package's options (`{ apiKey: "YOUR_API_KEY" }`)... */
  options: Record<string, string>;
  /** ...and as the raw headers (credentials sent in a header or cookie) with the required header parameters. */
  headers: Record<string, string>;
}

export function sampleRequest(document: OpenApiDocument, client: ClientPackage, target: OperationRef): SampleRequest {
  const parts = requestParts(document, target);
  const credentials = credentialsFor(
    document,
    (target.operation.security ?? document.security)?.[0],
    client.credentialOptions,
  );
  const search = new URLSearchParams();
  for (const { parameter, value } of parts.query) appendQuery(search, parameter, value);
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(parts.headers).map(([name, value]) => [name, String(value)]),
  );
  const cookies: string[] = [];
  for (const { in: where, name, value } of credentials) {
    if (where === "query") search.append(name, value);
    if (where === "header") headers[name] = value;
    if (where === "cookie") cookies.push(`${name}=${value}`);
    if (where === "user") headers.Authorization = `Basic ${Buffer.from(value).toString("base64")}`;
  }
  if (cookies.length > 0) headers.Cookie = cookies.join("; ");
  const path = filledPath(target, parts);
  return {
    path: target.path,
    params: {
      path: parts.path,
      query: Object.fromEntries(parts.query.map(({ parameter, value }) => [parameter.name, value])),
    },
    url: `${path}${search.size > 0 ? `?${search}` : ""}`,
    options: Object.fromEntries(
      credentials.flatMap(({ options }) => options.map(({ option, placeholder }) => [option, placeholder])),
    ),
    headers,
  };
}

/**
 * A TypeScript program that calls the operation through the client package:
 * `client.<METHOD>("<path>", { params, body })`, openapi-fetch style.
 */
export function typeScriptSample(
  document: OpenApiDocument,
  client: ClientPackage,
  target: OperationRef,
  options: SampleOptions,
): string {
  const factory = client.factoryName;
  // The operation's own requirement, as the curl sample's (a spec may secure each operation
  // apart); for an operation open to all, the API's, which the client is still created with.
  const requirement = [target.operation.security, document.security].find(
    (alternatives) => alternatives?.[0] && Object.keys(alternatives[0]).length > 0,
  )?.[0];
  const credentials = credentialsFor(document, requirement, client.credentialOptions);
  const parts = requestParts(document, target);

  const params: Record<string, Record<string, unknown>> = {};
  if (Object.keys(parts.path).length > 0) params.path = parts.path;
  if (parts.query.length > 0) {
    params.query = Object.fromEntries(parts.query.map(({ parameter, value }) => [parameter.name, value]));
  }
  if (Object.keys(parts.headers).length > 0) params.header = parts.headers;
  const init: Record<string, unknown> = {};
  if (Object.keys(params).length > 0) init.params = params;
  if (parts.body) init.body = asTyped(document, parts.body.value, parts.body.schema);
  // openapi-fetch sends a body as JSON unless told it is a form (it then encodes the fields).
  const form = parts.body?.mediaType === "application/x-www-form-urlencoded";
  if (options.headers || form) {
    init.headers = { ...(form && { "Content-Type": parts.body?.mediaType }), ...options.headers };
  }
  const call = `const { data, error, response } = await client.${target.method.toUpperCase()}(${JSON.stringify(target.path)}`;
  const args = Object.keys(init).length > 0 ? `, ${tsLiteral(init, "", call.length + 2)});` : ");";

  return [
    `import { ${factory} } from ${JSON.stringify(client.packageName)};`,
    "",
    `const client = ${factory}({`,
    ...credentials.flatMap(({ options }) =>
      options.map(({ option, placeholder }) => `  ${option}: ${JSON.stringify(placeholder)},`),
    ),
    `  baseUrl: ${JSON.stringify(options.baseUrl)},`,
    "});",
    "",
    `${call}${args}`,
    "",
    // By response.ok, not `if (error)`: for an API that documents no error response, error is
    // `never`, and narrowing on it would make response `never` too.
    "if (!response.ok) console.error(response.status, error);",
    "else console.log(data);",
    "",
  ].join("\n");
}

/** The call a first example makes: the spec's first GET (a read is safe to try), else its first operation. */
export function firstCall(document: OpenApiDocument): OperationRef | undefined {
  const operations = listOperations(document);
  return operations.find((operation) => operation.method === "get") ?? operations[0];
}

/** The samples for one operation, against the production server. */
export function codeSamplesFor(document: OpenApiDocument, client: ClientPackage, target: OperationRef): CodeSample[] {
  const options = { baseUrl: productionServerUrl(document, target) };
  return [
    { lang: "curl", label: "curl", source: curlSample(document, target, options) },
    { lang: "TypeScript", label: "TypeScript", source: typeScriptSample(document, client, target, options) },
  ];
}

/**
 * A copy of `document` with generated `x-codeSamples` on every operation. Samples already in
 * the spec are replaced: the generated ones are the only source.
 */
export function withCodeSamples(document: OpenApiDocument, client: ClientPackage): OpenApiDocument {
  const copy = structuredClone(document);
  for (const target of listOperations(copy)) {
    target.operation["x-codeSamples"] = codeSamplesFor(copy, client, target);
  }
  return copy;
}
