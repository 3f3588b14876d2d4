/**
 * The semantic difference between two bundled OpenAPI documents, one line per change a
 * caller can notice: the operation (method and path), where in it (parameter, request
 * field, response field, status, security), what happened, and whether it breaks callers.
 *
 * api-smart-diff finds and classifies the changes (it follows `$ref`s, so a component edit
 * shows up in every operation that uses it). Two of its verdicts are overridden here, for
 * callers of typed clients:
 * - a response property removed is breaking: it leaves the generated response type, and
 *   code that reads it no longer compiles (api-smart-diff calls it non-breaking, which
 *   holds only for untyped JSON readers);
 * - a change it leaves unclassified counts as breaking until a reviewer covers it;
 * - a vendor extension (`x-…`) inside a schema is docs-only: validators and the generated
 *   types ignore it;
 * - a request schema turned into an `anyOf` with the old schema as one branch is a widening
 *   (every body or value valid before is still valid), so non-breaking; the same change in a
 *   response stays breaking, as callers may now receive the new shapes.
 * Component entries are dropped: each is already reported at every operation using it.
 */
import { isDeepStrictEqual } from "node:util";
import { apiCompare, type Diff } from "api-smart-diff";
import { type Json, resolveRef } from "./json-ref.ts";

export type ChangeKind = "breaking" | "non-breaking" | "docs-only";

export interface ApiChange {
  kind: ChangeKind;
  /** Upper-case HTTP method, or "*" for a change to a whole path or the document. */
  method: string;
  /** The path template, or "" for a document-level change (security, servers, info). */
  path: string;
  /** Where in the operation: `query parameter "page"`, `request field "status"`, `response 200 field "id"`, ... */
  where: string;
  /** What happened there, in plain words: `added`, `removed`, `made required`, `value "CREATED" no longer allowed`. */
  what: string;
  /** For a breaking change: why it breaks callers. */
  why?: string;
}

type PathToken = string | number;

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

const KIND_BY_TYPE: Record<Diff["type"], ChangeKind> = {
  breaking: "breaking",
  "non-breaking": "non-breaking",
  deprecated: "non-breaking",
  annotation: "docs-only",
  unclassified: "breaking",
};

/** Keywords that only document a schema: a change to them alone is docs-only whatever the library says. */
const ANNOTATIONS = new Set(["description", "summary", "title", "example", "examples", "externalDocs", "$comment"]);

/** The value at `path` in `document`, following `$ref`s on the way. */
function valueAt(document: unknown, path: readonly PathToken[]): unknown {
  return path.reduce<unknown>((node, token) => (resolveRef(document, node) as Json | undefined)?.[token], document);
}

/**
 * A schema path (`properties.items.items.properties.sku.required.0`) as the field a caller
 * sees (`items[].sku`), plus the keyword the change is about, if it is not the field itself.
 */
function describeSchemaPath(tokens: readonly PathToken[]): { field: string; keyword?: PathToken; rest?: PathToken[] } {
  let field = "";
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token === "properties" && index + 1 < tokens.length) {
      field += `${field ? "." : ""}${tokens[index + 1]}`;
      index += 1;
    } else if (token === "items") {
      field += "[]";
    } else if (token === "allOf" || token === "anyOf" || token === "oneOf") {
      index += 1; // a branch of a composition is part of the same field
    } else if (token === "additionalProperties") {
      field += "{}";
    } else if (token !== undefined) {
      return { field, keyword: token, rest: tokens.slice(index + 1) as PathToken[] };
    }
  }
  return { field };
}

const quoted = (value: unknown) => JSON.stringify(value);

interface Located {
  method: string;
  path: string;
  where: string;
  what: string;
  /** Which side of the wire: decides why a change breaks callers. */
  side: "operation" | "parameter" | "request" | "response" | "status" | "security" | "document";
  /** The change removes a property from a response schema. */
  removesResponseProperty?: boolean;
}

const ACTION_WORDS: Record<Diff["action"], string> = {
  add: "added",
  remove: "removed",
  replace: "changed",
  rename: "renamed",
};

