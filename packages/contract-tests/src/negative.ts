/**
 * Negative cases, derived from the schemas: take a valid request and break exactly one
 * constraint (drop a required field, give a field the wrong type, leave an enum, cross a
 * bound, break a pattern or format, add a property to a closed object, send partial or no
 * credentials). Each rule knows where the server must say the problem is.
 */
import { type RequestData, requestVariants } from "./cases.ts";
import type { Violation } from "./exchange.ts";
import { requestEncoding } from "./media.ts";
import { flattenSchema, type LoadedSpec, type Operation, type Schema, type SecurityScheme } from "./spec.ts";

export type RuleKind =
  | "required"
  | "type"
  | "enum"
  | "const"
  | "minimum"
  | "maximum"
  | "exclusiveMinimum"
  | "exclusiveMaximum"
  | "minLength"
  | "maxLength"
  | "pattern"
  | "format"
  | "minItems"
  | "maxItems"
  | "uniqueItems"
  | "minProperties"
  | "additionalProperties"
  | "propertyNames"
  | "missing-auth"
  | "partial-auth";

type Where = "body" | "path" | "query" | "header";

export interface NegativeRule {
  kind: RuleKind;
  /** The value broken: `["body", "Items", "0", "Quantity"]`, `["query", "warehouseId"]`. */
  field: [Where, ...string[]];
  /** The new value, or `undefined` to leave the field out. */
  value?: unknown;
  /** Credential headers to strip (auth rules). */
  removeHeaders?: string[];
  /** What the mock must report: where (as Prism names it) and which keyword failed. */
  expect: { location: string[]; code: string; property?: string };
  description: string;
}

export interface NegativeCase {
  key: string;
  title: string;
  operation: Operation;
  rule: NegativeRule;
  request: RequestData;
}

type Wire = Where;
const MAX_FILLED_ITEMS = 500;

const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  return typeof schema.type === "string" ? [schema.type] : [];
}

function jsonTypes(value: unknown): string[] {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (typeof value === "number") return Number.isInteger(value) ? ["integer", "number"] : ["number"];
  return [typeof value];
}

/**
 * A value of none of the allowed types. In a URL or header everything is a string, so a
 * string-typed parameter cannot be given a wrong type there (nor an array one: a single
 * value reads as a list of one); a number or boolean one can.
 */
function wrongType(types: string[], wire: Wire): unknown {
  const allowed = new Set(types.includes("number") ? [...types, "integer"] : types);
  if (wire !== "body") return allowed.has("string") || allowed.has("array") ? undefined : "not-a-number";
  return ["not-a-number", 12345, true, ["wrong"], { wrong: true }].find(
    (candidate) => !jsonTypes(candidate).some((type) => allowed.has(type)),
  );
}

const INVALID_FORMATS: Record<string, unknown> = {
  "date-time": "not-a-date-time",
  date: "not-a-date",
  time: "not-a-time",
  email: "not-an-email",
  uri: "not-a-uri",
  url: "not-a-url",
  uuid: "not-a-uuid",
  ipv4: "999.0.0.1",
  int32: 2 ** 31,
};

function describeField(field: string[]): string {
  const [where, ...path] = field;
  const label = where === "body" ? "body field" : where === "header" ? "header" : `${where} parameter`;
  return path.length === 0 ? "the body" : `${label} ${path.join(".")}`;
}

