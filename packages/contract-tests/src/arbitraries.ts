/**
 * fast-check arbitraries that generate values a JSON Schema accepts, for the keywords the
 * specs use (types, enum/const, bounds, lengths, patterns, formats, required/optional
 * properties, arrays, anyOf/oneOf, allOf, $ref). Values sent in URLs and headers are kept
 * to characters that survive every encoding unchanged, so a rejection is about the schema,
 * never about escaping.
 */
import fc from "fast-check";
import { flattenSchema, type Schema } from "./spec.ts";

/** Where the value travels: a JSON body, or a URL path/query/header string. */
export type Wire = "body" | "path" | "query" | "header";

const MAX_DEPTH = 12;
// Keep generated collections small: the point is shape coverage, not volume.
const EXTRA_ITEMS = 2;
const DEFAULT_INTEGER_BOUND = 1_000_000_000;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const LETTERS_AND_DIGITS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const urlSafe = fc.constantFrom(...`${LETTERS_AND_DIGITS}-_`);
const word = (minLength = 1, maxLength = 12) => fc.string({ unit: urlSafe, minLength, maxLength });
// Host names and e-mail parts: no leading "-" or "_" for a strict validator to object to.
const label = fc.string({ unit: fc.constantFrom(...LETTERS_AND_DIGITS), minLength: 1, maxLength: 10 });

const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === "string") return [schema.type];
  if (schema.properties || schema.additionalProperties !== undefined || schema.propertyNames) return ["object"];
  if (schema.items) return ["array"];
  return [];
}

function stringArbitrary(schema: Schema, wire: Wire): fc.Arbitrary<string> {
  const minLength = asNumber(schema.minLength) ?? (wire === "body" ? 0 : 1);
  const maxLength = Math.max(minLength, asNumber(schema.maxLength) ?? minLength + 16);
  const fits = (value: string) => value.length >= minLength && value.length <= maxLength;
  switch (schema.format) {
    case "date-time":
      return fc
        .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
        .map((date) => date.toISOString());
    case "date":
      return fc
        .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10));
    case "email":
      return fc.tuple(label, label).map(([local, domain]) => `${local}@${domain}.example`);
    case "uri":
    case "url":
      return label.map((segment) => `https://example.com/${segment}`);
    case "uuid":
      return fc.uuid();
  }
  if (typeof schema.pattern === "string") {
    return fc.stringMatching(new RegExp(schema.pattern, "u")).filter(fits);
  }
  if (wire !== "body") return word(minLength, maxLength);
  return fc.string({ minLength, maxLength });
}

function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  const int32 = schema.format === "int32";
  let min = asNumber(schema.minimum) ?? (int32 ? INT32_MIN : -DEFAULT_INTEGER_BOUND);
  let max = asNumber(schema.maximum) ?? (int32 ? INT32_MAX : DEFAULT_INTEGER_BOUND);
  const exclusiveMinimum = asNumber(schema.exclusiveMinimum);
  const exclusiveMaximum = asNumber(schema.exclusiveMaximum);
  if (exclusiveMinimum !== undefined) min = Math.max(min, Math.floor(exclusiveMinimum) + 1);
  if (exclusiveMaximum !== undefined) max = Math.min(max, Math.ceil(exclusiveMaximum) - 1);
  return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const exclusiveMinimum = asNumber(schema.exclusiveMinimum);
  const exclusiveMaximum = asNumber(schema.exclusiveMaximum);
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    min: exclusiveMinimum ?? asNumber(schema.minimum) ?? -1e9,
    max: exclusiveMaximum ?? asNumber(schema.maximum) ?? 1e9,
    minExcluded: exclusiveMinimum !== undefined,
    maxExcluded: exclusiveMaximum !== undefined,
  });
}

function objectArbitrary(document: object, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  // Values are generated for requests, where a readOnly property is the server's to set: never sent.
  const properties = Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, unknown>).filter(
      ([, property]) => flattenSchema(document, property).readOnly !== true,
    ),
  );
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const minProperties = asNumber(schema.minProperties) ?? 0;
  const names = Object.keys(properties);
  const propertyNames = schema.propertyNames as Schema | undefined;
  if (names.length === 0 && Array.isArray(propertyNames?.enum)) {
    // A map whose keys come from a fixed list (e.g. filter operators): values are free-form.
    const valueSchema =
      typeof schema.additionalProperties === "object" ? (schema.additionalProperties as Schema) : { type: "string" };
    return fc.dictionary(fc.constantFrom(...propertyNames.enum.map(String)), schemaArbitrary(document, valueSchema), {
      minKeys: minProperties,
      maxKeys: Math.max(minProperties, 3),
    });
  }
  const record = fc.record(
    Object.fromEntries(names.map((name) => [name, schemaArbitrary(document, properties[name], "body", depth + 1)])),
    { requiredKeys: names.filter((name) => required.has(name)) },
  );
  return minProperties > 0 ? record.filter((value) => Object.keys(value).length >= minProperties) : record;
}

function arrayArbitrary(document: object, schema: Schema, wire: Wire, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = asNumber(schema.minItems) ?? 0;
  const maxLength = Math.min(asNumber(schema.maxItems) ?? Number.POSITIVE_INFINITY, minLength + EXTRA_ITEMS);
  const items = schemaArbitrary(document, schema.items ?? {}, wire === "body" ? "body" : wire, depth + 1);
  return schema.uniqueItems === true
    ? fc.uniqueArray(items, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
    : fc.array(items, { minLength, maxLength });
}

/** Values that `schema` (from `document`, whose `$ref`s it may use) accepts. */
export function schemaArbitrary(document: object, raw: unknown, wire: Wire = "body", depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) throw new Error(`schema nests deeper than ${MAX_DEPTH} levels (a recursive schema?)`);
  const schema = flattenSchema(document, raw);
  if (Object.hasOwn(schema, "const")) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    // Siblings of oneOf/anyOf (e.g. a shared `type`) apply to every branch.
    const { oneOf: _oneOf, anyOf: _anyOf, ...shared } = schema;
    return fc.oneof(
      ...alternatives.map((branch) => schemaArbitrary(document, { allOf: [shared, branch] }, wire, depth + 1)),
    );
  }
  const types = typesOf(schema);
  if (types.length === 0) return wire === "body" ? fc.oneof(word(), fc.integer(), fc.boolean()) : word();
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case "string":
          return stringArbitrary(schema, wire);
        case "integer":
          return integerArbitrary(schema);
        case "number":
          return numberArbitrary(schema);
        case "boolean":
          return fc.boolean();
        case "null":
          return fc.constant(null);
        case "array":
          return arrayArbitrary(document, schema, wire, depth);
        case "object":
          return objectArbitrary(document, schema, depth);
        default:
          throw new Error(`unsupported schema type ${type}`);
      }
    }),
  );
}

/** One deterministic value of `schema`: for a required parameter the spec gives no example for. */
export function sampleValue(document: object, schema: unknown, wire: Wire): unknown {
  const [value] = fc.sample(schemaArbitrary(document, schema, wire), { numRuns: 1, seed: 1 });
  return value;
}