/** The schema change at `tokens` under a request body or response, in the words of the field it touches. */
function schemaChange(
  diff: Diff,
  tokens: readonly PathToken[],
  before: unknown,
  after: unknown,
  schemaPath: PathToken[],
) {
  const { field, keyword, rest } = describeSchemaPath(tokens);
  const action = ACTION_WORDS[diff.action];
  const subject = field ? `field ${quoted(field)}` : "body";
  if (keyword === "required") {
    const source = diff.action === "remove" ? before : after;
    const name = valueAt(source, [...schemaPath, ...tokens]);
    const target = field ? `${field}.${name}` : String(name);
    return {
      subject: `field ${quoted(target)}`,
      what:
        diff.action === "remove" ? "made optional" : diff.action === "add" ? "made required" : "required list changed",
    };
  }
  if (keyword === "enum") {
    const value = diff.action === "remove" ? diff.before : diff.after;
    const verb = diff.action === "remove" ? "no longer allowed" : diff.action === "add" ? "now allowed" : "changed";
    return { subject, what: `value ${quoted(value)} ${verb}` };
  }
  if (keyword === undefined) return { subject, what: action };
  const detail = rest && rest.length > 0 ? `${String(keyword)}.${rest.join(".")}` : String(keyword);
  const short = (value: unknown) => typeof value !== "object" && String(value).length <= 40;
  const values =
    diff.action === "replace" && !ANNOTATIONS.has(String(keyword)) && short(diff.before) && short(diff.after)
      ? ` (${quoted(diff.before)} → ${quoted(diff.after)})`
      : "";
  return { subject, what: `${detail} ${action}${values}` };
}

function locate(diff: Diff, before: Json, after: Json): Located | undefined {
  const [root, pathKey, methodKey, area, ...rest] = diff.path;
  const action = ACTION_WORDS[diff.action];
  if (root === "components" || root === "webhooks" || root === "jsonSchemaDialect") return undefined;
  if (root !== "paths") {
    const side = root === "security" ? "security" : "document";
    return { method: "*", path: "", where: String(root), what: action, side };
  }
  const path = String(pathKey);
  if (methodKey === undefined) return { method: "*", path, where: "path", what: action, side: "operation" };
  if (typeof methodKey !== "string" || !METHODS.has(methodKey)) {
    // Path-level keys (parameters shared by every method, servers, summary).
    return { method: "*", path, where: `path ${methodKey}`, what: action, side: "document" };
  }
  const method = methodKey.toUpperCase();
  if (area === undefined) return { method, path, where: "operation", what: action, side: "operation" };

  if (area === "parameters" && typeof rest[0] === "number") {
    // The added or removed item itself when the change is the whole parameter: api-smart-diff
    // matches parameters by name, so its index need not be the item's index in either document.
    const source = diff.action === "add" ? after : before;
    const whole = rest.length === 1 ? (diff.action === "add" ? diff.after : diff.before) : undefined;
    const parameter = resolveRef(source, whole ?? valueAt(source, diff.path.slice(0, 5))) as Json | undefined;
    const label = `${parameter?.in ?? ""} parameter ${quoted(parameter?.name)}`.trim();
    const tail = rest.slice(1);
    if (tail.length === 0) {
      const required = parameter?.required === true ? "required " : "";
      return { method, path, where: label, what: `${required}${action}`.trim(), side: "parameter" };
    }
    if (tail[0] === "required") {
      return {
        method,
        path,
        where: label,
        what: diff.after === true ? "made required" : "made optional",
        side: "parameter",
      };
    }
    if (tail[0] === "schema") {
      const change = schemaChange(diff, tail.slice(1), before, after, diff.path.slice(0, 6) as PathToken[]);
      return { method, path, where: label, what: change.what, side: "parameter" };
    }
    return { method, path, where: label, what: `${tail.join(".")} ${action}`, side: "parameter" };
  }

  if (area === "requestBody") {
    const [contentKey, mediaType, schemaKey, ...schemaTokens] = rest;
    if (contentKey === "content" && schemaKey === "schema") {
      const schemaPath = diff.path.slice(0, 7) as PathToken[];
      const change = schemaChange(diff, schemaTokens, before, after, schemaPath);
      return { method, path, where: `request ${change.subject} (${mediaType})`, what: change.what, side: "request" };
    }
    const where = contentKey === undefined ? "request body" : `request body ${rest.join(".")}`;
    return { method, path, where, what: action, side: "request" };
  }

  if (area === "responses") {
    const [status, section, name, schemaKey, ...schemaTokens] = rest;
    if (section === undefined) return { method, path, where: `status ${status}`, what: action, side: "status" };
    if (section === "content" && schemaKey === "schema") {
      const schemaPath = diff.path.slice(0, 9) as PathToken[];
      const change = schemaChange(diff, schemaTokens, before, after, schemaPath);
      const removesResponseProperty =
        diff.action === "remove" && schemaTokens.length >= 2 && schemaTokens.at(-2) === "properties";
      return {
        method,
        path,
        where: `response ${status} ${change.subject} (${name})`,
        what: change.what,
        side: "response",
        removesResponseProperty,
      };
    }
    if (section === "headers") {
      return { method, path, where: `response ${status} header ${quoted(name)}`, what: action, side: "response" };
    }
    return {
      method,
      path,
      where: `response ${status} ${[section, name].filter(Boolean).join(" ")}`,
      what: action,
      side: "response",
    };
  }

  if (area === "security") return { method, path, where: "security", what: action, side: "security" };
  return { method, path, where: String(area), what: action, side: "document" };
}

