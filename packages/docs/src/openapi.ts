/**
 * The small part of the OpenAPI 3.x object model the docs build reads, plus helpers to walk
 * a bundled document. Bundled documents keep internal `$ref`s (`#/components/...`), so every
 * read of a parameter, body, example or schema goes through `resolve`.
 */
import randexp from "randexp";

// randexp's types describe its `exports.default`, but its CommonJS `module.exports` (what a
// default import gets in Node) is the class itself.
const RandExp = randexp as unknown as typeof randexp.default;

export interface Reference {
  $ref: string;
}

export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string }>;
  "x-environment"?: string;
}

export interface ExampleObject {
  summary?: string;
  value?: unknown;
}

export interface SchemaObject {
  type?: string | string[];
  format?: string;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  items?: SchemaObject | Reference;
  properties?: Record<string, SchemaObject | Reference>;
  additionalProperties?: boolean | SchemaObject | Reference;
  required?: string[];
  allOf?: (SchemaObject | Reference)[];
  oneOf?: (SchemaObject | Reference)[];
  anyOf?: (SchemaObject | Reference)[];
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: SchemaObject | Reference;
  example?: unknown;
  examples?: Record<string, ExampleObject | Reference>;
}

export interface MediaTypeObject {
  schema?: SchemaObject | Reference;
  example?: unknown;
  examples?: Record<string, ExampleObject | Reference>;
}

export interface RequestBodyObject {
  required?: boolean;
  content?: Record<string, MediaTypeObject>;
}

export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaTypeObject>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface SecuritySchemeObject {
  type: "apiKey" | "http" | "oauth2" | "openIdConnect" | "mutualTLS";
  name?: string;
  in?: "header" | "query" | "cookie";
  scheme?: string;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: (ParameterObject | Reference)[];
  requestBody?: RequestBodyObject | Reference;
  responses?: Record<string, ResponseObject | Reference>;
  security?: SecurityRequirement[];
  servers?: ServerObject[];
  "x-codeSamples"?: CodeSample[];
}

export interface PathItemObject {
  parameters?: (ParameterObject | Reference)[];
  servers?: ServerObject[];
  [method: string]: unknown;
}

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary?: string; description?: string };
  servers?: ServerObject[];
  paths?: Record<string, PathItemObject>;
  components?: {
    securitySchemes?: Record<string, SecuritySchemeObject | Reference>;
    [section: string]: unknown;
  };
  security?: SecurityRequirement[];
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationRef {
  method: HttpMethod;
  path: string;
  pathItem: PathItemObject;
  operation: OperationObject;
}

/** Every operation in document order (paths, then methods in the order OpenAPI lists them). */
export function listOperations(document: OpenApiDocument): OperationRef[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, pathItem]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = pathItem[method] as OperationObject | undefined;
      return operation ? [{ method, path, pathItem, operation }] : [];
    }),
  );
}

function isReference(value: unknown): value is Reference {
  return typeof value === "object" && value !== null && typeof (value as Reference).$ref === "string";
}

/**
 * What Redoc titles an operation with, in its sidebar and heading: its summary, else its
 * operationId, else (Redoc's next choice, a description's first 50 characters, aside) its path.
 * The index page lists operations by the same label.
 */
export function operationLabel({ path, operation }: OperationRef): string {
  return operation.summary || operation.operationId || path;
}

/** Follows a chain of local `$ref`s; bundled documents have no other kind. */
export function resolve<T>(document: OpenApiDocument, value: T | Reference): T {
  let current: unknown = value;
  const seen = new Set<string>();
  while (isReference(current)) {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`Unexpected non-local $ref "${ref}" in a bundled document`);
    if (seen.has(ref)) throw new Error(`Circular $ref "${ref}"`);
    seen.add(ref);
    current = ref
      .slice(2)
      .split("/")
      .map((token) => decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    if (current === undefined) throw new Error(`Unresolvable $ref "${ref}"`);
  }
  return current as T;
}

/** The operation's parameters, path-level ones included unless the operation overrides them. */
export function parametersOf(document: OpenApiDocument, { pathItem, operation }: OperationRef): ParameterObject[] {
  const own = (operation.parameters ?? []).map((parameter) => resolve(document, parameter));
  const inherited = (pathItem.parameters ?? [])
    .map((parameter) => resolve(document, parameter))
    .filter(
      (parameter) => !own.some((candidate) => candidate.name === parameter.name && candidate.in === parameter.in),
    );
  return [...inherited, ...own];
}