/** Rules for one value (present or not) of `schema` at `field`, and for everything inside it. */
function schemaRules(
  document: object,
  rawSchema: unknown,
  value: unknown,
  present: boolean,
  field: NegativeRule["field"],
  rules: NegativeRule[],
): void {
  const schema = flattenSchema(document, rawSchema);
  // Under anyOf/oneOf a broken value may still match another branch, and the server can
  // only report the composite as failing: no single field to expect, so no rule.
  if (schema.anyOf || schema.oneOf) return;
  const wire = field[0];
  const types = typesOf(schema);
  const name = describeField(field);
  const at = [...field];
  const add = (kind: RuleKind, broken: unknown, description: string) =>
    rules.push({
      kind,
      field,
      value: broken,
      expect: { location: at, code: kind },
      description: `${name} ${description}`,
    });
  const shown = (broken: unknown) => JSON.stringify(broken);

  if (types.length > 0) {
    const broken = wrongType(types, wire);
    if (broken !== undefined)
      add("type", broken, `of the wrong type (${shown(broken)}; expects ${types.join(" or ")})`);
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const numeric = schema.enum.every((option) => typeof option === "number");
    const broken = numeric ? Math.max(...(schema.enum as number[])) + 1 : "not-an-allowed-value";
    add("enum", broken, `outside its enum (${shown(broken)})`);
  }
  if (Object.hasOwn(schema, "const")) {
    const broken = typeof schema.const === "number" ? schema.const + 1 : "not-the-constant";
    add("const", broken, `other than its constant (${shown(broken)})`);
  }
  if (types.includes("integer") || types.includes("number")) {
    const step = types.includes("number") ? 0.5 : 1;
    const minimum = asNumber(schema.minimum);
    const maximum = asNumber(schema.maximum);
    const exclusiveMinimum = asNumber(schema.exclusiveMinimum);
    const exclusiveMaximum = asNumber(schema.exclusiveMaximum);
    if (minimum !== undefined) add("minimum", minimum - step, `below its minimum ${minimum}`);
    if (maximum !== undefined) add("maximum", maximum + step, `above its maximum ${maximum}`);
    if (exclusiveMinimum !== undefined) add("exclusiveMinimum", exclusiveMinimum, `at its exclusive minimum`);
    if (exclusiveMaximum !== undefined) add("exclusiveMaximum", exclusiveMaximum, `at its exclusive maximum`);
  }
  if (types.includes("string")) {
    const minLength = asNumber(schema.minLength);
    const maxLength = asNumber(schema.maxLength);
    // Outside a body an empty value reads as a missing one (an empty path segment even
    // changes the route), so there a too-short value is only expressible when not empty.
    if (minLength !== undefined && minLength > 0 && (wire === "body" || minLength > 1)) {
      add("minLength", "x".repeat(minLength - 1), `shorter than ${minLength} characters`);
    }
    if (maxLength !== undefined) add("maxLength", "x".repeat(maxLength + 1), `longer than ${maxLength} characters`);
    if (typeof schema.pattern === "string") {
      const pattern = new RegExp(schema.pattern, "u");
      const broken = ["0", "a", "!", "not matching"].find((candidate) => !pattern.test(candidate));
      if (broken !== undefined) add("pattern", broken, `not matching ${schema.pattern} (${shown(broken)})`);
    }
  }
  const invalidFormat = typeof schema.format === "string" ? INVALID_FORMATS[schema.format] : undefined;
  if (invalidFormat !== undefined && jsonTypes(invalidFormat).some((type) => types.includes(type))) {
    add("format", invalidFormat, `not a valid ${schema.format} (${shown(invalidFormat)})`);
  }
  if (!present) return;

  if (isObject(value)) {
    // Rules are about requests, where a readOnly property is the server's to set: nothing to break.
    const properties = Object.fromEntries(
      Object.entries(isObject(schema.properties) ? schema.properties : {}).filter(
        ([, propertySchema]) => flattenSchema(document, propertySchema).readOnly !== true,
      ),
    );
    const required = (Array.isArray(schema.required) ? schema.required.map(String) : []).filter((property) =>
      Object.hasOwn(properties, property),
    );
    for (const property of required) {
      if (!Object.hasOwn(value, property)) continue;
      rules.push({
        kind: "required",
        field: [...field, property] as NegativeRule["field"],
        expect: { location: at, code: "required", property },
        description: `${describeField([...field, property])} left out although required`,
      });
    }
    if (schema.additionalProperties === false && wire === "body") {
      rules.push({
        kind: "additionalProperties",
        field: [...field, "unexpectedProperty"] as NegativeRule["field"],
        value: "surprise",
        expect: { location: at, code: "additionalProperties" },
        description: `${name} with a property it does not define (unexpectedProperty)`,
      });
    }
    const propertyNames = isObject(schema.propertyNames) ? schema.propertyNames : undefined;
    if (Array.isArray(propertyNames?.enum)) {
      rules.push({
        kind: "propertyNames",
        field: [...field, "not-an-allowed-name"] as NegativeRule["field"],
        value: 1,
        expect: { location: at, code: "propertyNames" },
        description: `${name} with a property name outside its list (not-an-allowed-name)`,
      });
    }
    const minProperties = asNumber(schema.minProperties);
    if (minProperties !== undefined && minProperties > 0 && required.length === 0) {
      add("minProperties", {}, `with fewer than ${minProperties} properties`);
    }
    for (const [property, propertySchema] of Object.entries(properties)) {
      schemaRules(
        document,
        propertySchema,
        value[property],
        Object.hasOwn(value, property),
        [...field, property] as NegativeRule["field"],
        rules,
      );
    }
  } else if (Array.isArray(value)) {
    const minItems = asNumber(schema.minItems);
    const maxItems = asNumber(schema.maxItems);
    // An empty list in a URL or header is no value at all, as above.
    if (minItems !== undefined && minItems > 0 && (wire === "body" || minItems > 1)) {
      add("minItems", value.slice(0, minItems - 1), `with fewer than ${minItems} items`);
    }
    const [first] = value;
    if (first !== undefined && maxItems !== undefined && maxItems < MAX_FILLED_ITEMS) {
      add(
        "maxItems",
        Array.from({ length: maxItems + 1 }, () => first),
        `with more than ${maxItems} items`,
      );
    }
    if (first !== undefined && schema.uniqueItems === true && (maxItems === undefined || maxItems >= 2)) {
      add("uniqueItems", [first, first], "with a repeated item");
    }
    if (first !== undefined && schema.items !== undefined) {
      schemaRules(document, schema.items, first, true, [...field, "0"] as NegativeRule["field"], rules);
    }
  }
}

