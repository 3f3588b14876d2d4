/**
 * Reads a bundled OpenAPI 3.1 document (specs/<name>/dist/<name>.json) into the few shapes the
 * contract suite needs: operations with their parameters, request bodies, documented
 * responses, named examples and security requirements, all with local `$ref`s followed.
 * Every schema keeps the JSON pointer it lives at, so a validator can compile it in place.
 */
import { readFileSync } from "node:fs";
import type { ApiDefinition } from "@commerce-api/specs";

export type Schema = { [keyword: string]: unknown };
type JsonObject = { [key: string]: unknown };

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** Methods that do not change state on the server: the only ones live mode runs without CONTRACT_ALLOW_WRITES. */
export const READ_ONLY_METHODS: ReadonlySet<HttpMethod> = new Set(["get", "head", "options"]);

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Schema;
  /** The parameter's own example (`example`, else the first of `examples`), if it documents one. */
  example?: unknown;
  hasExample: boolean;
}

/** One media type of a request body or response. */
export interface Content {
  mediaType: string;
  schema?: Schema;
  /** JSON pointer of `schema` in the bundled document. */
  schemaPointer?: string;
  /** Form fields whose `encoding` names a `style` (form and multipart bodies). */
  styledFields?: string[];
  /** Named examples, in document order (a bare `example` is named "default", as Prism names it), with where each value lives. */
  examples: { name: string; value: unknown; pointer: string }[];
}

export interface ResponseSpec {
  /** The key under `responses`: "200", "404", or a range/default such as "4XX". */
  status: string;
  content: Content[];
}

export interface SecurityScheme {
  /** The key under `components.securitySchemes`. */
  key: string;
  type: "apiKey" | "http" | "oauth2" | "openIdConnect" | "mutualTLS";
  /** For apiKey: where the key goes and under which name. */
  in?: "header" | "query" | "cookie";
  name?: string;
  /** For http: `bearer`, `basic`, ... */
  scheme?: string;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  path: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: Content[] };
  responses: ResponseSpec[];
  /** Alternatives (any one is enough); each lists the schemes sent together. Empty: no auth. */
  security: SecurityScheme[][];
  /** The path item or operation names its own `servers` (another host than the API's). */
  hasOwnServers: boolean;
}

export interface LoadedSpec {
  api: ApiDefinition;
  /** The file read: the API's bundle, or a mutated copy. */
  path: string;
  document: JsonObject;
  operations: Operation[];
}

const escapePointer = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");
const unescapePointer = (token: string) => token.replaceAll("~1", "/").replaceAll("~0", "~");

export function pointerTo(...tokens: string[]): string {
  return tokens.map((token) => `/${escapePointer(token)}`).join("");
}

/** The value at a JSON pointer (`/paths/~1v1~1orders/get`), or a clear error naming the pointer. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split("/").slice(1).map(unescapePointer)) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, token)) {
      throw new Error(`${pointer} does not exist in the document`);
    }
    node = (node as JsonObject)[token];
  }
  return node;
}

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Follows `$ref`s to local components; returns the object and the pointer it was found at. */
function follow(document: JsonObject, node: unknown, pointer: string): { value: JsonObject; pointer: string } {
  const seen = new Set<string>();
  let current = node;
  let at = pointer;
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`${at}: only local $refs are supported in a bundle (got ${ref})`);
    if (seen.has(ref)) throw new Error(`${at}: $ref cycle through ${ref}`);
    seen.add(ref);
    at = ref.slice(1);
    current = resolvePointer(document, at);
  }
  if (!isObject(current)) throw new Error(`${at} is not an object`);
  return { value: current, pointer: at };
}

function readContent(document: JsonObject, content: unknown, pointer: string): Content[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const media = follow(document, raw, `${pointer}${pointerTo(mediaType)}`);
    const examples = Object.entries(isObject(media.value.examples) ? media.value.examples : {}).map(
      ([name, example]) => {
        const resolved = follow(document, example, `${media.pointer}${pointerTo("examples", name)}`);
        if (!Object.hasOwn(resolved.value, "value")) {
          throw new Error(`${resolved.pointer}: only inline example values are supported (no externalValue)`);
        }
        return { name, value: resolved.value.value, pointer: `${resolved.pointer}/value` };
      },
    );
    // A bare `example` is the one Prism serves as "default" (`Prefer: example=default`).
    if (examples.length === 0 && Object.hasOwn(media.value, "example")) {
      examples.push({ name: "default", value: media.value.example, pointer: `${media.pointer}/example` });
    }
    const schema = isObject(media.value.schema) ? media.value.schema : undefined;
    const encoding = isObject(media.value.encoding) ? media.value.encoding : {};
    const styledFields = Object.keys(encoding).filter((field) => {
      const entry = encoding[field];
      return isObject(entry) && typeof entry.style === "string";
    });
    return {
      mediaType,
      examples,
      ...(styledFields.length > 0 && { styledFields }),
      ...(schema && { schema, schemaPointer: `${media.pointer}/schema` }),
    };
  });
}

