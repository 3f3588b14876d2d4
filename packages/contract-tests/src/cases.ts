/**
 * The positive contract cases of one spec, derived from it rather than listed by hand: one
 * case per operation x documented status x media type x named example, each with the
 * request to send (built from the spec's request examples and parameter examples) and the
 * schema the answer must satisfy. A new operation, response or example in a spec is a
 * new case here.
 */
import { sampleValue } from "./arbitraries.ts";
import { requestEncoding, uncheckedBodyReason, unreadableFormReason, unsendableBodyReason } from "./media.ts";
import type { LoadedSpec, Operation, Parameter } from "./spec.ts";

/** The parts of a request openapi-fetch takes separately. A `null` header removes one the client sets. */
export interface RequestData {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, string | null>;
  body?: unknown;
  /** Content-Type of `body`. */
  mediaType?: string;
}

export interface ExampleCase {
  /** Unique per API; what the coverage report counts. */
  key: string;
  title: string;
  operation: Operation;
  status: number;
  /** The response media type asked for (`Accept`), when the response has a body. */
  mediaType?: string;
  /** The response example asked for (`Prefer: example=`), when the response documents examples. */
  example?: string;
  /** That example's value: what the mock must send back. */
  expected?: unknown;
  /** JSON pointer of the response schema in the bundle. */
  schemaPointer?: string;
  /** The request example the body comes from, when the operation documents any. */
  requestExample?: string;
  request: RequestData;
  /** Why the case cannot be sent at all (its request body has no encoding the suite can build): not covered, never failed. */
  notCovered?: string;
  /** Why the response body is checked by status and Content-Type only (not JSON, so not schema-checked). */
  bodyUnchecked?: string;
}

/** One request of an operation: from a named request example, or built from the schemas. */
export interface RequestVariant {
  example?: string;
  request: RequestData;
  /** Why this request cannot be sent as the spec asks (see ExampleCase.notCovered). */
  notCovered?: string;
}

/** The value sent for a parameter: its documented example, else its schema's example or default, else a sample. */
function parameterValue(spec: LoadedSpec, parameter: Parameter): unknown {
  if (parameter.hasExample) return parameter.example;
  const { schema } = parameter;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Object.hasOwn(schema, "default")) return schema.default;
  return sampleValue(spec.document, schema, parameter.in === "cookie" ? "header" : parameter.in);
}

/**
 * The parameters of a valid request: every required one, plus each optional one the spec
 * gives an example for (so its serialization is exercised too).
 */
export function exampleParameters(spec: LoadedSpec, operation: Operation): Omit<RequestData, "body" | "mediaType"> {
  const request: Omit<RequestData, "body" | "mediaType"> = { path: {}, query: {}, header: {} };
  for (const parameter of operation.parameters) {
    if (!parameter.required && !parameter.hasExample) continue;
    const value = parameterValue(spec, parameter);
    if (parameter.in === "cookie") {
      if (parameter.required) {
        throw new Error(
          `${operation.operationId}: cookie parameter ${parameter.name} is not supported by openapi-fetch`,
        );
      }
      continue;
    }
    if (parameter.in === "header") request.header[parameter.name] = String(value);
    else request[parameter.in][parameter.name] = value;
  }
  return request;
}

/**
 * The request bodies to try: each named request example, or one sampled from the schema. Of
 * the body's media types the first the suite can encode is used, one with examples first; a
 * required body with none it can encode gives one request marked not covered.
 */
