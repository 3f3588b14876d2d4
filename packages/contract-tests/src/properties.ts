/**
 * Property-based checks: requests generated from an operation's parameter and body
 * schemas must be accepted, and the same requests with one constraint broken must be
 * rejected with the broken field named.
 */
import fc from "fast-check";
import { schemaArbitrary } from "./arbitraries.ts";
import { type RequestData, requestVariants } from "./cases.ts";
import { requestEncoding, unreadableFormReason } from "./media.ts";
import { type NegativeRule, requestRules } from "./negative.ts";
import type { SchemaValidator } from "./schema.ts";
import { type Content, flattenSchema, type LoadedSpec, type Operation } from "./spec.ts";

export interface PropertyCheck {
  key: string;
  kind: "accepts" | "rejects";
  title: string;
}

/**
 * The properties an operation gets: "accepts" always; "rejects" when its requests have a
 * constraint that can be broken (an operation with only a free-form path segment has none).
 */
export function propertyChecks(spec: LoadedSpec, operation: Operation): PropertyCheck[] {
  const { operationId } = operation;
  // A body the suite cannot encode, or the mock cannot read, cannot be generated either: the case is listed as not covered.
  if (requestVariants(spec, operation).some((variant) => variant.notCovered)) return [];
  const form = bodyContent(operation);
  if (form?.schema && arrayFieldsUnreadable(spec, form)) return [];
  const checks: PropertyCheck[] = [
    {
      key: `${operationId} accepts`,
      kind: "accepts",
      title: `${operationId} accepts requests generated from its schemas`,
    },
  ];
  const breakable = requestVariants(spec, operation).some(
    (variant) => requestRules(spec, operation, variant.request).length > 0,
  );
  if (breakable) {
    checks.push({
      key: `${operationId} rejects`,
      kind: "rejects",
      title: `${operationId} rejects generated requests with one constraint broken`,
    });
  }
  return checks;
}

/** The request body media type generated requests use: the first with a schema the suite can encode. */
const bodyContent = (operation: Operation) =>
  operation.requestBody?.content.find(
    (candidate) => candidate.schema && candidate.schemaPointer && requestEncoding(candidate.mediaType),
  );

/** Whether the form's schema has an array field the mock cannot read (see unreadableFormReason). */
function arrayFieldsUnreadable(spec: LoadedSpec, content: Content): boolean {
  const { properties } = flattenSchema(spec.document, content.schema);
  const arrays = Object.fromEntries(
    Object.entries(properties ?? {}).flatMap(([name, schema]) =>
      flattenSchema(spec.document, schema).type === "array" ? [[name, []]] : [],
    ),
  );
  return unreadableFormReason(arrays, content.mediaType, content.styledFields) !== undefined;
}

/** Valid requests for `operation`: every required parameter, any optional ones, and a body its schema accepts. */
export function requestArbitrary(
  spec: LoadedSpec,
  operation: Operation,
  validator: SchemaValidator,
): fc.Arbitrary<RequestData> {
  const group = (where: "path" | "query" | "header") => {
    const parameters = operation.parameters.filter((parameter) => parameter.in === where);
    return fc.record(
      Object.fromEntries(
        parameters.map((parameter) => {
          const values = schemaArbitrary(spec.document, parameter.schema, where);
          return [parameter.name, where === "header" ? values.map(String) : values];
        }),
      ),
      { requiredKeys: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name) },
    );
  };
  const content = bodyContent(operation);
  const noBody = fc.constant<{ body?: unknown; mediaType?: string }>({});
  let body = noBody;
  if (content?.schema && content.schemaPointer) {
    const pointer = content.schemaPointer;
    // Generation follows the keywords; the spec's own validator has the last word (oneOf
    // exclusivity, uniqueness), so only values the schema really accepts are sent.
    const values = schemaArbitrary(spec.document, content.schema, "body").filter(
      (value) => validator.errors(pointer, value, "request").length === 0,
    );
    const withBody = values.map((value) => ({ body: value, mediaType: content.mediaType }));
    body = operation.requestBody?.required ? withBody : fc.oneof(withBody, noBody);
  }
  return fc
    .record({ path: group("path"), query: group("query"), header: group("header"), body })
    .map(({ path, query, header, body: { body: value, mediaType } }) => ({
      path,
      query,
      header: header as Record<string, string>,
      ...(value !== undefined && { body: value, mediaType }),
    }));
}

/** A valid request and one rule that breaks it (requests with nothing to break are skipped). */
export function brokenRequestArbitrary(
  spec: LoadedSpec,
  operation: Operation,
  validator: SchemaValidator,
): fc.Arbitrary<{ request: RequestData; rule: NegativeRule }> {
  return fc
    .tuple(requestArbitrary(spec, operation, validator), fc.nat())
    .map(([request, pick]) => {
      const rules = requestRules(spec, operation, request);
      return { request, rule: rules[pick % Math.max(rules.length, 1)] };
    })
    .filter((candidate): candidate is { request: RequestData; rule: NegativeRule } => candidate.rule !== undefined);
}