function readParameter(document: JsonObject, raw: unknown, pointer: string): Parameter {
  const { value, pointer: at } = follow(document, raw, pointer);
  const location = value.in;
  if (location !== "path" && location !== "query" && location !== "header" && location !== "cookie") {
    throw new Error(`${at}: unknown parameter location ${String(location)}`);
  }
  const named = isObject(value.examples) ? Object.keys(value.examples) : [];
  const first = named[0];
  const hasExample = Object.hasOwn(value, "example") || first !== undefined;
  const example =
    first === undefined
      ? value.example
      : follow(document, (value.examples as JsonObject)[first], `${at}/examples/${first}`).value.value;
  return {
    name: String(value.name),
    in: location,
    required: value.required === true,
    schema: isObject(value.schema) ? value.schema : {},
    hasExample,
    ...(hasExample && { example }),
  };
}

function readSecurity(document: JsonObject, requirements: unknown): SecurityScheme[][] {
  if (!Array.isArray(requirements)) return [];
  const schemes =
    isObject(document.components) && isObject(document.components.securitySchemes)
      ? document.components.securitySchemes
      : {};
  return requirements.map((requirement: JsonObject) =>
    Object.keys(requirement).map((key) => {
      const scheme = follow(document, schemes[key], pointerTo("components", "securitySchemes", key)).value;
      return { key, ...scheme } as SecurityScheme;
    }),
  );
}

/** Every operation of the document, in document order. */
export function readOperations(document: JsonObject): Operation[] {
  const paths = isObject(document.paths) ? document.paths : {};
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = follow(document, rawItem, pointerTo("paths", path));
    for (const method of HTTP_METHODS) {
      const operation = item.value[method];
      if (!isObject(operation)) continue;
      const at = `${item.pointer}${pointerTo(method)}`;
      // Operation-level parameters override path-level ones with the same name and location.
      const parameters = new Map<string, Parameter>();
      const pathLevel = Array.isArray(item.value.parameters) ? item.value.parameters : [];
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      pathLevel.forEach((raw, index) => {
        const parameter = readParameter(document, raw, `${item.pointer}/parameters/${index}`);
        parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      });
      own.forEach((raw, index) => {
        const parameter = readParameter(document, raw, `${at}/parameters/${index}`);
        parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      });
      const body =
        operation.requestBody === undefined ? undefined : follow(document, operation.requestBody, `${at}/requestBody`);
      const responses = Object.entries(isObject(operation.responses) ? operation.responses : {}).map(
        ([status, raw]) => {
          const response = follow(document, raw, `${at}${pointerTo("responses", status)}`);
          return { status, content: readContent(document, response.value.content, `${response.pointer}/content`) };
        },
      );
      operations.push({
        operationId: typeof operation.operationId === "string" ? operation.operationId : `${method} ${path}`,
        method,
        path,
        parameters: [...parameters.values()],
        ...(body && {
          requestBody: {
            required: body.value.required === true,
            content: readContent(document, body.value.content, `${body.pointer}/content`),
          },
        }),
        responses,
        security: readSecurity(document, operation.security ?? document.security),
        hasOwnServers: Array.isArray(item.value.servers) || Array.isArray(operation.servers),
      });
    }
  }
  return operations;
}

/** Reads an API's bundled spec (or the copy at `path`, e.g. a mutant). */
export function loadSpec(api: ApiDefinition, path: string = api.bundlePath): LoadedSpec {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const hint = path === api.bundlePath ? " (run `pnpm --filter @commerce-api/specs bundle` to write it)" : "";
    throw new Error(`${api.title}: cannot read the bundled spec ${path}${hint}: ${(error as Error).message}`);
  }
  if (!isObject(document)) throw new Error(`${path} is not an OpenAPI document`);
  return { api, path, document, operations: readOperations(document) };
}

/**
 * A schema with its `$ref` followed and its `allOf` members merged into one object:
 * their `properties` and `required` are combined, other keywords are taken from the
 * member that states them (the schema's own keywords last). Good for walking the
 * fields a schema defines; validation itself always uses the real schema.
 */
export function flattenSchema(document: object, schema: unknown): Schema {
  const { value } = follow(document as JsonObject, schema, "(schema)");
  if (!Array.isArray(value.allOf)) return value;
  const { allOf, ...own } = value;
  const merged: Schema = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of [...allOf.map((member) => flattenSchema(document, member)), own]) {
    const { properties: partProperties, required: partRequired, ...rest } = part;
    Object.assign(merged, rest);
    if (isObject(partProperties)) Object.assign(properties, partProperties);
    if (Array.isArray(partRequired)) for (const name of partRequired) required.add(String(name));
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}