export function requestVariants(spec: LoadedSpec, operation: Operation): RequestVariant[] {
  const parameters = exampleParameters(spec, operation);
  const body = operation.requestBody;
  if (!body) return [{ request: { ...parameters } }];
  const sendable = body.content.filter((candidate) => requestEncoding(candidate.mediaType) !== undefined);
  const content = sendable.find((candidate) => candidate.examples.length > 0) ?? sendable[0];
  if (!content) {
    if (!body.required || body.content.length === 0) return [{ request: { ...parameters } }];
    const notCovered = unsendableBodyReason(body.content.map((candidate) => candidate.mediaType));
    return [{ request: { ...parameters }, notCovered }];
  }
  const unreadable = (value: unknown) => {
    const notCovered = unreadableFormReason(value, content.mediaType, content.styledFields);
    return notCovered ? { notCovered } : {};
  };
  if (content.examples.length === 0) {
    if (!body.required || !content.schema) return [{ request: { ...parameters } }];
    const sampled = sampleValue(spec.document, content.schema, "body");
    return [{ request: { ...parameters, body: sampled, mediaType: content.mediaType }, ...unreadable(sampled) }];
  }
  return content.examples.map(({ name, value }) => ({
    example: name,
    request: { ...parameters, body: value, mediaType: content.mediaType },
    ...unreadable(value),
  }));
}

/** Response keys Prism can be asked for with `Prefer: code=`; ranges ("4XX") and "default" cannot. */
export const isSelectableStatus = (status: string): boolean => /^[1-5]\d\d$/.test(status);

/** Every positive case of a spec, operations in document order. */
export function exampleCases(spec: LoadedSpec): ExampleCase[] {
  const cases: ExampleCase[] = [];
  for (const operation of spec.operations) {
    const variants = requestVariants(spec, operation);
    const [defaultVariant] = variants;
    if (!defaultVariant) continue;
    const used = new Set<string | undefined>();
    // A response example pairs with the request example of the same name when there is one.
    const variantFor = (example: string | undefined) =>
      variants.find((variant) => variant.example !== undefined && variant.example === example) ?? defaultVariant;
    const add = (
      status: string,
      response: Pick<ExampleCase, "mediaType" | "example" | "expected" | "schemaPointer" | "bodyUnchecked">,
      multipleMediaTypes: boolean,
      variant = variantFor(response.example),
    ) => {
      used.add(variant.example);
      const parts = [
        `${operation.operationId} returns ${status}`,
        multipleMediaTypes && response.mediaType ? `as ${response.mediaType}` : "",
        response.example ? `with example "${response.example}"` : "",
        variants.length > 1 && variant.example ? `for request "${variant.example}"` : "",
      ];
      cases.push({
        key: [
          operation.operationId,
          status,
          response.mediaType ?? "",
          response.example ?? "",
          variant.example ?? "",
        ].join(" "),
        title: parts.filter(Boolean).join(" "),
        operation,
        status: Number(status),
        ...response,
        ...(variant.example !== undefined && { requestExample: variant.example }),
        request: variant.request,
        ...(variant.notCovered && { notCovered: variant.notCovered }),
      });
    };
    for (const response of operation.responses) {
      if (!isSelectableStatus(response.status)) continue;
      if (response.content.length === 0) add(response.status, {}, false);
      for (const content of response.content) {
        const bodyUnchecked = uncheckedBodyReason(spec.document, content.mediaType, content.schema);
        const media = {
          mediaType: content.mediaType,
          ...(bodyUnchecked ? { bodyUnchecked } : content.schemaPointer && { schemaPointer: content.schemaPointer }),
        };
        const several = response.content.length > 1;
        if (content.examples.length === 0) add(response.status, media, several);
        for (const { name, value } of content.examples) {
          add(response.status, { ...media, example: name, expected: value }, several);
        }
      }
    }
    // Request examples no response example paired with are still sent once, to the first success.
    const success = cases.find((candidate) => candidate.operation === operation && candidate.status < 300);
    for (const variant of variants) {
      if (used.has(variant.example) || !success) continue;
      const { mediaType, example, expected, schemaPointer, bodyUnchecked } = success;
      add(
        String(success.status),
        {
          ...(mediaType && { mediaType }),
          ...(example && { example, expected }),
          ...(schemaPointer && { schemaPointer }),
          ...(bodyUnchecked && { bodyUnchecked }),
        },
        false,
        variant,
      );
    }
  }
  return cases;
}

/** The media type of the operation's first documented success body, to ask for when no response is chosen. */
export function successMediaType(operation: Operation): string | undefined {
  const success = operation.responses.find(
    (response) => /^2\d\d$/.test(response.status) && response.content.length > 0,
  );
  return success?.content[0]?.mediaType;
}