/** A schema's keywords that decide what is valid: not annotations, not extensions. */
function validationKeywords(document: Json, schema: unknown): Json {
  const resolved = (resolveRef(document, schema) ?? {}) as Json;
  return Object.fromEntries(Object.entries(resolved).filter(([key]) => !ANNOTATIONS.has(key) && !key.startsWith("x-")));
}

/**
 * The change is inside an `anyOf` that the schema did not have before, that schema keeps no
 * other validation keyword, and one of its branches is the schema as it was: it accepts all it
 * did. Read from the documents as written: api-smart-diff's normalized copies wrap every
 * schema in compositions, which hides what the author changed. A path that does not exist in
 * the documents as written is not called a widening.
 */
function widensToAnyOf(diff: Diff, released: Json, current: Json): boolean {
  const anyOfAt = diff.path.lastIndexOf("anyOf");
  if (anyOfAt < 0) return false;
  const schemaPath = diff.path.slice(0, anyOfAt) as PathToken[];
  const old = validationKeywords(released, valueAt(released, schemaPath));
  const widened = validationKeywords(current, valueAt(current, schemaPath));
  if (Object.keys(old).length === 0 || "anyOf" in old || Object.keys(widened).join() !== "anyOf") return false;
  return (widened.anyOf as unknown[]).some((branch) => isDeepStrictEqual(validationKeywords(current, branch), old));
}

/** Why a breaking change breaks callers, by what it touches. */
function whyBreaking(located: Located, diff: Diff): string {
  switch (located.side) {
    case "operation":
      return diff.action === "remove"
        ? "callers of this operation get a 404, and their typed calls no longer compile"
        : "existing calls to this operation no longer match it";
    case "parameter":
      return located.what.startsWith("required") || located.what === "made required"
        ? "requests that leave it out are rejected, and typed calls without it no longer compile"
        : "values existing callers send may be rejected, or no longer fit the parameter's type";
    case "request":
      return located.what === "made required"
        ? "requests that leave it out are rejected, and typed calls without it no longer compile"
        : "bodies existing callers send may be rejected, or no longer fit the request type";
    case "response":
      return located.removesResponseProperty
        ? "code that reads it gets undefined, and no longer compiles against the response type"
        : "code that reads the response may get a value it does not expect";
    case "status":
      return "callers handling this status, or its body type, see a different response";
    case "security":
      return "requests with the credentials callers send today may be refused";
    case "document":
      return "every operation's requests may go elsewhere or be read differently";
  }
}

/** Every change from `released` (the last release) to `current` (the current bundle), breaking ones first. */
export function diffSpecs(released: Json, current: Json): ApiChange[] {
  // apiCompare normalizes the documents it is given in place (it rewrites composed schemas),
  // so it works on copies: the caller's documents stay as they were, to be compared again or
  // compiled. The diff's paths point into the normalized copies, so they are read from those.
  const before = structuredClone(released);
  const after = structuredClone(current);
  const { diffs } = apiCompare(before, after);
  const changes: ApiChange[] = [];
  const seen = new Set<string>();
  for (const diff of diffs) {
    const located = locate(diff, before, after);
    if (!located) continue;
    const inSchema = diff.path.includes("schema");
    const annotationOnly = diff.path.some(
      (token, index) =>
        typeof token === "string" &&
        (ANNOTATIONS.has(token) || (inSchema && token.startsWith("x-"))) &&
        diff.path[index - 1] !== "properties",
    );
    let kind: ChangeKind = annotationOnly ? "docs-only" : KIND_BY_TYPE[diff.type];
    if (located.removesResponseProperty) kind = "breaking";
    const widened =
      (located.side === "request" || located.side === "parameter") && widensToAnyOf(diff, released, current);
    if (widened) {
      kind = "non-breaking";
      located.what = "widened: also accepts the anyOf's other branches";
    }
    const change: ApiChange = {
      kind,
      method: located.method,
      path: located.path,
      where: located.where,
      what: located.what,
      ...(kind === "breaking" && { why: whyBreaking(located, diff) }),
    };
    const key = JSON.stringify(change);
    if (seen.has(key)) continue;
    seen.add(key);
    changes.push(change);
  }
  const order: Record<ChangeKind, number> = { breaking: 0, "non-breaking": 1, "docs-only": 2 };
  return changes.sort(
    (a, b) =>
      order[a.kind] - order[b.kind] ||
      a.path.localeCompare(b.path) ||
      a.method.localeCompare(b.method) ||
      a.where.localeCompare(b.where),
  );
}

/** One change as a line of plain words: `GET /v1/orders: query parameter "region": required added`. */
export function describeChange(change: ApiChange): string {
  const operation = change.path ? `${change.method === "*" ? "" : `${change.method} `}${change.path}` : "the API";
  return `${operation}: ${change.where}: ${change.what}`;
}
