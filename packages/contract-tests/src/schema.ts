/**
 * JSON Schema validation of bodies against the schemas of one bundled spec, with Ajv.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, so this is Ajv's 2020 dialect with formats
 * and strict mode on: a schema keyword Ajv does not know is an error, not silently ignored.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { resolvePointer, type Schema } from "./spec.ts";

// Keywords OpenAPI adds to JSON Schema. They carry documentation, not constraints.
const OPENAPI_KEYWORDS = ["example", "xml", "discriminator", "externalDocs"];

const INT32 = 2 ** 31;
const INT64 = 2n ** 63n;
// The formats of OpenAPI's format registry that JSON Schema's vocabulary lacks.
const OPENAPI_FORMATS = {
  int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 },
  int64: {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && BigInt(n) >= -INT64 && BigInt(n) < INT64,
  },
  float: { type: "number", validate: (n: number) => Number.isFinite(n) },
  double: { type: "number", validate: (n: number) => Number.isFinite(n) },
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  // Opaque by definition: any string.
  password: true,
  binary: true,
} as const;

type Node = { [key: string]: unknown };
const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);

/** Keywords whose value is one schema, and those whose value is a list or a map of schemas. */
const SUBSCHEMA = ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];

/**
 * An OpenAPI 3.0 Schema Object as the JSON Schema it means (3.0 is a JSON Schema dialect of
 * its own): `nullable: true` adds `null` to the type (and to an `enum`), and a boolean
 * `exclusiveMinimum`/`exclusiveMaximum` turns its `minimum`/`maximum` into the numeric
 * keyword of 2020-12. Subschemas are converted too; anything else is kept.
 */
export function fromOpenApi30(schema: unknown): unknown {
  if (!isNode(schema)) return schema;
  const { nullable, exclusiveMinimum, exclusiveMaximum, ...rest } = schema;
  const out: Node = { ...rest };
  for (const key of SUBSCHEMA) if (isNode(out[key])) out[key] = fromOpenApi30(out[key]);
  for (const key of SUBSCHEMA_LISTS) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(fromOpenApi30);
  for (const key of SUBSCHEMA_MAPS) {
    if (isNode(out[key])) {
      out[key] = Object.fromEntries(Object.entries(out[key]).map(([name, value]) => [name, fromOpenApi30(value)]));
    }
  }
  for (const [keyword, bound, exclusive] of [
    ["exclusiveMinimum", "minimum", exclusiveMinimum],
    ["exclusiveMaximum", "maximum", exclusiveMaximum],
  ] as const) {
    if (exclusive === true && typeof out[bound] === "number") {
      out[keyword] = out[bound];
      delete out[bound];
    } else if (typeof exclusive === "number") out[keyword] = exclusive;
  }
  if (nullable === true && out.$ref === undefined) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    // Without a type the value is any type already (null included), unless a composition narrows it.
    if (out.type === undefined && (out.allOf || out.anyOf || out.oneOf)) return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

/** The document with every schema in it (components and each `schema` of a parameter, header or media type) converted. */
function convertSchemas(node: unknown, convert: (schema: unknown) => unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => convertSchemas(item, convert));
  if (!isNode(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      // Examples are data, not schemas, whatever keys they hold.
      if (key === "example" || key === "examples") return [key, value];
      if (key === "schema") return [key, convert(value)];
      if (key === "schemas" && isNode(value)) {
        return [key, Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convert(schema)]))];
      }
      return [key, convertSchemas(value, convert)];
    }),
  );
}

/** Every `format` named in the document's schemas (and anywhere else: extra names are harmless). */
function formatsUsed(document: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isNode(node)) {
      if (typeof node.format === "string") found.add(node.format);
      Object.values(node).forEach(walk);
    }
  };
  walk(document);
  return found;
}

/** All `x-` extension names used anywhere in the document: Ajv must accept them as annotations. */
function extensionKeywords(document: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key.startsWith("x-")) found.add(key);
        walk(value);
      }
    }
  };
  walk(document);
  return found;
}

/** Which side of an exchange a value is on: readOnly properties are the response's, writeOnly the request's. */
export type Direction = "request" | "response";

export interface SchemaValidator {
  /**
   * Ajv's errors for `value` against the schema at `pointer` in the document; empty when
   * valid. A response (the default) must not hold a writeOnly property, nor a request a
   * readOnly one, and neither is required on the side it does not belong to.
   */
  errors(pointer: string, value: unknown, direction?: Direction): ErrorObject[];
}