/** Rules that break `value`, a valid JSON value of `schema`, in one place each (fields named from the root). */
export function valueRules(document: object, schema: unknown, value: unknown): NegativeRule[] {
  const rules: NegativeRule[] = [];
  schemaRules(document, schema, value, true, ["body"], rules);
  return rules;
}

/** The headers a security scheme puts credentials in; undefined when they are not headers. */
function credentialHeaders(scheme: SecurityScheme): string[] | undefined {
  if (scheme.type === "apiKey") return scheme.in === "header" && scheme.name ? [scheme.name] : undefined;
  if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect") return ["Authorization"];
  return undefined;
}

/** No credentials at all, and each required combination with one of its parts left out. */
export function authRules(operation: Operation): NegativeRule[] {
  const alternatives = operation.security;
  // No requirement, or an empty one (`{}`): calling without credentials is allowed.
  if (alternatives.length === 0 || alternatives.some((alternative) => alternative.length === 0)) return [];
  const headersOf = (schemes: SecurityScheme[]) => schemes.map(credentialHeaders);
  const all = alternatives.flatMap(headersOf);
  if (all.some((headers) => headers === undefined)) return [];
  const everyHeader = [...new Set(all.flat() as string[])];
  const expect = { location: [], code: "401" };
  const rules: NegativeRule[] = [
    {
      kind: "missing-auth",
      field: ["header"],
      removeHeaders: everyHeader,
      expect,
      description: `a request without credentials (no ${everyHeader.join(", ")})`,
    },
  ];
  for (const alternative of alternatives) {
    if (alternative.length < 2) continue;
    for (const dropped of alternative) {
      const kept = alternative
        .filter((scheme) => scheme !== dropped)
        .flatMap((scheme) => credentialHeaders(scheme) ?? []);
      rules.push({
        kind: "partial-auth",
        field: ["header"],
        removeHeaders: everyHeader.filter((header) => !kept.includes(header)),
        expect,
        description: `partial credentials (${kept.join(", ")} without ${dropped.key})`,
      });
    }
  }
  return rules;
}

