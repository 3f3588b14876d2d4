/**
 * Sends one case's request through a client and collects what the suite asserts on: the
 * status, the media type, the decoded body, and the spec violations the mock reported.
 */
import type { RequestData } from "./cases.ts";
import type { ContractClient } from "./clients.ts";
import { encodeBody, isJsonMediaType } from "./media.ts";
import type { Operation } from "./spec.ts";

/** One problem Prism found, from its `sl-violations` header or a problem+json `validation` list. */
export interface Violation {
  /** "request" or "response": which side broke the spec. */
  side: string;
  /** Where, without the side: `["body", "Items", "0"]`, `["query", "warehouseid"]`, `[]` for security. */
  location: string[];
  /** The failed JSON Schema keyword (`required`, `type`, ...), or `401` for security. */
  code: string;
  message: string;
}

export interface Exchange {
  status: number;
  /** Media type of the answer, without parameters; undefined when it has no Content-Type. */
  mediaType?: string;
  /** The body as the client decoded it (undefined when there is none). */
  body: unknown;
  violations: Violation[];
}

type RawViolation = { location?: unknown[]; code?: unknown; message?: unknown };

function normalize(raw: RawViolation, defaultSide: string): Violation {
  const location = (raw.location ?? []).map(String);
  const side = location[0] === "request" || location[0] === "response" ? (location.shift() as string) : defaultSide;
  return { side, location, code: String(raw.code), message: String(raw.message ?? "") };
}

export function violationsOf(response: Response, body: unknown): Violation[] {
  const found: Violation[] = [];
  const header = response.headers.get("sl-violations");
  // Prism truncates a long list and prefixes a notice; the JSON form is the only one to parse.
  if (header?.startsWith("["))
    found.push(...(JSON.parse(header) as RawViolation[]).map((raw) => normalize(raw, "request")));
  if (!response.headers.get("content-type")?.startsWith("application/problem+json")) return found;
  const problem = body as { validation?: unknown; type?: unknown } | undefined;
  if (Array.isArray(problem?.validation)) {
    found.push(...(problem.validation as RawViolation[]).map((raw) => normalize(raw, "request")));
  }
  // Where the spec documents no 401, Prism makes its own, with no validation list: the problem
  // type is what says the security requirement failed.
  if (typeof problem?.type === "string" && problem.type.endsWith("#UNAUTHORIZED")) {
    found.push({ side: "request", location: [], code: "401", message: String((body as { title?: unknown }).title) });
  }
  return found;
}

export interface SendOptions {
  /** Extra headers, e.g. `Prefer` to pick a mock response. */
  headers?: Record<string, string>;
  /** The response media type to ask for (`Accept`) and decode as. Default JSON. */
  accept?: string;
}

export async function send(
  client: ContractClient,
  operation: Operation,
  request: RequestData,
  options: SendOptions = {},
): Promise<Exchange> {
  // Header parameters are strings; a null is a credential header the client sets, to strip.
  const header: Record<string, string> = {};
  const removed: Record<string, null> = {};
  for (const [name, value] of Object.entries(request.header)) {
    if (value === null) removed[name] = null;
    else header[name] = value;
  }
  const encoded =
    request.body === undefined || request.mediaType === undefined
      ? { body: request.body }
      : encodeBody(request.body, request.mediaType);
  const { data, error, response } = await client.request(operation.method, operation.path, {
    params: { path: request.path, query: request.query, header },
    ...(encoded.body !== undefined && { body: encoded.body }),
    headers: {
      ...(options.accept && { Accept: options.accept }),
      ...(encoded.contentType && { "Content-Type": encoded.contentType }),
      ...options.headers,
      ...removed,
    },
    parseAs: options.accept === undefined || isJsonMediaType(options.accept) ? "json" : "text",
  });
  const body = response.ok ? data : error;
  const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim();
  return {
    status: response.status,
    ...(mediaType && { mediaType }),
    body: body === "" ? undefined : body,
    violations: violationsOf(response, body),
  };
}
