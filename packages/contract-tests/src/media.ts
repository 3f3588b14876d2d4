/**
 * What the suite can do with a media type. Requests: JSON, form-urlencoded and multipart
 * bodies are encoded as a client sends them; any other body (XML, octet-stream, plain text)
 * cannot be built from a schema, so such a case is not covered, with the reason. Responses:
 * a JSON body, or a text body whose schema is a string, is checked against its schema;
 * any other is checked by status and Content-Type only.
 */
import { flattenSchema, type Schema } from "./spec.ts";

export type RequestEncoding = "json" | "form" | "multipart";

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const essence = (mediaType: string) => (mediaType.split(";")[0] ?? "").trim().toLowerCase();

export const isJsonMediaType = (mediaType: string): boolean => JSON_MEDIA_TYPE.test(essence(mediaType));

/** How a body of `mediaType` is sent, or undefined when the suite cannot send one. */
export function requestEncoding(mediaType: string): RequestEncoding | undefined {
  const type = essence(mediaType);
  if (JSON_MEDIA_TYPE.test(type)) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "multipart/form-data") return "multipart";
  return undefined;
}

/** Why no request body of these media types can be sent. */
export const unsendableBodyReason = (mediaTypes: string[]): string =>
  `its request body (${mediaTypes.join(", ")}) has no encoding the suite can build from a schema`;

/**
 * Why the mock cannot read this form or multipart body, or undefined when it can. Prism 5.16
 * reads every field as one string unless the field's `encoding` names a style, so an array
 * field without one is refused whatever is sent (repeated fields, commas, JSON).
 */
export function unreadableFormReason(
  body: unknown,
  mediaType: string,
  styledFields: string[] = [],
): string | undefined {
  if (requestEncoding(mediaType) === "json" || body === null || typeof body !== "object") return undefined;
  const fields = Object.entries(body)
    .filter(([name, value]) => Array.isArray(value) && !styledFields.includes(name))
    .map(([name]) => name);
  if (fields.length === 0) return undefined;
  return `the mock (Prism) reads ${essence(mediaType)} field ${fields.join(", ")} as one string: an array field needs an \`encoding\` style in the spec`;
}

/** A form field's text: scalars as they are, objects and arrays items as JSON (what a form can carry). */
const fieldText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** The (name, text) pairs of a form body: an array is one pair per item, as `explode: true` (the default) sends it. */
function formFields(body: unknown, mediaType: string): [string, string][] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new Error(`a ${mediaType} body must be an object of fields, got ${JSON.stringify(body)}`);
  }
  return Object.entries(body).flatMap(([name, value]) =>
    value === undefined
      ? []
      : Array.isArray(value)
        ? value.map((item) => [name, fieldText(item)])
        : [[name, fieldText(value)]],
  ) as [string, string][];
}

/**
 * The body as openapi-fetch sends it: JSON as the value itself (the client serializes it),
 * a form as URLSearchParams (with its Content-Type header), multipart as FormData (fetch
 * writes the Content-Type with its boundary).
 */
export function encodeBody(body: unknown, mediaType: string): { body: unknown; contentType?: string } {
  const encoding = requestEncoding(mediaType);
  if (encoding === "json") return { body };
  if (encoding === "form") return { body: new URLSearchParams(formFields(body, mediaType)), contentType: mediaType };
  if (encoding === "multipart") {
    const form = new FormData();
    for (const [name, text] of formFields(body, mediaType)) form.append(name, text);
    return { body: form };
  }
  throw new Error(unsendableBodyReason([mediaType]));
}

/**
 * Whether a response body of `mediaType` can be held to `schema`: undefined when it can, else
 * why not. Non-JSON bodies are read as text, which only a string schema describes.
 */
export function uncheckedBodyReason(
  document: object,
  mediaType: string,
  schema: Schema | undefined,
): string | undefined {
  if (!schema || isJsonMediaType(mediaType)) return undefined;
  if (flattenSchema(document, schema).type === "string") return undefined;
  return `${essence(mediaType)} bodies are checked by status and Content-Type only (the schema describes a parsed structure, not the text)`;
}