/** Rules that break one parameter or body constraint of `request`, a valid request of `operation`. */
export function requestRules(spec: LoadedSpec, operation: Operation, request: RequestData): NegativeRule[] {
  const rules: NegativeRule[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === "cookie") continue;
    const where = parameter.in;
    const values = request[where] as Record<string, unknown>;
    const present = Object.hasOwn(values, parameter.name);
    // A path parameter cannot be left out of a URL; the others can.
    if (parameter.required && where !== "path") {
      rules.push({
        kind: "required",
        field: [where, parameter.name],
        expect: { location: [where], code: "required", property: parameter.name },
        description: `${describeField([where, parameter.name])} left out although required`,
      });
    }
    schemaRules(spec.document, parameter.schema, values[parameter.name], present, [where, parameter.name], rules);
  }
  const content = operation.requestBody?.content.find((candidate) => candidate.mediaType === request.mediaType);
  if (content?.schema && request.body !== undefined) {
    const bodyRules: NegativeRule[] = [];
    schemaRules(spec.document, content.schema, request.body, true, ["body"], bodyRules);
    const encoding = requestEncoding(content.mediaType);
    const form = encoding !== "json";
    const fields = Object.keys(request.body ?? {}).length;
    // A urlencoded form left with no field is no body at all (multipart still has its boundary):
    // the mock must refuse it only where the body is required.
    const emptied = (rule: NegativeRule) => encoding === "form" && rule.kind === "required" && fields === 1;
    const optionalBody = operation.requestBody?.required !== true;
    rules.push(
      ...(form
        ? bodyRules
            .filter(survivesForm)
            .filter((rule) => !(emptied(rule) && optionalBody))
            .map((rule) => (emptied(rule) ? { ...rule, expect: { location: [], code: "required" } } : rule))
        : bodyRules),
    );
  }
  return rules;
}

/**
 * Whether a broken body still says what it breaks once sent as a form: every field travels as
 * text, so only top-level fields can be broken, and a wrong type only by a text that is not of
 * the field's type (12345 for a string field is the valid text "12345").
 */
function survivesForm(rule: NegativeRule): boolean {
  if (rule.field.length !== 2) return false;
  return rule.kind !== "type" || typeof rule.value === "string";
}

/** `request` with `rule` applied; the original is left as it was. */
export function applyRule(request: RequestData, rule: NegativeRule): RequestData {
  const copy = structuredClone(request);
  for (const header of rule.removeHeaders ?? []) copy.header[header] = null;
  if (rule.removeHeaders) return copy;
  const [where, ...path] = rule.field;
  if (where === "body" && path.length === 0) {
    copy.body = rule.value;
    return copy;
  }
  let parent: Record<string, unknown> =
    where === "body" ? { body: copy.body } : (copy[where] as Record<string, unknown>);
  const keys = where === "body" ? ["body", ...path] : path;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (rule.value === undefined) delete parent[last];
  else parent[last] = rule.value;
  return copy;
}

/** Every negative case of a spec: each rule found in any of an operation's valid requests, once. */
export function negativeCases(spec: LoadedSpec): NegativeCase[] {
  const cases: NegativeCase[] = [];
  for (const operation of spec.operations) {
    const seen = new Set<string>();
    const all = requestVariants(spec, operation);
    // A request that cannot be sent as the spec asks has nothing valid to break (see ExampleCase.notCovered).
    if (all.some((variant) => variant.notCovered)) continue;
    const variants = all.map((variant) => variant.request);
    const [first] = variants;
    if (!first) continue;
    const found = [
      ...authRules(operation).map((rule) => ({ rule, request: first })),
      ...variants.flatMap((request) => requestRules(spec, operation, request).map((rule) => ({ rule, request }))),
    ];
    for (const { rule, request } of found) {
      const key = `${operation.operationId} ${rule.kind} ${rule.field.join(".")}${rule.removeHeaders ? ` -${rule.removeHeaders.join(",")}` : ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      cases.push({
        key,
        title: `${operation.operationId} rejects ${rule.description}`,
        operation,
        rule,
        request: applyRule(request, rule),
      });
    }
  }
  return cases;
}

/** Whether a violation the mock reported is the one `rule` provokes: same place, same keyword. */
export function reportsRule(violation: Violation, rule: NegativeRule): boolean {
  const same = (a: string[], b: string[]) =>
    a.length === b.length && a.every((part, index) => part.toLowerCase() === b[index]?.toLowerCase());
  const { property } = rule.expect;
  return (
    violation.side === "request" &&
    violation.code === rule.expect.code &&
    same(violation.location, rule.expect.location) &&
    (property === undefined || violation.message.toLowerCase().includes(`'${property.toLowerCase()}'`))
  );
}