/** The first entry of an `examples` map, resolved: `{ name, value }`, or undefined if there is none. */
export function firstNamedExample(
  document: OpenApiDocument,
  examples: Record<string, ExampleObject | Reference> | undefined,
): { name: string; value: unknown } | undefined {
  const [first] = Object.entries(examples ?? {});
  if (!first) return undefined;
  const example = resolve(document, first[1]);
  return example.value === undefined ? undefined : { name: first[0], value: example.value };
}

/** The media type a JSON client sends or expects: a JSON one if listed, else the first. */
export function preferredMediaType(
  content: Record<string, MediaTypeObject> | undefined,
): [string, MediaTypeObject] | undefined {
  const entries = Object.entries(content ?? {});
  return entries.find(([type]) => /^application\/(.+\+)?json\b/.test(type)) ?? entries[0];
}

/**
 * A plausible value for a schema, for samples: the schema's own example, default, const or
 * first enum value, else a value built from its type (objects get their required properties).
 */
export function exampleForSchema(
  document: OpenApiDocument,
  schemaOrRef: SchemaObject | Reference | undefined,
  name: string,
): unknown {
  const schema = resolve(document, schemaOrRef ?? {});
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.[0]) return exampleForSchema(document, alternatives[0], name);
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part) => exampleForSchema(document, part, name)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== "null") : schema.type;
  switch (type) {
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return [exampleForSchema(document, schema.items, name)];
    case "object":
      return Object.fromEntries(
        (schema.required ?? []).map((property) => [
          property,
          exampleForSchema(document, schema.properties?.[property], property),
        ]),
      );
    default:
      return stringFor(schema, name);
  }
}

/**
 * A string the schema accepts: one matching its `pattern` (the plainest: each choice its first,
 * each repeat its fewest, so the same every time), else a placeholder for its format or name,
 * padded or cut to its length bounds. A mock checks these (Twilio's `ServiceSid` is
 * `^VA[0-9a-fA-F]{32}$`), so a sample that ignored them would be refused.
 */
function stringFor(schema: SchemaObject, name: string): string {
  if (schema.pattern) {
    try {
      const plainest = new RandExp(new RegExp(schema.pattern, "u"));
      plainest.randInt = (low: number) => low;
      return plainest.gen();
    } catch {
      // A pattern JavaScript cannot read (another regex dialect): the placeholder, as without one.
    }
  }
  const placeholder = stringPlaceholder(schema.format, name);
  return placeholder.padEnd(schema.minLength ?? 0, "x").slice(0, schema.maxLength);
}

function stringPlaceholder(format: string | undefined, name: string): string {
  switch (format) {
    case "date-time":
      return "2024-01-01T00:00:00Z";
    case "date":
      return "2024-01-01";
    case "uuid":
      return "00000000-0000-0000-0000-000000000000";
    case "email":
      return "user@example.com";
    default:
      return name;
  }
}

/** A parameter's example: its own `example`, its first named example, else one from its schema. */
export function exampleForParameter(document: OpenApiDocument, parameter: ParameterObject): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const named = firstNamedExample(document, parameter.examples);
  if (named) return named.value;
  return exampleForSchema(document, parameter.schema, parameter.name);
}

/**
 * The production server: the one marked `x-environment: production`, else the first whose
 * description starts with "Production", else the first listed. Server variables take their
 * defaults. Operation- and path-level `servers` win over the document's, as in OpenAPI.
 */
export function productionServerUrl(document: OpenApiDocument, where?: OperationRef): string {
  const servers = where?.operation.servers ?? where?.pathItem.servers ?? document.servers ?? [];
  const server =
    servers.find((candidate) => candidate["x-environment"] === "production") ??
    servers.find((candidate) => /^production\b/i.test(candidate.description ?? "")) ??
    servers[0];
  if (!server) throw new Error("The spec lists no servers, so the samples have no host to call");
  const url = Object.entries(server.variables ?? {}).reduce(
    (result, [variable, { default: value }]) => result.replaceAll(`{${variable}}`, value),
    server.url,
  );
  return url.replace(/\/+$/, "");
}