/**
 * The document as seen from one side: every property that is `flag` (readOnly or writeOnly),
 * directly or through a local `$ref`, becomes `false` (it must not be there) and leaves its
 * object's `required`.
 */
function forSide(document: unknown, flag: "readOnly" | "writeOnly"): unknown {
  const flagged = (schema: unknown, seen = new Set<string>()): boolean => {
    if (!isNode(schema)) return false;
    if (schema[flag] === true) return true;
    const ref = schema.$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/") || seen.has(ref)) return false;
    seen.add(ref);
    try {
      return flagged(resolvePointer(document, ref.slice(1)), seen);
    } catch {
      return false;
    }
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isNode(node)) return node;
    const out = Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, key === "example" || key === "examples" ? value : walk(value)]),
    );
    if (!isNode(node.properties)) return out;
    const hidden = Object.keys(node.properties).filter((name) => flagged((node.properties as Node)[name]));
    if (hidden.length === 0) return out;
    out.properties = { ...(out.properties as Node), ...Object.fromEntries(hidden.map((name) => [name, false])) };
    if (Array.isArray(node.required)) out.required = node.required.filter((name) => !hidden.includes(String(name)));
    return out;
  };
  return walk(document);
}

/**
 * A validator for the schemas of one document. Ajv cannot compile the OpenAPI document
 * itself as a schema (`openapi`, `paths`... are not keywords, and strict mode rightly
 * rejects them), so the component schemas are registered as `$defs` of a schema with an
 * `$id`, and every `#/components/schemas/...` reference is rewritten to point there; once
 * for each side of an exchange (see forSide).
 */
export function createValidator(document: object, id: string): SchemaValidator {
  // A 3.0 document's schemas mean what 3.0 says (nullable, boolean exclusive bounds): converted first.
  const version = String((document as { openapi?: unknown }).openapi ?? "");
  const semantic = version.startsWith("3.0") ? convertSchemas(document, fromOpenApi30) : document;
  // strictTypes is off: OpenAPI composition routinely puts `type` in one allOf member and the
  // keywords it applies to in another, which is valid JSON Schema (strictRequired likewise for
  // `required`). Unknown keywords stay errors.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  // ajv-formats is CommonJS; `.default` is the plugin both to Node and to TypeScript's NodeNext view.
  ajvFormats.default(ajv);
  for (const [name, format] of Object.entries(OPENAPI_FORMATS)) ajv.addFormat(name, format);
  // A vendor's own formats (`phone-number`, `sid`...) are annotations to any other validator: so here.
  for (const format of formatsUsed(document)) if (!ajv.formats[format]) ajv.addFormat(format, true);
  for (const keyword of [...OPENAPI_KEYWORDS, ...extensionKeywords(document)]) ajv.addKeyword(keyword);

  const sides = Object.fromEntries(
    (["request", "response"] as const).map((direction) => {
      const base = `https://contract-tests.invalid/${encodeURIComponent(id)}/${direction}.json`;
      const seen = forSide(semantic, direction === "request" ? "readOnly" : "writeOnly");
      const rewritten = JSON.parse(
        JSON.stringify(seen).replaceAll('"$ref":"#/components/schemas/', `"$ref":"${base}#/$defs/`),
      ) as { components?: { schemas?: Record<string, Schema> } };
      ajv.addSchema({ $id: base, $defs: rewritten.components?.schemas ?? {} });
      return [direction, { rewritten, compiled: new Map<string, ValidateFunction>() }];
    }),
  ) as Record<Direction, { rewritten: unknown; compiled: Map<string, ValidateFunction> }>;

  return {
    errors(pointer, value, direction = "response") {
      const { rewritten, compiled } = sides[direction];
      const validate = compiled.get(pointer) ?? ajv.compile(resolvePointer(rewritten, pointer) as Schema);
      compiled.set(pointer, validate);
      return validate(value) ? [] : [...(validate.errors ?? [])];
    },
  };
}

/** One line per Ajv error, e.g. `/0/Status must be equal to one of the allowed values`. */
export function describeErrors(errors: ErrorObject[]): string {
  return errors.map((error) => `${error.instancePath || "(root)"} ${error.message ?? error.keyword}`).join("\n");
}
