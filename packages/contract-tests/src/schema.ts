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

export interface SchemaValidator {
  /** Ajv's errors for `value` against the schema at `pointer` in the document; empty when valid. */
  errors(pointer: string, value: unknown): ErrorObject[];
}

/**
 * A validator for the schemas of one document. Ajv cannot compile the OpenAPI document
 * itself as a schema (`openapi`, `paths`... are not keywords, and strict mode rightly
 * rejects them), so the component schemas are registered as `$defs` of a schema with an
 * `$id`, and every `#/components/schemas/...` reference is rewritten to point there.
 */
export function createValidator(document: object, id: string): SchemaValidator {
  const base = `https://contract-tests.invalid/${encodeURIComponent(id)}.json`;
  const rewritten = JSON.parse(
    JSON.stringify(document).replaceAll('"$ref":"#/components/schemas/', `"$ref":"${base}#/$defs/`),
  ) as { components?: { schemas?: Record<string, Schema> } };
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS; `.default` is the plugin both to Node and to TypeScript's NodeNext view.
  ajvFormats.default(ajv);
  for (const [name, format] of Object.entries(OPENAPI_FORMATS)) ajv.addFormat(name, format);
  for (const keyword of [...OPENAPI_KEYWORDS, ...extensionKeywords(document)]) ajv.addKeyword(keyword);
  ajv.addSchema({ $id: base, $defs: rewritten.components?.schemas ?? {} });

  const compiled = new Map<string, ValidateFunction>();
  return {
    errors(pointer, value) {
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
